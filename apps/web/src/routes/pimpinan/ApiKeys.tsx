import { useEffect, useRef, useState, type FormEvent } from 'react';
import { apiKeyCreatedSchema, apiKeyListSchema, apiKeyResponseSchema, type ApiKeyCreated, type ApiKeyView } from '@tangguh/protocol';
import { contractApi, toApiError, type ApiError } from '../../api.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Field } from '../../components/Field.tsx';
import { useSession } from '../../components/Session.tsx';
import { formatDateTime, formatNumber } from '../../format.ts';
import { usePolling } from '../../hooks.ts';
import { useApiKeysText } from './api-keys-messages.ts';
import './queue-settings.css';

/*
 * `/pimpinan/kunci-api` (office admins): institutions' keys for the verification API (POST/GET
 * /api/api-keys, POST /api/api-keys/:id/revoke). A new key's secret is shown once, with a copy button and a
 * warning; revoking asks first and says what it does.
 */

const REFRESH_MS = 30_000;
const EMPTY_FORM = { institution: '', perMinute: '60', perDay: '10000' };

/** A number box's text as sent: empty → null, so the server names the field; text that is not a number as typed. */
const asNumber = (text: string) => {
  const trimmed = text.trim();
  const n = Number(trimmed);
  return trimmed === '' ? null : Number.isFinite(n) ? n : trimmed;
};

/** Copies the current selection (the only way left on a page that is not a secure context). */
function legacyCopy(): boolean {
  try {
    return (document as { execCommand?: (command: string) => boolean }).execCommand?.('copy') ?? false;
  } catch {
    return false;
  }
}

export default function ApiKeysPage() {
  const { q } = useApiKeysText();
  const { expire } = useSession();
  const keys = usePolling((signal) => contractApi.get(apiKeyListSchema, '/api/api-keys', signal), [], REFRESH_MS);
  const [created, setCreated] = useState<ApiKeyCreated>();
  const [revokedNote, setRevokedNote] = useState<ApiKeyView>();

  useEffect(() => {
    if (keys.error?.status === 401) expire();
  }, [keys.error, expire]);
  useEffect(() => {
    document.title = `${q('title')} — Tangguh`;
  });

  const items = keys.data?.items ?? [];
  const active = items.filter((k) => k.revokedAt === null).length;

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{q('title')}</h1>
        <a className="button button--secondary" href="/api/docs" target="_blank" rel="noreferrer">
          {q('docs')}
        </a>
      </div>
      <p className="muted">{q('intro')}</p>
      {keys.error && (
        <ErrorNotice error={keys.error} onRetry={keys.reload}>
          {keys.error.status === 403 && <p>{q('forbidden')}</p>}
        </ErrorNotice>
      )}
      {keys.error?.status !== 403 && (
        <>
          {created ? (
            <SecretOnce created={created} onDone={() => setCreated(undefined)} />
          ) : (
            <CreateKeyForm
              onCreated={(c) => {
                setCreated(c);
                setRevokedNote(undefined);
                keys.reload();
              }}
            />
          )}
          <section className="card" aria-labelledby="apikey-list">
            <div className="section-head">
              <h2 id="apikey-list">{q('listTitle')}</h2>
              {keys.data && <span className="muted small">{q('count', { active, revoked: items.length - active })}</span>}
            </div>
            {revokedNote && (
              <p className="notice notice--success" role="status">
                {q('revokedDone', { prefix: revokedNote.prefix, institution: revokedNote.institution })}
              </p>
            )}
            {!keys.data && !keys.error && <p className="muted">{q('loading')}</p>}
            {keys.data && items.length === 0 && <p className="empty">{q('empty')}</p>}
            {items.length > 0 && (
              <KeyTable
                items={items}
                onRevoked={(key) => {
                  setRevokedNote(key);
                  keys.reload();
                }}
              />
            )}
          </section>
        </>
      )}
    </div>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (created: ApiKeyCreated) => void }) {
  const { q } = useApiKeysText();
  const { expire } = useSession();
  const [form, setForm] = useState(EMPTY_FORM);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const issuesOf = (field: string) => error?.issues.filter((i) => i.field === field) ?? [];
  const known = new Set(['institution', 'perMinute', 'perDay']);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await contractApi.post(apiKeyCreatedSchema, '/api/api-keys', { institution: form.institution, perMinute: asNumber(form.perMinute), perDay: asNumber(form.perDay) });
      setForm(EMPTY_FORM);
      onCreated(created);
    } catch (caught) {
      const e = toApiError(caught);
      if (e.status === 401) expire();
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="apikey-create">
      <h2 id="apikey-create">{q('createTitle')}</h2>
      <form className="apikey-form" noValidate onSubmit={(e) => void submit(e)}>
        <Field id="apikey-institution" label={q('institution')} hint={q('institutionHint')} issues={issuesOf('institution')}>
          {(control) => <input {...control} type="text" maxLength={120} autoComplete="off" value={form.institution} onChange={(e) => setForm({ ...form, institution: e.target.value })} />}
        </Field>
        <Field id="apikey-per-minute" label={q('perMinute')} hint={q('perMinuteHint')} issues={issuesOf('perMinute')}>
          {(control) => <input {...control} type="number" inputMode="numeric" min={1} max={10_000} step={1} value={form.perMinute} onChange={(e) => setForm({ ...form, perMinute: e.target.value })} />}
        </Field>
        <Field id="apikey-per-day" label={q('perDay')} hint={q('perDayHint')} issues={issuesOf('perDay')}>
          {(control) => <input {...control} type="number" inputMode="numeric" min={1} max={10_000_000} step={1} value={form.perDay} onChange={(e) => setForm({ ...form, perDay: e.target.value })} />}
        </Field>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? q('creating') : q('create')}
        </button>
      </form>
      {error && <ErrorNotice error={error} extraIssues={error.issues.filter((i) => !known.has(i.field))} />}
    </section>
  );
}

