import { useState, type FormEvent } from 'react';
import {
  captureResultSchema,
  handoverResponseSchema,
  identityCheckResponseSchema,
  pickupSearchResponseSchema,
  replacementHandoverResponseSchema,
  type IdentityCheck,
  type OldCardOutcome,
  type PickupCandidate,
  type ReplacementCandidate,
} from '@tangguh/protocol';
import { contractApi, toApiError, withQuery, type ApiError } from '../../api.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useSession } from '../../components/Session.tsx';
import { StatusLabel } from '../../components/StatusLabel.tsx';
import { formatDate, formatDateTime, formatPercent } from '../../format.ts';
import { isMessageKey, useI18n, type MessageKey } from '../../i18n/index.tsx';

type Bilingual = { id: string; en: string };

/** The pickup counter (/petugas/pengambilan): find the card, confirm the holder, hand it over. Local only: works during an outage. */
export default function PickupPage() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [items, setItems] = useState<PickupCandidate[]>();
  const [replacements, setReplacements] = useState<ReplacementCandidate[]>([]);
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState<ApiError>();

  async function search(event?: FormEvent<HTMLFormElement>) {
    event?.preventDefault();
    if (!q.trim()) return;
    setSearching(true);
    setError(undefined);
    try {
      const answer = await contractApi.get(pickupSearchResponseSchema, withQuery('/api/pengambilan', { q: q.trim(), birthDate: birthDate || undefined }));
      setItems(answer.items);
      setReplacements(answer.replacements);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setSearching(false);
    }
  }

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('pickup.title')}</h1>
      </div>
      <p className="muted">{t('pickup.intro')}</p>
      <section className="card stack">
        <form className="filters" role="search" onSubmit={(event) => void search(event)}>
          <div className="field">
            <label className="field__label" htmlFor="pickup-q">
              {t('pickup.q')}
            </label>
            <input id="pickup-q" type="search" value={q} maxLength={100} onChange={(event) => setQ(event.target.value)} />
          </div>
          <div className="field">
            <label className="field__label" htmlFor="pickup-birth">
              {t('pickup.birthDate')}
            </label>
            <input id="pickup-birth" type="date" value={birthDate} onChange={(event) => setBirthDate(event.target.value)} />
          </div>
          <button type="submit" className="button" disabled={searching}>
            {searching ? t('pickup.searching') : t('pickup.search')}
          </button>
        </form>
        {error && <ErrorNotice error={error} />}
        {items && items.length === 0 && replacements.length === 0 && <p className="empty">{t('pickup.none')}</p>}
      </section>
      {items?.map((item) => <CandidateCard key={item.recordId} item={item} onChanged={() => void search()} />)}
      {replacements.map((item) => <ReplacementCard key={item.requestId} item={item} onChanged={() => void search()} />)}
    </div>
  );
}

