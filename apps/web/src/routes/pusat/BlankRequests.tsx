import { useEffect, useState, type FormEvent } from 'react';
import { CENTRAL_BLANK_REQUEST_STATUSES, centralBlankRequestListSchema, centralBlankRequestRoutes, type CentralBlankRequest } from '@tangguh/protocol';
import { contractApi, toApiError, withQuery, type ApiError } from '../../api.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Field } from '../../components/Field.tsx';
import { useSession } from '../../components/Session.tsx';
import { formatDate, formatDateTime, formatNumber } from '../../format.ts';
import { usePolling } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import '../petugas/print.css';

const REFRESH_MS = 15_000;
const answeredSchema = centralBlankRequestRoutes.allocate.response[200];
type Filter = (typeof CENTRAL_BLANK_REQUEST_STATUSES)[number] | 'all';

const whole = (text: string) => (/^\d{1,16}$/.test(text.trim()) ? Number(text.trim()) : -1);
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Allocation or refusal of one request; the serial range starts after the highest one allocated so far. */
function AnswerForm({ request, nextSerial, onAnswered }: { request: CentralBlankRequest; nextSerial: number; onAnswered: (r: CentralBlankRequest) => void }) {
  const { t } = useI18n();
  const [mode, setMode] = useState<'allocate' | 'refuse'>('allocate');
  const [quantity, setQuantity] = useState(String(request.quantity));
  const [tranche, setTranche] = useState('');
  const [serialFrom, setSerialFrom] = useState(String(nextSerial));
  const [earliest, setEarliest] = useState(isoDay(new Date(Date.now() + 7 * 86_400_000)));
  const [latest, setLatest] = useState(isoDay(new Date(Date.now() + 14 * 86_400_000)));
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const q = whole(quantity);
  const from = whole(serialFrom);
  const serialTo = q > 0 && from >= 0 ? from + q - 1 : -1;
  const issues = (field: string) => error?.issues.filter((i) => i.field === field) ?? [];
  const prefix = `answer-${request.id}`;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const base = `/api/admin/blank-requests/${encodeURIComponent(request.id)}`;
      const answered =
        mode === 'allocate'
          ? await contractApi.post(answeredSchema, `${base}/allocation`, { quantity: q, tranche, serialFrom: from, serialTo, deliveryEarliest: earliest, deliveryLatest: latest })
          : await contractApi.post(answeredSchema, `${base}/refusal`, { reason });
      onAnswered(answered.request);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  const known = mode === 'allocate' ? ['quantity', 'tranche', 'serialFrom', 'serialTo', 'deliveryEarliest', 'deliveryLatest'] : ['reason'];
  return (
    <form className="stack" onSubmit={submit} noValidate aria-label={`${t('centreBlank.allocate')} / ${t('centreBlank.refuse')}: ${request.officeName}`}>
      <div className="kind-switch" role="group" aria-label={t('centreBlank.filter')}>
        {(['allocate', 'refuse'] as const).map((m) => (
          <button key={m} type="button" className="button button--secondary button--small" aria-pressed={mode === m} onClick={() => setMode(m)}>
            {t(`centreBlank.${m}`)}
          </button>
        ))}
      </div>
      {error && <ErrorNotice error={error} extraIssues={error.issues.filter((i) => !known.includes(i.field))} />}
      {mode === 'allocate' ? (
        <div className="form-grid">
          <Field id={`${prefix}-qty`} label={t('centreBlank.quantity')} issues={issues('quantity')}>
            {(control) => <input {...control} inputMode="numeric" value={quantity} onChange={(e) => setQuantity(e.target.value)} />}
          </Field>
          <Field id={`${prefix}-tranche`} label={t('centreBlank.tranche')} issues={issues('tranche')}>
            {(control) => <input {...control} value={tranche} maxLength={64} onChange={(e) => setTranche(e.target.value)} />}
          </Field>
          <Field id={`${prefix}-from`} label={t('centreBlank.serialFrom')} issues={issues('serialFrom')}>
            {(control) => <input {...control} className="mono" inputMode="numeric" value={serialFrom} onChange={(e) => setSerialFrom(e.target.value)} />}
          </Field>
          <Field id={`${prefix}-to`} label={t('centreBlank.serialTo')} issues={issues('serialTo')}>
            {(control) => <input {...control} className="mono" readOnly value={serialTo >= 0 ? String(serialTo) : ''} />}
          </Field>
          <Field id={`${prefix}-earliest`} label={t('centreBlank.deliveryEarliest')} issues={issues('deliveryEarliest')}>
            {(control) => <input {...control} type="date" value={earliest} onChange={(e) => setEarliest(e.target.value)} />}
          </Field>
          <Field id={`${prefix}-latest`} label={t('centreBlank.deliveryLatest')} issues={issues('deliveryLatest')}>
            {(control) => <input {...control} type="date" value={latest} onChange={(e) => setLatest(e.target.value)} />}
          </Field>
        </div>
      ) : (
        <Field id={`${prefix}-reason`} label={t('centreBlank.reason')} issues={issues('reason')}>
          {(control) => <textarea {...control} value={reason} maxLength={500} rows={3} onChange={(e) => setReason(e.target.value)} />}
        </Field>
      )}
      <div className="actions">
        <button type="submit" className={`button ${mode === 'allocate' ? 'button--primary' : 'button--danger'}`} disabled={busy}>
          {busy ? t('centreBlank.saving') : t(`centreBlank.${mode}`)}
        </button>
      </div>
    </form>
  );
}

