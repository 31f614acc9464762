import { useState, type FormEvent, type ReactNode } from 'react';
import { NavLink, useSearchParams } from 'react-router';
import { reconciliationReportSchema, type ReconciliationReport } from '@tangguh/protocol';
import { contractApi, withQuery } from '../../api.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDateTime, formatNumber } from '../../format.ts';
import { usePolling } from '../../hooks.ts';
import { reconNavLabel, useReconText } from './reconciliation-messages.ts';

const ROWS_ON_SCREEN = 200;

const two = (n: number) => String(n).padStart(2, '0');
/** A `datetime-local` value in this browser's time (the office's, on an office machine). */
const localInput = (date: Date) => `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:${two(date.getMinutes())}`;
const fromInput = (value: string) => {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

/**
 * `/pimpinan/rekonsiliasi?from&to`: the reconciliation report after an outage, for the head of office. The
 * window comes from the address (so an incident's page can link to its own window), by default the last 24 hours.
 */
export default function ReconciliationPage() {
  const { r, lang } = useReconText();
  const [params, setParams] = useSearchParams();
  const [defaults] = useState(() => ({ from: new Date(Date.now() - 24 * 3600_000).toISOString(), to: new Date().toISOString() }));
  const incidentId = params.get('incident') ?? undefined;
  const from = params.get('from') ?? defaults.from;
  const to = params.get('to') ?? defaults.to;
  const query = incidentId ? { incidentId } : { from, to };
  const [draft, setDraft] = useState({ from: localInput(new Date(from)), to: localInput(new Date(to)) });
  const report = usePolling((signal) => contractApi.get(reconciliationReportSchema, withQuery('/api/reconciliation', query), signal), [incidentId, from, to]);

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = fromInput(draft.from);
    const t = fromInput(draft.to);
    if (f && t) setParams({ from: f, to: t });
  }
  function lastHours(hours: number) {
    const end = new Date();
    const start = new Date(end.getTime() - hours * 3600_000);
    setDraft({ from: localInput(start), to: localInput(end) });
    setParams({ from: start.toISOString(), to: end.toISOString() });
  }

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{r('title')}</h1>
        <a className="button button--secondary" href={withQuery('/api/reconciliation/pdf', query)} download data-testid="recon-pdf">
          {r('pdf')}
        </a>
      </div>
      <p className="muted">{r('intro')}</p>
      <section className="card">
        <form className="filters" onSubmit={apply}>
          <div className="field">
            <label className="field__label" htmlFor="recon-from">
              {r('from')}
            </label>
            <input id="recon-from" type="datetime-local" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
          </div>
          <div className="field">
            <label className="field__label" htmlFor="recon-to">
              {r('to')}
            </label>
            <input id="recon-to" type="datetime-local" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
          </div>
          <button type="submit" className="button button--primary">
            {r('show')}
          </button>
          {[6, 24, 72].map((hours) => (
            <button key={hours} type="button" className="button button--ghost" onClick={() => lastHours(hours)}>
              {r('lastHours', { n: hours })}
            </button>
          ))}
        </form>
      </section>
      {report.error && <ErrorNotice error={report.error} onRetry={report.reload} />}
      {report.loading && (
        <p className="muted" role="status">
          {r('loading')}
        </p>
      )}
      {report.data && !report.loading && <ReportView report={report.data} lang={lang} onIncident={(id) => setParams({ incident: id })} />}
    </div>
  );
}

