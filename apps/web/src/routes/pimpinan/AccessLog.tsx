import { useState, type FormEvent } from 'react';
import { accessLogResponseSchema, type AccessLogEntry } from '@tangguh/protocol';
import { contractApi, withQuery } from '../../api.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDateTime, formatNumber } from '../../format.ts';
import { usePolling } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';

const MAX = 200;
const REFRESH_MS = 10_000;

interface Filters {
  nik: string;
  username: string;
  day: string;
}
const NO_FILTERS: Filters = { nik: '', username: '', day: '' };

/** Who read whose data, for the head of office and admins (GET /api/access-log). */
export default function AccessLogPage() {
  const { t, lang } = useI18n();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const log = usePolling(
    (signal) => contractApi.get(accessLogResponseSchema, withQuery('/api/access-log', { nik: filters.nik || undefined, username: filters.username || undefined, day: filters.day || undefined, limit: MAX }), signal),
    [filters.nik, filters.username, filters.day],
    REFRESH_MS,
  );

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFilters({ nik: draft.nik.trim(), username: draft.username.trim(), day: draft.day });
  }
  const field = (key: keyof Filters, label: MessageKey, type: 'search' | 'date', extra: { inputMode?: 'numeric'; maxLength?: number } = {}) => (
    <div className="field">
      <label className="field__label" htmlFor={`access-${key}`}>
        {t(label)}
      </label>
      <input id={`access-${key}`} type={type} value={draft[key]} onChange={(event) => setDraft({ ...draft, [key]: event.target.value })} {...extra} />
    </div>
  );

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('access.title')}</h1>
      </div>
      <p className="muted">{t('access.intro')}</p>
      <section className="card">
        <form className="filters" role="search" onSubmit={apply}>
          {field('nik', 'access.nik', 'search', { inputMode: 'numeric', maxLength: 16 })}
          {field('username', 'access.username', 'search', { maxLength: 64 })}
          {field('day', 'access.day', 'date')}
          <button type="submit" className="button button--secondary">
            {t('access.filter')}
          </button>
          <button
            type="button"
            className="button button--ghost"
            onClick={() => {
              setDraft(NO_FILTERS);
              setFilters(NO_FILTERS);
            }}
          >
            {t('access.clear')}
          </button>
        </form>
        {log.error && <ErrorNotice error={log.error} onRetry={log.reload} />}
        {!log.data && !log.error && <p className="muted">{t('app.loading')}</p>}
        {log.data && log.data.items.length === 0 && <p className="empty">{t('access.empty')}</p>}
        {log.data && log.data.items.length > 0 && (
          <>
            <p className="muted">{t('access.count', { n: formatNumber(log.data.items.length, lang), max: MAX })}</p>
            <AccessTable items={log.data.items} />
          </>
        )}
      </section>
    </div>
  );
}

function AccessTable({ items }: { items: AccessLogEntry[] }) {
  const { t, lang } = useI18n();
  return (
    <div className="table-wrap">
      <table className="records">
        <caption className="visually-hidden">{t('access.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('access.col.at')}</th>
            <th scope="col">{t('access.col.who')}</th>
            <th scope="col">{t('access.col.what')}</th>
            <th scope="col">{t('access.col.resident')}</th>
            <th scope="col">{t('access.col.screen')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((entry) => (
            <tr key={entry.id}>
              <td data-label={t('access.col.at')}>{formatDateTime(entry.at, lang)}</td>
              <td data-label={t('access.col.who')}>
                {entry.username} <span className="muted">({entry.role}, {entry.siteId})</span>
              </td>
              <td data-label={t('access.col.what')}>
                {t(`access.action.${entry.action}`)}
                {entry.subject && entry.subject !== entry.nik && <span className="muted mono"> {entry.subject}</span>}
              </td>
              <td data-label={t('access.col.resident')} className="mono">
                {entry.nik ?? '—'}
              </td>
              <td data-label={t('access.col.screen')} className="mono">
                {entry.screen === 'api' ? t('access.screen.api') : entry.screen}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
