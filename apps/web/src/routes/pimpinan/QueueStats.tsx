import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { SERVICE_NAMES, type ServiceId } from '@tangguh/domain';
import { QUEUE_PATHS, queueOptionsSchema, queueStatsSchema, type QueueStatRow } from '@tangguh/protocol';
import { contractApi, withQuery } from '../../api.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Field } from '../../components/Field.tsx';
import { useSession } from '../../components/Session.tsx';
import { formatDate, formatNumber, formatPercent } from '../../format.ts';
import { usePolling } from '../../hooks.ts';
import { CHART_MARGIN, ChartFigure, shortDate, type ChartFigureProps } from './ChartFigure.tsx';
import { useQueueStatsText } from './queue-stats-messages.ts';
import { queueSettingsText } from './queue-settings-messages.ts';
import '../petugas/print.css';

/*
 * The queue's statistics (recharts, loaded only when this page is opened): per service per day, waits
 * (median and p90), service times and no-shows, and totals per service; each chart is followed by its
 * figures as a table, and the whole range downloads as CSV from the server.
 */

const route = (key: keyof typeof QUEUE_PATHS) => QUEUE_PATHS[key].split(' ')[1]!;
/** How the tickets of a day or a service ended, stacked in this order and these colours. */
const OUTCOMES = [
  ['served', '#146c37'],
  ['noShow', '#b3261e'],
  ['closedUnserved', '#8a97a8'],
] as const;
const minutes = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

function Figure({ height = 300, ...props }: ChartFigureProps) {
  const { q } = useQueueStatsText();
  return <ChartFigure {...props} height={height} figuresLabel={q('figures')} />;
}

