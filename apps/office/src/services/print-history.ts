import { addCalendarDays, officeDate, OfficeDates, workCalendar } from '@tangguh/domain';
import type { PrintHistory } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import { countsByKecamatanAndStatus, funnelEventsSince, ledgerSince, printPlanMark, printReadyTimelines } from '../repositories/print-forecast.ts';

/**
 * What the head's charts show, derived from what is stored rather than from snapshots nobody took: the
 * backlog on each day from the records' status history (a record waits from its PRINT_READY_RECORD event
 * until its next status), the stock on each day from the blank ledger (every movement is a row with its
 * time), and the funnel from the status events (per day) and the records' current statuses (per kecamatan).
 * Days are the office's calendar days.
 */
const ENDS_THE_WAIT = new Set(['SENT_FOR_CARD_PRINTING', 'CARD_PRINTED', 'CARD_SHIPPED', 'CARD_ISSUED', 'DUPLICATE_RECORD']);
const STAGE_OF_EVENT: Record<string, keyof PrintHistory['funnelByDay'][number] | undefined> = {
  RECORDED: 'recorded',
  PRINT_READY_RECORD: 'printReady',
  SENT_FOR_CARD_PRINTING: 'sent',
  CARD_PRINTED: 'printed',
  CARD_ISSUED: 'issued',
};

/**
 * Reading every status event of every record ever print-ready is a pass over hundreds of thousands of rows
 * in a large office, so the answer is kept per (days, kecamatan) while the same mark as the plan's (statuses,
 * ledger, and today's date) is unchanged; a few windows at most are kept.
 */
const kept = new WeakMap<object, Map<string, { mark: string; history: Promise<PrintHistory> }>>();
const KEPT_WINDOWS = 16;

export async function printHistory(ctx: OfficeContext, days: number, kecamatan?: string): Promise<PrintHistory> {
  const to = officeDate(ctx.now(), workCalendar(ctx.office.timeZone, []));
  const mark = `${to}#${await printPlanMark(ctx.db)}`;
  const key = `${days}|${kecamatan ?? ''}`;
  const windows = kept.get(ctx.db) ?? new Map<string, { mark: string; history: Promise<PrintHistory> }>();
  kept.set(ctx.db, windows);
  const hit = windows.get(key);
  if (hit && hit.mark === mark) return hit.history;
  const history = computeHistory(ctx, to, days, kecamatan);
  history.catch(() => {
    if (windows.get(key)?.history === history) windows.delete(key);
  });
  if (windows.size >= KEPT_WINDOWS) windows.clear();
  windows.set(key, { mark, history });
  return history;
}

async function computeHistory(ctx: OfficeContext, to: string, days: number, kecamatan?: string): Promise<PrintHistory> {
  const timeZone = ctx.office.timeZone;
  const from = addCalendarDays(to, -(days - 1));
  const dates = Array.from({ length: days }, (_, i) => addCalendarDays(from, i));
  // One zone conversion per 15 minutes of events, not one per event.
  const officeDates = new OfficeDates(timeZone);
  const dayOf = (instant: string) => officeDates.of(instant);
  // The first instant of `from` in the office's zone: a day early in UTC covers every zone, the day test sorts out the rest.
  const since = new Date(Date.parse(`${addCalendarDays(from, -1)}T00:00:00Z`)).toISOString();

  const [ledger, timelines, events, counts] = await Promise.all([
    ledgerSince(ctx.db, since),
    printReadyTimelines(ctx.db, [...ENDS_THE_WAIT], kecamatan),
    funnelEventsSince(ctx.db, since, Object.keys(STAGE_OF_EVENT), kecamatan),
    countsByKecamatanAndStatus(ctx.db),
  ]);

  // Stock: the ledger's total before the window, then each day's movements.
  const movedOn = new Map<string, number>();
  let stock = ledger.before;
  for (const row of ledger.rows) {
    const day = dayOf(row.at);
    if (day < from) stock += row.quantity;
    else movedOn.set(day, (movedOn.get(day) ?? 0) + row.quantity);
  }
  // Backlog: +1 on the day a record became print-ready, −1 on the day it moved on; summed to each day's end.
  const change = new Map<string, number>();
  let waiting = 0;
  const bump = (day: string, by: number) => {
    if (day < from) waiting += by;
    else change.set(day, (change.get(day) ?? 0) + by);
  };
  let current: string | undefined;
  let ready = false;
  for (const e of timelines) {
    if (e.recordId !== current) {
      current = e.recordId;
      ready = false;
    }
    if (e.status === 'PRINT_READY_RECORD') {
      if (!ready) bump(dayOf(e.at), 1);
      ready = true;
    } else if (ready && ENDS_THE_WAIT.has(e.status)) {
      // Sent to the printer, printed (and on), or found a duplicate after all. An earlier pipeline status
      // learned late (an acknowledgement, a clock a minute off) does not end it.
      bump(dayOf(e.at), -1);
      ready = false;
    }
  }
  const backlog = dates.map((date) => {
    stock += movedOn.get(date) ?? 0;
    waiting += change.get(date) ?? 0;
    return { date, waiting: Math.max(0, waiting), stock };
  });

  const perDay = new Map(dates.map((date) => [date, { date, recorded: 0, printReady: 0, sent: 0, printed: 0, issued: 0 }]));
  for (const e of events) {
    const stage = STAGE_OF_EVENT[e.status];
    const bucket = perDay.get(dayOf(e.at));
    if (stage && stage !== 'date' && bucket) bucket[stage] += 1;
  }

  const perKecamatan = new Map<string, { recorded: number; printReady: number; sent: number; printed: number; issued: number }>();
  const reached: Record<string, number> = { PRINT_READY_RECORD: 1, SENT_FOR_CARD_PRINTING: 2, CARD_PRINTED: 3, CARD_SHIPPED: 3, CARD_ISSUED: 4 };
  for (const c of counts) {
    if (kecamatan && c.kecamatan !== kecamatan) continue;
    const k = perKecamatan.get(c.kecamatan) ?? { recorded: 0, printReady: 0, sent: 0, printed: 0, issued: 0 };
    const level = reached[c.status] ?? 0;
    k.recorded += c.count;
    if (level >= 1) k.printReady += c.count;
    if (level >= 2) k.sent += c.count;
    if (level >= 3) k.printed += c.count;
    if (level >= 4) k.issued += c.count;
    perKecamatan.set(c.kecamatan, k);
  }
  const funnelByKecamatan = [...perKecamatan.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, k]) => ({ kecamatan: { code, name: ctx.regions.district(code)?.name ?? code }, ...k }));

  return { from, to, timeZone, backlog, funnelByDay: [...perDay.values()], funnelByKecamatan };
}
