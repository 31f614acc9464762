import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { SERVICES, SERVICE_NAMES, bookingWindows, windowCapacity, zonedIsoDate, type ServiceId } from '@tangguh/domain';
import { QUEUE_PATHS, queueEndOfDaySchema, queueOptionsSchema, queueSettingsSchema, type QueueEndOfDay, type QueueSettingsBody } from '@tangguh/protocol';
import { contractApi, toApiError, type ApiError } from '../../api.ts';
import type { ApiIssue } from '../../api-types.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Field } from '../../components/Field.tsx';
import { useSession } from '../../components/Session.tsx';
import { formatDate, formatNumber, getDisplayTimeZone } from '../../format.ts';
import { usePolling } from '../../hooks.ts';
import type { Lang } from '../../i18n/index.tsx';
import { relabelIssues } from './field-issues.ts';
import { queueSettingsText, useQueueSettingsText, type QueueSettingsKey } from './queue-settings-messages.ts';
import './queue-settings.css';

/*
 * `/pimpinan/antrean/pengaturan` (supervisors and admins): every field of the queue settings
 * (GET/PUT /api/antrean/pengaturan) with the server's field messages next to the field they are about, a
 * save that lists what changed, and the end of the day (POST /api/antrean/tutup-hari) behind a confirmation
 * that says what it does, with its result.
 */

const route = (key: keyof typeof QUEUE_PATHS) => QUEUE_PATHS[key].split(' ')[1]!;

/** The form holds every field as typed (a flat map keyed by the field's path, as the server's issues name it). */
type Draft = Record<string, string>;

const CLOCKS = new Set(['opensAt', 'closesAt']);

function flatten(value: unknown, prefix = '', out: Draft = {}): Draft {
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
  } else out[prefix] = String(value);
  return out;
}

/** What is sent: clocks as typed, numbers as numbers; an empty box is sent as null so the server names it. */
function toBody(draft: Draft): unknown {
  const body: Record<string, unknown> = {};
  for (const [path, raw] of Object.entries(draft)) {
    const parts = path.split('.');
    let at = body;
    for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
    const text = raw.trim();
    const number = Number(text);
    at[parts.at(-1)!] = CLOCKS.has(path) ? text : text === '' ? null : Number.isFinite(number) ? number : text;
  }
  return body;
}

const LABELS: Partial<Record<string, QueueSettingsKey>> = {
  opensAt: 'opensAt',
  closesAt: 'closesAt',
  windowMinutes: 'windowMinutes',
  perPhonePerDay: 'perPhonePerDay',
  bookingDaysAhead: 'bookingDaysAhead',
  checkInEarlyMinutes: 'checkInEarlyMinutes',
  checkInLateMinutes: 'checkInLateMinutes',
  starvationEvery: 'starvationEvery',
  'defaultServiceMinutes.low': 'serviceLow',
  'defaultServiceMinutes.high': 'serviceHigh',
};

function labelOf(path: string, lang: Lang): string | undefined {
  const quota = /^quotas\.([a-z_]+)\.(online|walkIn)$/.exec(path);
  if (quota) return `${queueSettingsText(lang, quota[2] as 'online' | 'walkIn')} — ${SERVICE_NAMES[quota[1] as ServiceId]?.[lang] ?? quota[1]}`;
  const key = LABELS[path];
  return key ? queueSettingsText(lang, key) : undefined;
}

const bilingualLabel = (path: string) => {
  const id = labelOf(path, 'id');
  const en = labelOf(path, 'en');
  return id && en ? { id, en } : undefined;
};

interface Change {
  path: string;
  from: string;
  to: string;
}

const differences = (before: Draft, after: Draft): Change[] => Object.keys(after).filter((path) => before[path] !== after[path]).map((path) => ({ path, from: before[path] ?? '—', to: after[path]! }));

const fieldId = (path: string) => `qset-${path.replaceAll('.', '-')}`;

