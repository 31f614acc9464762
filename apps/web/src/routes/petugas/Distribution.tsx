import { useState } from 'react';
import {
  manifestListSchema,
  manifestResponseSchema,
  missingCardListSchema,
  missingCardResponseSchema,
  printedCardsResponseSchema,
  type CardManifest,
  type MissingCard,
  type PrintedCard,
} from '@tangguh/protocol';
import { contractApi, toApiError, withQuery, type ApiError } from '../../api.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useSession } from '../../components/Session.tsx';
import { formatDateTime } from '../../format.ts';
import { usePolling } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';

const REFRESH_MS = 15_000;
type Bilingual = { id: string; en: string };

/** Card distribution (/petugas/distribusi): pack printed cards on manifests, dispatch them, receive them at the pickup point. */
export default function DistributionPage() {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const keeper = user.role === 'supervisor' || user.role === 'admin';
  const printed = usePolling((signal) => contractApi.get(printedCardsResponseSchema, '/api/distribusi/kartu-tercetak', signal), [], REFRESH_MS);
  const manifests = usePolling((signal) => contractApi.get(manifestListSchema, withQuery('/api/distribusi/manifes', { limit: 50 }), signal), [], REFRESH_MS);
  const missing = usePolling((signal) => contractApi.get(missingCardListSchema, '/api/distribusi/kartu-hilang', signal), [], REFRESH_MS);
  const [message, setMessage] = useState<Bilingual>();
  const done = (m: Bilingual) => {
    setMessage(m);
    printed.reload();
    manifests.reload();
    missing.reload();
  };
  const open = missing.data?.items.filter((c) => c.state === 'OPEN') ?? [];
  const settled = missing.data?.items.filter((c) => c.state !== 'OPEN') ?? [];

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('dist.title')}</h1>
      </div>
      <p className="muted">{t('dist.intro')}</p>
      {message && (
        <div className="notice notice--success" role="status" data-testid="dist-message">
          <p className="notice__title">{message[lang]}</p>
        </div>
      )}
      <section className="card stack" aria-labelledby="dist-printed">
        <h2 id="dist-printed">{t('dist.printedTitle')}</h2>
        {printed.error && <ErrorNotice error={printed.error} onRetry={printed.reload} />}
        {!printed.data && !printed.error && <p className="muted">{t('app.loading')}</p>}
        {printed.data && printed.data.items.length === 0 && <p className="empty">{t('dist.printedEmpty')}</p>}
        {printed.data && printed.data.items.length > 0 && (keeper ? <PackForm cards={printed.data.items} points={printed.data.pickupPoints} onDone={done} /> : <CardList cards={printed.data.items} />)}
        {!keeper && <p className="muted small">{t('dist.onlyKeepers')}</p>}
      </section>
      <section className="card stack" aria-labelledby="dist-missing" data-testid="missing-cards">
        <h2 id="dist-missing">{t('dist.missing.title', { n: open.length })}</h2>
        <p className="muted small">{t('dist.missing.intro')}</p>
        {missing.error && <ErrorNotice error={missing.error} onRetry={missing.reload} />}
        {missing.data && open.length === 0 && <p className="empty">{t('dist.missing.none')}</p>}
        {open.map((c) => (
          <MissingCase key={`${c.manifestId}:${c.recordId}`} item={c} onDone={done} />
        ))}
        {settled.length > 0 && (
          <details>
            <summary>{t('dist.missing.settledTitle', { n: settled.length })}</summary>
            <ul className="stack">
              {settled.map((c) => (
                <li key={`${c.manifestId}:${c.recordId}`} data-testid="missing-settled" data-record={c.recordId} data-state={c.state}>
                  {c.fullName} · {c.manifestNumber} · {t(`dist.missing.state.${c.state}`)} · {t('dist.missing.settledBy', { who: c.settledBy ?? '', when: formatDateTime(c.settledAt, lang) })}
                  {c.reason && <> · {c.reason}</>}
                  {c.state === 'LOST_IN_TRANSIT' && (
                    <span className="muted small">
                      {' '}
                      · {t('dist.missing.reprint', { state: c.reprintState ?? '—', serial: c.blankSerial ?? '—' })} · {c.notified ? t('dist.missing.told') : t('dist.missing.noContact')}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>
      <section className="card stack" aria-labelledby="dist-manifests">
        <h2 id="dist-manifests">{t('dist.manifestsTitle')}</h2>
        {manifests.error && <ErrorNotice error={manifests.error} onRetry={manifests.reload} />}
        {manifests.data && manifests.data.items.length === 0 && <p className="empty">{t('dist.manifestsEmpty')}</p>}
        {manifests.data?.items.map((m) => <ManifestCard key={m.id} manifest={m} onDone={done} />)}
      </section>
    </div>
  );
}

function CardList({ cards }: { cards: PrintedCard[] }) {
  const { t } = useI18n();
  return (
    <ul className="stack">
      {cards.map((c) => (
        <li key={c.recordId}>
          {c.fullName} · {c.nik} · {c.suggestedSiteName ? t('dist.suggested', { site: c.suggestedSiteName }) : t('dist.atDinas')}
        </li>
      ))}
    </ul>
  );
}

function PackForm({ cards, points, onDone }: { cards: PrintedCard[]; points: { id: string; name: string }[]; onDone: (m: Bilingual) => void }) {
  const { t } = useI18n();
  const firstSuggested = cards.find((c) => c.suggestedSiteId)?.suggestedSiteId ?? points[0]?.id ?? '';
  const [to, setTo] = useState(firstSuggested);
  const [picked, setPicked] = useState<Set<string>>(() => new Set(cards.filter((c) => c.suggestedSiteId === firstSuggested).map((c) => c.recordId)));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  function choose(site: string) {
    setTo(site);
    setPicked(new Set(cards.filter((c) => c.suggestedSiteId === site).map((c) => c.recordId)));
  }
  async function create() {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await contractApi.post(manifestResponseSchema, '/api/distribusi/manifes', { toSiteId: to, recordIds: [...picked] });
      onDone(answer.message);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="stack">
      <div className="field">
        <label className="field__label" htmlFor="dist-to">
          {t('dist.destination')}
        </label>
        <select id="dist-to" value={to} onChange={(event) => choose(event.target.value)}>
          {points.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <ul className="stack" data-testid="printed-cards">
        {cards.map((c) => (
          <li key={c.recordId}>
            <label>
              <input
                type="checkbox"
                checked={picked.has(c.recordId)}
                onChange={(event) => {
                  const next = new Set(picked);
                  if (event.target.checked) next.add(c.recordId);
                  else next.delete(c.recordId);
                  setPicked(next);
                }}
              />{' '}
              {c.fullName} · {c.nik} · {c.suggestedSiteName ? t('dist.suggested', { site: c.suggestedSiteName }) : t('dist.atDinas')}
            </label>
          </li>
        ))}
      </ul>
      <button type="button" className="button button--primary" disabled={busy || picked.size === 0 || !to} onClick={() => void create()}>
        {busy ? t('dist.creating') : t('dist.create', { n: picked.size })}
      </button>
      {error && <ErrorNotice error={error} />}
    </div>
  );
}

function ManifestCard({ manifest: m, onDone }: { manifest: CardManifest; onDone: (m: Bilingual) => void }) {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const keeper = user.role === 'supervisor' || user.role === 'admin';
  const receiver = user.role !== 'head' && (user.role === 'admin' || user.siteId === m.toSiteId);
  const [found, setFound] = useState<Set<string>>(() => new Set(m.items.map((i) => i.recordId)));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  async function act(path: string, body: unknown) {
    setBusy(true);
    setError(undefined);
    try {
      onDone((await contractApi.post(manifestResponseSchema, path, body)).message);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  const receiving = m.status === 'DISPATCHED' && receiver;
  return (
    <article className="card stack" data-testid="manifest" data-number={m.number} data-status={m.status}>
      <h3>
        {m.number} · {t(`dist.status.${m.status}`)}
      </h3>
      <p>{t('dist.route', { from: m.fromSiteName, to: m.toSiteName })}</p>
      <p className="muted small">
        {t('dist.counts', { total: m.counts.total, received: m.counts.received, missing: m.counts.missing })} · {t('dist.createdBy', { who: m.createdBy, when: formatDateTime(m.createdAt, lang) })}
        {m.dispatchedBy && <> · {t('dist.dispatchedBy', { who: m.dispatchedBy, when: formatDateTime(m.dispatchedAt, lang) })}</>}
        {m.receivedBy && <> · {t('dist.receivedBy', { who: m.receivedBy, when: formatDateTime(m.receivedAt, lang) })}</>}
      </p>
      {receiving && <p className="field__label">{t('dist.receive')}</p>}
      <div className="table-wrap">
        <table className="records">
          <thead>
            <tr>
              <th scope="col">{t('dist.col.card')}</th>
              <th scope="col">{t('dist.col.nik')}</th>
              <th scope="col">{t('dist.col.state')}</th>
            </tr>
          </thead>
          <tbody>
            {m.items.map((i) => (
              <tr key={i.recordId} data-state={i.state}>
                <td>
                  {receiving ? (
                    <label>
                      <input
                        type="checkbox"
                        checked={found.has(i.recordId)}
                        onChange={(event) => {
                          const next = new Set(found);
                          if (event.target.checked) next.add(i.recordId);
                          else next.delete(i.recordId);
                          setFound(next);
                        }}
                      />{' '}
                      {i.fullName}
                    </label>
                  ) : (
                    i.fullName
                  )}
                </td>
                <td>{i.nik}</td>
                <td className={i.state === 'MISSING' ? 'danger' : undefined}>{m.status === 'DISPATCHED' && i.state === 'PACKED' ? t('dist.status.DISPATCHED') : t(`dist.item.${i.state}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {m.status === 'OPEN' && keeper && (
        <button type="button" className="button button--primary" disabled={busy} onClick={() => void act(`/api/distribusi/manifes/${m.id}/kirim`, {})}>
          {t('dist.dispatch')}
        </button>
      )}
      {receiving && (
        <>
          <p className="muted small">{t('dist.receiveNote')}</p>
          <button type="button" className="button button--primary" disabled={busy} onClick={() => void act(`/api/distribusi/manifes/${m.id}/terima`, { receivedRecordIds: [...found] })}>
            {t('dist.receiveButton')}
          </button>
        </>
      )}
      {error && <ErrorNotice error={error} />}
    </article>
  );
}

/** One card missing from its box: found at the point (staff posted there), or declared lost in transit (supervisor). */
function MissingCase({ item, onDone }: { item: MissingCard; onDone: (m: Bilingual) => void }) {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const keeper = user.role === 'supervisor' || user.role === 'admin';
  const atPoint = user.role === 'admin' || (user.role !== 'head' && user.siteId === item.toSiteId);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const base = `/api/distribusi/manifes/${item.manifestId}/kartu/${item.recordId}`;

  async function act(path: string, body: unknown) {
    setBusy(true);
    setError(undefined);
    try {
      onDone((await contractApi.post(missingCardResponseSchema, path, body)).message);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className="card stack" data-testid="missing-case" data-record={item.recordId} data-manifest={item.manifestNumber}>
      <h3>
        {item.fullName} · {item.nik}
      </h3>
      <p className="muted small">
        {t('dist.missing.flagged', { manifest: item.manifestNumber, site: item.toSiteName, who: item.flaggedBy ?? '—', when: formatDateTime(item.flaggedAt, lang) })}
      </p>
      {atPoint && (
        <button type="button" className="button button--secondary" disabled={busy} onClick={() => void act(`${base}/ditemukan`, {})}>
          {t('dist.missing.found')}
        </button>
      )}
      {keeper && (
        <div className="stack">
          <div className="field">
            <label className="field__label" htmlFor={`lost-${item.manifestId}-${item.recordId}`}>
              {t('dist.missing.reason')}
            </label>
            <textarea id={`lost-${item.manifestId}-${item.recordId}`} value={reason} maxLength={300} onChange={(event) => setReason(event.target.value)} />
            <p className="field__hint">{t('dist.missing.lostHint')}</p>
          </div>
          <button type="button" className="button button--danger" disabled={busy || reason.trim().length < 10} onClick={() => void act(`${base}/hilang`, { reason: reason.trim() })}>
            {t('dist.missing.lost')}
          </button>
        </div>
      )}
      {error && <ErrorNotice error={error} />}
    </article>
  );
}
