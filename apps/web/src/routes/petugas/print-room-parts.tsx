import { useState } from 'react';
import { SPOILAGE_REASONS, printBatchSchema, printJobSchema, spoilageResponseSchema, type PrintBatchView, type PrintJobView } from '@tangguh/protocol';
import { contractApi, toApiError, type ApiError } from '../../api.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDateTime, formatNumber } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';

/** Runs one action of a list row, showing its refusal (in the reader's language) until the next one. */
function useAction(onDone: () => void) {
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const run = async (key: string, action: () => Promise<unknown>) => {
    setBusy(key);
    setError(undefined);
    try {
      await action();
      onDone();
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(undefined);
    }
  };
  return { busy, error, run };
}

/** The batches with live progress (printed of total, the rest by state) and their problems, with the supervisor's controls. */
export function BatchList({ batches, supervisor, onChanged }: { batches: PrintBatchView[]; supervisor: boolean; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const { busy, error, run } = useAction(onChanged);
  if (batches.length === 0) return <p className="muted">{t('printRoom.batchesEmpty')}</p>;
  const act = (batch: PrintBatchView, verb: 'jeda' | 'lanjut' | 'batal') => run(`${batch.id}-${verb}`, () => contractApi.post(printBatchSchema, `/api/cetak/batch/${batch.id}/${verb}`));
  return (
    <div className="stack">
      {error && <ErrorNotice error={error} />}
      <ul className="stack" aria-label={t('printRoom.batches')}>
        {batches.map((batch) => {
          const p = batch.progress;
          const open = batch.state === 'scheduled' || batch.state === 'running' || batch.state === 'paused';
          return (
            <li key={batch.id} className="card stack" data-batch={batch.id}>
              <p>
                <strong>{t(`printRoom.batch.${batch.state}` as MessageKey)}</strong> · {formatDateTime(batch.createdAt, lang)} · {batch.createdBy}
                {batch.startAt && batch.state === 'scheduled' && <> · {t('printRoom.startsAt', { time: formatDateTime(batch.startAt, lang) })}</>}
                {batch.note && <> · {batch.note}</>}
              </p>
              <p className="batch-progress">{t('printRoom.progress', { done: formatNumber(p.printed, lang), total: formatNumber(p.total, lang) })}</p>
              <span className="meter" role="progressbar" aria-valuemin={0} aria-valuemax={p.total} aria-valuenow={p.printed} aria-label={t('printRoom.progress', { done: p.printed, total: p.total })}>
                <span className="meter__fill" style={{ width: `${p.total > 0 ? Math.min(100, (p.printed / p.total) * 100) : 0}%` }} />
              </span>
              <p className="muted small">
                {t('printRoom.progressDetail', { waiting: p.waitingPackage, queued: p.queued, printing: p.printing + p.uncertain, spoiled: p.spoiled, failed: p.failed, cancelled: p.cancelled })}
              </p>
              {batch.problems.length > 0 && (
                <details>
                  <summary>
                    {t('printRoom.problems')} ({batch.problems.length})
                  </summary>
                  <ul className="small">
                    {batch.problems.map((problem) => (
                      <li key={problem.jobId}>
                        {t(`printRoom.job.${problem.state}` as MessageKey)}: {problem.problem[lang]}
                      </li>
                    ))}
                  </ul>
                </details>
              )}
              {supervisor && open && (
                <div className="actions">
                  {batch.state === 'paused' ? (
                    <button type="button" className="button button--secondary" disabled={busy !== undefined} onClick={() => void act(batch, 'lanjut')}>
                      {t('printRoom.resume')}
                    </button>
                  ) : (
                    <button type="button" className="button button--secondary" disabled={busy !== undefined} onClick={() => void act(batch, 'jeda')}>
                      {t('printRoom.pause')}
                    </button>
                  )}
                  <button type="button" className="button button--ghost" disabled={busy !== undefined} onClick={() => void act(batch, 'batal')}>
                    {t('printRoom.cancelBatch')}
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** Recent jobs: state, resident, blank, problem; a supervisor cancels, confirms an interrupted print, or reports a card spoiled. */
export function JobList({ jobs, supervisor, onChanged }: { jobs: PrintJobView[]; supervisor: boolean; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const [reason, setReason] = useState<(typeof SPOILAGE_REASONS)[number]>('misprint');
  const [notice, setNotice] = useState<string>();
  const { busy, error, run } = useAction(onChanged);
  if (jobs.length === 0) return <p className="muted">{t('printRoom.jobsEmpty')}</p>;
  return (
    <div className="stack">
      {error && <ErrorNotice error={error} />}
      {notice && (
        <div className="notice notice--success" role="status">
          <p className="notice__title">{notice}</p>
        </div>
      )}
      {supervisor && (
        <div className="field">
          <label className="field__label" htmlFor="spoil-reason">
            {t('printRoom.spoilReason')}
          </label>
          <select id="spoil-reason" value={reason} onChange={(e) => setReason(e.target.value as typeof reason)}>
            {SPOILAGE_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`stock.reason.${r}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>{t('printRoom.col.state')}</th>
              <th>{t('printRoom.col.name')}</th>
              <th>{t('printRoom.col.blank')}</th>
              <th>{t('printRoom.printer')}</th>
              <th>{t('printRoom.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => (
              <tr key={job.id} data-job={job.id} data-state={job.state}>
                <td>
                  {t(`printRoom.job.${job.state}` as MessageKey)}
                  {job.card === 'REPLACEMENT' && <span className="muted small"> ({t('printRoom.replacement')})</span>}
                  {job.problem && <div className="small muted">{job.problem[lang]}</div>}
                </td>
                <td>
                  {job.name ?? job.recordId ?? job.requestId}
                  {job.nik && <div className="small mono">{job.nik}</div>}
                </td>
                <td className="mono">{job.blankSerial ?? '—'}</td>
                <td>{job.printerId ?? '—'}</td>
                <td>
                  {supervisor && (job.state === 'queued' || job.state === 'waiting_package') && (
                    <button type="button" className="button button--ghost" disabled={busy !== undefined} onClick={() => void run(job.id, () => contractApi.post(printJobSchema, `/api/cetak/pekerjaan/${job.id}/batal`))}>
                      {t('printRoom.cancelJob')}
                    </button>
                  )}
                  {supervisor && job.state === 'uncertain' && (
                    <button type="button" className="button button--secondary" disabled={busy !== undefined} onClick={() => void run(job.id, () => contractApi.post(printJobSchema, `/api/cetak/pekerjaan/${job.id}/konfirmasi`))}>
                      {t('printRoom.confirm')}
                    </button>
                  )}
                  {supervisor && (job.state === 'printed' || job.state === 'uncertain') && (
                    <button
                      type="button"
                      className="button button--ghost"
                      disabled={busy !== undefined}
                      onClick={() =>
                        void run(job.id, async () => {
                          await contractApi.post(spoilageResponseSchema, `/api/cetak/pekerjaan/${job.id}/rusak`, { reason });
                          setNotice(t('printRoom.spoiled'));
                        })
                      }
                    >
                      {t('printRoom.spoil')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
