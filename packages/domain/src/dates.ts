/**
 * Calendar dates as ISO strings (YYYY-MM-DD). Which date an instant falls on depends on the office's
 * zone: see time-zones.ts.
 */

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function dateExists({ year, month, day }: CalendarDate): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

export function toIsoDate({ year, month, day }: CalendarDate): string {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Parses a strict YYYY-MM-DD string; undefined when malformed or the day does not exist. */
export function parseIsoDate(value: string): CalendarDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  return dateExists(date) ? date : undefined;
}

export function isIsoDate(value: string): boolean {
  return parseIsoDate(value) !== undefined;
}

/**
 * Completed years between a birth date and a day. Someone born on 29 February becomes a year
 * older on 1 March in common years, as a plain month/day comparison gives.
 */
export function ageOn(birthDate: CalendarDate, on: CalendarDate): number {
  const beforeBirthday = on.month < birthDate.month || (on.month === birthDate.month && on.day < birthDate.day);
  return on.year - birthDate.year - (beforeBirthday ? 1 : 0);
}
