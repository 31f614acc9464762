import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { headlineSchema, PRINT_QUEUE_CLASSES, printQueueResponseSchema, type PrintHeadline } from '@tangguh/protocol';
import { contractApi, withQuery } from '../../api.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useSession } from '../../components/Session.tsx';
import { formatDate, formatDateTime, formatNumber } from '../../format.ts';
import { useDebounced, usePolling } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { BlankRequestSection } from './forecast-request.tsx';
import { HolidayCalendar } from './forecast-holidays.tsx';
import './print.css';

const REFRESH_MS = 30_000;
const PAGE_SIZE = 25;

function wholeOrUndefined(text: string): number | undefined {
  const digits = text.replace(/[.,\s]/g, '');
  return /^\d{1,8}$/.test(digits) ? Number(digits) : undefined;
}

/** The headline in big type and the what-if: how many working days with N more blanks. */
function Headline() {
  const { t, lang } = useI18n();
  const [extraText, setExtraText] = useState('');
  const extra = useDebounced(wholeOrUndefined(extraText), 300);
  const headline = usePolling((signal) => contractApi.get(headlineSchema, withQuery('/api/print-plan/headline', { extraBlanks: extra }), signal), [extra], REFRESH_MS);
  const data: PrintHeadline | undefined = headline.data;
  // The first answer carries the office's suggestion (what the queue lacks): the field starts there.
  useEffect(() => {
    if (extraText === '' && data) setExtraText(String(data.extraBlanks));
  }, [data, extraText]);
  const max = Math.max(10_000, Math.ceil(((data?.waiting ?? 0) * 1.5) / 1000) * 1000, wholeOrUndefined(extraText) ?? 0);
  const days = (d: number | null | undefined) => (d === null || d === undefined ? t('forecast.beyond') : formatNumber(d, lang));
  const stale = extra !== undefined && data !== undefined && data.extraBlanks !== extra;

  return (
    <section className="card stack" aria-labelledby="forecast-headline-title">
      <h2 id="forecast-headline-title">{t('forecast.headlineTitle')}</h2>
      {headline.error && <ErrorNotice error={headline.error} onRetry={headline.reload} />}
      {!data && !headline.error && <p className="muted">{t('app.loading')}</p>}
      {data && (
        <>
          <p className="headline" data-testid="forecast-headline" aria-live="polite" aria-busy={stale}>
            {data.text[lang]}
          </p>
          <dl className="facts">
            <div>
              <dt>{t('forecast.waiting')}</dt>
              <dd className="big-number">{formatNumber(data.waiting, lang)}</dd>
            </div>
            <div>
              <dt>{t('forecast.stock')}</dt>
              <dd className="big-number">{formatNumber(data.stock, lang)}</dd>
            </div>
            <div>
              <dt>{t('forecast.printers')}</dt>
              <dd className="big-number">{formatNumber(data.printers, lang)}</dd>
            </div>
            <div>
              <dt>{t('forecast.days')}</dt>
              <dd className="big-number" data-testid="days-to-clear">
                {days(data.workingDaysToClear)}
              </dd>
            </div>
            <div>
              <dt>{t('forecast.daysWithExtra')}</dt>
              <dd className="big-number" data-testid="days-with-extra">
                {days(data.workingDaysWithExtra)}
              </dd>
            </div>
            <div>
              <dt>{t('forecast.overdue')}</dt>
              <dd className={`big-number${data.overdue > 0 ? ' text-danger' : ''}`}>{formatNumber(data.overdue, lang)}</dd>
            </div>
            <div>
              <dt>{t('forecast.willExceed')}</dt>
              <dd className="big-number">{formatNumber(data.willExceed, lang)}</dd>
            </div>
            <div className="facts__wide">
              <dt>{t('forecast.expected')}</dt>
              <dd>
                {data.expectedDeliveries.length === 0
                  ? t('forecast.noExpected')
                  : data.expectedDeliveries.map((d) => t('forecast.expectedItem', { n: formatNumber(d.quantity, lang), from: formatDate(d.earliest, lang), to: formatDate(d.latest, lang) })).join('; ')}
              </dd>
            </div>
          </dl>
          <fieldset className="stack">
            <legend>{t('forecast.whatIf')}</legend>
            <div className="whatif">
              <input
                type="range"
                min={0}
                max={max}
                step={100}
                value={wholeOrUndefined(extraText) ?? 0}
                onChange={(e) => setExtraText(e.target.value)}
                aria-label={t('forecast.extra')}
                aria-valuetext={t('publicStock.blanks', { n: formatNumber(wholeOrUndefined(extraText) ?? 0, lang) })}
              />
              <div className="field">
                <label className="field__label" htmlFor="forecast-extra">
                  {t('forecast.extra')}
                </label>
                <input id="forecast-extra" inputMode="numeric" value={extraText} onChange={(e) => setExtraText(e.target.value)} aria-describedby="forecast-extra-hint" />
              </div>
            </div>
            <p className="field__hint" id="forecast-extra-hint">
              {stale ? t('forecast.computing') : t('forecast.extraHint')}
            </p>
          </fieldset>
          <p className="small muted">{t('forecast.computedAt', { time: formatDateTime(data.computedAt, lang) })}</p>
        </>
      )}
    </section>
  );
}

