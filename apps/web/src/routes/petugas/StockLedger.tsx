import { useState } from 'react';
import { blankLoanRoutes, type BlankLedgerEntryView } from '@tangguh/protocol';
import { contractApi } from '../../api.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDateTime, formatNumber } from '../../format.ts';
import { usePolling } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import type { Site } from './stock-forms.tsx';

/** What an entry says beyond its kind and quantity: tranche and range, serial, the other party, the record. */
function details(entry: BlankLedgerEntryView, t: (key: MessageKey, params?: Record<string, string | number>) => string, siteName: (id: string) => string): string {
  const parts: string[] = [];
  if (entry.tranche) parts.push(t('stock.detail.tranche', { tranche: entry.tranche }));
  if (entry.serialFrom !== null && entry.serialTo !== null) parts.push(t('stock.detail.range', { from: entry.serialFrom, to: entry.serialTo }));
  if (entry.serial !== null) parts.push(t('stock.detail.serial', { serial: entry.serial }));
  if (entry.counterpart) {
    const who = entry.kind === 'transfer_in' || entry.kind === 'transfer_out' ? siteName(entry.counterpart) : entry.counterpart;
    parts.push(t('stock.detail.counterpart', { who }));
  }
  if (entry.recordId) parts.push(t('stock.detail.record', { id: entry.recordId }));
  if (entry.reason) parts.push(isReasonCode(entry.reason) ? t(`stock.reason.${entry.reason}`) : entry.reason);
  return parts.join(' · ');
}

function isReasonCode(reason: string): reason is 'misprint' | 'overheating' | 'damaged' {
  return reason === 'misprint' || reason === 'overheating' || reason === 'damaged';
}

/** The ledger's entries, newest first, optionally for one site. */
export function LedgerTable({ entries, sites }: { entries: BlankLedgerEntryView[]; sites: Site[] }) {
  const { t, lang } = useI18n();
  const [siteId, setSiteId] = useState('');
  const names = new Map(sites.map((s) => [s.id, s.name]));
  const siteName = (id: string) => names.get(id) ?? id;
  const shown = siteId === '' ? entries : entries.filter((e) => e.siteId === siteId);
  return (
    <>
      <div className="field">
        <label className="field__label" htmlFor="ledger-site">
          {t('stock.ledgerFilter')}
        </label>
        <select id="ledger-site" value={siteId} onChange={(e) => setSiteId(e.target.value)}>
          <option value="">{t('stock.ledgerAll')}</option>
          {sites.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      {shown.length === 0 ? (
        <p className="empty">{t('stock.ledgerEmpty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="records" data-testid="stock-ledger">
            <caption className="visually-hidden">{t('stock.ledgerTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('stock.col.at')}</th>
                <th scope="col">{t('stock.col.site')}</th>
                <th scope="col">{t('stock.col.kind')}</th>
                <th scope="col">{t('stock.col.qty')}</th>
                <th scope="col">{t('stock.col.detail')}</th>
                <th scope="col">{t('stock.col.by')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((entry) => (
                <tr key={entry.id} data-kind={entry.kind}>
                  <td data-label={t('stock.col.at')}>{formatDateTime(entry.at, lang)}</td>
                  <td data-label={t('stock.col.site')}>{siteName(entry.siteId)}</td>
                  <td data-label={t('stock.col.kind')}>{t(`stock.entry.${entry.kind}` as MessageKey)}</td>
                  <td data-label={t('stock.col.qty')} className={entry.quantity < 0 ? 'qty-minus' : 'qty-plus'}>
                    {entry.quantity > 0 ? '+' : '−'}
                    {formatNumber(Math.abs(entry.quantity), lang)}
                  </td>
                  <td data-label={t('stock.col.detail')}>{details(entry, t, siteName)}</td>
                  <td data-label={t('stock.col.by')}>
                    {entry.recordedBy}
                    {entry.kind === 'correction' && <span className="muted"> · {entry.approvedBy ? t('stock.approvedBy', { who: entry.approvedBy }) : t('stock.awaitingApproval')}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

const loanBalancesSchema = blankLoanRoutes.balances.response[200];

/** Blanks outstanding with other offices: lent and not yet back, borrowed and not yet returned. */
export function LoanBalances({ version }: { version: number }) {
  const { t, lang } = useI18n();
  const loans = usePolling((signal) => contractApi.get(loanBalancesSchema, '/api/stok-blangko/pinjaman', signal), [version], 30_000);
  const open = loans.data?.items.filter((l) => l.lentOut !== 0 || l.borrowed !== 0) ?? [];
  return (
    <section className="card stack" aria-labelledby="stock-loans-title">
      <h2 id="stock-loans-title">{t('stock.loansTitle')}</h2>
      {loans.error && <ErrorNotice error={loans.error} onRetry={loans.reload} />}
      {loans.data && open.length === 0 && <p className="empty">{t('stock.loans.none')}</p>}
      {open.length > 0 && (
        <table className="records" data-testid="stock-loans">
          <caption className="visually-hidden">{t('stock.loansTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('stock.loans.office')}</th>
              <th scope="col">{t('stock.loans.lentOut')}</th>
              <th scope="col">{t('stock.loans.borrowed')}</th>
            </tr>
          </thead>
          <tbody>
            {open.map((l) => (
              <tr key={l.officeId}>
                <th scope="row" className="mono">
                  {l.officeId}
                </th>
                <td data-label={t('stock.loans.lentOut')}>{formatNumber(l.lentOut, lang)}</td>
                <td data-label={t('stock.loans.borrowed')}>{formatNumber(l.borrowed, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
