import { useEffect, useState } from 'react';
import { Area, Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { FUNNEL_STAGES, printHistorySchema, type PrintHistory } from '@tangguh/protocol';
import { contractApi, withQuery } from '../../api.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useSession } from '../../components/Session.tsx';
import { formatDate, formatNumber } from '../../format.ts';
import { usePolling } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { CHART_MARGIN, ChartFigure, shortDate, type ChartFigureProps } from './ChartFigure.tsx';
import '../petugas/print.css';

/*
 * The head's print charts (recharts, loaded only when this page is opened). Each chart is drawn for the
 * eye and hidden from screen readers; the same figures follow it as a sentence and a table.
 */

const REFRESH_MS = 60_000;
const PERIODS = [7, 30, 90] as const;
const STAGE_COLOURS: Record<(typeof FUNNEL_STAGES)[number], string> = {
  recorded: '#8a97a8',
  printReady: '#0b4f8a',
  sent: '#6a3d9a',
  printed: '#d77a00',
  issued: '#146c37',
};

function Figure(props: ChartFigureProps) {
  const { t } = useI18n();
  return <ChartFigure {...props} figuresLabel={t('charts.figures')} />;
}

function StageTable({ rows, keyLabel, caption }: { rows: { key: string; label: string; counts: Record<(typeof FUNNEL_STAGES)[number], number> }[]; keyLabel: string; caption: string }) {
  const { t, lang } = useI18n();
  return (
    <table className="records">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{keyLabel}</th>
          {FUNNEL_STAGES.map((s) => (
            <th key={s} scope="col">
              {t(`charts.stage.${s}` as MessageKey)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{row.label}</th>
            {FUNNEL_STAGES.map((s) => (
              <td key={s} data-label={t(`charts.stage.${s}` as MessageKey)}>
                {formatNumber(row.counts[s], lang)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Charts({ history }: { history: PrintHistory }) {
  const { t, lang } = useI18n();
  const stageName = (s: string) => t(`charts.stage.${s}` as MessageKey);
  const number = (v: unknown) => (typeof v === 'number' ? formatNumber(v, lang) : String(v));
  const last = history.backlog.at(-1);
  const backlog = history.backlog.map((d) => ({ ...d, label: shortDate(d.date, lang) }));
  const byDay = history.funnelByDay.map((d) => ({ ...d, label: shortDate(d.date, lang) }));
  const byKec = history.funnelByKecamatan.map((k) => ({ ...k, label: k.kecamatan.name }));
  const stages = FUNNEL_STAGES.map((s) => ({ key: s, name: stageName(s), colour: STAGE_COLOURS[s] }));
  const sentence = (rows: readonly Record<(typeof FUNNEL_STAGES)[number], number>[]) =>
    FUNNEL_STAGES.map((s) => `${formatNumber(rows.reduce((sum, r) => sum + r[s], 0), lang)} ${stageName(s)}`).join(', ');
  const axis = { tick: { fontSize: 12 }, tickFormatter: number, allowDecimals: false } as const;

  return (
    <>
      <Figure
        id="chart-backlog"
        title={t('charts.backlogTitle')}
        summary={last ? t('charts.backlogSummary', { date: formatDate(last.date, lang), waiting: formatNumber(last.waiting, lang), stock: formatNumber(last.stock, lang) }) : t('charts.empty')}
        chart={
          <ComposedChart accessibilityLayer={false} data={backlog} margin={CHART_MARGIN}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" tick={{ fontSize: 12 }} />
            <YAxis {...axis} width={64} />
            <Tooltip formatter={number} />
            <Legend itemSorter={null} />
            <Area type="linear" dataKey="waiting" name={t('charts.waiting')} stroke="#b3261e" fill="#fbe7e6" isAnimationActive={false} />
            <Line type="linear" dataKey="stock" name={t('charts.stockLine')} stroke="#0b4f8a" strokeWidth={2} dot={false} isAnimationActive={false} />
          </ComposedChart>
        }
        table={
          <table className="records">
            <caption className="visually-hidden">{t('charts.backlogTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('charts.col.date')}</th>
                <th scope="col">{t('charts.waiting')}</th>
                <th scope="col">{t('charts.stockLine')}</th>
              </tr>
            </thead>
            <tbody>
              {history.backlog.map((d) => (
                <tr key={d.date}>
                  <th scope="row">{formatDate(d.date, lang)}</th>
                  <td>{formatNumber(d.waiting, lang)}</td>
                  <td>{formatNumber(d.stock, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />
      <Figure
        id="chart-funnel-kecamatan"
        title={t('charts.funnelKecTitle')}
        summary={t('charts.funnelKecSummary', { stages: sentence(history.funnelByKecamatan) })}
        height={Math.max(320, byKec.length * 34 + 80)}
        chart={
          <BarChart accessibilityLayer={false} data={byKec} layout="vertical" margin={CHART_MARGIN}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" {...axis} />
            <YAxis type="category" dataKey="label" width={120} tick={{ fontSize: 12 }} />
            <Tooltip formatter={number} />
            <Legend itemSorter={null} />
            {stages.map((s) => (
              <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.colour} isAnimationActive={false} />
            ))}
          </BarChart>
        }
        table={<StageTable caption={t('charts.funnelKecTitle')} keyLabel={t('charts.col.kecamatan')} rows={history.funnelByKecamatan.map((k) => ({ key: k.kecamatan.code, label: k.kecamatan.name, counts: k }))} />}
      />
      <Figure
        id="chart-funnel-day"
        title={t('charts.funnelDayTitle')}
        summary={t('charts.funnelDaySummary', { n: history.funnelByDay.length, stages: sentence(history.funnelByDay) })}
        chart={
          <LineChart accessibilityLayer={false} data={byDay} margin={CHART_MARGIN}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" tick={{ fontSize: 12 }} />
            <YAxis {...axis} width={56} />
            <Tooltip formatter={number} />
            <Legend itemSorter={null} />
            {stages.map((s) => (
              <Line key={s.key} type="linear" dataKey={s.key} name={s.name} stroke={s.colour} strokeWidth={2} dot={false} isAnimationActive={false} />
            ))}
          </LineChart>
        }
        table={<StageTable caption={t('charts.funnelDayTitle')} keyLabel={t('charts.col.date')} rows={history.funnelByDay.map((d) => ({ key: d.date, label: formatDate(d.date, lang), counts: d }))} />}
      />
    </>
  );
}

/** `/pimpinan/cetak`: backlog against stock over time, and the funnel per kecamatan and per day. */
export default function PrintFunnelPage() {
  const { t } = useI18n();
  const { expire } = useSession();
  const [days, setDays] = useState<number>(30);
  const history = usePolling((signal) => contractApi.get(printHistorySchema, withQuery('/api/print-plan/history', { days }), signal), [days], REFRESH_MS);
  useEffect(() => {
    if (history.error?.status === 401) expire();
  }, [history.error, expire]);
  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('charts.title')}</h1>
      </div>
      <p className="muted">{t('charts.intro')}</p>
      <div className="field">
        <label className="field__label" htmlFor="charts-days">
          {t('charts.days')}
        </label>
        <select id="charts-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
          {PERIODS.map((n) => (
            <option key={n} value={n}>
              {t('charts.daysOption', { n })}
            </option>
          ))}
        </select>
      </div>
      {history.error && <ErrorNotice error={history.error} onRetry={history.reload} />}
      {!history.data && !history.error && (
        <p className="muted" role="status">
          {t('app.loading')}
        </p>
      )}
      {history.data && <Charts history={history.data} />}
    </div>
  );
}
