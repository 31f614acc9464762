import { useState } from 'react';
import { publicBlankStockSchema } from '@tangguh/protocol';
import { contractApi } from '../../api.ts';
import { AppHeader } from '../../components/AppHeader.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDateTime, formatNumber } from '../../format.ts';
import { usePolling } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import '../petugas/print.css';

const REFRESH_MS = 60_000;

/**
 * `/stok`: the day's blank-card stock per service point for anyone, no login, made for a phone. Residents
 * ask whether it is worth coming; the office answers from its own database, so this works while the
 * centre is down.
 */
export default function PublicStockPage() {
  const { t, lang } = useI18n();
  const [query, setQuery] = useState('');
  const stock = usePolling((signal) => contractApi.get(publicBlankStockSchema, '/api/stok-blangko', signal), [], REFRESH_MS);
  const needle = query.trim().toLocaleLowerCase('id');
  const sites = stock.data?.sites.filter((s) => needle === '' || s.siteName.toLocaleLowerCase('id').includes(needle)) ?? [];

  return (
    <>
      <AppHeader homePath="/stok" />
      <main className="public-stock" id="main" tabIndex={-1}>
        <h1>{t('publicStock.title')}</h1>
        <p className="muted">{t('publicStock.intro')}</p>
        {stock.error && <ErrorNotice error={stock.error} onRetry={stock.reload} />}
        {!stock.data && !stock.error && (
          <p className="muted" role="status">
            {t('app.loading')}
          </p>
        )}
        {stock.data && (
          <>
            <section className="card" aria-labelledby="public-stock-total">
              <h2 id="public-stock-total" className="small muted">
                {t('publicStock.total')}
              </h2>
              <p className="public-stock__total" data-testid="public-total">
                {formatNumber(stock.data.total, lang)}
              </p>
              <p className="small muted">{t('publicStock.asOf', { time: formatDateTime(stock.data.asOf, lang, stock.data.timeZone) })}</p>
            </section>
            {stock.data.sites.length > 8 && (
              <div className="field">
                <label className="field__label" htmlFor="public-stock-search">
                  {t('publicStock.search')}
                </label>
                <input id="public-stock-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
              </div>
            )}
            <ul className="public-stock__list" aria-label={t('publicStock.title')}>
              {sites.map((site) => (
                <li key={site.siteId} className={`public-stock__site${site.balance === 0 ? ' public-stock__site--empty' : ''}`} data-testid="public-site" data-site={site.siteId}>
                  <span>{site.siteName}</span>
                  <span className="public-stock__n" aria-label={site.balance === 0 ? t('publicStock.none') : t('publicStock.blanks', { n: formatNumber(site.balance, lang) })}>
                    {site.balance === 0 ? t('publicStock.none') : formatNumber(site.balance, lang)}
                  </span>
                </li>
              ))}
            </ul>
            <p className="notice notice--info">{t('publicStock.note')}</p>
          </>
        )}
      </main>
    </>
  );
}