function SecretOnce({ created, onDone }: { created: ApiKeyCreated; onDone: () => void }) {
  const { q } = useApiKeysText();
  const [copy, setCopy] = useState<'copied' | 'copyFailed'>();
  const codeRef = useRef<HTMLElement>(null);

  /**
   * The Clipboard API needs a secure page (https or localhost); an office served over plain http on its
   * LAN has none, so the key's text is selected and copied the older way, and left selected if even that fails.
   */
  async function copySecret() {
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopy('copied');
      return;
    } catch {
      // fall through to the selection
    }
    const code = codeRef.current;
    const selection = window.getSelection();
    if (code && selection) {
      const range = document.createRange();
      range.selectNodeContents(code);
      selection.removeAllRanges();
      selection.addRange(range);
    }
    setCopy(legacyCopy() ? 'copied' : 'copyFailed');
  }

  return (
    <section className="card notice notice--warning" aria-labelledby="apikey-secret-title" data-testid="apikey-secret-panel">
      <h2 id="apikey-secret-title">{q('secretTitle', { institution: created.key.institution })}</h2>
      <p>
        <strong>{q('secretWarning')}</strong>
      </p>
      <div className="apikey-secret">
        <span className="visually-hidden">{q('secretLabel')}</span>
        <code className="mono" data-testid="apikey-secret" ref={codeRef}>
          {created.secret}
        </code>
        <button type="button" className="button button--primary" onClick={() => void copySecret()}>
          {q('copy')}
        </button>
      </div>
      {copy && (
        <p className={copy === 'copied' ? 'small' : 'small text-danger'} role="status">
          {q(copy)}
        </p>
      )}
      <p className="small">{q('secretUse', { prefix: created.key.prefix })}</p>
      <div className="actions">
        <button type="button" className="button button--secondary" onClick={onDone}>
          {q('secretDone')}
        </button>
      </div>
    </section>
  );
}

function KeyTable({ items, onRevoked }: { items: ApiKeyView[]; onRevoked: (key: ApiKeyView) => void }) {
  const { q, lang } = useApiKeysText();
  const { expire } = useSession();
  const [asking, setAsking] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  async function revoke(key: ApiKeyView) {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await contractApi.post(apiKeyResponseSchema, `/api/api-keys/${encodeURIComponent(key.id)}/revoke`, {});
      setAsking(undefined);
      onRevoked(answer.key);
    } catch (caught) {
      const e = toApiError(caught);
      if (e.status === 401) expire();
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="table-wrap">
      {error && <ErrorNotice error={error} />}
      <table className="records apikey-table">
        <caption className="visually-hidden">{q('listTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{q('colInstitution')}</th>
            <th scope="col">{q('colPrefix')}</th>
            <th scope="col">{q('colQuota')}</th>
            <th scope="col">{q('colUsedToday')}</th>
            <th scope="col">{q('colCreated')}</th>
            <th scope="col">{q('colLastUsed')}</th>
            <th scope="col">{q('colState')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((key) => (
            <tr key={key.id} data-key-id={key.id} data-testid="apikey-row">
              <td data-label={q('colInstitution')}>
                <strong>{key.institution}</strong>
              </td>
              <td data-label={q('colPrefix')} className="mono">
                {key.prefix}…
              </td>
              <td data-label={q('colQuota')}>{q('quota', { perMinute: formatNumber(key.perMinute, lang), perDay: formatNumber(key.perDay, lang) })}</td>
              <td data-label={q('colUsedToday')}>{formatNumber(key.usedToday, lang)}</td>
              <td data-label={q('colCreated')}>{q('createdBy', { time: formatDateTime(key.createdAt, lang), who: key.createdBy })}</td>
              <td data-label={q('colLastUsed')}>{key.lastUsedAt ? formatDateTime(key.lastUsedAt, lang) : q('never')}</td>
              <td data-label={q('colState')} className={asking === key.id && !key.revokedAt ? 'apikey-asking' : undefined}>
                {key.revokedAt ? (
                  <span className="status status--danger">{q('revoked', { time: formatDateTime(key.revokedAt, lang), who: key.revokedBy ?? '—' })}</span>
                ) : asking === key.id ? (
                  <div className="notice notice--warning" role="alertdialog" aria-labelledby={`apikey-revoke-${key.id}`} data-testid="apikey-revoke-confirm">
                    <p className="qset-title" id={`apikey-revoke-${key.id}`}>
                      {q('revokeConfirmTitle', { prefix: key.prefix, institution: key.institution })}
                    </p>
                    <p>{q('revokeConfirmText')}</p>
                    <div className="actions">
                      <button type="button" className="button button--danger" disabled={busy} onClick={() => void revoke(key)}>
                        {busy ? q('revoking') : q('revokeConfirm')}
                      </button>
                      <button type="button" className="button button--ghost" disabled={busy} onClick={() => setAsking(undefined)}>
                        {q('revokeCancel')}
                      </button>
                    </div>
                  </div>
                ) : (
                  <>
                    <span className="status status--success">{q('active')}</span>{' '}
                    <button
                      type="button"
                      className="button button--small button--danger"
                      aria-label={`${q('revoke')} ${key.institution} (${key.prefix}…)`}
                      onClick={() => {
                        setAsking(key.id);
                        setError(undefined);
                      }}
                    >
                      {q('revoke')}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
