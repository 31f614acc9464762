import { useEffect, useState, type FormEvent } from 'react';
import { blankRequestDraftSchema, blankRequestRoutes, blankRequestViewSchema, type BlankRequestView } from '@tangguh/protocol';
import { z } from 'zod';
import { contractApi, toApiError, withQuery, type ApiError } from '../../api.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Field } from '../../components/Field.tsx';
import { formatDate, formatDateTime, formatNumber } from '../../format.ts';
import { useDebounced, usePolling } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';

const ASKERS = new Set(['head', 'supervisor']);
const listSchema = blankRequestRoutes.list.response[200];
const createdSchema = z.object({ request: blankRequestViewSchema });

function quantityOf(text: string): number | undefined {
  const digits = text.replace(/[.,\s]/g, '');
  return /^\d{1,8}$/.test(digits) && Number(digits) > 0 ? Number(digits) : undefined;
}

/** The request form: the quantity (the office's suggestion first) and the justification the forecast fills in. */
function RequestForm({ onSent }: { onSent: (request: BlankRequestView) => void }) {
  const { t, lang } = useI18n();
  const [quantityText, setQuantityText] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const quantity = useDebounced(quantityOf(quantityText), 300);
  const draft = usePolling((signal) => contractApi.get(blankRequestDraftSchema, withQuery('/api/blank-requests/draft', { quantity }), signal), [quantity]);
  useEffect(() => {
    if (quantityText === '' && draft.data && draft.data.suggestedQuantity > 0) setQuantityText(String(draft.data.suggestedQuantity));
  }, [draft.data, quantityText]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = { quantity: quantityOf(quantityText) ?? 0, ...(note.trim() === '' ? {} : { note }) };
      onSent((await contractApi.post(createdSchema, '/api/blank-requests', body)).request);
      setNote('');
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }
  const issues = (field: string) => error?.issues.filter((i) => i.field === field) ?? [];

  return (
    <form className="stack" onSubmit={submit} noValidate aria-label={t('request.title')}>
      {error && <ErrorNotice error={error} extraIssues={error.issues.filter((i) => i.field !== 'quantity' && i.field !== 'note')} />}
      {draft.error && <ErrorNotice error={draft.error} onRetry={draft.reload} />}
      <div className="form-grid">
        <Field id="request-quantity" label={t('request.quantity')} hint={draft.data ? t('request.suggested', { n: formatNumber(draft.data.suggestedQuantity, lang) }) : undefined} issues={issues('quantity')}>
          {(control) => <input {...control} inputMode="numeric" value={quantityText} onChange={(e) => setQuantityText(e.target.value)} />}
        </Field>
        <Field id="request-note" label={t('request.note')} issues={issues('note')}>
          {(control) => <input {...control} value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />}
        </Field>
      </div>
      <div className="notice notice--info">
        <p className="notice__title">{t('request.justification')}</p>
        <p data-testid="request-justification">{draft.data ? draft.data.justification.text[lang] : t('app.loading')}</p>
      </div>
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={busy || !draft.data}>
          {busy ? t('request.submitting') : t('request.submit')}
        </button>
      </div>
    </form>
  );
}

function Answer({ request }: { request: BlankRequestView }) {
  const { t, lang } = useI18n();
  const by = request.answeredBy ? ` (${t('request.answeredBy', { who: request.answeredBy, time: formatDateTime(request.answeredAt, lang) })})` : '';
  if (request.allocation) {
    const a = request.allocation;
    return (
      <>
        {t('request.allocation', { n: formatNumber(a.quantity, lang), tranche: a.tranche, from: a.serialFrom, to: a.serialTo, earliest: formatDate(a.deliveryEarliest, lang), latest: formatDate(a.deliveryLatest, lang) })}
        {by}
      </>
    );
  }
  if (request.refusal) return <>{t('request.refusal', { reason: request.refusal }) + by}</>;
  return <span className="muted">—</span>;
}

/** The blank request to the centre and the list of earlier requests with the centre's answers. */
export function BlankRequestSection({ role }: { role: string }) {
  const { t, lang } = useI18n();
  const [sent, setSent] = useState<BlankRequestView>();
  const list = usePolling((signal) => contractApi.get(listSchema, '/api/blank-requests', signal), [sent?.id], 15_000);
  return (
    <section className="card stack" aria-labelledby="request-title">
      <h2 id="request-title">{t('request.title')}</h2>
      <p className="muted small">{t('request.intro')}</p>
      {sent && (
        <div className="notice notice--success" role="status">
          <p className="notice__title">{t('request.sent', { n: formatNumber(sent.quantity, lang) })}</p>
        </div>
      )}
      {ASKERS.has(role) ? <RequestForm onSent={setSent} /> : <p className="muted">{t('request.roleOnly')}</p>}
      <h3>{t('request.pastTitle')}</h3>
      {list.error && <ErrorNotice error={list.error} onRetry={list.reload} />}
      {list.data && list.data.items.length === 0 && <p className="empty">{t('request.none')}</p>}
      {list.data && list.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="records" data-testid="blank-requests">
            <caption className="visually-hidden">{t('request.pastTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('request.col.when')}</th>
                <th scope="col">{t('request.col.qty')}</th>
                <th scope="col">{t('request.justification')}</th>
                <th scope="col">{t('request.col.state')}</th>
                <th scope="col">{t('request.col.answer')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((r) => (
                <tr key={r.id} data-state={r.state}>
                  <td data-label={t('request.col.when')}>
                    {formatDateTime(r.requestedAt, lang)} <span className="muted">· {r.requestedBy}</span>
                  </td>
                  <td data-label={t('request.col.qty')}>{formatNumber(r.quantity, lang)}</td>
                  <td data-label={t('request.justification')}>
                    {r.justification.text[lang]}
                    {r.note && <div className="small muted">{r.note}</div>}
                  </td>
                  <td data-label={t('request.col.state')}>{t(`request.state.${r.state}` as MessageKey)}</td>
                  <td data-label={t('request.col.answer')}>
                    <Answer request={r} />
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
