import { useEffect, useState, type ComponentType } from 'react';
import { blankStockRoutes, publicBlankStockSchema, siteListSchema, type BlankLedgerEntryView, type BlankMovementResponse } from '@tangguh/protocol';
import { contractApi } from '../../api.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useSession } from '../../components/Session.tsx';
import { formatDate, formatDateTime, formatNumber } from '../../format.ts';
import { usePolling } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { CorrectionForm, LoanForm, MOVEMENT_ROLES, ReceiptForm, SpoilageForm, TransferForm, type MovementKind, type Site } from './stock-forms.tsx';
import { LedgerTable, LoanBalances } from './StockLedger.tsx';
import './print.css';

const REFRESH_MS = 15_000;

const FORMS: Partial<Record<MovementKind, ComponentType<{ sites: Site[]; defaultSiteId: string; onRecorded: (r: BlankMovementResponse) => void }>>> = {
  receipt: ReceiptForm,
  transfer: TransferForm,
  loan: LoanForm,
  spoilage: SpoilageForm,
  correction: CorrectionForm,
};

/** Blank-card stock for staff: today's balance per site, the movements recorded and a form for each kind. */
export default function StockPage() {
  const { t, lang } = useI18n();
  const { user, expire } = useSession();
  const stock = usePolling((signal) => contractApi.get(publicBlankStockSchema, '/api/stok-blangko', signal), [], REFRESH_MS);
  const sites = usePolling((signal) => contractApi.get(siteListSchema, '/api/sites', signal), []);
  const ledger = usePolling((signal) => contractApi.get(blankStockRoutes.ledger.response[200], '/api/stok-blangko/buku?limit=200', signal), [], REFRESH_MS);
  const entries: BlankLedgerEntryView[] = ledger.data?.items ?? [];
  const [last, setLast] = useState<BlankMovementResponse>();
  const allowed = (Object.keys(FORMS) as MovementKind[]).filter((kind) => MOVEMENT_ROLES[kind].includes(user.role));
  const [kind, setKind] = useState<MovementKind | undefined>(allowed[0]);
  useEffect(() => {
    if (sites.error?.status === 401 || stock.error?.status === 401) expire();
  }, [sites.error, stock.error, expire]);

  function recorded(response: BlankMovementResponse) {
    setLast(response);
    stock.reload();
    ledger.reload();
  }

  const changed = new Set(last?.balances.map((b) => b.siteId) ?? []);
  const siteOptions: Site[] = sites.data?.items ?? stock.data?.sites.map((s) => ({ id: s.siteId, name: s.siteName })) ?? [];
  const defaultSiteId = siteOptions.some((s) => s.id === user.siteId) ? user.siteId! : (siteOptions[0]?.id ?? '');
  const Form = kind ? FORMS[kind] : undefined;

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('stock.title')}</h1>
      </div>
      <p className="muted">{t('stock.intro')}</p>

      <div className="grid-2">
        <section className="card stack" aria-labelledby="stock-balance-title">
          <h2 id="stock-balance-title">{t('stock.balanceTitle')}</h2>
          {stock.error && <ErrorNotice error={stock.error} onRetry={stock.reload} />}
          {!stock.data && !stock.error && <p className="muted">{t('app.loading')}</p>}
          {stock.data && (
            <>
              <p className="muted small">{t('stock.asOf', { date: formatDate(stock.data.date, lang), time: formatDateTime(stock.data.asOf, lang) })}</p>
              <div className="table-wrap">
                <table className="records stock-balance" data-testid="stock-balance">
                  <caption className="visually-hidden">{t('stock.balanceTitle')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('stock.col.site')}</th>
                      <th scope="col" className="stock-balance__n">
                        {t('stock.col.balance')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {stock.data.sites.map((site) => (
                      <tr key={site.siteId} data-site={site.siteId}>
                        <th scope="row">
                          {site.siteName} {changed.has(site.siteId) && <span className="pill pill--online">{t('stock.changed')}</span>}
                        </th>
                        <td className="stock-balance__n" data-testid="site-balance">
                          {formatNumber(site.balance, lang)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr>
                      <th scope="row">{t('stock.total')}</th>
                      <td className="stock-balance__n" data-testid="stock-total">
                        {formatNumber(stock.data.total, lang)}
                      </td>
                    </tr>
                  </tfoot>
                </table>
              </div>
            </>
          )}
        </section>

        <section className="card stack" aria-labelledby="stock-forms-title">
          <h2 id="stock-forms-title">{t('stock.formsTitle')}</h2>
          {allowed.length === 0 ? (
            <p className="muted">{t('stock.notAllowed')}</p>
          ) : (
            <>
              <p className="muted small">{t('stock.formsIntro')}</p>
              <div className="kind-switch" role="group" aria-label={t('stock.formsTitle')}>
                {allowed.map((k) => (
                  <button key={k} type="button" className="button button--secondary button--small" aria-pressed={kind === k} onClick={() => setKind(k)}>
                    {t(`stock.kind.${k}` as MessageKey)}
                  </button>
                ))}
              </div>
              {last && (
                <div className="notice notice--success" role="status">
                  <p className="notice__title">{last.message[lang]}</p>
                </div>
              )}
              {sites.error && <ErrorNotice error={sites.error} onRetry={sites.reload} />}
              {Form && siteOptions.length > 0 && <Form key={kind} sites={siteOptions} defaultSiteId={defaultSiteId} onRecorded={recorded} />}
            </>
          )}
        </section>
      </div>

      <section className="card stack" aria-labelledby="stock-ledger-title">
        <h2 id="stock-ledger-title">{t('stock.ledgerTitle')}</h2>
        <p className="muted small">{t('stock.ledgerSession')}</p>
        {ledger.error && <ErrorNotice error={ledger.error} onRetry={ledger.reload} />}
        <LedgerTable entries={entries} sites={siteOptions} />
      </section>

      <LoanBalances version={entries[0]?.id ?? 0} />
    </div>
  );
}