function RequestItem({ request, nextSerial, onAnswered }: { request: CentralBlankRequest; nextSerial: number; onAnswered: (r: CentralBlankRequest) => void }) {
  const { t, lang } = useI18n();
  const j = request.justification;
  const a = request.allocation;
  return (
    <li className="card stack" data-testid="centre-blank-request" data-status={request.status}>
      <div className="printer__head">
        <h2>{t('centreBlank.asked', { office: request.officeName, n: formatNumber(request.quantity, lang) })}</h2>
        <span className="pill">{t(`centreBlank.status.${request.status}` as MessageKey)}</span>
      </div>
      <p className="small muted">{t('centreBlank.requestedBy', { who: request.requestedBy, time: formatDateTime(request.requestedAt, lang), received: formatDateTime(request.receivedAt, lang) })}</p>
      <p>
        <strong>{j.text[lang]}</strong>
      </p>
      <p className="small">
        {t('centreBlank.figures', { waiting: formatNumber(j.waiting, lang), stock: formatNumber(j.stock, lang), printers: j.printers, overdue: formatNumber(j.overdue, lang), expected: formatNumber(j.expected, lang) })}
      </p>
      {request.note && <p className="small">“{request.note}”</p>}
      {a && (
        <p className="notice notice--success">
          {t('request.allocation', { n: formatNumber(a.quantity, lang), tranche: a.tranche, from: a.serialFrom, to: a.serialTo, earliest: formatDate(a.deliveryEarliest, lang), latest: formatDate(a.deliveryLatest, lang) })}
          {request.answeredBy && ` · ${t('request.answeredBy', { who: request.answeredBy, time: formatDateTime(request.answeredAt, lang) })}`}
        </p>
      )}
      {request.refusal && <p className="notice notice--warning">{t('request.refusal', { reason: request.refusal })}</p>}
      {request.status === 'pending' && <AnswerForm request={request} nextSerial={nextSerial} onAnswered={onAnswered} />}
    </li>
  );
}

/** `/pusat/blangko`: the centre's admin reads every office's blank requests and answers them. */
export default function BlankRequestsPage() {
  const { t, lang } = useI18n();
  const { expire } = useSession();
  const [status, setStatus] = useState<Filter>('pending');
  const [answered, setAnswered] = useState<CentralBlankRequest>();
  const list = usePolling((signal) => contractApi.get(centralBlankRequestListSchema, withQuery('/api/admin/blank-requests', { status }), signal), [status, answered?.id], REFRESH_MS);
  useEffect(() => {
    if (list.error?.status === 401) expire();
  }, [list.error, expire]);
  const nextSerial = (list.data?.highestSerial ?? 0) + 1;
  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('centreBlank.title')}</h1>
      </div>
      <p className="muted">{t('centreBlank.intro')}</p>
      <div className="field">
        <label className="field__label" htmlFor="centre-blank-status">
          {t('centreBlank.filter')}
        </label>
        <select id="centre-blank-status" value={status} onChange={(e) => setStatus(e.target.value as Filter)}>
          {(['pending', 'allocated', 'refused', 'all'] as const).map((s) => (
            <option key={s} value={s}>
              {t(`centreBlank.status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      {answered && (
        <div className="notice notice--success" role="status">
          <p className="notice__title">{t('centreBlank.answered', { office: answered.officeName })}</p>
        </div>
      )}
      {list.error && <ErrorNotice error={list.error} onRetry={list.reload} />}
      {!list.data && !list.error && <p className="muted">{t('app.loading')}</p>}
      {list.data && (
        <>
          <p className="small muted">{t('centreBlank.totals', { n: formatNumber(list.data.allocatedTotal, lang), serial: list.data.highestSerial ?? '—' })}</p>
          {list.data.items.length === 0 ? (
            <p className="empty">{t('centreBlank.empty')}</p>
          ) : (
            <ul className="stack plain-list">
              {list.data.items.map((r) => (
                <RequestItem key={r.id} request={r} nextSerial={nextSerial} onAnswered={setAnswered} />
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
