import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { contractApi, toApiError, withQuery, type ApiError } from '../../api.ts';
import { documentResponseSchema, documentsListSchema, documentTypeListSchema } from '@tangguh/protocol';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Field } from '../../components/Field.tsx';
import { useSession } from '../../components/Session.tsx';
import { DocumentStatusLabel, TteStatusLine } from '../../documents/parts.tsx';
import { DOCUMENT_STATUSES, type DocumentType, type DocumentView } from '../../documents/types.ts';
import { formatDateTime } from '../../format.ts';
import { useNow, usePolling } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import '../../documents/documents.css';

const REFRESH_MS = 5000;
const CLERKS = new Set(['operator', 'supervisor', 'admin']);

interface Draft {
  type: string;
  nik: string;
  name: string;
  nomor: string;
  fields: Record<string, string>;
}
const EMPTY: Draft = { type: '', nik: '', name: '', nomor: '', fields: {} };

function NewDocumentForm({ types, onCreated }: { types: DocumentType[]; onCreated: (document: DocumentView) => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const type = types.find((x) => x.code === draft.type);
  useEffect(() => {
    if (!draft.type && types[0]) setDraft((d) => ({ ...d, type: types[0]!.code }));
  }, [types, draft.type]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const fields = Object.fromEntries(Object.entries(draft.fields).filter(([key, value]) => value.trim() !== '' && type?.fields.some((f) => f.key === key)));
      const response = await contractApi.post(documentResponseSchema, '/api/documents', { ...draft, fields });
      onCreated(response.document);
      setDraft({ ...EMPTY, type: draft.type });
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  const issues = (field: string) => error?.issues.filter((i) => i.field === field) ?? [];
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  return (
    <form className="card stack" onSubmit={submit} noValidate aria-labelledby="new-doc-title">
      <h2 id="new-doc-title">{t('doc.newTitle')}</h2>
      {error && <ErrorNotice error={error} extraIssues={error.issues.filter((i) => !['type', 'nik', 'name', 'nomor'].includes(i.field))} />}
      <div className="doc-fields">
        <Field id="doc-type" label={t('doc.type')} issues={issues('type')}>
          {(control) => (
            <select {...control} value={draft.type} onChange={(e) => set({ type: e.target.value, fields: {} })}>
              {types.map((x) => (
                <option key={x.code} value={x.code}>
                  {x.name} ({x.code})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="doc-nomor" label={t('doc.nomor')} hint={t('doc.nomorHint')} issues={issues('nomor')}>
          {(control) => <input {...control} value={draft.nomor} onChange={(e) => set({ nomor: e.target.value })} autoComplete="off" />}
        </Field>
        <Field id="doc-nik" label={t('doc.nik')} issues={issues('nik')}>
          {(control) => <input {...control} value={draft.nik} inputMode="numeric" maxLength={16} className="mono" onChange={(e) => set({ nik: e.target.value.replace(/\D/g, '') })} />}
        </Field>
        <Field id="doc-name" label={t('doc.name')} issues={issues('name')}>
          {(control) => <input {...control} value={draft.name} onChange={(e) => set({ name: e.target.value })} />}
        </Field>
      </div>
      {type && type.fields.length > 0 && (
        <fieldset className="stack">
          <legend>{t('doc.fields')}</legend>
          <div className="doc-fields">
            {type.fields.map((f) => (
              <Field key={f.key} id={`doc-field-${f.key}`} label={`${f.label} ${t('doc.optional')}`} issues={issues(`fields.${f.key}`)}>
                {(control) => <input {...control} value={draft.fields[f.key] ?? ''} onChange={(e) => set({ fields: { ...draft.fields, [f.key]: e.target.value } })} />}
              </Field>
            ))}
          </div>
        </fieldset>
      )}
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={busy || !type}>
          {busy ? t('doc.submitting') : t('doc.submit')}
        </button>
      </div>
    </form>
  );
}

/** One document as a card: works the same on a phone and a desktop. */
export function DocumentItem({ document, children }: { document: DocumentView; children?: ReactNode }) {
  const { lang, t } = useI18n();
  const signed = document.status !== 'AWAITING_SIGNATURE';
  return (
    <li className="doc-item" data-testid="document" data-serial={document.serial} data-status={document.status}>
      <div className="doc-item__head">
        <strong>
          {document.typeName} · <span className="mono">{document.nomor}</span>
        </strong>
        <DocumentStatusLabel status={document.status} />
      </div>
      <p className="small">
        {document.name} · <span className="mono">{document.nik}</span> · <span className="mono">{document.serial}</span> · {t('doc.col.created')} {formatDateTime(document.createdAt, lang)}
      </p>
      <p className="small" data-testid="pickup" data-kind={document.pickup.kind}>
        <strong>{t('doc.pickup')}:</strong> {document.pickup.messages[lang]}
      </p>
      {signed && (
        <p>
          <a href={`/api/documents/${encodeURIComponent(document.id)}/pdf`} target="_blank" rel="noreferrer">
            {t('doc.pdf')} {document.serial}
          </a>
        </p>
      )}
      {children}
    </li>
  );
}

export default function DocumentsPage() {
  const { lang, t } = useI18n();
  const { user, expire } = useSession();
  const now = useNow(30_000);
  const [status, setStatus] = useState('');
  const [created, setCreated] = useState<DocumentView>();
  const types = usePolling((signal) => contractApi.get(documentTypeListSchema, '/api/document-types', signal), []);
  const list = usePolling((signal) => contractApi.get(documentsListSchema, withQuery('/api/documents', { status: status || undefined, limit: 100 }), signal), [status, created?.id], REFRESH_MS);
  useEffect(() => {
    if (list.error?.status === 401) expire();
  }, [list.error, expire]);

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('doc.title')}</h1>
      </div>
      <p className="muted">{t('doc.intro')}</p>
      <TteStatusLine tte={list.data?.tte} now={now} />
      {types.error && <ErrorNotice error={types.error} onRetry={types.reload} />}
      {created && (
        <div className="notice notice--success" role="status">
          <p className="notice__title">{t('doc.created', { serial: created.serial })}</p>
          <p>{created.pickup.messages[lang]}</p>
        </div>
      )}
      {CLERKS.has(user.role) && types.data && <NewDocumentForm types={types.data.items} onCreated={setCreated} />}

      <section className="card stack" aria-labelledby="doc-list-title">
        <h2 id="doc-list-title">{t('doc.listTitle')}</h2>
        <div className="field">
          <label className="field__label" htmlFor="doc-status-filter">
            {t('doc.filter')}
          </label>
          <select id="doc-status-filter" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('doc.allStatuses')}</option>
            {DOCUMENT_STATUSES.map((code) => (
              <option key={code} value={code}>
                {t(`doc.status.${code}` as MessageKey)} ({code})
              </option>
            ))}
          </select>
        </div>
        {list.error && <ErrorNotice error={list.error} onRetry={list.reload} />}
        {list.data && list.data.items.length === 0 && <p className="empty">{t('doc.empty')}</p>}
        {list.data && list.data.items.length > 0 && (
          <ul className="doc-list">
            {list.data.items.map((document) => (
              <DocumentItem key={document.id} document={document} />
            ))}
          </ul>
        )}
        {!list.data && !list.error && <p className="muted">{t('app.loading')}</p>}
      </section>
    </div>
  );
}