function ReportView({ report, lang, onIncident }: { report: ReconciliationReport; lang: 'id' | 'en'; onIncident: (id: string) => void }) {
  const { r } = useReconText();
  const when = (iso: string | null) => (iso ? formatDateTime(iso, lang, report.timeZone) : '—');
  const n = (value: number) => formatNumber(value, lang);
  const t = report.totals;
  const centre = r(`centre.${report.centre.state}`, { applied: report.centre.appliedSeq ?? '—', acked: report.officeAckedSeq, error: report.centre.error ?? '—' });
  return (
    <>
      {report.incident && (
        <section className="card" data-testid="recon-incident">
          <h2>{report.incident.title[lang]}</h2>
          <p>
            {r('incident.window', { opened: when(report.incident.openedAt), resolved: report.incident.resolvedAt ? when(report.incident.resolvedAt) : r('incident.open'), n: n(report.incident.affectedCount) })}
          </p>
        </section>
      )}
      {!report.incident && (
        <p className="muted">
          {r('window', { from: when(report.window.from), to: when(report.window.to) })}
        </p>
      )}
      {report.incidents.length > 0 && (
        <section className="card" aria-labelledby="recon-incidents">
          <h2 id="recon-incidents">{r('incidents')}</h2>
          <ul>
            {report.incidents.map((i) => (
              <li key={i.id}>
                {i.title[lang]} · {when(i.openedAt)} – {i.resolvedAt ? when(i.resolvedAt) : r('incident.open')}{' '}
                {i.id !== report.incident?.id && (
                  <button type="button" className="button button--ghost button--small" onClick={() => onIncident(i.id)}>
                    {r('incident.report')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      <p className={`notice ${report.centre.state === 'ANSWERED' ? 'notice--info' : 'notice--warning'}`} data-testid="recon-centre">
        {centre} {report.centre.truncated && r('truncated')}
      </p>
      <section className="card">
        <dl className="facts" data-testid="recon-totals">
          <div>
            <dt>{r('totals.recordings')}</dt>
            <dd>
              {n(t.recordings)} · {r('totals.reached')} {n(t.reachedCentre)}
            </dd>
          </div>
          <div>
            <dt>{r('totals.sukets')}</dt>
            <dd>{n(t.sukets)}</dd>
          </div>
          <div>
            <dt>{r('totals.documents')}</dt>
            <dd>
              {n(t.documentsWaited)} · {r('totals.signed')} {n(t.documentsSigned)}
            </dd>
          </div>
          <div>
            <dt>{r('totals.prints')}</dt>
            <dd>
              {n(t.printsDelayed)} · {r('printJobs')} {n(t.printJobs)}
            </dd>
          </div>
          <div>
            <dt>{r('totals.notified')}</dt>
            <dd>
              {report.notifications.available
                ? r('totals.notifiedCounts', { sent: n(report.notifications.sent ?? 0), failed: n(report.notifications.failed ?? 0), pending: n(report.notifications.pending ?? 0) })
                : r('totals.notifiedNone')}
              {report.notifications.incident && (
                <span className="muted small">
                  {' · '}
                  {r('totals.notifiedIncident', { sent: n(report.notifications.incident.sent), failed: n(report.notifications.incident.failed), pending: n(report.notifications.incident.pending) })}
                </span>
              )}
            </dd>
          </div>
          <div>
            <dt>{r('totals.mismatches')}</dt>
            <dd data-testid="recon-mismatch-count">
              <strong>{n(t.mismatches)}</strong>
            </dd>
          </div>
        </dl>
      </section>

      <section className="card" aria-labelledby="recon-mismatches">
        <h2 id="recon-mismatches">{r('mismatches')}</h2>
        {report.mismatches.length === 0 ? (
          <p className="notice notice--success">{r('noMismatch')}</p>
        ) : (
          <Table
            testId="recon-mismatch-table"
            head={[r('col.kind'), r('col.subject'), r('col.office'), r('col.centre'), r('col.detail')]}
            rows={report.mismatches.map((m) => [r(`kind.${m.kind}`), <span className="mono">{m.subject}</span>, m.office ?? '—', m.centre ?? '—', <span className="small muted">{m.detail[lang]}</span>])}
          />
        )}
      </section>

      <Listing title={r('recordings')} count={report.recordings.length}>
        <Table
          head={[r('col.number'), r('col.site'), r('col.recordedAt'), r('col.office'), r('col.seq'), r('col.centre'), r('col.reached')]}
          rows={report.recordings.map((x) => [<span className="mono">{x.registrationNumber}</span>, x.siteName, when(x.recordedAt), x.officeStatus, `${x.outboxSeq ?? '—'}${x.acknowledged ? '' : ` (${r('notSent')})`}`, x.centreStatus ?? '—', when(x.receivedAtCentre)])}
        />
      </Listing>
      <Listing title={r('sukets')} count={report.sukets.length}>
        <Table
          head={[r('col.serial'), r('col.issuedAt'), r('col.office'), r('col.logged')]}
          rows={report.sukets.map((s) => [<span className="mono">{s.serial}</span>, when(s.issuedAt), s.status, s.loggedAtCentre === null ? (s.acknowledged ? r('yes') : r('notSent')) : s.loggedAtCentre ? r('yes') : r('no')])}
        />
      </Listing>
      <Listing title={r('documents')} count={report.documents.length}>
        <Table
          head={[r('col.serial'), r('col.createdAt'), r('col.office'), r('col.signedAt'), r('col.waited')]}
          rows={report.documents.map((d) => [<span className="mono">{d.serial}</span>, when(d.createdAt), d.status, when(d.signedAt), n(d.waitedMinutes)])}
        />
      </Listing>
      <Listing title={r('printJobs')} count={report.printJobs.length}>
        <Table
          head={[r('col.number'), r('col.site'), r('col.state'), r('col.createdAt'), r('col.printedAt'), r('col.detail')]}
          rows={report.printJobs.map((j) => [<span className="mono">{j.registrationNumber ?? j.jobId}</span>, j.siteId, j.state, when(j.createdAt), when(j.printedAt), j.problem ? j.problem[lang] : '—'])}
        />
      </Listing>
      <Listing title={r('prints')} count={report.prints.length}>
        <Table
          head={[r('col.number'), r('col.readyAt'), r('col.printedAt'), r('col.office')]}
          rows={report.prints.map((p) => [<span className="mono">{p.registrationNumber}</span>, when(p.printReadyAt), when(p.printedAt), p.status])}
        />
      </Listing>
    </>
  );
}

function Listing({ title, count, children }: { title: string; count: number; children: ReactNode }) {
  const { r } = useReconText();
  return (
    <section className="card">
      <h2>
        {title} <span className="muted">({count})</span>
      </h2>
      {count === 0 ? <p className="empty">{r('empty')}</p> : children}
    </section>
  );
}

function Table({ head, rows, testId }: { head: string[]; rows: ReactNode[][]; testId?: string }) {
  const { r } = useReconText();
  return (
    <div className="table-wrap">
      <table className="records" data-testid={testId}>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, ROWS_ON_SCREEN).map((cells, i) => (
            <tr key={i}>
              {cells.map((cell, j) => (
                <td key={j} data-label={head[j]}>
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > ROWS_ON_SCREEN && <p className="muted small">{r('more', { n: rows.length - ROWS_ON_SCREEN })}</p>}
    </div>
  );
}

/** The head's nav entry for this page. */
export function ReconciliationNavLink() {
  const { lang } = useReconText();
  return <NavLink to="/pimpinan/rekonsiliasi">{reconNavLabel(lang)}</NavLink>;
}