function CandidateCard({ item, onChanged }: { item: PickupCandidate; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const { availability: a } = item;
  return (
    <section className="card stack" data-testid="pickup-candidate" data-record={item.recordId} data-availability={a.kind}>
      <div className="page-head">
        <h2>{item.fullName}</h2>
        <StatusLabel status={item.status} />
      </div>
      <dl className="facts">
        <dt>NIK</dt>
        <dd>{item.nik}</dd>
        <dt>{t('pickup.registration')}</dt>
        <dd>{item.registrationNumber}</dd>
        <dt>{t('pickup.sukets')}</dt>
        <dd data-testid="active-sukets">{item.activeSukets.length > 0 ? item.activeSukets.join(', ') : t('pickup.noSuket')}</dd>
      </dl>
      <p className={a.kind === 'READY_HERE' ? 'notice notice--success' : 'notice'} data-testid="availability">
        {a.messages[lang]}
        {a.pickupFrom && <> {t('pickup.pickupFrom', { when: formatDateTime(a.pickupFrom, lang) })}</>}
        {a.forecast && <> {t('pickup.forecast', { from: formatDate(a.forecast.earliest, lang), to: formatDate(a.forecast.latest, lang) })}</>}
      </p>
      {item.handover && (
        <div className="notice notice--success" role="status" data-testid="handover-done">
          <p className="notice__title">{t('pickup.handedOver', { who: item.handover.handedBy, when: formatDateTime(item.handover.handedAt, lang) })}</p>
          {item.handover.revokedSukets.length > 0 && <p>{t('pickup.revoked', { serials: item.handover.revokedSukets.join(', ') })}</p>}
        </div>
      )}
      {a.kind === 'READY_HERE' && (
        <IdentityAndHandover
          holder={item.recordId}
          chipFingers={item.chipFingers}
          confirmedCheck={item.confirmedCheck}
          base={`/api/pengambilan/${item.recordId}`}
          handOver={async (checkId) => (await contractApi.post(handoverResponseSchema, `/api/pengambilan/${item.recordId}/serah-terima`, { checkId })).message}
          onChanged={onChanged}
        />
      )}
    </section>
  );
}

const OLD_CARD_OUTCOMES: OldCardOutcome[] = ['TAKEN_BACK', 'DECLARED_LOST'];

/** A replacement card (lost, damaged, data changed): marked as one, and its hand-over asks what became of the old card. */
function ReplacementCard({ item, onChanged }: { item: ReplacementCandidate; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const [oldCard, setOldCard] = useState<OldCardOutcome>(item.oldCardExpected);
  const [note, setNote] = useState('');
  const differs = oldCard !== item.oldCardExpected;
  return (
    <section className="card stack" data-testid="pickup-replacement" data-request={item.requestId} data-state={item.state}>
      <div className="page-head">
        <h2>{item.fullName}</h2>
        <span className="badge" data-testid="replacement-badge">
          {t('pickup.replacement.badge', { reason: t(`pickup.replacement.reason.${item.reason}`) })}
        </span>
      </div>
      <dl className="facts">
        <dt>NIK</dt>
        <dd>{item.nik}</dd>
        <dt>{t('pickup.replacement.requestedAt')}</dt>
        <dd>{formatDateTime(item.requestedAt, lang)}</dd>
        <dt>{t('pickup.sukets')}</dt>
        <dd>{item.activeSukets.length > 0 ? item.activeSukets.join(', ') : t('pickup.noSuket')}</dd>
      </dl>
      <p className={item.state === 'READY_HERE' ? 'notice notice--success' : 'notice'} data-testid="replacement-availability">
        {item.messages[lang]}
      </p>
      {item.handover && (
        <div className="notice notice--success" role="status" data-testid="replacement-handover-done">
          <p className="notice__title">{t('pickup.handedOver', { who: item.handover.handedBy, when: formatDateTime(item.handover.handedAt, lang) })}</p>
          <p>{t(`pickup.replacement.old.${item.handover.oldCard}`)}</p>
          {item.handover.oldCardNote && <p className="muted small">{item.handover.oldCardNote}</p>}
        </div>
      )}
      {item.state === 'READY_HERE' && (
        <>
          <fieldset className="stack" data-testid="old-card">
            <legend>{t('pickup.replacement.oldCardTitle')}</legend>
            {OLD_CARD_OUTCOMES.map((outcome) => (
              <label key={outcome} className="choice">
                <input type="radio" name={`old-card-${item.requestId}`} value={outcome} checked={oldCard === outcome} onChange={() => setOldCard(outcome)} />{' '}
                {t(`pickup.replacement.choose.${outcome}`)}
                {outcome === item.oldCardExpected && <span className="muted small"> {t('pickup.replacement.expected')}</span>}
              </label>
            ))}
            {differs && (
              <div className="field">
                <label className="field__label" htmlFor={`old-note-${item.requestId}`}>
                  {t('pickup.replacement.note')}
                </label>
                <textarea id={`old-note-${item.requestId}`} value={note} maxLength={300} onChange={(event) => setNote(event.target.value)} />
              </div>
            )}
          </fieldset>
          <IdentityAndHandover
            holder={item.requestId}
            chipFingers={item.chipFingers}
            confirmedCheck={item.confirmedCheck}
            base={`/api/pengambilan/pengganti/${item.requestId}`}
            blocked={differs && note.trim().length < 10}
            handOver={async (checkId) =>
              (await contractApi.post(replacementHandoverResponseSchema, `/api/pengambilan/pengganti/${item.requestId}/serah-terima`, { checkId, oldCard, note: differs ? note.trim() : undefined })).message
            }
            onChanged={onChanged}
          />
        </>
      )}
    </section>
  );
}

function IdentityAndHandover({
  holder,
  chipFingers,
  confirmedCheck,
  base,
  blocked = false,
  handOver: send,
  onChanged,
}: {
  /** What the inputs' ids are made from: the record, or the replacement request. */
  holder: string;
  chipFingers: string[];
  confirmedCheck: IdentityCheck | null;
  /** The card's routes: `${base}/sidik-jari` and `${base}/persetujuan`. */
  base: string;
  /** The hand-over button stays off (the form above it is not complete). */
  blocked?: boolean;
  handOver: (checkId: string) => Promise<Bilingual>;
  onChanged: () => void;
}) {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const [subjectKey, setSubjectKey] = useState('');
  const [reason, setReason] = useState('');
  const [check, setCheck] = useState<IdentityCheck | null>(confirmedCheck);
  const [message, setMessage] = useState<Bilingual>();
  const [busy, setBusy] = useState<'scan' | 'override' | 'handover'>();
  const [error, setError] = useState<ApiError>();
  const fingerName = (p: string) => (isMessageKey(`position.${p}`) ? t(`position.${p}` as MessageKey) : p);

  async function run(kind: 'scan' | 'override' | 'handover', work: () => Promise<void>) {
    setBusy(kind);
    setError(undefined);
    try {
      await work();
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(undefined);
    }
  }

  const scan = () =>
    run('scan', async () => {
      const captured = await contractApi.post(captureResultSchema, '/api/capture/synthetic', { subjectKey: subjectKey.trim(), attempt: 1 });
      const fingerprints = captured.biometrics.filter((b) => chipFingers.includes(b.position)).map((b) => ({ position: b.position, template: b.template }));
      const answer = await contractApi.post(identityCheckResponseSchema, `${base}/sidik-jari`, { fingerprints });
      setCheck(answer.check.matched ? answer.check : null);
      setMessage(answer.message);
    });
  const override = () =>
    run('override', async () => {
      const answer = await contractApi.post(identityCheckResponseSchema, `${base}/persetujuan`, { reason: reason.trim() });
      setCheck(answer.check);
      setMessage(answer.message);
    });
  const handOver = () =>
    run('handover', async () => {
      setMessage(await send(check!.id));
      setCheck(null);
      onChanged();
    });

  return (
    <div className="stack" data-testid="identity">
      <h3>{t('pickup.identityTitle')}</h3>
      {chipFingers.length > 0 ? (
        <>
          <p className="muted small">{t('pickup.chipFingers', { fingers: chipFingers.map(fingerName).join(', ') })}</p>
          <div className="field">
            <label className="field__label" htmlFor={`subject-${holder}`}>
              {t('pickup.subjectKey')}
            </label>
            <input id={`subject-${holder}`} value={subjectKey} autoComplete="off" onChange={(event) => setSubjectKey(event.target.value)} />
            <p className="field__hint">{t('pickup.subjectKeyHint')}</p>
          </div>
          <button type="button" className="button button--secondary" disabled={busy !== undefined || !subjectKey.trim()} onClick={() => void scan()}>
            {busy === 'scan' ? t('pickup.scanning') : t('pickup.scan')}
          </button>
        </>
      ) : (
        <p className="notice">{t('pickup.noChip')}</p>
      )}
      {user.role === 'supervisor' && (
        <details>
          <summary>{t('pickup.override')}</summary>
          <div className="field">
            <label className="field__label" htmlFor={`reason-${holder}`}>
              {t('pickup.overrideReason')}
            </label>
            <textarea id={`reason-${holder}`} value={reason} maxLength={500} onChange={(event) => setReason(event.target.value)} />
          </div>
          <button type="button" className="button button--secondary" disabled={busy !== undefined || reason.trim().length < 10} onClick={() => void override()}>
            {t('pickup.overrideButton')}
          </button>
        </details>
      )}
      {message && (
        <p className={check ? 'notice notice--success' : 'notice notice--error'} role="status" data-testid="identity-result">
          {message[lang]}
        </p>
      )}
      {check && (
        <>
          <p className="muted small" data-testid="confirmed-check">
            {t('pickup.confirmed', { method: t(`pickup.method.${check.method}`), who: check.checkedBy, until: formatDateTime(check.validUntil, lang) })}
            {check.score !== null && ` (${formatPercent(check.score, lang)})`}
          </p>
          <button type="button" className="button button--primary" disabled={busy !== undefined || blocked} onClick={() => void handOver()}>
            {busy === 'handover' ? t('pickup.handingOver') : t('pickup.handover')}
          </button>
        </>
      )}
      {error && <ErrorNotice error={error} />}
    </div>
  );
}
