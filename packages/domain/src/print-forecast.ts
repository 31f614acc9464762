import { OfficeDates, type WorkCalendar, workingDayOnOrAfter, workingDaysFrom } from './calendar.ts';
import { groupDigits } from './print-priority.ts';

/**
 * When each waiting record will be printed, as a range of working days, from the blanks on hand, the
 * deliveries expected and what the printers can do.
 *
 * Two days are simulated forward, one working day at a time, with the queue taken in order:
 * - earliest: deliveries arrive on their earliest date, and a printer whose consumables (ribbon, film)
 *   run out is refilled for the next working day;
 * - latest: deliveries arrive on their latest date, and a printer that runs out stands still for
 *   `restockWorkingDays` working days before its next set.
 * No printer is ever planned beyond its capacity of the day or the prints its consumables have left,
 * and printers in repair are left out. A record the horizon does not reach has no date (null): the
 * office says "not yet known", never a date it cannot keep.
 */
export type PrinterState = 'ready' | 'consumables_low' | 'in_repair';

export interface PlannedPrinter {
  id: string;
  siteId: string;
  capacityPerDay: number;
  state: PrinterState;
  /** Prints left before the first consumable runs out (the lowest of ribbon and film). */
  printsLeft: number;
  /** Prints a fresh set of consumables gives. */
  printsPerSet: number;
}

export interface ExpectedDelivery {
  quantity: number;
  earliest: string;
  latest: string;
}

export interface ForecastInput {
  /** Waiting records in queue order. */
  queue: readonly { recordId: string; waitingSince: string }[];
  stock: number;
  deliveries: readonly ExpectedDelivery[];
  printers: readonly PlannedPrinter[];
  calendar: WorkCalendar;
  /** The office's date today; printing can start on it when it is a working day. */
  today: string;
  restockWorkingDays?: number;
  horizonWorkingDays?: number;
  /** Working days the law allows from print-ready to printed. */
  legalMaximumWorkingDays?: number;
}

export type LegalFlag = 'overdue' | 'will_exceed' | null;

export interface RecordForecast {
  recordId: string;
  earliest: string | null;
  latest: string | null;
  legalDeadline: string;
  flag: LegalFlag;
}

export const LEGAL_MAXIMUM_WORKING_DAYS = 14;

/**
 * Cumulative prints at the end of each working day of the horizon under one scenario. `days[d]` is
 * the date of day d; deliveries are counted from the first working day on or after their date.
 */
export function simulatePrinting(
  waiting: number,
  stock: number,
  deliveries: readonly { quantity: number; on: string }[],
  printers: readonly PlannedPrinter[],
  days: readonly string[],
  restockWorkingDays: number,
): number[] {
  const arrivals = new Map<string, number>();
  for (const d of deliveries) arrivals.set(d.on, (arrivals.get(d.on) ?? 0) + d.quantity);
  const live = printers.filter((p) => p.state !== 'in_repair' && p.capacityPerDay > 0).map((p) => ({ ...p, idleUntil: p.printsLeft <= 0 ? Math.max(1, restockWorkingDays) : -1 }));
  // A printer already out of consumables waits for its next set like one that runs out on the way.
  const cumulative: number[] = [];
  let onHand = stock;
  let printed = 0;
  for (let day = 0; day < days.length; day++) {
    onHand += arrivals.get(days[day] ?? '') ?? 0;
    for (const p of live) {
      if (printed >= waiting || onHand <= 0) break;
      if (day < p.idleUntil) continue;
      if (p.printsLeft <= 0) p.printsLeft = p.printsPerSet;
      const today = Math.min(p.capacityPerDay, p.printsLeft, onHand, waiting - printed);
      printed += today;
      onHand -= today;
      p.printsLeft -= today;
      // Out of ribbon or film: the next set is fitted `restockWorkingDays` later (1 = the next working day).
      if (p.printsLeft <= 0) p.idleUntil = day + Math.max(1, restockWorkingDays);
    }
    cumulative.push(printed);
  }
  return cumulative;
}

/** Delivery dates snapped to working days, per scenario. */
function arrivals(input: ForecastInput, which: 'earliest' | 'latest') {
  return input.deliveries.map((d) => ({ quantity: d.quantity, on: workingDayOnOrAfter(d[which], input.calendar) }));
}