export default function QueueSettingsPage() {
  const { q, lang } = useQueueSettingsText();
  const { expire } = useSession();
  const loaded = usePolling((signal) => contractApi.get(queueSettingsSchema, route('settings'), signal), []);
  const options = usePolling((signal) => contractApi.get(queueOptionsSchema, route('options'), signal), []);
  const [base, setBase] = useState<QueueSettingsBody>();
  const [draft, setDraft] = useState<Draft>();
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiError>();
  const [changes, setChanges] = useState<Change[]>();
  const [conflict, setConflict] = useState<Change[]>();

  useEffect(() => {
    if (loaded.error?.status === 401) expire();
  }, [loaded.error, expire]);
  useEffect(() => {
    document.title = `${q('title')} — Tangguh`;
  });
  useEffect(() => {
    if (loaded.data && !base) {
      setBase(loaded.data);
      setDraft(flatten(loaded.data));
    }
  }, [loaded.data, base]);

  const issues = relabelIssues(saveError?.issues ?? [], bilingualLabel);
  const issuesOf = (path: string) => issues.filter((issue) => issue.field === path);
  const extraIssues = draft ? issues.filter((issue) => !(issue.field in draft)) : issues;
  const dirty = !!draft && !!base && Object.entries(flatten(base)).some(([path, value]) => draft[path] !== value);
  const set = (path: string, value: string) => {
    setDraft((d) => ({ ...d, [path]: value }));
    setChanges(undefined);
  };

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!draft || !base) return;
    setSaving(true);
    setSaveError(undefined);
    setChanges(undefined);
    setConflict(undefined);
    try {
      // The whole settings object is saved at once: a save must not silently undo what another supervisor
      // saved after this page was loaded. Their changes are shown and taken into the fields this person
      // left alone; nothing is saved until they have looked and press save again.
      const before = flatten(base);
      const current = await contractApi.get(queueSettingsSchema, route('settings'));
      const theirs = differences(before, flatten(current));
      if (theirs.length > 0) {
        setBase(current);
        setDraft((d) => {
          const next = { ...d };
          for (const c of theirs) if (d?.[c.path] === c.from) next[c.path] = c.to;
          return next;
        });
        setConflict(theirs);
        return;
      }
      const saved = await contractApi.put(queueSettingsSchema, route('saveSettings'), toBody(draft));
      const after = flatten(saved);
      setChanges(differences(before, after));
      setBase(saved);
      setDraft(after);
    } catch (caught) {
      const error = toApiError(caught);
      if (error.status === 401) expire();
      setSaveError(error);
    } finally {
      setSaving(false);
    }
  }

  const numberField = (path: string, label: QueueSettingsKey, hint?: QueueSettingsKey, range?: [number, number]) => (
    <Field id={fieldId(path)} label={q(label)} hint={hint ? q(hint) : undefined} issues={issuesOf(path)}>
      {(control) => <input {...control} type="number" inputMode="numeric" min={range?.[0]} max={range?.[1]} step={1} value={draft?.[path] ?? ''} onChange={(e) => set(path, e.target.value)} />}
    </Field>
  );
  const clockField = (path: string, label: QueueSettingsKey, hint: QueueSettingsKey) => (
    <Field id={fieldId(path)} label={q(label)} hint={q(hint)} issues={issuesOf(path)}>
      {(control) => <input {...control} type="time" step={60} value={draft?.[path] ?? ''} onChange={(e) => set(path, e.target.value)} />}
    </Field>
  );

  const windowMinutes = Number(draft?.windowMinutes);
  const windows = draft && /^\d\d:\d\d$/.test(draft.opensAt ?? '') && /^\d\d:\d\d$/.test(draft.closesAt ?? '') && windowMinutes >= 10 ? bookingWindows({ opensAt: draft.opensAt!, closesAt: draft.closesAt!, windowMinutes }) : undefined;
  const lowAboveHigh = draft && Number(draft['defaultServiceMinutes.low']) > Number(draft['defaultServiceMinutes.high']);

  return (
    <div className="stack qset">
      <div className="page-head">
        <h1>{q('title')}</h1>
        <Link className="button button--secondary" to="/pimpinan/antrean">
          {q('toStats')}
        </Link>
      </div>
      <p className="muted">{q('intro')}</p>
      {loaded.error && (
        <ErrorNotice error={loaded.error} onRetry={loaded.reload}>
          {loaded.error.status === 403 && <p>{q('forbidden')}</p>}
        </ErrorNotice>
      )}
      {!loaded.data && !loaded.error && <p className="muted">{q('loading')}</p>}
      {draft && base && (
        <form className="stack" noValidate onSubmit={(e) => void save(e)} aria-label={q('title')}>
          <section className="card" aria-labelledby="qset-hours">
            <h2 id="qset-hours">{q('hoursTitle')}</h2>
            <div className="form-grid">
              {clockField('opensAt', 'opensAt', 'opensAtHint')}
              {clockField('closesAt', 'closesAt', 'closesAtHint')}
              {numberField('windowMinutes', 'windowMinutes', 'windowMinutesHint', [10, 240])}
            </div>
            {windows && windows.length > 0 && (
              <p className="muted small" data-testid="qset-windows">
                {q('windowsPreview', { n: windows.length, list: windows.map((w) => `${w.start}–${w.end}`).join(', ') })}
              </p>
            )}
            {windows && windows.length === 0 && (
              <p className="notice notice--warning" data-testid="qset-windows">
                {q('windowsNone')}
              </p>
            )}
          </section>

          <section className="card" aria-labelledby="qset-quotas">
            <h2 id="qset-quotas">{q('quotasTitle')}</h2>
            <p className="muted">{q('quotasIntro')}</p>
            <div className="table-wrap">
              <table className="records qset-quotas">
                <caption className="visually-hidden">{q('quotasTitle')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{q('service')}</th>
                    <th scope="col">{q('online')}</th>
                    <th scope="col">{q('walkIn')}</th>
                    <th scope="col">{q('perWindow')}</th>
                    <th scope="col">{q('total')}</th>
                  </tr>
                </thead>
                <tbody>
                  {SERVICES.map((service) => {
                    const online = Number(draft[`quotas.${service}.online`]);
                    const walkIn = Number(draft[`quotas.${service}.walkIn`]);
                    return (
                      <tr key={service} data-service={service}>
                        <th scope="row">{SERVICE_NAMES[service][lang]}</th>
                        {(['online', 'walkIn'] as const).map((lane) => (
                          <QuotaCell key={lane} path={`quotas.${service}.${lane}`} label={labelOf(`quotas.${service}.${lane}`, lang)!} column={q(lane)} value={draft[`quotas.${service}.${lane}`] ?? ''} issues={issuesOf(`quotas.${service}.${lane}`)} onChange={set} />
                        ))}
                        <td data-label={q('perWindow')}>{windows && windows.length > 0 && Number.isFinite(online) ? formatNumber(windowCapacity(online, windows.length), lang) : '—'}</td>
                        <td data-label={q('total')}>{Number.isFinite(online + walkIn) ? formatNumber(online + walkIn, lang) : '—'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>

          <section className="card" aria-labelledby="qset-limits">
            <h2 id="qset-limits">{q('limitsTitle')}</h2>
            <div className="form-grid qset-limits">
              {numberField('perPhonePerDay', 'perPhonePerDay', 'perPhonePerDayHint', [1, 20])}
              {numberField('bookingDaysAhead', 'bookingDaysAhead', 'bookingDaysAheadHint', [1, 60])}
              {numberField('checkInEarlyMinutes', 'checkInEarlyMinutes', 'checkInHint', [0, 240])}
              {numberField('checkInLateMinutes', 'checkInLateMinutes', 'checkInHint', [0, 240])}
              {numberField('starvationEvery', 'starvationEvery', 'starvationEveryHint', [0, 20])}
              {numberField('defaultServiceMinutes.low', 'serviceLow', 'serviceHint', [1, 120])}
              {numberField('defaultServiceMinutes.high', 'serviceHigh', 'serviceHint', [1, 240])}
            </div>
            {lowAboveHigh && <p className="notice notice--warning">{q('serviceLowAboveHigh')}</p>}
          </section>

          {saveError && (
            <ErrorNotice error={saveError} extraIssues={extraIssues}>
              {issues.length > 0 && <p>{q('invalid')}</p>}
            </ErrorNotice>
          )}
          {conflict && (
            <div className="notice notice--warning" role="alert" data-testid="qset-conflict">
              <p className="qset-title">{q('conflictTitle')}</p>
              <ul className="notice__list">
                {conflict.map((c) => (
                  <li key={c.path}>{q('change', { label: labelOf(c.path, lang) ?? c.path, from: c.from, to: c.to })}</li>
                ))}
              </ul>
              <p>{q('conflictAfter')}</p>
            </div>
          )}
          {changes && (
            <div className="notice notice--success" role="status" data-testid="qset-saved">
              {changes.length === 0 ? (
                <p className="qset-title">{q('savedNothing')}</p>
              ) : (
                <>
                  <p className="qset-title">{q('savedTitle')}</p>
                  <ul className="notice__list">
                    {changes.map((c) => (
                      <li key={c.path}>{q('change', { label: labelOf(c.path, lang) ?? c.path, from: c.from, to: c.to })}</li>
                    ))}
                  </ul>
                </>
              )}
            </div>
          )}
          <div className="actions qset-actions">
            <button type="submit" className="button button--primary" disabled={saving}>
              {saving ? q('saving') : q('save')}
            </button>
            <button
              type="button"
              className="button button--ghost"
              disabled={!dirty || saving}
              onClick={() => {
                setDraft(flatten(base));
                setSaveError(undefined);
              }}
            >
              {q('reset')}
            </button>
            {dirty && <span className="muted small">{q('unsaved')}</span>}
          </div>
        </form>
      )}
      {base && <EndOfDay closesAt={base.closesAt} siteName={(id) => options.data?.sites.find((s) => s.id === id)?.name ?? id} />}
    </div>
  );
}

function QuotaCell({ path, label, column, value, issues, onChange }: { path: string; label: string; column: string; value: string; issues: ApiIssue[]; onChange: (path: string, value: string) => void }) {
  const { lang } = useQueueSettingsText();
  const id = fieldId(path);
  const errorId = issues.length > 0 ? `${id}-error` : undefined;
  return (
    <td data-label={column} className={issues.length > 0 ? 'field--invalid' : undefined}>
      <div>
        <input id={id} type="number" inputMode="numeric" min={0} max={5000} step={1} aria-label={label} aria-invalid={issues.length > 0} aria-describedby={errorId} value={value} onChange={(e) => onChange(path, e.target.value)} />
        {errorId && (
          <p className="field__error" id={errorId}>
            {issues.map((issue) => issue.messages[lang]).join(' ')}
          </p>
        )}
      </div>
    </td>
  );
}

function EndOfDay({ closesAt, siteName }: { closesAt: string; siteName: (id: string) => string }) {
  const { q, lang } = useQueueSettingsText();
  const { expire } = useSession();
  const [day, setDay] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [result, setResult] = useState<QueueEndOfDay>();
  const officeToday = zonedIsoDate(new Date(), getDisplayTimeZone());
  const isToday = day === '' || day >= officeToday;
  const dayText = day === '' ? q('today') : formatDate(day, lang);

  async function run() {
    setRunning(true);
    setError(undefined);
    try {
      setResult(await contractApi.post(queueEndOfDaySchema, route('endOfDay'), day ? { day } : {}));
      setConfirming(false);
    } catch (caught) {
      const e = toApiError(caught);
      if (e.status === 401) expire();
      setError(e);
    } finally {
      setRunning(false);
    }
  }

  return (
    <section className="card" aria-labelledby="qset-eod">
      <h2 id="qset-eod">{q('eodTitle')}</h2>
      <p className="muted">{q('eodIntro', { closesAt })}</p>
      <div className="qset-eod-row">
        <Field id="qset-eod-day" label={q('eodDay')} hint={q('eodDayHint')} issues={error?.issues.filter((i) => i.field === 'day')}>
          {(control) => (
            <input
              {...control}
              type="date"
              max={officeToday}
              value={day}
              onChange={(e) => {
                setDay(e.target.value);
                setConfirming(false);
              }}
            />
          )}
        </Field>
        {!confirming && (
          <button
            type="button"
            className="button button--danger"
            onClick={() => {
              setConfirming(true);
              setResult(undefined);
              setError(undefined);
            }}
          >
            {q('eodStart')}
          </button>
        )}
      </div>
      {confirming && (
        <div className="notice notice--warning qset-confirm" role="alertdialog" aria-labelledby="qset-eod-confirm" data-testid="qset-eod-confirm">
          <p className="qset-title" id="qset-eod-confirm">
            {q('eodConfirmTitle', { day: dayText })}
          </p>
          <ul className="notice__list">
            <li>{q(isToday ? 'eodToday1' : 'eodPast1')}</li>
            <li>{q(isToday ? 'eodToday2' : 'eodPast2')}</li>
            <li>{q('eodBookings')}</li>
            <li>{q('eodStats')}</li>
          </ul>
          <p>{q('eodAfter')}</p>
          <div className="actions">
            <button type="button" className="button button--danger" disabled={running} onClick={() => void run()}>
              {running ? q('eodRunning') : q('eodConfirm')}
            </button>
            <button type="button" className="button button--ghost" disabled={running} onClick={() => setConfirming(false)}>
              {q('eodCancel')}
            </button>
          </div>
        </div>
      )}
      {error && <ErrorNotice error={error} />}
      {result && (
        <div className="stack" data-testid="qset-eod-result">
          <p className="notice notice--success" role="status">
            {q('eodDone', { day: formatDate(result.day, lang), tickets: formatNumber(result.closedTickets, lang), bookings: formatNumber(result.expiredBookings, lang) })}
          </p>
          {result.stats.length === 0 ? (
            <p className="empty">{q('eodNoStats')}</p>
          ) : (
            <div className="table-wrap">
              <table className="records">
                <caption className="visually-hidden">{q('eodTitle')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{q('site')}</th>
                    <th scope="col">{q('service')}</th>
                    <th scope="col">{q('issued')}</th>
                    <th scope="col">{q('served')}</th>
                    <th scope="col">{q('noShow')}</th>
                    <th scope="col">{q('closedUnserved')}</th>
                    <th scope="col">{q('bookings')}</th>
                    <th scope="col">{q('bookingsCheckedIn')}</th>
                    <th scope="col">{q('waitMedian')}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.stats.map((r) => (
                    <tr key={`${r.siteId}-${r.service}`} data-service={r.service}>
                      <td data-label={q('site')}>{siteName(r.siteId)}</td>
                      <td data-label={q('service')}>{SERVICE_NAMES[r.service][lang]}</td>
                      <td data-label={q('issued')}>{formatNumber(r.issued, lang)}</td>
                      <td data-label={q('served')}>{formatNumber(r.served, lang)}</td>
                      <td data-label={q('noShow')}>{formatNumber(r.noShow, lang)}</td>
                      <td data-label={q('closedUnserved')}>{formatNumber(r.closedUnserved, lang)}</td>
                      <td data-label={q('bookings')}>{formatNumber(r.bookings, lang)}</td>
                      <td data-label={q('bookingsCheckedIn')}>{formatNumber(r.bookingsCheckedIn, lang)}</td>
                      <td data-label={q('waitMedian')}>{r.waitMedianMinutes === null ? '—' : formatNumber(r.waitMedianMinutes, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