/** Rows of several sites for one service and day add up; medians of different sites cannot, so the busiest site's stands. */
function byDay(rows: QueueStatRow[], service: ServiceId) {
  const days = new Map<string, QueueStatRow>();
  for (const r of rows.filter((x) => x.service === service)) {
    const had = days.get(r.day);
    if (!had) days.set(r.day, { ...r });
    else {
      const busier = r.served > had.served ? r : had;
      days.set(r.day, {
        ...had,
        issued: had.issued + r.issued,
        served: had.served + r.served,
        noShow: had.noShow + r.noShow,
        closedUnserved: had.closedUnserved + r.closedUnserved,
        priority: had.priority + r.priority,
        fromBookings: had.fromBookings + r.fromBookings,
        bookings: had.bookings + r.bookings,
        bookingsCheckedIn: had.bookingsCheckedIn + r.bookingsCheckedIn,
        waitMedianMinutes: busier.waitMedianMinutes,
        waitP90Minutes: busier.waitP90Minutes,
        serviceMedianMinutes: busier.serviceMedianMinutes,
      });
    }
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}

/** `/pimpinan/antrean`: the queue's statistics per service per day, charts and CSV. */
export default function QueueStatsPage() {
  const { q, lang } = useQueueStatsText();
  const { expire, user } = useSession();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [siteId, setSiteId] = useState('');
  const [service, setService] = useState<ServiceId | ''>('');
  const params = { from: from || undefined, to: to || undefined, siteId: siteId || undefined };
  const stats = usePolling((signal) => contractApi.get(queueStatsSchema, withQuery(route('stats'), params), signal), [from, to, siteId]);
  const options = usePolling((signal) => contractApi.get(queueOptionsSchema, route('options'), signal), []);
  useEffect(() => {
    if (stats.error?.status === 401) expire();
  }, [stats.error, expire]);
  useEffect(() => {
    document.title = `${q('title')} — Tangguh`;
  });

  const rows = stats.data?.rows ?? [];
  const services = useMemo(() => [...new Set(rows.map((r) => r.service))], [rows]);
  const shown: ServiceId | undefined = service && services.includes(service) ? service : services[0];
  const days = shown ? byDay(rows, shown).map((r) => ({ ...r, label: shortDate(r.day, lang), waitMedian: minutes(r.waitMedianMinutes), waitP90: minutes(r.waitP90Minutes), serviceMedian: minutes(r.serviceMedianMinutes) })) : [];
  const totals = services.map((s) => {
    const mine = rows.filter((r) => r.service === s);
    const sum = (k: 'issued' | 'served' | 'noShow' | 'closedUnserved') => mine.reduce((n, r) => n + r[k], 0);
    return { service: s, label: SERVICE_NAMES[s][lang], issued: sum('issued'), served: sum('served'), noShow: sum('noShow'), closedUnserved: sum('closedUnserved') };
  });
  const all = totals.reduce((a, t) => ({ issued: a.issued + t.issued, served: a.served + t.served, noShow: a.noShow + t.noShow }), { issued: 0, served: 0, noShow: 0 });
  const number = (v: unknown) => (typeof v === 'number' ? formatNumber(v, lang) : String(v ?? '—'));
  const lastDay = days.at(-1);
  const csvHref = withQuery(route('statsCsv'), { from: stats.data?.from, to: stats.data?.to, siteId: siteId || undefined });

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{q('title')}</h1>
        {(user.role === 'supervisor' || user.role === 'admin') && (
          <Link className="button button--secondary" to="/pimpinan/antrean/pengaturan">
            {queueSettingsText(lang, 'nav')}
          </Link>
        )}
      </div>
      <p className="muted">{q('intro')}</p>
      <div className="queue-stats__filters" style={{ display: 'flex', flexWrap: 'wrap', gap: '0.75rem', alignItems: 'flex-end' }}>
        <Field id="qs-from" label={q('from')}>
          {(control) => <input {...control} type="date" value={from || stats.data?.from || ''} onChange={(e) => setFrom(e.target.value)} />}
        </Field>
        <Field id="qs-to" label={q('to')}>
          {(control) => <input {...control} type="date" value={to || stats.data?.to || ''} onChange={(e) => setTo(e.target.value)} />}
        </Field>
        <Field id="qs-site" label={q('site')}>
          {(control) => (
            <select {...control} value={siteId} onChange={(e) => setSiteId(e.target.value)}>
              <option value="">{q('allSites')}</option>
              {options.data?.sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="qs-service" label={q('service')}>
          {(control) => (
            <select {...control} value={shown ?? ''} onChange={(e) => setService(e.target.value as ServiceId)} disabled={services.length === 0}>
              {services.map((s) => (
                <option key={s} value={s}>
                  {SERVICE_NAMES[s][lang]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <a className="button button--secondary" href={csvHref} download data-testid="queue-stats-csv">
          {q('csv')}
        </a>
      </div>
      {stats.error && <ErrorNotice error={stats.error} onRetry={stats.reload} />}
      {!stats.data && !stats.error && <p className="muted">{q('loading')}</p>}
      {stats.data && rows.length === 0 && <p className="notice notice--info">{q('empty')}</p>}
      {stats.data && shown && (
        <>
          <Figure
            id="queue-chart-totals"
            title={q('totalsTitle', { from: formatDate(stats.data.from, lang), to: formatDate(stats.data.to, lang) })}
            summary={q('totalsSummary', { issued: formatNumber(all.issued, lang), served: formatNumber(all.served, lang), noShow: formatNumber(all.noShow, lang), rate: all.issued ? formatPercent(all.noShow / all.issued, lang) : '—' })}
            height={Math.max(260, totals.length * 40 + 80)}
            chart={
              <BarChart accessibilityLayer={false} data={totals} layout="vertical" margin={CHART_MARGIN}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12 }} />
                <YAxis type="category" dataKey="label" width={150} tick={{ fontSize: 12 }} />
                <Tooltip formatter={number} />
                <Legend />
                {OUTCOMES.map(([key, fill]) => (
                  <Bar key={key} dataKey={key} name={q(key)} stackId="a" fill={fill} isAnimationActive={false} />
                ))}
              </BarChart>
            }
            table={
              <table className="records">
                <thead>
                  <tr>
                    <th scope="col">{q('service')}</th>
                    <th scope="col">{q('issued')}</th>
                    <th scope="col">{q('served')}</th>
                    <th scope="col">{q('noShow')}</th>
                    <th scope="col">{q('closedUnserved')}</th>
                  </tr>
                </thead>
                <tbody>
                  {totals.map((t) => (
                    <tr key={t.service}>
                      <th scope="row">{t.label}</th>
                      <td>{formatNumber(t.issued, lang)}</td>
                      <td>{formatNumber(t.served, lang)}</td>
                      <td>{formatNumber(t.noShow, lang)}</td>
                      <td>{formatNumber(t.closedUnserved, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            }
          />
          <Figure
            id="queue-chart-waits"
            title={q('waitTitle', { service: SERVICE_NAMES[shown][lang] })}
            summary={lastDay ? q('waitSummary', { wait: number(lastDay.waitMedian), service: number(lastDay.serviceMedian) }) : undefined}
            chart={
              <LineChart accessibilityLayer={false} data={days} margin={CHART_MARGIN}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="label" tick={{ fontSize: 12 }} />
                <YAxis tick={{ fontSize: 12 }} width={48} />
                <Tooltip formatter={number} />
                <Legend />
                <Line type="linear" dataKey="waitMedian" name={q('waitMedian')} stroke="#0b4f8a" strokeWidth={2} connectNulls isAnimationActive={false} />
                <Line type="linear" dataKey="waitP90" name={q('waitP90')} stroke="#d77a00" strokeWidth={2} strokeDasharray="6 3" connectNulls isAnimationActive={false} />
                <Line type="linear" dataKey="serviceMedian" name={q('serviceMedian')} stroke="#146c37" strokeWidth={2} connectNulls isAnimationActive={false} />
              </LineChart>
            }
            table={<DayTable rows={days} />}
          />
          <Figure
            id="queue-chart-outcomes"
            title={q('outcomeTitle', { service: SERVICE_NAMES[shown][lang] })}
            chart={
              <BarChart accessibilityLayer={false} data={days} margin={CHART_MARGIN}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="label" tick={{ fontSize: 12 }} />
                <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={48} />
                <Tooltip formatter={number} />
                <Legend />
                {OUTCOMES.map(([key, fill]) => (
                  <Bar key={key} dataKey={key} name={q(key)} stackId="a" fill={fill} isAnimationActive={false} />
                ))}
              </BarChart>
            }
            table={<DayTable rows={days} />}
          />
        </>
      )}
    </div>
  );
}

function DayTable({ rows }: { rows: (QueueStatRow & { waitMedian: number | null; waitP90: number | null; serviceMedian: number | null })[] }) {
  const { q, lang } = useQueueStatsText();
  const n = (v: number | null) => (v === null ? '—' : formatNumber(v, lang));
  return (
    <table className="records">
      <thead>
        <tr>
          <th scope="col">{q('day')}</th>
          <th scope="col">{q('issued')}</th>
          <th scope="col">{q('served')}</th>
          <th scope="col">{q('noShow')}</th>
          <th scope="col">{q('closedUnserved')}</th>
          <th scope="col">{q('priority')}</th>
          <th scope="col">{q('bookings')}</th>
          <th scope="col">{q('bookingsCheckedIn')}</th>
          <th scope="col">{q('waitMedian')}</th>
          <th scope="col">{q('waitP90')}</th>
          <th scope="col">{q('serviceMedian')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.day}>
            <th scope="row">{formatDate(r.day, lang)}</th>
            <td>{n(r.issued)}</td>
            <td>{n(r.served)}</td>
            <td>{n(r.noShow)}</td>
            <td>{n(r.closedUnserved)}</td>
            <td>{n(r.priority)}</td>
            <td>{n(r.bookings)}</td>
            <td>{n(r.bookingsCheckedIn)}</td>
            <td>{n(r.waitMedian)}</td>
            <td>{n(r.waitP90)}</td>
            <td>{n(r.serviceMedian)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