export function forecastPrinting(input: ForecastInput): RecordForecast[] {
  const horizon = input.horizonWorkingDays ?? 250;
  const legal = input.legalMaximumWorkingDays ?? LEGAL_MAXIMUM_WORKING_DAYS;
  const days = workingDaysFrom(input.today, horizon, input.calendar);
  const n = input.queue.length;
  const early = simulatePrinting(n, input.stock, arrivals(input, 'earliest'), input.printers, days, 1);
  const late = simulatePrinting(n, input.stock, arrivals(input, 'latest'), input.printers, days, input.restockWorkingDays ?? 3);
  const dates = new OfficeDates(input.calendar.timeZone);
  const deadlines = new Map<string, string>();
  const deadlineOf = (since: string): string => {
    const start = dates.of(since);
    let deadline = deadlines.get(start);
    if (deadline === undefined) {
      deadline = workingDaysFrom(start, legal + 1, input.calendar)[legal] ?? start;
      // A record print-ready on a holiday starts counting on the next working day; day 0 is that day.
      deadlines.set(start, deadline);
    }
    return deadline;
  };
  const result: RecordForecast[] = [];
  let e = 0;
  let l = 0;
  for (let i = 0; i < n; i++) {
    // Record i (0-based) is printed on the first day whose cumulative count passes i.
    while (e < days.length && (early[e] ?? 0) <= i) e++;
    while (l < days.length && (late[l] ?? 0) <= i) l++;
    const entry = input.queue[i];
    if (!entry) continue;
    const earliest = days[e] ?? null;
    const latest = days[l] ?? null;
    const legalDeadline = deadlineOf(entry.waitingSince);
    const flag: LegalFlag = input.today > legalDeadline ? 'overdue' : latest === null || latest > legalDeadline ? 'will_exceed' : null;
    result.push({ recordId: entry.recordId, earliest, latest, legalDeadline, flag });
  }
  return result;
}

export interface ForecastHeadline {
  waiting: number;
  stock: number;
  printers: number;
  /** Working days to print the whole queue with the expected deliveries (earliest scenario); null past the horizon. */
  workingDaysToClear: number | null;
  extraBlanks: number;
  workingDaysWithExtra: number | null;
  text: { id: string; en: string };
}

/**
 * "15.000 menunggu, 400 blangko, 2 printer: 38 hari kerja; dengan 10.000 blangko lagi: 9 hari". The
 * extra blanks default to what the queue lacks beyond stock and deliveries, rounded up to a thousand —
 * the figure a blank request to the centre would carry.
 */
export function forecastHeadline(input: ForecastInput, extraBlanks?: number): ForecastHeadline {
  const horizon = input.horizonWorkingDays ?? 250;
  const days = workingDaysFrom(input.today, horizon, input.calendar);
  const n = input.queue.length;
  const expected = arrivals(input, 'earliest');
  const coming = input.deliveries.reduce((sum, d) => sum + d.quantity, 0);
  const extra = extraBlanks ?? Math.max(0, Math.ceil((n - input.stock - coming) / 1000) * 1000);
  const clearDay = (cumulative: number[]) => {
    const d = cumulative.findIndex((c) => c >= n);
    return d < 0 ? null : d + 1;
  };
  const workingDaysToClear = n === 0 ? 0 : clearDay(simulatePrinting(n, input.stock, expected, input.printers, days, 1));
  const workingDaysWithExtra = n === 0 ? 0 : clearDay(simulatePrinting(n, input.stock + extra, expected, input.printers, days, 1));
  const printers = input.printers.filter((p) => p.state !== 'in_repair').length;
  const span = (d: number | null, unit: { id: string; en: string }) =>
    d === null ? { id: `lebih dari ${horizon} hari kerja`, en: `more than ${horizon} working days` } : { id: `${d} ${unit.id}`, en: `${d} ${unit.en}` };
  const first = span(workingDaysToClear, { id: 'hari kerja', en: 'working days' });
  const second = span(workingDaysWithExtra, { id: 'hari', en: 'days' });
  const more = extra > 0;
  return {
    waiting: n,
    stock: input.stock,
    printers,
    workingDaysToClear,
    extraBlanks: extra,
    workingDaysWithExtra,
    text: {
      id:
        `${groupDigits(n, '.')} menunggu, ${groupDigits(input.stock, '.')} blangko, ${printers} printer: ${first.id}` +
        (more ? `; dengan ${groupDigits(extra, '.')} blangko lagi: ${second.id}` : ''),
      en:
        `${groupDigits(n, ',')} waiting, ${groupDigits(input.stock, ',')} blank${input.stock === 1 ? '' : 's'}, ${printers} printer${printers === 1 ? '' : 's'}: ${first.en}` +
        (more ? `; with ${groupDigits(extra, ',')} more blanks: ${second.en}` : ''),
    },
  };
}
