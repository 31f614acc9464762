import { formatDateTime, formatRelative } from '../format.ts';
import { useI18n, type Lang, type MessageKey } from '../i18n/index.tsx';
import type { DocumentStatus, TteState } from './types.ts';

/** "2 hari 3 jam" / "2 days 3 hours": the two largest units of how long an outage has lasted. */
export function formatOutage(sinceIso: string, lang: Lang, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(sinceIso)) / 60_000));
  if (minutes < 1) return lang === 'id' ? 'kurang dari 1 menit' : 'less than a minute';
  const units: [number, string, string, string][] = [
    [1440, 'hari', 'day', 'days'],
    [60, 'jam', 'hour', 'hours'],
    [1, 'menit', 'minute', 'minutes'],
  ];
  const parts: string[] = [];
  let rest = minutes;
  for (const [size, id, one, many] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 && parts.length < 2) parts.push(lang === 'id' ? `${n} ${id}` : `${n} ${n === 1 ? one : many}`);
  }
  return parts.join(' ');
}

const TONE: Record<DocumentStatus, string> = {
  AWAITING_SIGNATURE: 'attention',
  SIGNED: 'success',
  WET_SIGNED: 'progress',
  SUPERSEDED: 'danger',
};

/** A document's status in words, with its code beside it (as record statuses are shown). */
export function DocumentStatusLabel({ status }: { status: DocumentStatus }) {
  const { t } = useI18n();
  return (
    <span className={`status status--${TONE[status]} status--small`} data-status={status}>
      <span className="status__dot" aria-hidden="true" />
      <span className="status__label">{t(`doc.status.${status}` as MessageKey)}</span> <code className="status__code">{status}</code>
    </span>
  );
}

/** One line on the centre's e-signature service, as this office last saw it. */
export function TteStatusLine({ tte, now }: { tte: TteState | undefined; now: number }) {
  const { lang, t } = useI18n();
  const state = tte?.available === true ? 'up' : tte?.available === false ? 'down' : 'unknown';
  const since = tte?.since ?? tte?.checkedAt ?? null;
  let text = t('tte.unknown');
  if (state === 'up') text = t('tte.available');
  else if (state === 'down' && since) {
    const params = { since: formatDateTime(since, lang), duration: formatOutage(since, lang, now) };
    text = tte?.reason === 'CENTRE_UNREACHABLE' ? t('tte.unreachable', params) : t('tte.down', params);
  }
  return (
    <div className={`tte-status tte-status--${state}`} data-testid="tte-status" data-state={state} role="status" aria-live="polite">
      <span className="tte-status__dot" aria-hidden="true" />
      <span>
        <strong>{text}</strong>
        {tte?.checkedAt && <span className="muted small"> · {t('tte.checked', { when: formatRelative(tte.checkedAt, lang, now) })}</span>}
      </span>
    </div>
  );
}
