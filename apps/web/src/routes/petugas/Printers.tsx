import { useEffect, useState, type FormEvent } from 'react';
import { PRINTER_STATES, printerSchema, printPlanRoutes, siteListSchema } from '@tangguh/protocol';
import type { z } from 'zod';
import { ApiError, contractApi, toApiError } from '../../api.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Field } from '../../components/Field.tsx';
import { useSession } from '../../components/Session.tsx';
import { formatDateTime, formatNumber, formatPercent } from '../../format.ts';
import { usePolling } from '../../hooks.ts';
import { dictionaries, useI18n, type MessageKey } from '../../i18n/index.tsx';
import { SiteSelect } from './stock-forms.tsx';
import './print.css';

type Printer = z.infer<typeof printerSchema>;
const printerListSchema = printPlanRoutes.printers.response[200];
const REFRESH_MS = 15_000;
const EDITORS = new Set(['supervisor', 'admin']);

/** One consumable as a bar: what is left of a full set, orange near the end, red when gone. */
function Supply({ label, left, per }: { label: string; left: number; per: number }) {
  const { t, lang } = useI18n();
  const ratio = per > 0 ? Math.min(1, left / per) : 0;
  const tone = left === 0 ? ' supply--empty' : ratio < 0.1 ? ' supply--low' : '';
  const text = t('printers.left', { left: formatNumber(left, lang), per: formatNumber(per, lang), pct: formatPercent(ratio, lang) });
  return (
    <div className={`supply${tone}`}>
      <span>
        <strong>{label}</strong>: {text}
      </span>
      <span className="meter" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={per} aria-valuenow={Math.min(left, per)} aria-valuetext={text}>
        <span className="meter__fill" style={{ width: `${ratio * 100}%` }} />
      </span>
    </div>
  );
}

type Draft = Record<'id' | 'siteId' | 'name' | 'state' | 'capacityPerDay' | 'ribbonLeft' | 'filmLeft' | 'printsPerRibbon' | 'printsPerFilm', string>;
const NUMBERS = ['capacityPerDay', 'ribbonLeft', 'filmLeft', 'printsPerRibbon', 'printsPerFilm'] as const;

function draftOf(printer: Printer | undefined, siteId: string): Draft {
  if (!printer) return { id: '', siteId, name: '', state: 'ready', capacityPerDay: '100', ribbonLeft: '500', filmLeft: '500', printsPerRibbon: '500', printsPerFilm: '500' };
  const { id, name, state } = printer;
  return { id, siteId: printer.siteId, name, state, ...Object.fromEntries(NUMBERS.map((k) => [k, String(printer[k])])) } as Draft;
}

