import { useState, type FormEvent } from 'react';
import { holidaySchema, printPlanRoutes } from '@tangguh/protocol';
import { contractApi, toApiError, withQuery, type ApiError } from '../../api.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Field } from '../../components/Field.tsx';
import { formatDate, getDisplayTimeZone } from '../../format.ts';
import { usePolling } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';

const listSchema = printPlanRoutes.holidays.response[200];
const removedSchema = printPlanRoutes.removeHoliday.response[200];
const KINDS = ['libur_nasional', 'cuti_bersama'] as const;

/** Today in the office's zone as YYYY-MM-DD, and the same day a year on. */
function yearAhead(): { from: string; to: string } {
  const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: getDisplayTimeZone(), year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  const now = new Date();
  return { from: day(now), to: day(new Date(now.getTime() + 366 * 86_400_000)) };
}

function HolidayForm({ onSaved }: { onSaved: () => void }) {
  const { t } = useI18n();
  const [date, setDate] = useState('');
  const [kind, setKind] = useState<(typeof KINDS)[number]>('libur_nasional');
  const [nameId, setNameId] = useState('');
  const [nameEn, setNameEn] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const issues = (field: string) => error?.issues.filter((i) => i.field === field) ?? [];

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await contractApi.put(holidaySchema, `/api/print-plan/holidays/${encodeURIComponent(date || '-')}`, { kind, name: { id: nameId, en: nameEn } });
      setDate('');
      setNameId('');
      setNameEn('');
      onSaved();
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit} noValidate aria-label={t('holidays.add')}>
      {error && <ErrorNotice error={error} extraIssues={error.issues.filter((i) => !['date', 'kind', 'name.id', 'name.en'].includes(i.field))} />}
      <div className="form-grid">
        <Field id="holiday-date" label={t('holidays.date')} issues={issues('date')}>
          {(control) => <input {...control} type="date" value={date} onChange={(e) => setDate(e.target.value)} />}
        </Field>
        <Field id="holiday-kind" label={t('holidays.kind')} issues={issues('kind')}>
          {(control) => (
            <select {...control} value={kind} onChange={(e) => setKind(e.target.value as (typeof KINDS)[number])}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`holidays.kind.${k}` as MessageKey)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="holiday-name-id" label={t('holidays.nameId')} issues={issues('name.id')}>
          {(control) => <input {...control} lang="id" value={nameId} maxLength={120} onChange={(e) => setNameId(e.target.value)} />}
        </Field>
        <Field id="holiday-name-en" label={t('holidays.nameEn')} issues={issues('name.en')}>
          {(control) => <input {...control} lang="en" value={nameEn} maxLength={120} onChange={(e) => setNameEn(e.target.value)} />}
        </Field>
      </div>
      <div className="actions">
        <button type="submit" className="button button--secondary" disabled={busy}>
          {t('holidays.add')}
        </button>
      </div>
    </form>
  );
}

/** National holidays and cuti bersama in the coming year; an admin marks and unmarks days. */
export function HolidayCalendar({ isAdmin }: { isAdmin: boolean }) {
  const { t, lang } = useI18n();
  const [{ from, to }] = useState(yearAhead);
  const [error, setError] = useState<ApiError>();
  const holidays = usePolling((signal) => contractApi.get(listSchema, withQuery('/api/print-plan/holidays', { from, to }), signal), [from, to]);

  async function remove(date: string) {
    setError(undefined);
    try {
      await contractApi.delete(removedSchema, `/api/print-plan/holidays/${encodeURIComponent(date)}`);
      holidays.reload();
    } catch (caught) {
      setError(toApiError(caught));
    }
  }

  return (
    <section className="card stack" aria-labelledby="holidays-title">
      <h2 id="holidays-title">{t('holidays.title')}</h2>
      <p className="muted small">{t('holidays.intro')}</p>
      {holidays.error && <ErrorNotice error={holidays.error} onRetry={holidays.reload} />}
      {error && <ErrorNotice error={error} />}
      {holidays.data && holidays.data.items.length === 0 && <p className="empty">{t('holidays.empty')}</p>}
      {holidays.data && holidays.data.items.length > 0 && (
        <ul className="stack" data-testid="holidays">
          {holidays.data.items.map((h) => (
            <li key={h.date}>
              <strong>{formatDate(h.date, lang)}</strong> · {h.name[lang]} <span className="muted">({t(`holidays.kind.${h.kind}` as MessageKey)})</span>{' '}
              {isAdmin && (
                <button type="button" className="button button--ghost button--small" aria-label={t('holidays.removeLabel', { date: formatDate(h.date, lang) })} onClick={() => void remove(h.date)}>
                  {t('holidays.remove')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {isAdmin ? <HolidayForm onSaved={holidays.reload} /> : <p className="muted small">{t('holidays.adminOnly')}</p>}
    </section>
  );
}
