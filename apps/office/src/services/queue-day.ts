import { addCalendarDays, clockMinutes, queuePercentile, type ServiceId } from '@tangguh/domain';
import type { QueueEndOfDay, QueueStatRow, QueueStats } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import { bookingsBetween, closeCountersBefore, closeUnservedTickets, daysLeftOpen, expireBookings, findDayClosure, insertDayClosure, ticketsBetween, type BookingRow, type TicketRow } from '../repositories/queue.ts';
import { bookingReminders, rememberQueueOffice, syncQueueFlags } from './queue-notify.ts';
import { instantOf, loadQueueSettings, officeNow } from './queue-settings.ts';
import { queueEvents } from './queue-events.ts';

/**
 * The end of an office day: at closing time (the `closesAt` setting) every ticket nobody finished is closed
 * with a reason, bookings never checked in expire, counters left open are closed, and the day's figures are
 * there to read. A day missed (no worker ran at closing) is closed by the next pass: the rollover. Numbers
 * restart by themselves — their series is named by the day.
 */

const UNSERVED: { id: string; en: string } = {
  id: 'Layanan hari ini telah ditutup sebelum nomor ini dipanggil. Silakan pesan antrean untuk hari kerja berikutnya di /warga.',
  en: "Today's service closed before this ticket was called. Please book a slot for the next working day at /warga.",
};

const minutes = (from: string | null, to: string | null) => (from && to ? (Date.parse(to) - Date.parse(from)) / 60_000 : NaN);
const round1 = (n: number) => (Number.isFinite(n) ? Math.round(n * 10) / 10 : null);

/** Figures per day, site and service from the tickets and bookings. */
export function statRows(tickets: TicketRow[], bookings: BookingRow[]): QueueStatRow[] {
  const keys = new Map<string, { day: string; siteId: string; service: ServiceId }>();
  const key = (day: string, siteId: string, service: string) => {
    const k = `${day}|${siteId}|${service}`;
    if (!keys.has(k)) keys.set(k, { day, siteId, service: service as ServiceId });
    return k;
  };
  const byKey = new Map<string, TicketRow[]>();
  for (const t of tickets) byKey.set(key(t.day, t.site_id, t.service), [...(byKey.get(key(t.day, t.site_id, t.service)) ?? []), t]);
  const bookingsByKey = new Map<string, BookingRow[]>();
  for (const b of bookings) bookingsByKey.set(key(b.day, b.site_id, b.service), [...(bookingsByKey.get(key(b.day, b.site_id, b.service)) ?? []), b]);
  return [...keys.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, id]) => {
      const list = byKey.get(k) ?? [];
      const waits = list.filter((t) => t.called_at).map((t) => minutes(t.queued_at, t.called_at)).filter(Number.isFinite);
      const served = list.filter((t) => t.status === 'done');
      const times = served.map((t) => minutes(t.called_at, t.finished_at)).filter(Number.isFinite);
      const books = (bookingsByKey.get(k) ?? []).filter((b) => b.status !== 'cancelled');
      return {
        ...id,
        issued: list.length,
        served: served.length,
        noShow: list.filter((t) => t.status === 'noshow').length,
        closedUnserved: list.filter((t) => t.status === 'closed').length,
        priority: list.filter((t) => t.lane === 'priority').length,
        fromBookings: list.filter((t) => t.lane === 'booking').length,
        bookings: books.length,
        bookingsCheckedIn: books.filter((b) => b.status === 'checked_in').length,
        waitMedianMinutes: round1(queuePercentile(waits, 0.5)),
        waitP90Minutes: round1(queuePercentile(waits, 0.9)),
        serviceMedianMinutes: round1(queuePercentile(times, 0.5)),
      };
    });
}

export async function queueStats(ctx: OfficeContext, query: { from?: string; to?: string; siteId?: string }): Promise<QueueStats> {
  const today = officeNow(ctx).day;
  const to = query.to ?? today;
  const from = query.from ?? addCalendarDays(to, -6);
  if (from > to || addCalendarDays(from, 366) < to) return { from, to, rows: [] };
  const rows = statRows(await ticketsBetween(ctx.db, from, to, query.siteId), await bookingsBetween(ctx.db, from, to, query.siteId));
  return { from, to, rows };
}

const CSV_COLUMNS: (keyof QueueStatRow)[] = ['day', 'siteId', 'service', 'issued', 'served', 'noShow', 'closedUnserved', 'priority', 'fromBookings', 'bookings', 'bookingsCheckedIn', 'waitMedianMinutes', 'waitP90Minutes', 'serviceMedianMinutes'];
const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  // A cell starting with = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function statsCsv(stats: QueueStats): string {
  return [CSV_COLUMNS.join(','), ...stats.rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(','))].join('\r\n') + '\r\n';
}

/** Closes a day (and any earlier day still open): unserved tickets, bookings never used, counters. */
export async function endOfDay(ctx: OfficeContext, day: string | undefined, by: string): Promise<QueueEndOfDay> {
  const now = officeNow(ctx);
  const target = day && day <= now.day ? day : now.day;
  const next = instantOf(addCalendarDays(target, 1), '00:00', ctx.office.timeZone).toISOString();
  const { closedTickets, expiredBookings } = await ctx.db.transaction().execute(async (tx) => {
    // Today, at closing: what waits is closed, a ticket being served at a counter is left to finish. An
    // earlier day: everything left, and the counters nobody closed.
    const today = target === now.day;
    const closedTickets = await closeUnservedTickets(tx, target, today ? ['waiting'] : ['waiting', 'called'], UNSERVED, now.iso);
    const expiredBookings = await expireBookings(tx, target, now.iso);
    if (!today) await closeCountersBefore(tx, next, now.iso);
    await insertDayClosure(tx, { day: target, closed_at: now.iso, closed_by: by, tickets: closedTickets, bookings: expiredBookings });
    return { closedTickets, expiredBookings };
  });
  const sites = new Set<string>();
  for (const t of await ticketsBetween(ctx.db, target, target)) sites.add(t.site_id);
  for (const s of sites) queueEvents(ctx).emit('change', s);
  return { day: target, closedTickets, expiredBookings, stats: statRows(await ticketsBetween(ctx.db, target, target), await bookingsBetween(ctx.db, target, target)) };
}

/**
 * One pass of the queue's housekeeping (the worker's notifier runs it every tick): flags from the status
 * model, earlier days left open closed (the rollover), today closed once its closing time has passed, and
 * the reminders for tomorrow's bookings.
 */
export async function queueHousekeeping(ctx: OfficeContext): Promise<{ flagged: number; closedDays: string[]; reminders: number }> {
  rememberQueueOffice(ctx);
  const now = officeNow(ctx);
  const settings = await loadQueueSettings(ctx.db);
  const flagged = await syncQueueFlags(ctx);
  const closedDays: string[] = [];
  for (const day of await daysLeftOpen(ctx.db, now.day)) {
    await endOfDay(ctx, day, 'system');
    closedDays.push(day);
  }
  if (clockMinutes(now.clock) >= clockMinutes(settings.closesAt) && !(await findDayClosure(ctx.db, now.day))) {
    await endOfDay(ctx, now.day, 'system');
    closedDays.push(now.day);
  }
  const reminders = await bookingReminders(ctx);
  return { flagged, closedDays, reminders };
}
