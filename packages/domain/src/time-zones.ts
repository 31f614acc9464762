import { type CalendarDate, toIsoDate } from './dates.ts';

/**
 * Indonesia's three time zones, and every calendar question an office asks of an instant: which day it
 * is (serials, "today" for validation), where that day starts, what the clock shows, how a person reads
 * it. Each office has one IANA zone; nothing in the system adds a fixed offset to a timestamp.
 *
 * Intl.DateTimeFormat does the conversion (it runs alike in Node and the browser, and knows any offset
 * change a government might decree), so this module needs no zone table of its own.
 */
export const OFFICE_TIME_ZONES = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'] as const;
export type OfficeTimeZone = (typeof OFFICE_TIME_ZONES)[number];

/** The zone of an office whose data predates per-office zones, and of one whose province is unknown. */
export const DEFAULT_TIME_ZONE: OfficeTimeZone = 'Asia/Jakarta';

/** What people write after a time: the same short names in Indonesian and English. */
const ABBREVIATIONS: Record<OfficeTimeZone, string> = { 'Asia/Jakarta': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' };

export function isOfficeTimeZone(value: string): value is OfficeTimeZone {
  return (OFFICE_TIME_ZONES as readonly string[]).includes(value);
}

/**
 * The zone of a province (the first two digits of a region code), as fixed by Keppres 41/1987: each
 * province lies wholly in one zone. WIB: Sumatra, Java, West and Central Kalimantan; WITA: Bali, Nusa
 * Tenggara, South/East/North Kalimantan, Sulawesi; WIT: Maluku and every Papua province.
 * Undefined for a code that is not a province, so the caller chooses a default knowingly.
 */
export function timeZoneOfProvince(provinceCode: string): OfficeTimeZone | undefined {
  const code = Number(provinceCode.slice(0, 2));
  if (!/^\d{2}/.test(provinceCode)) return undefined;
  if ((code >= 11 && code <= 21) || (code >= 31 && code <= 36) || code === 61 || code === 62) return 'Asia/Jakarta';
  if ((code >= 51 && code <= 53) || (code >= 63 && code <= 65) || (code >= 71 && code <= 76)) return 'Asia/Makassar';
  if (code === 81 || code === 82 || (code >= 91 && code <= 96)) return 'Asia/Jayapura';
  return undefined;
}

/** The wall clock of a zone at an instant. `weekday` counts from Sunday = 0, as Date#getDay does. */
export interface ZonedParts extends CalendarDate {
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const partFormats = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function partFormat(timeZone: string): Intl.DateTimeFormat {
  let format = partFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
      hourCycle: 'h23',
      numberingSystem: 'latn',
    });
    partFormats.set(timeZone, format);
  }
  return format;
}

/** True when Intl knows the zone; settings and provisioning refuse any other. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    partFormat(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function zonedParts(at: Date, timeZone: string): ZonedParts {
  const values: Record<string, string> = {};
  for (const part of partFormat(timeZone).formatToParts(at)) values[part.type] = part.value;
  return {
    year: Number(values.year),
    month: Number(values.month),
    day: Number(values.day),
    hour: Number(values.hour),
    minute: Number(values.minute),
    second: Number(values.second),
    weekday: WEEKDAYS.indexOf(values.weekday ?? ''),
  };
}

/** The calendar date in the zone at the instant. */
export function zonedDate(at: Date, timeZone: string): CalendarDate {
  const { year, month, day } = zonedParts(at, timeZone);
  return { year, month, day };
}

/** 'YYYY-MM-DD' in the zone. */
export function zonedIsoDate(at: Date, timeZone: string): string {
  return toIsoDate(zonedDate(at, timeZone));
}

/** 'YYYYMMDD' in the zone: the day part of registration numbers and serials, and the key of daily counters. */
export function zonedDayKey(at: Date, timeZone: string): string {
  return zonedIsoDate(at, timeZone).replaceAll('-', '');
}

/** How far the zone's wall clock is ahead of UTC at the instant, in milliseconds. */
function offsetAt(at: Date, timeZone: string): number {
  const p = zonedParts(at, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant the zone's day containing `at` began (00:00 local). */
export function startOfZonedDay(at: Date, timeZone: string): Date {
  const { year, month, day } = zonedDate(at, timeZone);
  const midnightAsUtc = Date.UTC(year, month - 1, day);
  const guess = midnightAsUtc - offsetAt(at, timeZone);
  // A second look at the offset at midnight itself covers a zone whose offset changed during that day.
  return new Date(midnightAsUtc - offsetAt(new Date(guess), timeZone));
}

/** "WIB", "WITA", "WIT"; for a zone outside Indonesia, what Intl calls it ("GMT+9"). */
export function timeZoneAbbreviation(timeZone: string, at: Date = new Date()): string {
  if (isOfficeTimeZone(timeZone)) return ABBREVIATIONS[timeZone];
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(at).find((p) => p.type === 'timeZoneName');
  return name?.value ?? timeZone;
}

const MONTHS_SHORT = {
  id: ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};
const MONTHS_LONG = {
  id: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

const toDate = (at: Date | string): Date => (at instanceof Date ? at : new Date(at));
const two = (n: number) => String(n).padStart(2, '0');

/**
 * "23 Nov 2026 14.05 WIB" (Indonesian: a dot between hours and minutes) or "23 Nov 2026 14:05 WIB".
 * Month names are spelled here rather than by Intl so server and browser print the same text whatever
 * locale data their ICU carries. An unreadable timestamp comes back as given.
 */
export function formatZoned(at: Date | string, timeZone: string, lang: 'id' | 'en'): string {
  const date = toDate(at);
  if (Number.isNaN(date.getTime())) return String(at);
  const p = zonedParts(date, timeZone);
  const time = `${two(p.hour)}${lang === 'id' ? '.' : ':'}${two(p.minute)}`;
  return `${p.day} ${MONTHS_SHORT[lang][p.month - 1]} ${p.year} ${time} ${timeZoneAbbreviation(timeZone, date)}`;
}

/** "24 November 2026": the date printed on a document, in the office's zone. */
export function formatZonedDate(at: Date | string, timeZone: string, lang: 'id' | 'en'): string {
  const date = toDate(at);
  if (Number.isNaN(date.getTime())) return String(at);
  const { year, month, day } = zonedDate(date, timeZone);
  return `${day} ${MONTHS_LONG[lang][month - 1]} ${year}`;
}
