import { useState, type FormEvent, type ReactNode } from 'react';
import { blankMovementResponseSchema, LOAN_PURPOSES, SPOILAGE_REASONS, type BlankMovementResponse, type SiteList } from '@tangguh/protocol';
import { contractApi, toApiError, type ApiError } from '../../api.ts';
import type { ApiIssue } from '../../api-types.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Field } from '../../components/Field.tsx';
import { formatNumber } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';

export type MovementKind = 'receipt' | 'transfer' | 'loan' | 'spoilage' | 'correction';

/** Who may record what (the server decides; the screen offers only what the role can do). */
export const MOVEMENT_ROLES: Record<MovementKind, readonly string[]> = {
  receipt: ['supervisor', 'admin'],
  transfer: ['supervisor', 'admin'],
  loan: ['supervisor', 'admin'],
  spoilage: ['operator', 'supervisor', 'admin'],
  correction: ['supervisor'],
};

/** A service point as the forms need it: the contract's site, without its kind. */
export type Site = Pick<SiteList['items'][number], 'id' | 'name'>;

interface FormProps {
  sites: Site[];
  defaultSiteId: string;
  onRecorded: (response: BlankMovementResponse) => void;
}

/** Whole numbers typed by a person: '' stays '', anything else is read as written (the server checks the range). */
function whole(value: string): number | undefined {
  const trimmed = value.trim().replace(/[−–]/g, '-').replace(/[.\s]/g, '');
  if (trimmed === '' || !/^-?\d+$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** A form whose submit posts `body()` to `path` and shows the server's bilingual refusal beside its fields. */
function MovementForm({ path, body, fields, onRecorded, title, reset }: { path: string; body: () => Record<string, unknown>; fields: (issues: (f: string) => ApiIssue[]) => ReactNode; onRecorded: FormProps['onRecorded']; title: string; reset: () => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onRecorded(await contractApi.post(blankMovementResponseSchema, path, body()));
      reset();
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }
  const issues = (field: string) => error?.issues.filter((i) => i.field === field) ?? [];
  const known = new Set(Object.keys(body()));
  return (
    <form className="stack" onSubmit={submit} noValidate aria-label={title}>
      {error && <ErrorNotice error={error} extraIssues={error.issues.filter((i) => !known.has(i.field))} />}
      <div className="form-grid">{fields(issues)}</div>
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('stock.submitting') : t('stock.submit')}
        </button>
      </div>
    </form>
  );
}

/** A site picked from the office's sites, with the server's issues for that field. */
export function SiteSelect({ id, label, value, onChange, sites, issues }: { id: string; label: string; value: string; onChange: (v: string) => void; sites: Site[]; issues: ApiIssue[] }) {
  return (
    <Field id={id} label={label} issues={issues}>
      {(control) => (
        <select {...control} value={value} onChange={(e) => onChange(e.target.value)}>
          {sites.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function ReceiptForm({ sites, defaultSiteId, onRecorded }: FormProps) {
  const { t, lang } = useI18n();
  const [siteId, setSiteId] = useState(defaultSiteId);
  const [tranche, setTranche] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const a = whole(from);
  const b = whole(to);
  const quantity = a !== undefined && b !== undefined && b >= a ? b - a + 1 : undefined;
  return (
    <MovementForm
      title={t('stock.kind.receipt')}
      path="/api/stok-blangko/penerimaan"
      body={() => ({ siteId, tranche, quantity: quantity ?? 0, serialFrom: a ?? -1, serialTo: b ?? -1 })}
      onRecorded={onRecorded}
      reset={() => {
        setTranche('');
        setFrom('');
        setTo('');
      }}
      fields={(issues) => (
        <>
          <SiteSelect id="receipt-site" label={t('stock.site')} value={siteId} onChange={setSiteId} sites={sites} issues={issues('siteId')} />
          <Field id="receipt-tranche" label={t('stock.tranche')} hint={t('stock.trancheHint')} issues={issues('tranche')}>
            {(control) => <input {...control} value={tranche} onChange={(e) => setTranche(e.target.value)} autoComplete="off" maxLength={64} />}
          </Field>
          <Field id="receipt-from" label={t('stock.serialFrom')} issues={issues('serialFrom')}>
            {(control) => <input {...control} className="mono" inputMode="numeric" value={from} onChange={(e) => setFrom(e.target.value)} />}
          </Field>
          <Field id="receipt-to" label={t('stock.serialTo')} issues={[...issues('serialTo'), ...issues('quantity')]} hint={quantity !== undefined ? t('stock.quantityFromRange', { n: formatNumber(quantity, lang) }) : undefined}>
            {(control) => <input {...control} className="mono" inputMode="numeric" value={to} onChange={(e) => setTo(e.target.value)} />}
          </Field>
        </>
      )}
    />
  );
}

export function TransferForm({ sites, defaultSiteId, onRecorded }: FormProps) {
  const { t } = useI18n();
  const [fromSiteId, setFromSiteId] = useState(defaultSiteId);
  const [toSiteId, setToSiteId] = useState(sites.find((s) => s.id !== defaultSiteId)?.id ?? defaultSiteId);
  const [quantity, setQuantity] = useState('');
  return (
    <MovementForm
      title={t('stock.kind.transfer')}
      path="/api/stok-blangko/pemindahan"
      body={() => ({ fromSiteId, toSiteId, quantity: whole(quantity) ?? 0 })}
      onRecorded={onRecorded}
      reset={() => setQuantity('')}
      fields={(issues) => (
        <>
          <SiteSelect id="transfer-from" label={t('stock.fromSite')} value={fromSiteId} onChange={setFromSiteId} sites={sites} issues={issues('fromSiteId')} />
          <SiteSelect id="transfer-to" label={t('stock.toSite')} value={toSiteId} onChange={setToSiteId} sites={sites} issues={issues('toSiteId')} />
          <Field id="transfer-qty" label={t('stock.quantity')} issues={issues('quantity')}>
            {(control) => <input {...control} inputMode="numeric" value={quantity} onChange={(e) => setQuantity(e.target.value)} />}
          </Field>
        </>
      )}
    />
  );
}

export function SpoilageForm({ sites, defaultSiteId, onRecorded }: FormProps) {
  const { t } = useI18n();
  const [siteId, setSiteId] = useState(defaultSiteId);
  const [serial, setSerial] = useState('');
  const [reason, setReason] = useState<string>(SPOILAGE_REASONS[0]);
  return (
    <MovementForm
      title={t('stock.kind.spoilage')}
      path="/api/stok-blangko/kerusakan"
      body={() => ({ siteId, serial: whole(serial) ?? -1, reason })}
      onRecorded={onRecorded}
      reset={() => setSerial('')}
      fields={(issues) => (
        <>
          <SiteSelect id="spoilage-site" label={t('stock.site')} value={siteId} onChange={setSiteId} sites={sites} issues={issues('siteId')} />
          <Field id="spoilage-serial" label={t('stock.serial')} issues={issues('serial')}>
            {(control) => <input {...control} className="mono" inputMode="numeric" value={serial} onChange={(e) => setSerial(e.target.value)} />}
          </Field>
          <Field id="spoilage-reason" label={t('stock.reason')} issues={issues('reason')}>
            {(control) => (
              <select {...control} value={reason} onChange={(e) => setReason(e.target.value)}>
                {SPOILAGE_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {t(`stock.reason.${r}` as MessageKey)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </>
      )}
    />
  );
}

export function CorrectionForm({ sites, defaultSiteId, onRecorded }: FormProps) {
  const { t } = useI18n();
  const [siteId, setSiteId] = useState(defaultSiteId);
  const [delta, setDelta] = useState('');
  const [reason, setReason] = useState('');
  const [countedBy, setCountedBy] = useState('');
  return (
    <MovementForm
      title={t('stock.kind.correction')}
      path="/api/stok-blangko/koreksi"
      body={() => ({ siteId, delta: whole(delta) ?? 0, reason, countedBy })}
      onRecorded={onRecorded}
      reset={() => {
        setDelta('');
        setReason('');
        setCountedBy('');
      }}
      fields={(issues) => (
        <>
          <SiteSelect id="correction-site" label={t('stock.site')} value={siteId} onChange={setSiteId} sites={sites} issues={issues('siteId')} />
          <Field id="correction-delta" label={t('stock.delta')} hint={t('stock.deltaHint')} issues={issues('delta')}>
            {(control) => <input {...control} inputMode="numeric" value={delta} onChange={(e) => setDelta(e.target.value)} />}
          </Field>
          <Field id="correction-reason" label={t('stock.correctionReason')} issues={issues('reason')}>
            {(control) => <input {...control} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <Field id="correction-counter" label={t('stock.countedBy')} hint={t('stock.countedByHint')} issues={issues('countedBy')}>
            {(control) => <input {...control} value={countedBy} maxLength={64} autoComplete="off" onChange={(e) => setCountedBy(e.target.value)} />}
          </Field>
        </>
      )}
    />
  );
}

export function LoanForm({ sites, defaultSiteId, onRecorded }: FormProps) {
  const { t } = useI18n();
  const [direction, setDirection] = useState<'out' | 'in'>('out');
  const [purpose, setPurpose] = useState<(typeof LOAN_PURPOSES)[number]>('loan');
  const [siteId, setSiteId] = useState(defaultSiteId);
  const [officeId, setOfficeId] = useState('');
  const [quantity, setQuantity] = useState('');
  const [serialFrom, setSerialFrom] = useState('');
  const [serialTo, setSerialTo] = useState('');
  return (
    <MovementForm
      title={t('stock.kind.loan')}
      path={direction === 'out' ? '/api/stok-blangko/pinjaman-keluar' : '/api/stok-blangko/pinjaman-masuk'}
      body={() => ({ siteId, officeId, quantity: whole(quantity) ?? 0, purpose, serialFrom: whole(serialFrom), serialTo: whole(serialTo) })}
      onRecorded={onRecorded}
      reset={() => {
        setQuantity('');
        setSerialFrom('');
        setSerialTo('');
      }}
      fields={(issues) => (
        <>
          <Field id="loan-direction" label={t('stock.loanDirection')}>
            {(control) => (
              <select {...control} value={direction} onChange={(e) => setDirection(e.target.value as 'out' | 'in')}>
                <option value="out">{t('stock.loanOut')}</option>
                <option value="in">{t('stock.loanIn')}</option>
              </select>
            )}
          </Field>
          <Field id="loan-purpose" label={t('stock.purpose')} issues={issues('purpose')}>
            {(control) => (
              <select {...control} value={purpose} onChange={(e) => setPurpose(e.target.value as (typeof LOAN_PURPOSES)[number])}>
                {LOAN_PURPOSES.map((p) => (
                  <option key={p} value={p}>
                    {t(`stock.purpose.${p}` as MessageKey)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <SiteSelect id="loan-site" label={t('stock.site')} value={siteId} onChange={setSiteId} sites={sites} issues={issues('siteId')} />
          <Field id="loan-office" label={t('stock.office')} hint={t('stock.officeHint')} issues={issues('officeId')}>
            {(control) => <input {...control} className="mono" inputMode="numeric" maxLength={4} value={officeId} onChange={(e) => setOfficeId(e.target.value)} />}
          </Field>
          <Field id="loan-qty" label={t('stock.quantity')} issues={issues('quantity')}>
            {(control) => <input {...control} inputMode="numeric" value={quantity} onChange={(e) => setQuantity(e.target.value)} />}
          </Field>
          <Field id="loan-serial-from" label={t('stock.loanSerialFrom')} hint={t('stock.loanSerialHint')} issues={issues('serialFrom')}>
            {(control) => <input {...control} className="mono" inputMode="numeric" value={serialFrom} onChange={(e) => setSerialFrom(e.target.value)} />}
          </Field>
          <Field id="loan-serial-to" label={t('stock.loanSerialTo')} issues={issues('serialTo')}>
            {(control) => <input {...control} className="mono" inputMode="numeric" value={serialTo} onChange={(e) => setSerialTo(e.target.value)} />}
          </Field>
        </>
      )}
    />
  );
}
