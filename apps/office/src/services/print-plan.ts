import {
  addCalendarDays,
  ageOn,
  type ExpectedDelivery,
  forecastHeadline,
  type ForecastHeadline,
  type ForecastInput,
  forecastPrinting,
  officeDate,
  OfficeDates,
  parseIsoDate,
  planPrintQueue,
  type QueueEntry,
  type RecordForecast,
  type WaitingRecord,
  workCalendar,
} from '@tangguh/domain';
import type { OfficeContext } from '../context.ts';
import { blankBalances } from '../repositories/blank-stock.ts';
import { currentPriorityPolicy, listHolidays, listPrinters, plannedPrinter, waitingForPrint, type WaitingRow } from '../repositories/print-plan.ts';

/**
 * The office's print plan from what its database holds: the Print Ready Records waiting, the admin's
 * priority policy, the blanks on hand across all sites, the printers and the holiday calendar. One call,
 * pure functions after the reads: the print room, the forecast screen and a resident's "when?" all read it.
 *
 * Not known here yet, and so not given priority by this function: disaster victims (no record carries the
 * mark yet) and replacement cards (lost, damaged, data changed), which are planned from their own requests.
 */
export interface PrintPlan {
  today: string;
  queue: QueueEntry[];
  forecast: RecordForecast[];
  headline: ForecastHeadline;
  /** What the forecast was computed from, for a what-if headline without planning again. */
  input: ForecastInput;
  /** The waiting records as read, with the site each was made at. */
  waiting: WaitingRow[];
}

export async function printPlan(ctx: OfficeContext, opts: { deliveries?: ExpectedDelivery[]; extraBlanks?: number } = {}): Promise<PrintPlan> {
  const timeZone = ctx.office.timeZone;
  const today = officeDate(ctx.now(), workCalendar(timeZone, []));
  const [rows, policy, balances, printers, holidays] = await Promise.all([
    waitingForPrint(ctx.db),
    currentPriorityPolicy(ctx.db),
    blankBalances(ctx.db),
    listPrinters(ctx.db),
    // Two years ahead covers the 250-working-day horizon; a year back covers legal deadlines of old records.
    listHolidays(ctx.db, addCalendarDays(today, -366), addCalendarDays(today, 731)),
  ]);
  const stock = [...balances.values()].reduce((sum, b) => sum + b, 0);
  // Office dates per 15-minute bucket: one zone conversion per bucket, not one per record (100,000 Intl calls take seconds).
  const dates = new OfficeDates(timeZone);
  const records = rows.map((row) => waitingRecord(ctx, row, dates));
  const queue = planPrintQueue(records, policy, stock, timeZone);
  const since = new Map(rows.map((r) => [r.id, r.printReadyAt]));
  const input: ForecastInput = {
    queue: queue.map((e) => ({ recordId: e.recordId, waitingSince: since.get(e.recordId) ?? e.parts.since })),
    stock,
    deliveries: opts.deliveries ?? [],
    printers: printers.map(plannedPrinter),
    calendar: workCalendar(timeZone, holidays),
    today,
  };
  return { today, queue, forecast: forecastPrinting(input), headline: forecastHeadline(input, opts.extraBlanks), input, waiting: rows };
}

/** A first-time holder is someone under 18 on the day the record became print-ready: a new 17-year-old. */
function waitingRecord(ctx: OfficeContext, row: WaitingRow, dates: OfficeDates): WaitingRecord {
  const districtCode = row.villageCode.split('.').slice(0, 3).join('.');
  const birth = parseIsoDate(row.birthDate);
  const readyOn = parseIsoDate(dates.of(row.printReadyAt));
  const firstTime = birth !== undefined && readyOn !== undefined && ageOn(birth, readyOn) < 18;
  return {
    id: row.id,
    kecamatan: { code: districtCode, name: ctx.regions.district(districtCode)?.name ?? districtCode },
    reason: firstTime ? 'first_time' : 'other',
    disasterVictim: false,
    waitingSince: row.printReadyAt,
    suketIssuedAt: row.suketIssuedAt ?? undefined,
  };
}
