import { useState, type FormEvent } from 'react';
import { contractApi, toApiError, type ApiError } from '../api.ts';
import { policyResponseSchema } from '@tangguh/protocol';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { Field } from '../components/Field.tsx';
import { formatDateTime } from '../format.ts';
import { isMessageKey, useI18n, type MessageKey } from '../i18n/index.tsx';
import type { AuditEntry, PolicyResponse } from './types.ts';

const SWITCHERS = new Set(['head', 'admin']);

/**
 * The wet-signature fallback switch: off by default, a reason for every change, and the warning that a
 * ministry has reprimanded wet signatures. The office records who, when and why, and tells the centre.
 */
export function WetSignaturePolicyCard({ data, role, onChanged }: { data: PolicyResponse | undefined; role: string; onChanged: (next: PolicyResponse) => void }) {
  const { lang, t } = useI18n();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const policy = data?.policy;
  const enabled = policy?.enabled ?? false;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onChanged(await contractApi.put(policyResponseSchema, '/api/policies/wet-signature', { enabled: !enabled, reason: reason.trim() }));
      setReason('');
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card stack policy" aria-labelledby="policy-title" data-testid="wet-policy" data-enabled={String(enabled)}>
      <h2 id="policy-title">
        {t('policy.title')}{' '}
        <span className={`policy-state policy-state--${enabled ? 'on' : 'off'}`}>{enabled ? t('policy.state.on') : t('policy.state.off')}</span>
      </h2>
      <p className="notice notice--warning">{t('policy.warning')}</p>
      <p className="muted small">{t('policy.default')}</p>
      {policy?.changedAt && (
        <p className="small">{t('policy.changed', { who: policy.changedBy ?? '—', when: formatDateTime(policy.changedAt, lang), reason: policy.reason ?? '—' })}</p>
      )}
      {SWITCHERS.has(role) ? (
        <form className="stack" onSubmit={submit} noValidate>
          {error && <ErrorNotice error={error} />}
          <Field id="policy-reason" label={t('policy.reason')} hint={t('policy.reasonHint')} issues={error?.issues.filter((i) => i.field === 'reason')}>
            {(control) => <textarea {...control} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <div className="actions">
            <button type="submit" className={`button ${enabled ? 'button--secondary' : 'button--danger'}`} disabled={busy || reason.trim().length < 5}>
              {busy ? t('policy.saving') : enabled ? t('policy.disable') : t('policy.enable')}
            </button>
          </div>
        </form>
      ) : (
        <p className="muted">{t('policy.notAllowed')}</p>
      )}
    </section>
  );
}

/** Every switch of the policy and every wet signature, newest first. */
export function SignatureAuditLog({ entries }: { entries: AuditEntry[] | undefined }) {
  const { lang, t } = useI18n();
  return (
    <section className="card stack" aria-labelledby="audit-title">
      <h2 id="audit-title">{t('audit.title')}</h2>
      {entries && entries.length === 0 && <p className="empty">{t('audit.empty')}</p>}
      {entries && entries.length > 0 && (
        <div className="table-wrap">
          <table className="records" data-testid="audit-log">
            <caption className="visually-hidden">{t('audit.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.col.at')}</th>
                <th scope="col">{t('audit.col.action')}</th>
                <th scope="col">{t('audit.col.who')}</th>
                <th scope="col">{t('audit.col.reason')}</th>
                <th scope="col">{t('audit.col.document')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-action={entry.action}>
                  <td data-label={t('audit.col.at')}>{formatDateTime(entry.at, lang)}</td>
                  <td data-label={t('audit.col.action')}>{t(`audit.action.${entry.action}` as MessageKey)}</td>
                  <td data-label={t('audit.col.who')}>
                    {entry.actorName} ({entry.actor}, {isMessageKey(`role.${entry.actorRole}`) ? t(`role.${entry.actorRole}` as MessageKey) : entry.actorRole})
                  </td>
                  <td data-label={t('audit.col.reason')}>{entry.reason}</td>
                  <td data-label={t('audit.col.document')} className="mono">
                    {entry.documentSerial ?? '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
