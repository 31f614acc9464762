import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { printBatchSchema, printJobRoutes, printJobsResponseSchema, printPlanRoutes, printRoomQueueSchema, siteListSchema } from '@tangguh/protocol';
import { contractApi, toApiError, withQuery, type ApiError } from '../../api.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useSession } from '../../components/Session.tsx';
import { formatNumber } from '../../format.ts';
import { usePolling } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { BatchList, JobList } from './print-room-parts.tsx';

const LIVE_MS = 3_000;
const QUEUE_MS = 10_000;
const batchListSchema = printJobRoutes.batches.response[200];
const printerListSchema = printPlanRoutes.printers.response[200];

/**
 * The print room (/petugas/cetak): the queue in the print plan's order with each record's reason, printing
 * what an operator picks, a supervisor's unattended batch (optionally from a start time), live progress and
 * spoilage. Every call goes to this office only: the page works while the centre is down.
 */
export default function PrintRoomPage() {
  const { t, lang } = useI18n();
  const { user, expire } = useSession();
  const canPrint = user.role === 'operator' || user.role === 'supervisor';
  const supervisor = user.role === 'supervisor';
  const sites = usePolling((signal) => contractApi.get(siteListSchema, '/api/sites', signal), []);
  const printers = usePolling((signal) => contractApi.get(printerListSchema, '/api/print-plan/printers', signal), [], QUEUE_MS);
  const queue = usePolling((signal) => contractApi.get(printRoomQueueSchema, withQuery('/api/cetak/antrean', { limit: 200 }), signal), [], QUEUE_MS);
  const jobs = usePolling((signal) => contractApi.get(printJobsResponseSchema, withQuery('/api/cetak/pekerjaan', { limit: 50 }), signal), [], LIVE_MS);
  const batches = usePolling((signal) => contractApi.get(batchListSchema, '/api/cetak/batch', signal), [], LIVE_MS);
  const [siteId, setSiteId] = useState('');
  const [printerId, setPrinterId] = useState('');
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [notice, setNotice] = useState<string>();
  const [count, setCount] = useState('50');
  const [startAt, setStartAt] = useState('');
  const [note, setNote] = useState('');

  useEffect(() => {
    if (queue.error?.status === 401) expire();
  }, [queue.error, expire]);
  // The printers' site by default: the Dinas, where most cards are printed.
  const printerSites = useMemo(() => (sites.data?.items ?? []).filter((s) => (printers.data?.items ?? []).some((p) => p.siteId === s.id)), [sites.data, printers.data]);
  useEffect(() => {
    if (!siteId && printerSites[0]) setSiteId(printerSites[0].id);
  }, [siteId, printerSites]);
  const sitePrinters = (printers.data?.items ?? []).filter((p) => p.siteId === siteId);
  const items = queue.data?.items ?? [];
  const refresh = () => {
    queue.reload();
    jobs.reload();
    batches.reload();
  };

  async function act(work: () => Promise<string>) {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      setNotice(await work());
      refresh();
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  const printPicked = () =>
    act(async () => {
      // In the queue's order, as the plan put them.
      const recordIds = items.filter((i) => picked.has(i.recordId)).map((i) => i.recordId);
      const answer = await contractApi.post(printJobsResponseSchema, '/api/cetak/pekerjaan', { recordIds, siteId, printerId: printerId || undefined });
      setPicked(new Set());
      return t('printRoom.queued', { n: answer.items.length });
    });

  const queueBatch = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void act(async () => {
      const body = { siteId, printerId: printerId || undefined, count: Number(count), startAt: startAt ? new Date(startAt).toISOString() : undefined, note: note.trim() || undefined };
      const batch = await contractApi.post(printBatchSchema, '/api/cetak/batch', body);
      return t('printRoom.batchCreated', { n: batch.progress.total });
    });
  };

  const toggle = (id: string) => setPicked((current) => {
    const next = new Set(current);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('printRoom.title')}</h1>
      </div>
      <p className="muted">{t('printRoom.intro')}</p>
      <p className="muted small">{t('printRoom.live', { s: LIVE_MS / 1000 })}</p>
      {!canPrint && <p className="muted small">{t('printRoom.cannotPrint')}</p>}
      {error && <ErrorNotice error={error} extraIssues={error.issues} />}
      {notice && (
        <div className="notice notice--success" role="status" data-testid="print-room-notice">
          <p className="notice__title">{notice}</p>
        </div>
      )}
      <section className="card filters" aria-label={t('printRoom.site')}>
        <div className="field">
          <label className="field__label" htmlFor="print-site">
            {t('printRoom.site')}
          </label>
          <select id="print-site" value={siteId} onChange={(e) => (setSiteId(e.target.value), setPrinterId(''))}>
            {printerSites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field__label" htmlFor="print-printer">
            {t('printRoom.printer')}
          </label>
          <select id="print-printer" value={printerId} onChange={(e) => setPrinterId(e.target.value)}>
            <option value="">{t('printRoom.anyPrinter')}</option>
            {sitePrinters.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
      </section>

      <section className="card stack" aria-labelledby="queue-title">
        <h2 id="queue-title">{t('printRoom.queueTitle')}</h2>
        {queue.error && <ErrorNotice error={queue.error} onRetry={queue.reload} />}
        {queue.data && <p className="muted">{t('printRoom.queueCount', { shown: formatNumber(items.length, lang), total: formatNumber(queue.data.total, lang) })}</p>}
        {queue.data && items.length === 0 && <p>{t('printRoom.queueEmpty')}</p>}
        {canPrint && items.length > 0 && (
          <div className="actions">
            {[10, 50].map((n) => (
              <button key={n} type="button" className="button button--ghost" onClick={() => setPicked(new Set(items.slice(0, n).map((i) => i.recordId)))}>
                {t('printRoom.selectTop', { n: Math.min(n, items.length) })}
              </button>
            ))}
            <button type="button" className="button button--ghost" onClick={() => setPicked(new Set())}>
              {t('printRoom.selectNone')}
            </button>
            <button type="button" className="button button--primary" disabled={busy || picked.size === 0 || !siteId} onClick={() => void printPicked()}>
              {busy ? t('printRoom.printing') : t('printRoom.printSelected', { n: picked.size })}
            </button>
          </div>
        )}
        {items.length > 0 && (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  {canPrint && <th>{t('printRoom.col.pick')}</th>}
                  <th>{t('printRoom.col.position')}</th>
                  <th>{t('printRoom.col.name')}</th>
                  <th>{t('printRoom.col.reason')}</th>
                  <th>{t('printRoom.col.package')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <tr key={item.recordId} data-record={item.recordId}>
                    {canPrint && (
                      <td>
                        <input type="checkbox" aria-label={`${t('printRoom.col.pick')} ${item.name}`} checked={picked.has(item.recordId)} onChange={() => toggle(item.recordId)} />
                      </td>
                    )}
                    <td>{formatNumber(item.position, lang)}</td>
                    <td>
                      {item.name}
                      <div className="small mono">{item.nik}</div>
                    </td>
                    <td>
                      {item.explanation[lang]}
                      {!item.withinStock && <span className="muted small"> ({t('printRoom.outOfStock')})</span>}
                    </td>
                    <td>{item.packageReady ? t('printRoom.package.ready') : t('printRoom.package.waiting')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {supervisor && (
        <section className="card stack" aria-labelledby="batch-title">
          <h2 id="batch-title">{t('printRoom.batchTitle')}</h2>
          <p className="muted">{t('printRoom.batchIntro')}</p>
          <form className="form-grid" onSubmit={queueBatch}>
            <div className="field">
              <label className="field__label" htmlFor="batch-count">
                {t('printRoom.batchCount')}
              </label>
              <input id="batch-count" inputMode="numeric" value={count} onChange={(e) => setCount(e.target.value.replace(/\D/g, ''))} />
            </div>
            <div className="field">
              <label className="field__label" htmlFor="batch-start">
                {t('printRoom.batchStart')}
              </label>
              <input id="batch-start" type="datetime-local" value={startAt} onChange={(e) => setStartAt(e.target.value)} />
            </div>
            <div className="field">
              <label className="field__label" htmlFor="batch-note">
                {t('printRoom.batchNote')}
              </label>
              <input id="batch-note" maxLength={300} value={note} onChange={(e) => setNote(e.target.value)} />
            </div>
            <div className="actions">
              <button type="submit" className="button button--primary" disabled={busy || !siteId || !count}>
                {t('printRoom.batchCreate')}
              </button>
            </div>
          </form>
        </section>
      )}

      <section className="card stack" aria-labelledby="batches-title">
        <h2 id="batches-title">{t('printRoom.batches')}</h2>
        {batches.error && <ErrorNotice error={batches.error} onRetry={batches.reload} />}
        {batches.data && <BatchList batches={batches.data.items} supervisor={supervisor} onChanged={refresh} />}
      </section>

      <section className="card stack" aria-labelledby="jobs-title">
        <h2 id="jobs-title">{t('printRoom.jobsTitle')}</h2>
        {jobs.error && <ErrorNotice error={jobs.error} onRetry={jobs.reload} />}
        {jobs.data && <JobList jobs={jobs.data.items} supervisor={supervisor} onChanged={refresh} />}
      </section>
    </div>
  );
}
