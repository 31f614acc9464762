import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { contractApi, withQuery } from '../../api.ts';
import { recordingListSchema, recordingsSummarySchema } from '@tangguh/protocol';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { RecordTable } from '../../components/RecordTable.tsx';
import { StatusBars } from '../../components/StatusBars.tsx';
import { STATUS_ORDER, statusText } from '../../components/StatusLabel.tsx';
import { SyncPanel } from '../../components/SyncPanel.tsx';
import { formatNumber } from '../../format.ts';
import { useDebounced, usePolling } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';

const REFRESH_MS = 3000;

export default function Dashboard() {
  const { lang, t } = useI18n();
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState('');
  const settledQuery = useDebounced(query.trim(), 300);
  const [submitted, setSubmitted] = useState<string | null>(null);
  const q = submitted ?? settledQuery;

  const summary = usePolling((signal) => contractApi.get(recordingsSummarySchema, '/api/recordings/summary', signal), [], REFRESH_MS);
  const list = usePolling(
    (signal) => contractApi.get(recordingListSchema, withQuery('/api/recordings', { limit: 20, q, status }), signal),
    [q, status],
    REFRESH_MS,
  );

  function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitted(query.trim());
  }

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('dash.title')}</h1>
        <Link to="/petugas/rekam" className="button button--primary">
          {t('dash.newRecording')}
        </Link>
      </div>

      <div className="grid-2">
        <SyncPanel />
        <section className="card" aria-labelledby="by-status-title">
          <h2 id="by-status-title">{t('dash.byStatus')}</h2>
          {summary.error && !summary.data && <ErrorNotice error={summary.error} onRetry={summary.reload} />}
          {summary.data && (
            <>
              <p className="muted">{t('dash.total', { n: formatNumber(summary.data.total, lang) })}</p>
              {summary.data.total === 0 ? <p className="empty">{t('dash.noData')}</p> : <StatusBars byStatus={summary.data.byStatus} />}
            </>
          )}
        </section>
      </div>

      <section className="card" aria-labelledby="latest-title">
        <h2 id="latest-title">{t('dash.latest')}</h2>
        <form className="filters" role="search" onSubmit={search}>
          <div className="field filters__query">
            <label className="field__label" htmlFor="record-search">
              {t('dash.search')}
            </label>
            <input
              id="record-search"
              type="search"
              value={query}
              onChange={(event) => {
                setQuery(event.target.value);
                setSubmitted(null);
              }}
            />
          </div>
          <div className="field">
            <label className="field__label" htmlFor="record-status-filter">
              {t('dash.statusFilter')}
            </label>
            <select id="record-status-filter" value={status} onChange={(event) => setStatus(event.target.value)}>
              <option value="">{t('dash.allStatuses')}</option>
              {STATUS_ORDER.map((code) => (
                <option key={code} value={code}>
                  {statusText(t, code)} ({code})
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button button--secondary">
            {t('dash.searchButton')}
          </button>
        </form>
        {list.error && <ErrorNotice error={list.error} onRetry={list.reload} />}
        {list.data && list.data.items.length === 0 && <p className="empty">{t('dash.empty')}</p>}
        {list.data && list.data.items.length > 0 && <RecordTable items={list.data.items} caption={t('dash.latest')} />}
        {!list.data && !list.error && <p className="muted">{t('app.loading')}</p>}
      </section>
    </div>
  );
}
