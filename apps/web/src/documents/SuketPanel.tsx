import { useState } from 'react';
import { contractApi, toApiError, type ApiError } from '../api.ts';
import { suketIssuedSchema, suketListSchema } from '@tangguh/protocol';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { useSession } from '../components/Session.tsx';
import { formatDateTime } from '../format.ts';
import { usePolling } from '../hooks.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import type { SuketView } from './types.ts';
import './documents.css';
import { SuketContactForm } from './SuketContactForm.tsx';

/** Statuses from which no card can come (or it already has): the office refuses a Suket for them. */
const NO_SUKET = new Set(['DUPLICATE_RECORD', 'ENROLL_FAILURE_AT_REGIONAL', 'ENROLL_FAILURE_AT_CENTRAL', 'SEARCH_FAILURE_AT_CENTRAL', 'CARD_ISSUED']);
const ISSUERS = new Set(['operator', 'supervisor', 'admin']);

const pdfUrl = (serial: string) => `/api/sukets/${encodeURIComponent(serial)}/pdf`;

/** The record's Sukets and, while the record may have one, the button that issues it (no centre needed). */
export function SuketPanel({ recordId, recordStatus }: { recordId: string; recordStatus: string }) {
  const { lang, t } = useI18n();
  const { user } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [issued, setIssued] = useState<SuketView>();
  const list = usePolling((signal) => contractApi.get(suketListSchema, `/api/recordings/${encodeURIComponent(recordId)}/sukets`, signal), [recordId, recordStatus]);
  const allowed = !NO_SUKET.has(recordStatus);
  const items = list.data?.items ?? [];
  if (!allowed && items.length === 0) return null;

  async function issue() {
    setBusy(true);
    setError(undefined);
    try {
      const response = await contractApi.post(suketIssuedSchema, `/api/recordings/${encodeURIComponent(recordId)}/suket`);
      setIssued(response.suket);
      list.reload();
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  const statusKey = (status: string) => (status === 'ACTIVE' || status === 'REVOKED' ? (`suket.status.${status}` as MessageKey) : undefined);

  return (
    <section className="card stack" aria-labelledby="suket-title" data-testid="suket-panel">
      <h2 id="suket-title">{t('suket.title')}</h2>
      <p className="muted small">{t('suket.intro')}</p>
      {error && <ErrorNotice error={error} />}
      {list.error && !list.data && <ErrorNotice error={list.error} onRetry={list.reload} />}
      {issued && (
        <div className="notice notice--success" role="status">
          <p className="notice__title">{t('suket.issued', { serial: issued.serial, expires: formatDateTime(issued.expiresAt, lang) })}</p>
          <a href={pdfUrl(issued.serial)} target="_blank" rel="noreferrer" className="button button--secondary">
            {t('suket.download')}
          </a>
        </div>
      )}
      {issued && ISSUERS.has(user.role) && <SuketContactForm serial={issued.serial} />}
      {allowed && ISSUERS.has(user.role) && (
        <div className="actions">
          <button type="button" className="button button--primary" onClick={() => void issue()} disabled={busy}>
            {busy ? t('suket.issuing') : t('suket.issue')}
          </button>
        </div>
      )}
      {!allowed && <p className="muted">{t('suket.notAllowed')}</p>}
      {list.data && items.length === 0 && <p className="empty">{t('suket.none')}</p>}
      {items.length > 0 && (
        <ul className="suket-list">
          {items.map((suket) => {
            const key = statusKey(suket.status);
            return (
              <li key={suket.serial} className="suket-item" data-serial={suket.serial}>
                <p>
                  <span className={`status status--${suket.status === 'ACTIVE' ? 'success' : 'danger'} status--small`} data-status={suket.status}>
                    <span className="status__dot" aria-hidden="true" />
                    <span className="status__label">{key ? t(key) : suket.status}</span>
                  </span>{' '}
                  <span className="mono">{suket.serial}</span>
                </p>
                <p className="small">
                  {t('suket.issuedAt')}: {formatDateTime(suket.issuedAt, lang)} · {t('suket.expiresAt')}: {formatDateTime(suket.expiresAt, lang)}
                </p>
                {suket.revokedAt && <p className="small text-danger">{t('suket.revokedBecause', { when: formatDateTime(suket.revokedAt, lang), reason: suket.revokeReason ?? '—' })}</p>}
                <p>
                  <a href={pdfUrl(suket.serial)} target="_blank" rel="noreferrer">
                    {t('suket.download')}
                  </a>
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
