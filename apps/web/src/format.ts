import { translate, type Lang } from './i18n/index.tsx';

const LOCALE: Record<Lang, string> = { id: 'id-ID', en: 'en-GB' };
const TIME_ZONE = 'Asia/Jakarta';

function parse(value: string | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "23 Nov 2026 14.05 WIB" (Indonesian) or "23 Nov 2026 14:05 WIB" (English), always in Jakarta time. */
export function formatDateTime(value: string | Date | null | undefined, lang: Lang): string {
  const date = parse(value);
  if (!date) return '—';
  const parts = new Intl.DateTimeFormat(LOCALE[lang], {
    timeZone: TIME_ZONE,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const separator = lang === 'id' ? '.' : ':';
  return `${part('day')} ${part('month')} ${part('year')} ${part('hour')}${separator}${part('minute')} WIB`;
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
