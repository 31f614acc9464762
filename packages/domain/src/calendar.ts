import { parseIsoDate, toIsoDate } from './dates.ts';
import { zonedIsoDate } from './time-zones.ts';

/**
 * Working days of an office: Monday to Friday in the office's zone, minus the national holidays and the
 * cuti bersama (collective leave) that the government announces each year and an admin keeps in the
 * calendar. Dates are 'YYYY-MM-DD' strings throughout: a working day is a day on the office's wall
 * calendar, never a 24-hour span from an instant.
 */
export type HolidayKind = 'libur_nasional' | 'cuti_bersama';

export interface Holiday {
  date: string;
  kind: HolidayKind;
  name: { id: string; en: string };
}

export interface WorkCalendar {
  timeZone: string;
  /** Weekdays counted from Sunday = 0 on which the office is closed. */
  weekend: readonly number[];
  holidays: ReadonlySet<string>;
}

export function workCalendar(timeZone: string, holidays: readonly (Pick<Holiday, 'date'> & Partial<Holiday>)[], weekend: readonly number[] = [0, 6]): WorkCalendar {
  return { timeZone, weekend, holidays: new Set(holidays.map((h) => h.date)) };
}

const DAY_MS = 86_400_000;

function dayNumber(iso: string): number {
  const date = parseIsoDate(iso);
  if (!date) throw new RangeError(`not a calendar date: ${iso}`);
  return Date.UTC(date.year, date.month - 1, date.day) / DAY_MS;
}

function fromDayNumber(n: number): string {
  const d = new Date(n * DAY_MS);
  return toIsoDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
}

/** The date `days` calendar days after `iso` (negative goes back). */
export function addCalendarDays(iso: string, days: number): string {
  return fromDayNumber(dayNumber(iso) + days);
}

export function isWorkingDay(iso: string, calendar: WorkCalendar): boolean {
  // 1970-01-01 (day 0) was a Thursday.
  const weekday = (((dayNumber(iso) + 4) % 7) + 7) % 7;
  return !calendar.weekend.includes(weekday) && !calendar.holidays.has(iso);
}

/** `iso` itself when it is a working day, else the next one. */
export function workingDayOnOrAfter(iso: string, calendar: WorkCalendar): string {
  let day = iso;
  // A calendar with every day closed would loop forever; a year without a working day is a broken calendar.
  for (let i = 0; i < 366; i++) {
    if (isWorkingDay(day, calendar)) return day;
    day = addCalendarDays(day, 1);
  }
  throw new RangeError('no working day within a year');
}

/** The working day `n` working days after `iso` (n = 0: the first working day on or after `iso`). */
export function addWorkingDays(iso: string, n: number, calendar: WorkCalendar): string {
  let day = workingDayOnOrAfter(iso, calendar);
  for (let i = 0; i < n; i++) day = workingDayOnOrAfter(addCalendarDays(day, 1), calendar);
  return day;
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: string, to: string, calendar: WorkCalendar): number {
  let count = 0;
  for (let n = dayNumber(from) + 1, end = dayNumber(to); n <= end; n++) if (isWorkingDay(fromDayNumber(n), calendar)) count++;
  return count;
}

/** The office's date at an instant. */
export function officeDate(at: Date, calendar: WorkCalendar): string {
  return zonedIsoDate(at, calendar.timeZone);
}

/**
 * The working days from `from` on, as a list a planner can index: day 0 is the first working day on or
 * after `from`. Computed once per plan so that a forecast of 100,000 records does not walk the calendar
 * 100,000 times.
 */
export function workingDaysFrom(from: string, count: number, calendar: WorkCalendar): string[] {
  const days: string[] = [];
  let day = workingDayOnOrAfter(from, calendar);
  while (days.length < count) {
    days.push(day);
    day = workingDayOnOrAfter(addCalendarDays(day, 1), calendar);
  }
  return days;
}

/**
 * The office's date of many instants, for planners that convert 100,000 timestamps: each quarter hour of
 * the timeline is converted once through Intl (every zone's offset is a multiple of 15 minutes, so all
 * instants of a quarter hour fall on the same local date).
 */
export class OfficeDates {
  private readonly cache = new Map<number, string>();
  constructor(private readonly timeZone: string) {}

  of(instant: string | number): string {
    const ms = typeof instant === 'number' ? instant : Date.parse(instant);
    const bucket = Math.floor(ms / 900_000);
    let date = this.cache.get(bucket);
    if (date === undefined) {
      date = zonedIsoDate(new Date(bucket * 900_000), this.timeZone);
      this.cache.set(bucket, date);
    }
    return date;
  }
}