function PrinterForm({ printer, sites, defaultSiteId, onSaved, onCancel }: { printer?: Printer; sites: { id: string; name: string }[]; defaultSiteId: string; onSaved: (p: Printer) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Draft>(() => draftOf(printer, defaultSiteId));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const issues = (field: string) => error?.issues.filter((i) => i.field === field) ?? [];
  const prefix = printer ? `printer-${printer.id}` : 'printer-new';

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!printer && draft.id.trim() === '') {
      // A new printer needs its code before anything is sent: the code is the address it is saved under.
      const messages = { id: dictionaries.id['printers.idRequired'], en: dictionaries.en['printers.idRequired'] };
      setError(new ApiError(0, 'PRINTER_ID_REQUIRED', messages, [{ field: 'id', code: 'required', messages }]));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const body = { siteId: draft.siteId, name: draft.name, state: draft.state, ...Object.fromEntries(NUMBERS.map((k) => [k, draft[k].trim() === '' ? -1 : Number(draft[k])])) };
      onSaved(await contractApi.put(printerSchema, `/api/print-plan/printers/${encodeURIComponent(draft.id.trim())}`, body));
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit} noValidate aria-label={printer ? `${t('printers.edit')} ${printer.name}` : t('printers.add')}>
      {error && <ErrorNotice error={error} extraIssues={error.issues.filter((i) => !(i.field in draft))} />}
      <div className="form-grid">
        {!printer && (
          <Field id={`${prefix}-id`} label={t('printers.id')} hint={t('printers.idHint')} issues={issues('id')}>
            {(control) => <input {...control} className="mono" value={draft.id} maxLength={64} onChange={(e) => set({ id: e.target.value })} />}
          </Field>
        )}
        <Field id={`${prefix}-name`} label={t('printers.name')} issues={issues('name')}>
          {(control) => <input {...control} value={draft.name} maxLength={120} onChange={(e) => set({ name: e.target.value })} />}
        </Field>
        <SiteSelect id={`${prefix}-site`} label={t('stock.site')} value={draft.siteId} onChange={(siteId) => set({ siteId })} sites={sites} issues={issues('siteId')} />
        <Field id={`${prefix}-state`} label={t('printers.state')} issues={issues('state')}>
          {(control) => (
            <select {...control} value={draft.state} onChange={(e) => set({ state: e.target.value })}>
              {PRINTER_STATES.map((s) => (
                <option key={s} value={s}>
                  {t(`printers.state.${s}` as MessageKey)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {NUMBERS.map((k) => (
          <Field key={k} id={`${prefix}-${k}`} label={t(`printers.${k}` as MessageKey)} issues={issues(k)}>
            {(control) => <input {...control} inputMode="numeric" value={draft[k]} onChange={(e) => set({ [k]: e.target.value.replace(/\D/g, '') })} />}
          </Field>
        ))}
      </div>
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('printers.saving') : t('printers.save')}
        </button>
        <button type="button" className="button button--ghost" onClick={onCancel}>
          {t('printers.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Printers per site: state, capacity and consumables, editable by supervisors and admins. */
export default function PrintersPage() {
  const { t, lang } = useI18n();
  const { user, expire } = useSession();
  const printers = usePolling((signal) => contractApi.get(printerListSchema, '/api/print-plan/printers', signal), [], REFRESH_MS);
  const sites = usePolling((signal) => contractApi.get(siteListSchema, '/api/sites', signal), []);
  const [editing, setEditing] = useState<string>();
  const [saved, setSaved] = useState<Printer>();
  const canEdit = EDITORS.has(user.role);
  useEffect(() => {
    if (printers.error?.status === 401) expire();
  }, [printers.error, expire]);
  const siteList = sites.data?.items ?? [];
  const siteName = (id: string) => siteList.find((s) => s.id === id)?.name ?? id;
  const done = (printer: Printer) => {
    setSaved(printer);
    setEditing(undefined);
    printers.reload();
  };

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('printers.title')}</h1>
      </div>
      <p className="muted">{t('printers.intro')}</p>
      {!canEdit && <p className="muted small">{t('printers.readOnly')}</p>}
      {saved && (
        <div className="notice notice--success" role="status">
          <p className="notice__title">{t('printers.saved', { name: saved.name })}</p>
        </div>
      )}
      {printers.error && <ErrorNotice error={printers.error} onRetry={printers.reload} />}
      {!printers.data && !printers.error && <p className="muted">{t('app.loading')}</p>}
      {printers.data && printers.data.items.length === 0 && <p className="empty">{t('printers.empty')}</p>}
      {printers.data && printers.data.items.length > 0 && (
        <ul className="printer-list">
          {printers.data.items.map((p) => (
            <li key={p.id} className={`printer printer--${p.state}`} data-testid="printer" data-printer={p.id}>
              <div className="printer__head">
                <div>
                  <strong>{p.name}</strong>
                  <p className="small muted">
                    {siteName(p.siteId)} · <span className="mono">{p.id}</span>
                  </p>
                </div>
                <span className={`pill pill--${p.state}`}>{t(`printers.state.${p.state}` as MessageKey)}</span>
              </div>
              <p className="small">
                <strong>{t('printers.capacity')}:</strong> {t('printers.perDay', { n: formatNumber(p.capacityPerDay, lang) })}
              </p>
              <Supply label={t('printers.ribbon')} left={p.ribbonLeft} per={p.printsPerRibbon} />
              <Supply label={t('printers.film')} left={p.filmLeft} per={p.printsPerFilm} />
              <p className="small muted">{t('printers.updated', { time: formatDateTime(p.updatedAt, lang) })}</p>
              {canEdit && editing !== p.id && (
                <div className="actions">
                  <button type="button" className="button button--secondary button--small" onClick={() => setEditing(p.id)}>
                    {t('printers.edit')}
                  </button>
                </div>
              )}
              {canEdit && editing === p.id && <PrinterForm printer={p} sites={siteList} defaultSiteId={p.siteId} onSaved={done} onCancel={() => setEditing(undefined)} />}
            </li>
          ))}
        </ul>
      )}
      {canEdit && siteList.length > 0 && (
        <section className="card stack" aria-labelledby="printer-add-title">
          <h2 id="printer-add-title">{t('printers.add')}</h2>
          {editing === '' ? (
            <PrinterForm sites={siteList} defaultSiteId={user.siteId ?? siteList[0]!.id} onSaved={done} onCancel={() => setEditing(undefined)} />
          ) : (
            <div className="actions">
              <button type="button" className="button button--secondary" onClick={() => setEditing('')}>
                {t('printers.add')}
              </button>
            </div>
          )}
        </section>
      )}
    </div>
  );
}
