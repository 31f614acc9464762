import { DEFAULT_TIME_ZONE, formatZoned, isValidTimeZone } from '@tangguh/domain';
import { translate, type Lang } from './i18n/index.tsx';

const LOCALE: Record<Lang, string> = { id: 'id-ID', en: 'en-GB' };

/**
 * The zone times are shown in: the office's, as the session (/api/auth/me) reports it, so an operator in
 * Jayapura reads WIT whatever the zone of the browser's computer. Set before any page of the session
 * renders (RequireSession does it); pages outside a session show Jakarta time.
 */
let displayTimeZone: string = DEFAULT_TIME_ZONE;

export function setDisplayTimeZone(timeZone: string | null | undefined): void {
  displayTimeZone = timeZone && isValidTimeZone(timeZone) ? timeZone : DEFAULT_TIME_ZONE;
}

export function getDisplayTimeZone(): string {
  return displayTimeZone;
}

function parse(value: string | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "23 Nov 2026 14.05 WIB" (Indonesian) or "24 Nov 2026 16:05 WIT" (English), in the office's zone. */
export function formatDateTime(value: string | Date | null | undefined, lang: Lang, timeZone: string = displayTimeZone): string {
  const date = parse(value);
  if (!date) return '—';
  return formatZoned(date, timeZone, lang);
}

/** A calendar date such as a birth date ('YYYY-MM-DD'), shown without any time-zone shift. */
export function formatDate(value: string | null | undefined, lang: Lang): string {
  if (!value) return '—';
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return value;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(LOCALE[lang], { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

/** "5 detik yang lalu", "dalam 2 menit", … relative to `now`. */
export function formatRelative(value: string | Date | null | undefined, lang: Lang, now = Date.now()): string {
  const date = parse(value);
  if (!date) return '—';
  const seconds = Math.round((date.getTime() - now) / 1000);
  if (Math.abs(seconds) < 3) return translate(lang, 'time.justNow');
  const format = new Intl.RelativeTimeFormat(LOCALE[lang], { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      return format.format(Math.trunc(seconds / size), unit);
    }
  }
  return format.format(seconds, 'second');
}

export function formatNumber(value: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALE[lang]).format(value);
}

/** Scores arrive as 0..1; anything above 1 is taken to be a percentage already. */
export function formatPercent(value: number, lang: Lang): string {
  const ratio = value > 1 ? value / 100 : value;
  return new Intl.NumberFormat(LOCALE[lang], { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
}

export function toRatio(value: number): number {
  const ratio = value > 1 ? value / 100 : value;
  return Math.min(1, Math.max(0, ratio));
}