type QueueFilter = '' | 'any' | 'overdue';

/** The queue, a page at a time: each record's place, why it stands there, its estimated print range and legal flag. */
function Queue() {
  const { t, lang } = useI18n();
  const [page, setPage] = useState(1);
  const [flag, setFlag] = useState<QueueFilter>('');
  const [priorityClass, setPriorityClass] = useState('');
  const queue = usePolling(
    (signal) => contractApi.get(printQueueResponseSchema, withQuery('/api/print-plan/queue', { page, pageSize: PAGE_SIZE, flag: flag || undefined, priorityClass: priorityClass || undefined }), signal),
    [page, flag, priorityClass],
    REFRESH_MS,
  );
  const pages = Math.max(1, Math.ceil((queue.data?.matching ?? 0) / PAGE_SIZE));
  return (
    <section className="card stack" aria-labelledby="queue-title">
      <h2 id="queue-title">{t('queue.title')}</h2>
      <div className="filters">
        <div className="field">
          <label className="field__label" htmlFor="queue-class">
            {t('queue.class')}
          </label>
          <select
            id="queue-class"
            value={priorityClass}
            onChange={(e) => {
              setPriorityClass(e.target.value);
              setPage(1);
            }}
          >
            <option value="">{t('queue.class.all')}</option>
            {PRINT_QUEUE_CLASSES.map((c) => (
              <option key={c} value={c}>
                {t(`queue.class.${c}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field__label" htmlFor="queue-flag">
            {t('queue.filter')}
          </label>
          <select
            id="queue-flag"
            value={flag}
            onChange={(e) => {
              setFlag(e.target.value as QueueFilter);
              setPage(1);
            }}
          >
            <option value="">{t('queue.filter.all')}</option>
            <option value="any">{t('queue.filter.any')}</option>
            <option value="overdue">{t('queue.filter.overdue')}</option>
          </select>
        </div>
      </div>
      {queue.error && <ErrorNotice error={queue.error} onRetry={queue.reload} />}
      {!queue.data && !queue.error && <p className="muted">{t('app.loading')}</p>}
      {queue.data && queue.data.items.length === 0 && <p className="empty">{t(flag || priorityClass ? 'queue.emptyFiltered' : 'queue.empty')}</p>}
      {queue.data && queue.data.items.length > 0 && (
        <>
          <p className="muted small">{t('queue.count', { n: formatNumber(queue.data.matching, lang) })}</p>
          <div className="table-wrap">
            <table className="records" data-testid="print-queue">
              <caption className="visually-hidden">{t('queue.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('queue.col.position')}</th>
                  <th scope="col">{t('queue.col.record')}</th>
                  <th scope="col">{t('queue.col.reason')}</th>
                  <th scope="col">{t('queue.col.estimate')}</th>
                  <th scope="col">{t('queue.col.deadline')}</th>
                </tr>
              </thead>
              <tbody>
                {queue.data.items.map((item) => (
                  <tr key={item.recordId} className={item.flag === 'overdue' ? 'overdue' : undefined} data-flag={item.flag ?? ''}>
                    <td data-label={t('queue.col.position')} className="mono">
                      {formatNumber(item.parts.position, lang)} / {formatNumber(item.parts.total, lang)}
                    </td>
                    <td data-label={t('queue.col.record')}>
                      <Link to={`/petugas/rekaman/${item.recordId}`} className="mono">
                        {item.recordId.slice(0, 8)}
                      </Link>
                      <div className="small muted">{item.parts.kecamatan.name}</div>
                    </td>
                    <td data-label={t('queue.col.reason')}>{item.explanation[lang]}</td>
                    <td data-label={t('queue.col.estimate')}>{item.estimate[lang]}</td>
                    <td data-label={t('queue.col.deadline')}>
                      {formatDate(item.legalDeadline, lang)} {item.flag && <span className={`flag flag--${item.flag}`}>{t(`queue.flag.${item.flag}` as MessageKey)}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="actions">
            <button type="button" className="button button--secondary button--small" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>
              {t('queue.prev')}
            </button>
            <span className="small">{t('queue.page', { page, pages })}</span>
            <button type="button" className="button button--secondary button--small" disabled={page >= pages} onClick={() => setPage((p) => p + 1)}>
              {t('queue.next')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}

/** `/petugas/perkiraan`: the headline with its what-if, the explained queue, the holiday calendar and the blank request. */
export default function ForecastPage() {
  const { t } = useI18n();
  const { user } = useSession();
  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('forecast.title')}</h1>
      </div>
      <p className="muted">{t('forecast.intro')}</p>
      <Headline />
      <BlankRequestSection role={user.role} />
      <Queue />
      <HolidayCalendar isAdmin={user.role === 'admin'} />
    </div>
  );
}
