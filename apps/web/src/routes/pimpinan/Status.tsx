import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { INCIDENT_STATUSES, SERVICES, SERVICE_NAMES, SERVICE_STATES } from '@tangguh/domain';
import { statusAdminSchema, type StatusAdmin } from '@tangguh/protocol';
import { contractApi, toApiError, type ApiError } from '../../api.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { formatDateTime } from '../../format.ts';
import { usePolling } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { statusText, type StatusMessageKey } from '../publik/status-messages.ts';
import '../publik/status.css';

const REFRESH_MS = 10_000;
/** `datetime-local` gives a wall-clock time without a zone: read in the browser's zone, sent as an instant. */
const instant = (local: string) => new Date(local).toISOString();

/**
 * `/pimpinan/status`: the automatic checks, incidents with their updates, overrides with a reason, planned
 * maintenance and the head's announcement (head, supervisor and admin; the announcement: head and admin).
 */
export default function StatusAdminPage() {
  const { s, lang } = useStatusText();
  const view = usePolling((signal) => contractApi.get(statusAdminSchema, '/api/status/admin', signal), [], REFRESH_MS);
  const [data, setData] = useState<StatusAdmin>();
  const [error, setError] = useState<ApiError>();
  const [saved, setSaved] = useState(false);
  const current = data ?? view.data;

  const act = async (call: () => Promise<StatusAdmin>) => {
    setError(undefined);
    setSaved(false);
    try {
      setData(await call());
      setSaved(true);
      view.reload();
    } catch (caught) {
      setError(toApiError(caught));
    }
  };
  const serviceName = (service: string | null) => (service ? SERVICE_NAMES[service as keyof typeof SERVICE_NAMES][lang] : s('admin.allServices'));

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{s('admin.title')}</h1>
      </div>
      <p className="muted">
        {s('admin.intro')} <a href="/status">/status</a>
      </p>
      {view.error && <ErrorNotice error={view.error} onRetry={view.reload} />}
      {error && <ErrorNotice error={error} />}
      {saved && (
        <p className="notice notice--success" role="status">
          {s('admin.saved')}
        </p>
      )}
      {current && (
        <>
          <section className="card" aria-labelledby="status-caps">
            <h2 id="status-caps">{s('admin.capabilities')}</h2>
            <div className="table-wrap">
              <table className="records">
                <thead>
                  <tr>
                    <th>{s('admin.col.capability')}</th>
                    <th>{s('admin.col.where')}</th>
                    <th>{s('admin.col.state')}</th>
                    <th>{s('admin.col.since')}</th>
                    <th>{s('admin.col.detail')}</th>
                  </tr>
                </thead>
                <tbody>
                  {current.capabilities.map((c) => (
                    <tr key={`${c.capability}|${c.scope}`} data-testid="status-capability" data-capability={c.capability} data-state={c.state}>
                      <td>{c.name[lang]}</td>
                      <td>{c.siteName ?? s('admin.office')}</td>
                      <td>{s(`cap.${c.state}`)}</td>
                      <td>{formatDateTime(c.since, lang)}</td>
                      <td className="small">{c.detail[lang]}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <section className="card" aria-labelledby="status-incidents-admin">
            <h2 id="status-incidents-admin">{s('status.incidents')}</h2>
            {current.incidents.length === 0 && <p className="muted">{s('status.noIncidents')}</p>}
            {current.incidents.map((i) => (
              <article key={i.id} className={`status-incident${i.resolvedAt ? '' : ' status-incident--open'}`} style={{ padding: '0.5rem 0' }}>
                <p className="status-incident__title">{i.title[lang]}</p>
                <p className="small muted">
                  {i.resolvedAt ? s('status.resolved', { time: formatDateTime(i.resolvedAt, lang) }) : s('status.ongoing', { time: formatDateTime(i.openedAt, lang) })}
                  {' · '}
                  {s('status.affected', { n: i.affectedCount })}
                </p>
                <ol className="status-timeline">
                  {i.updates.map((u, n) => (
                    <li key={n}>
                      <span className="status-timeline__stage">{s(`incident.${u.status}`)}</span>{' '}
                      <span className="small muted">
                        {formatDateTime(u.at, lang)} · {u.author ?? s('status.byOffice')}
                      </span>
                      <p>{u.message[lang]}</p>
                    </li>
                  ))}
                </ol>
                <TwoTextForm
                  submit={s('admin.addUpdate')}
                  labels={[s('admin.messageId'), s('admin.messageEn')]}
                  extra={(value, set) => (
                    <Select label={s('admin.stage')} value={value || (i.resolvedAt ? 'resolved' : 'identified')} onChange={set} options={INCIDENT_STATUSES.filter((x) => !i.resolvedAt || x === 'resolved').map((x) => [x, s(`incident.${x}`)])} />
                  )}
                  onSubmit={(id, en, stage) =>
                    act(() => contractApi.post(statusAdminSchema, `/api/status/incidents/${i.id}/updates`, { status: stage || (i.resolvedAt ? 'resolved' : 'identified'), message: bilingual(id, en) }))
                  }
                />
              </article>
            ))}
          </section>

          <OverrideSection current={current} act={act} serviceName={serviceName} />
          <MaintenanceSection current={current} act={act} serviceName={serviceName} />
          <AnnouncementSection current={current} act={act} />
        </>
      )}
    </div>
  );
}

type Act = (call: () => Promise<StatusAdmin>) => Promise<void>;

function Select({ label, value, onChange, options }: { label: string; value: string; onChange: (v: string) => void; options: [string, string][] }) {
  const id = useId();
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

function Input({ label, value, onChange, type = 'text', required = false }: { label: string; value: string; onChange: (v: string) => void; type?: string; required?: boolean }) {
  const id = useId();
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input id={id} type={type} value={value} required={required} maxLength={1000} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

function TwoTextForm({ submit, labels, extra, onSubmit }: { submit: string; labels: [string, string]; extra?: (value: string, set: (v: string) => void) => ReactNode; onSubmit: (id: string, en: string, extra: string) => Promise<void> }) {
  const [id, setId] = useState('');
  const [en, setEn] = useState('');
  const [more, setMore] = useState('');
  return (
    <AdminForm
      submit={submit}
      secondary
      onSubmit={() =>
        onSubmit(id.trim(), en.trim(), more).then(() => {
          setId('');
          setEn('');
        })
      }
    >
      {extra?.(more, setMore)}
      <Input label={labels[0]} value={id} onChange={setId} required />
      <Input label={labels[1]} value={en} onChange={setEn} />
    </AdminForm>
  );
}

/** One of the admin's forms: its fields, then the button that sends it. */
function AdminForm({ submit, secondary = false, onSubmit, children }: { submit: string; secondary?: boolean; onSubmit: () => Promise<void>; children: ReactNode }) {
  return (
    <form
      className="status-admin-form"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void onSubmit();
      }}
    >
      {children}
      <button type="submit" className={`button ${secondary ? 'button--secondary' : 'button--primary'}`}>
        {submit}
      </button>
    </form>
  );
}

/** A form's fields in one state: `set('key')` is the change handler of that field. */
function useFormFields<T extends Record<string, string>>(initial: T): [T, (key: keyof T) => (v: string) => void] {
  const [form, setForm] = useState(initial);
  return [form, (key) => (v) => setForm({ ...form, [key]: v })];
}

/** A text in Indonesian and, when given, in English. */
const bilingual = (id: string, en: string) => ({ id: id.trim(), ...(en.trim() ? { en: en.trim() } : {}) });

/**
 * A section of what is in force (overrides, maintenance, announcements): each entry with the button that
 * ends it, and below them the form that adds one.
 */
function InForceSection<T extends { id: string }>({ headingId, title, items, describe, endLabel, end, act, form }: { headingId: string; title: string; items: T[]; describe: (item: T) => ReactNode; endLabel: string; end: (item: T) => Promise<StatusAdmin>; act: Act; form: ReactNode }) {
  const { s } = useStatusText();
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <ul className="status-list">
        {items.length === 0 && <li className="muted">{s('admin.none')}</li>}
        {items.map((item) => (
          <li key={item.id}>
            {describe(item)}{' '}
            <button type="button" className="button button--ghost button--small" onClick={() => void act(() => end(item))}>
              {endLabel}
            </button>
          </li>
        ))}
      </ul>
      {form}
    </section>
  );
}

function useStatusText() {
  const { lang } = useI18n();
  const s = (key: StatusMessageKey, params?: Record<string, string | number>) => statusText(lang, key, params);
  return { s, lang };
}

function useSites(current: StatusAdmin, lang: 'id' | 'en'): [string, string][] {
  return [['', statusText(lang, 'status.allSites')], ...current.sites.map((x): [string, string] => [x.id, x.name])];
}

function OverrideSection({ current, act, serviceName }: { current: StatusAdmin; act: Act; serviceName: (s: string | null) => string }) {
  const { s, lang } = useStatusText();
  const [form, set] = useFormFields({ service: 'cetak', siteId: '', state: 'terganggu', id: '', en: '', expires: '' });
  const sites = useSites(current, lang);
  return (
    <InForceSection
      headingId="status-overrides"
      title={s('admin.overrides')}
      items={current.overrides}
      describe={(o) => (
        <>
          <strong>{serviceName(o.service)}</strong> — {sites.find(([v]) => v === (o.siteId ?? ''))?.[1]}: {o.state ? s(`state.${o.state}`) : s('admin.noteOnly')} · {o.note[lang]}{' '}
          <span className="small muted">{s('admin.setBy', { who: o.setBy, time: formatDateTime(o.setAt, lang) })}</span>
        </>
      )}
      endLabel={s('admin.end')}
      end={(o) => contractApi.post(statusAdminSchema, `/api/status/overrides/${o.id}/clear`, {})}
      act={act}
      form={
        <AdminForm
          submit={s('admin.set')}
          onSubmit={() =>
            act(() =>
              contractApi.post(statusAdminSchema, '/api/status/overrides', {
                service: form.service,
                siteId: form.siteId || null,
                state: form.state === 'note' ? null : form.state,
                reason: bilingual(form.id, form.en),
                expiresAt: form.expires ? instant(form.expires) : null,
              }),
            )
          }
        >
          <Select label={s('admin.service')} value={form.service} onChange={set('service')} options={SERVICES.map((x) => [x, serviceName(x)])} />
          <Select label={s('admin.col.where')} value={form.siteId} onChange={set('siteId')} options={sites} />
          <Select label={s('admin.state')} value={form.state} onChange={set('state')} options={[...SERVICE_STATES.map((x): [string, string] => [x, s(`state.${x}`)]), ['note', s('admin.noteOnly')]]} />
          <Input label={s('admin.reasonId')} value={form.id} onChange={set('id')} required />
          <Input label={s('admin.reasonEn')} value={form.en} onChange={set('en')} />
          <Input label={s('admin.expires')} type="datetime-local" value={form.expires} onChange={set('expires')} />
        </AdminForm>
      }
    />
  );
}

function MaintenanceSection({ current, act, serviceName }: { current: StatusAdmin; act: Act; serviceName: (s: string | null) => string }) {
  const { s, lang } = useStatusText();
  const [form, set] = useFormFields({ service: '', siteId: '', starts: '', ends: '', id: '', en: '' });
  const sites = useSites(current, lang);
  return (
    <InForceSection
      headingId="status-maint"
      title={s('status.maintenance')}
      items={current.maintenance}
      describe={(m) => (
        <>
          <strong>{serviceName(m.service)}</strong> — {m.siteName ?? s('status.allSites')}: {s('status.maintenanceWhen', { from: formatDateTime(m.startsAt, lang), to: formatDateTime(m.endsAt, lang) })} · {m.note[lang]}
        </>
      )}
      endLabel={s('admin.cancel')}
      end={(m) => contractApi.post(statusAdminSchema, `/api/status/maintenance/${m.id}/cancel`, {})}
      act={act}
      form={
        <AdminForm
          submit={s('admin.schedule')}
          onSubmit={() =>
            act(() =>
              contractApi.post(statusAdminSchema, '/api/status/maintenance', {
                service: form.service || null,
                siteId: form.siteId || null,
                startsAt: instant(form.starts),
                endsAt: instant(form.ends),
                note: bilingual(form.id, form.en),
              }),
            )
          }
        >
          <Select label={s('admin.service')} value={form.service} onChange={set('service')} options={[['', s('admin.allServices')], ...SERVICES.map((x): [string, string] => [x, serviceName(x)])]} />
          <Select label={s('admin.col.where')} value={form.siteId} onChange={set('siteId')} options={sites} />
          <Input label={s('admin.starts')} type="datetime-local" value={form.starts} onChange={set('starts')} required />
          <Input label={s('admin.ends')} type="datetime-local" value={form.ends} onChange={set('ends')} required />
          <Input label={s('admin.reasonId')} value={form.id} onChange={set('id')} required />
          <Input label={s('admin.reasonEn')} value={form.en} onChange={set('en')} />
        </AdminForm>
      }
    />
  );
}

function AnnouncementSection({ current, act }: { current: StatusAdmin; act: Act }) {
  const { s, lang } = useStatusText();
  const [form, set] = useFormFields({ siteId: '', id: '', en: '', expires: '' });
  const sites = useSites(current, lang);
  return (
    <InForceSection
      headingId="status-announce"
      title={s('admin.announce')}
      items={current.announcements}
      describe={(a) => (
        <>
          <strong>{a.siteName ?? s('status.allSites')}</strong>: {a.text[lang]} <span className="small muted">{s('admin.setBy', { who: a.setBy, time: formatDateTime(a.setAt, lang) })}</span>
        </>
      )}
      endLabel={s('admin.takeDown')}
      end={(a) => contractApi.post(statusAdminSchema, '/api/status/announcement/clear', { siteId: a.siteId })}
      act={act}
      form={
        <AdminForm
          submit={s('admin.publish')}
          onSubmit={() =>
            act(() =>
              contractApi.put(statusAdminSchema, '/api/status/announcement', {
                siteId: form.siteId || null,
                text: bilingual(form.id, form.en),
                expiresAt: instant(form.expires),
              }),
            )
          }
        >
          <Select label={s('admin.col.where')} value={form.siteId} onChange={set('siteId')} options={sites} />
          <Input label={s('admin.textId')} value={form.id} onChange={set('id')} required />
          <Input label={s('admin.textEn')} value={form.en} onChange={set('en')} />
          <Input label={s('admin.expiresRequired')} type="datetime-local" value={form.expires} onChange={set('expires')} required />
        </AdminForm>
      }
    />
  );
}
