import { useEffect, useState, type FormEvent } from 'react';
import { tteEnrolmentSchema, tteEnrolmentsResponseSchema, tteHeadSchema, type TteEnrolment } from '@tangguh/protocol';
import { z } from 'zod';
import { contractApi, toApiError, type ApiError } from '../../api.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useSession } from '../../components/Session.tsx';
import { formatDateTime } from '../../format.ts';
import { usePolling } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import '../../documents/documents.css';

const REFRESH_MS = 5000;
const decisionSchema = z.object({ enrolment: tteEnrolmentSchema });
const headResponseSchema = z.object({ head: tteHeadSchema });

/** One waiting or decided key; only a waiting one can be approved or rejected. */
function EnrolmentRow({ item, onDecided }: { item: TteEnrolment; onDecided: () => void }) {
  const { lang, t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  async function decide(approve: boolean) {
    setBusy(true);
    setError(undefined);
    try {
      await contractApi.post(decisionSchema, `/api/admin/tte/enrolments/${encodeURIComponent(item.id)}/decision`, { approve });
      onDecided();
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }
  return (
    <li className="card stack" data-testid="tte-enrolment" data-fingerprint={item.fingerprint} data-status={item.status}>
      <p>
        <strong>{item.fullName}</strong> ({item.username}) · {t('pusatTte.office')} {item.officeId} ·{' '}
        <span className="pill pill--neutral">{t(`pusatTte.status.${item.status}` as MessageKey)}</span>
        {item.decidedBy && <> {t('pusatTte.decidedBy', { who: item.decidedBy })}</>}
      </p>
      <p>
        <code>{item.fingerprint}</code> · {t('pusatTte.requestedAt')} {formatDateTime(item.requestedAt, lang)}
      </p>
      {error && <ErrorNotice error={error} />}
      {item.status === 'PENDING' && (
        <div className="actions">
          <button type="button" className="button button--primary button--small" disabled={busy} onClick={() => void decide(true)}>
            {t('pusatTte.approve')}
          </button>
          <button type="button" className="button button--ghost button--small" disabled={busy} onClick={() => void decide(false)}>
            {t('pusatTte.reject')}
          </button>
        </div>
      )}
    </li>
  );
}

/**
 * /pusat/tte: who heads each office, and the personal keys heads enrolled through their offices. The admin
 * approves a key only after the head read out the same fingerprint; until then the TTE service refuses it.
 */
export default function TteKeysPage() {
  const { t } = useI18n();
  const { expire } = useSession();
  const data = usePolling((signal) => contractApi.get(tteEnrolmentsResponseSchema, '/api/admin/tte/enrolments', signal), [], REFRESH_MS);
  const [draft, setDraft] = useState({ officeId: '', username: '', fullName: '' });
  const [saved, setSaved] = useState<string>();
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    if (data.error?.status === 401) expire();
  }, [data.error, expire]);

  async function setHead(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(undefined);
    setSaved(undefined);
    try {
      const { head } = await contractApi.put(headResponseSchema, `/api/admin/tte/heads/${encodeURIComponent(draft.officeId.trim())}`, { username: draft.username, fullName: draft.fullName });
      setSaved(t('pusatTte.headSet', { office: head.officeId, name: `${head.fullName} (${head.username})` }));
      data.reload();
    } catch (caught) {
      setError(toApiError(caught));
    }
  }
  const field = (key: keyof typeof draft, label: MessageKey, maxLength: number) => (
    <div className="field">
      <label className="field__label" htmlFor={`head-${key}`}>
        {t(label)}
      </label>
      <input id={`head-${key}`} value={draft[key]} maxLength={maxLength} onChange={(event) => setDraft({ ...draft, [key]: event.target.value })} />
    </div>
  );

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('pusatTte.title')}</h1>
      </div>
      <p className="muted">{t('pusatTte.intro')}</p>
      {data.error && <ErrorNotice error={data.error} onRetry={data.reload} />}

      <section className="card stack" aria-labelledby="enrolments-title">
        <h2 id="enrolments-title">{t('pusatTte.enrolments')}</h2>
        {data.data && data.data.items.length === 0 && <p className="empty">{t('pusatTte.noEnrolments')}</p>}
        {!data.data && !data.error && <p className="muted">{t('app.loading')}</p>}
        <ul className="doc-list">
          {data.data?.items.map((item) => (
            <EnrolmentRow key={item.id} item={item} onDecided={data.reload} />
          ))}
        </ul>
      </section>

      <section className="card stack" aria-labelledby="heads-title">
        <h2 id="heads-title">{t('pusatTte.heads')}</h2>
        {data.data && data.data.heads.length === 0 && <p className="empty">{t('pusatTte.noHeads')}</p>}
        <ul>
          {data.data?.heads.map((head) => (
            <li key={head.officeId}>
              {t('pusatTte.office')} {head.officeId}: <strong>{head.fullName}</strong> ({head.username})
            </li>
          ))}
        </ul>
        <form className="filters" onSubmit={setHead}>
          {field('officeId', 'pusatTte.office', 20)}
          {field('username', 'pusatTte.username', 64)}
          {field('fullName', 'pusatTte.fullName', 120)}
          <button type="submit" className="button button--secondary" disabled={!draft.officeId.trim() || !draft.username.trim() || !draft.fullName.trim()}>
            {t('pusatTte.setHead')}
          </button>
        </form>
        {error && <ErrorNotice error={error} />}
        {saved && (
          <p className="notice notice--success" role="status">
            {saved}
          </p>
        )}
      </section>
    </div>
  );
}
