import type { Kysely, Selectable } from 'kysely';
import type { OfficeDb, OfficeDbOrTx } from '../db/schema.ts';

/** The tables of migration 0015_queue. */
export type QueueTables = {
  queue_bookings: {
    id: string;
    code: string;
    site_id: string;
    service: string;
    day: string;
    window_start: string;
    window_end: string;
    nik_hash: string;
    contact_channel: string | null;
    contact_address: string | null;
    lang: string;
    status: string;
    ticket_id: string | null;
    created_at: string;
    updated_at: string;
    flag_state: string | null;
    flag_json: string | null;
    flagged_at: string | null;
  };
  queue_quota_use: { site_id: string; service: string; day: string; bucket: string; used: number };
  queue_tickets: {
    id: string;
    site_id: string;
    service: string;
    day: string;
    serial: number;
    number: string;
    lane: string;
    priority_reason: string | null;
    booking_id: string | null;
    window_start: string | null;
    window_end: string | null;
    status: string;
    issued_at: string;
    queued_at: string;
    called_at: string | null;
    finished_at: string | null;
    counter_id: string | null;
    counter_number: number | null;
    call_count: number;
    transferred_from: string | null;
    close_reason_id: string | null;
    close_reason_en: string | null;
    secret_hash: string;
    flag_state: string | null;
    flag_json: string | null;
    flagged_at: string | null;
    near_position: number | null;
    near_channel: string | null;
    near_address: string | null;
    near_lang: string | null;
    near_sent_at: string | null;
  };
  queue_counters: {
    id: string;
    site_id: string;
    number: number;
    services: string;
    operator: string;
    status: string;
    opened_at: string;
    closed_at: string | null;
    calls_made: number;
    current_ticket_id: string | null;
  };
  queue_calls: { id: string; ticket_id: string; counter_id: string; site_id: string; ticket_number: string; service: string; counter_number: number; recall: number; at: string };
  queue_day_closures: { day: string; closed_at: string; closed_by: string; tickets: number; bookings: number };
};

export type BookingRow = Selectable<QueueTables['queue_bookings']>;
export type TicketRow = Selectable<QueueTables['queue_tickets']>;
export type CounterRow = Selectable<QueueTables['queue_counters']>;
export type CallRow = Selectable<QueueTables['queue_calls']>;

type QueueDb = Kysely<OfficeDb & QueueTables>;
const q = (db: OfficeDbOrTx): QueueDb => (db as Kysely<OfficeDb>).withTables<QueueTables>();

// PostgreSQL hands integer columns of some expressions back as strings: numbers again here.
const ticket = (r: TicketRow): TicketRow => ({ ...r, serial: Number(r.serial), call_count: Number(r.call_count), counter_number: r.counter_number === null ? null : Number(r.counter_number), near_position: r.near_position === null ? null : Number(r.near_position) });
const counter = (r: CounterRow): CounterRow => ({ ...r, number: Number(r.number), calls_made: Number(r.calls_made) });
const call = (r: CallRow): CallRow => ({ ...r, counter_number: Number(r.counter_number), recall: Number(r.recall) });
const changed = (result: { numUpdatedRows: bigint } | { numUpdatedRows: bigint }[]) => Number((Array.isArray(result) ? result[0] : result)?.numUpdatedRows ?? 0n);

// ---- quotas ----

/**
 * Takes one place of a bucket if fewer than `cap` are used: the row is created at 0 if absent, then raised
 * by a conditional update. The update is the decision (a row lock on PostgreSQL, the one writer on SQLite),
 * so two callers racing for the last place cannot both get it.
 */
export async function takeQuota(tx: OfficeDbOrTx, key: { siteId: string; service: string; day: string }, bucket: string, cap: number): Promise<boolean> {
  await q(tx).insertInto('queue_quota_use').values({ site_id: key.siteId, service: key.service, day: key.day, bucket, used: 0 }).onConflict((oc) => oc.columns(['site_id', 'service', 'day', 'bucket']).doNothing()).execute();
  const result = await q(tx)
    .updateTable('queue_quota_use')
    .set((eb) => ({ used: eb('used', '+', 1) }))
    .where('site_id', '=', key.siteId)
    .where('service', '=', key.service)
    .where('day', '=', key.day)
    .where('bucket', '=', bucket)
    .where('used', '<', cap)
    .executeTakeFirst();
  return changed(result) === 1;
}

export async function releaseQuota(tx: OfficeDbOrTx, key: { siteId: string; service: string; day: string }, bucket: string): Promise<void> {
  await q(tx).updateTable('queue_quota_use').set((eb) => ({ used: eb('used', '-', 1) })).where('site_id', '=', key.siteId).where('service', '=', key.service).where('day', '=', key.day).where('bucket', '=', bucket).where('used', '>', 0).execute();
}

/** Used places per day and bucket for a service at a site over a span of days. */
export async function quotaUse(db: OfficeDbOrTx, siteId: string, service: string, from: string, to: string): Promise<Map<string, number>> {
  const rows = await q(db).selectFrom('queue_quota_use').select(['day', 'bucket', 'used']).where('site_id', '=', siteId).where('service', '=', service).where('day', '>=', from).where('day', '<=', to).execute();
  return new Map(rows.map((r) => [`${r.day}|${r.bucket}`, Number(r.used)]));
}

// ---- bookings ----

export async function insertBooking(tx: OfficeDbOrTx, row: BookingRow): Promise<void> {
  await q(tx).insertInto('queue_bookings').values(row).execute();
}

export function findBookingByCode(db: OfficeDbOrTx, code: string): Promise<BookingRow | undefined> {
  return q(db).selectFrom('queue_bookings').selectAll().where('code', '=', code).executeTakeFirst();
}

export function findBooking(db: OfficeDbOrTx, id: string): Promise<BookingRow | undefined> {
  return q(db).selectFrom('queue_bookings').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Changes a booking only while it is still in `fromStatus`: of two requests (a cancel and a check-in), one wins. */
export async function updateBooking(tx: OfficeDbOrTx, id: string, fromStatus: string, changes: Partial<Omit<BookingRow, 'id'>>): Promise<boolean> {
  return changed(await q(tx).updateTable('queue_bookings').set(changes).where('id', '=', id).where('status', '=', fromStatus).executeTakeFirst()) === 1;
}

/** Live bookings (active or checked in) a contact holds on a day. */
export async function liveBookingsOfContact(db: OfficeDbOrTx, address: string, day: string): Promise<number> {
  const row = await q(db).selectFrom('queue_bookings').select((eb) => eb.fn.countAll<string | number>().as('n')).where('contact_address', '=', address).where('day', '=', day).where('status', 'in', ['active', 'checked_in']).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export function bookingsOn(db: OfficeDbOrTx, siteId: string, service: string, day: string, statuses: string[]): Promise<BookingRow[]> {
  return q(db).selectFrom('queue_bookings').selectAll().where('site_id', '=', siteId).where('service', '=', service).where('day', '=', day).where('status', 'in', statuses).orderBy('window_start').execute();
}

/** Active bookings of a day with a contact (the reminder the day before). */
export function bookingsToRemind(db: OfficeDbOrTx, day: string): Promise<BookingRow[]> {
  return q(db).selectFrom('queue_bookings').selectAll().where('day', '=', day).where('status', '=', 'active').where('contact_address', 'is not', null).execute();
}

/** Bookings never checked in by the end of their day. */
export async function expireBookings(tx: OfficeDbOrTx, day: string, at: string): Promise<number> {
  return changed(await q(tx).updateTable('queue_bookings').set({ status: 'expired', updated_at: at }).where('day', '<=', day).where('status', '=', 'active').executeTakeFirst());
}

export async function flagBookings(tx: OfficeDbOrTx, siteId: string, service: string, day: string, state: string, json: string, at: string): Promise<number> {
  return changed(
    await q(tx)
      .updateTable('queue_bookings')
      .set({ flag_state: state, flag_json: json, flagged_at: at })
      .where('site_id', '=', siteId)
      .where('service', '=', service)
      .where('day', '=', day)
      .where('status', 'in', ['active', 'checked_in'])
      .where('flagged_at', 'is', null)
      .executeTakeFirst(),
  );
}

export function bookingsBetween(db: OfficeDbOrTx, from: string, to: string, siteId?: string): Promise<BookingRow[]> {
  let query = q(db).selectFrom('queue_bookings').selectAll().where('day', '>=', from).where('day', '<=', to);
  if (siteId) query = query.where('site_id', '=', siteId);
  return query.execute();
}

// ---- tickets ----

/** The next ticket serial of a service letter at a site on a day (same pattern as repositories/counters.ts). */
export async function nextTicketSerial(tx: OfficeDbOrTx, siteId: string, letter: string, dayKey: string): Promise<number> {
  const row = await tx
    .insertInto('counters')
    .values({ name: `queue:${siteId}:${letter}:${dayKey}`, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

export async function insertTicket(tx: OfficeDbOrTx, row: TicketRow): Promise<void> {
  await q(tx).insertInto('queue_tickets').values(row).execute();
}

export async function findTicket(db: OfficeDbOrTx, id: string): Promise<TicketRow | undefined> {
  const row = await q(db).selectFrom('queue_tickets').selectAll().where('id', '=', id).executeTakeFirst();
  return row && ticket(row);
}

/** Waiting tickets of a site on a day, for some services (all when none given). */
export async function waitingTickets(db: OfficeDbOrTx, siteId: string, day: string, services?: string[]): Promise<TicketRow[]> {
  let query = q(db).selectFrom('queue_tickets').selectAll().where('site_id', '=', siteId).where('day', '=', day).where('status', '=', 'waiting');
  if (services) {
    if (services.length === 0) return [];
    query = query.where('service', 'in', services);
  }
  return (await query.execute()).map(ticket);
}

/** The columns the call order needs. */
export type QueuedRow = Pick<TicketRow, 'id' | 'service' | 'lane' | 'serial' | 'queued_at' | 'window_start'>;
const QUEUED = ['id', 'service', 'lane', 'serial', 'queued_at', 'window_start'] as const;
const queued = (r: QueuedRow): QueuedRow => ({ ...r, serial: Number(r.serial) });

/**
 * What a counter may call next, without reading the whole queue: the `limit` oldest of the priority lane,
 * every waiting booking (a day holds few; their order depends on the clock), and the `limit` oldest of the
 * rest. The first of each lane is all the call order looks at; the spares serve a counter that loses a race.
 */
export async function callCandidates(db: OfficeDbOrTx, siteId: string, day: string, services: string[], limit: number): Promise<QueuedRow[]> {
  if (services.length === 0) return [];
  const base = () => q(db).selectFrom('queue_tickets').select([...QUEUED]).where('site_id', '=', siteId).where('day', '=', day).where('status', '=', 'waiting').where('service', 'in', services);
  const [priority, bookings, walkIns] = await Promise.all([
    base().where('lane', '=', 'priority').orderBy('queued_at').orderBy('serial').limit(limit).execute(),
    base().where('lane', '=', 'booking').execute(),
    base().where('lane', '=', 'walkin').orderBy('queued_at').orderBy('serial').limit(limit).execute(),
  ]);
  return [...priority, ...bookings, ...walkIns].map(queued);
}

/** The queue of one service as the call order needs it (for positions). */
export async function queuedOf(db: OfficeDbOrTx, siteId: string, day: string, service?: string): Promise<QueuedRow[]> {
  let query = q(db).selectFrom('queue_tickets').select([...QUEUED]).where('site_id', '=', siteId).where('day', '=', day).where('status', '=', 'waiting');
  if (service) query = query.where('service', '=', service);
  return (await query.execute()).map(queued);
}

/** Whether any waiting ticket at a site still waits for its near-turn message (most calls: none). */
export async function nearTurnsPending(db: OfficeDbOrTx, siteId: string, day: string): Promise<TicketRow[]> {
  return (await q(db).selectFrom('queue_tickets').selectAll().where('site_id', '=', siteId).where('day', '=', day).where('status', '=', 'waiting').where('near_position', 'is not', null).where('near_sent_at', 'is', null).execute()).map(ticket);
}

/**
 * Gives a waiting ticket to a counter — only if it is still waiting. The WHERE on the status is the whole
 * guarantee that two counters calling at once never get the same ticket: the second update finds the row
 * no longer waiting (PostgreSQL re-checks it after the first commits; SQLite has one writer) and changes nothing.
 */
export async function claimTicket(tx: OfficeDbOrTx, id: string, counterRow: Pick<CounterRow, 'id' | 'number'>, at: string): Promise<boolean> {
  const result = await q(tx)
    .updateTable('queue_tickets')
    .set((eb) => ({ status: 'called', counter_id: counterRow.id, counter_number: counterRow.number, called_at: at, call_count: eb('call_count', '+', 1) }))
    .where('id', '=', id)
    .where('status', '=', 'waiting')
    .executeTakeFirst();
  return changed(result) === 1;
}

/** Changes a ticket only while it is in `fromStatus` (and, when given, held by `counterId`). */
export async function updateTicket(tx: OfficeDbOrTx, id: string, fromStatus: string, changes: Partial<Omit<TicketRow, 'id'>>, counterId?: string): Promise<boolean> {
  let query = q(tx).updateTable('queue_tickets').set(changes).where('id', '=', id).where('status', '=', fromStatus);
  if (counterId) query = query.where('counter_id', '=', counterId);
  return changed(await query.executeTakeFirst()) === 1;
}

export async function bumpCallCount(tx: OfficeDbOrTx, id: string): Promise<void> {
  await q(tx).updateTable('queue_tickets').set((eb) => ({ call_count: eb('call_count', '+', 1) })).where('id', '=', id).execute();
}

/** Service times (seconds) of the last `limit` tickets served for a service at a site. */
export async function recentServiceSeconds(db: OfficeDbOrTx, siteId: string, service: string, limit = 20): Promise<number[]> {
  const rows = await q(db)
    .selectFrom('queue_tickets')
    .select(['called_at', 'finished_at'])
    .where('site_id', '=', siteId)
    .where('service', '=', service)
    .where('status', '=', 'done')
    .where('finished_at', 'is not', null)
    .orderBy('finished_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => (Date.parse(r.finished_at!) - Date.parse(r.called_at!)) / 1000).filter((s) => Number.isFinite(s) && s > 0);
}

/** Closes the tickets of `day` and before in one of `statuses` (nobody finished them), with a reason. */
export async function closeUnservedTickets(tx: OfficeDbOrTx, day: string, statuses: string[], reason: { id: string; en: string }, at: string): Promise<number> {
  return changed(
    await q(tx)
      .updateTable('queue_tickets')
      .set({ status: 'closed', close_reason_id: reason.id, close_reason_en: reason.en, finished_at: at })
      .where('day', '<=', day)
      .where('status', 'in', statuses)
      .executeTakeFirst(),
  );
}

export async function flagTickets(tx: OfficeDbOrTx, siteId: string, service: string, day: string, state: string, json: string, at: string): Promise<number> {
  return changed(
    await q(tx)
      .updateTable('queue_tickets')
      .set({ flag_state: state, flag_json: json, flagged_at: at })
      .where('site_id', '=', siteId)
      .where('service', '=', service)
      .where('day', '=', day)
      .where('status', '=', 'waiting')
      .where('flagged_at', 'is', null)
      .executeTakeFirst(),
  );
}

export async function ticketsOn(db: OfficeDbOrTx, siteId: string, service: string, day: string, statuses: string[]): Promise<TicketRow[]> {
  return (await q(db).selectFrom('queue_tickets').selectAll().where('site_id', '=', siteId).where('service', '=', service).where('day', '=', day).where('status', 'in', statuses).execute()).map(ticket);
}

export async function ticketsBetween(db: OfficeDbOrTx, from: string, to: string, siteId?: string): Promise<TicketRow[]> {
  let query = q(db).selectFrom('queue_tickets').selectAll().where('day', '>=', from).where('day', '<=', to);
  if (siteId) query = query.where('site_id', '=', siteId);
  return (await query.execute()).map(ticket);
}

/** Waiting counts per service at a site on a day, split by lane. */
export async function waitingCounts(db: OfficeDbOrTx, siteId: string, day: string): Promise<{ service: string; lane: string; n: number }[]> {
  const rows = await q(db)
    .selectFrom('queue_tickets')
    .select(['service', 'lane', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('site_id', '=', siteId)
    .where('day', '=', day)
    .where('status', '=', 'waiting')
    .groupBy(['service', 'lane'])
    .execute();
  return rows.map((r) => ({ service: r.service, lane: r.lane, n: Number(r.n) }));
}

// ---- counters ----

export async function insertCounter(tx: OfficeDbOrTx, row: CounterRow): Promise<void> {
  await q(tx).insertInto('queue_counters').values(row).execute();
}

export async function findCounter(db: OfficeDbOrTx, id: string): Promise<CounterRow | undefined> {
  const row = await q(db).selectFrom('queue_counters').selectAll().where('id', '=', id).executeTakeFirst();
  return row && counter(row);
}

export async function openCounters(db: OfficeDbOrTx, siteId?: string): Promise<CounterRow[]> {
  let query = q(db).selectFrom('queue_counters').selectAll().where('status', '=', 'open');
  if (siteId) query = query.where('site_id', '=', siteId);
  return (await query.orderBy('number').execute()).map(counter);
}

export async function updateCounter(tx: OfficeDbOrTx, id: string, changes: Partial<Omit<CounterRow, 'id'>>): Promise<boolean> {
  return changed(await q(tx).updateTable('queue_counters').set(changes).where('id', '=', id).where('status', '=', 'open').executeTakeFirst()) === 1;
}

/**
 * Counts a call at an open counter and answers its number. Being a write, it is also the first statement of
 * the call's transaction on purpose: SQLite takes the write lock here, before anything is read, so the
 * reads that follow see the last committed state and the transaction cannot fail later on upgrading.
 */
export async function countCall(tx: OfficeDbOrTx, counterId: string): Promise<number | undefined> {
  const row = await q(tx)
    .updateTable('queue_counters')
    .set((eb) => ({ calls_made: eb('calls_made', '+', 1) }))
    .where('id', '=', counterId)
    .where('status', '=', 'open')
    .returning('calls_made')
    .executeTakeFirst();
  return row ? Number(row.calls_made) : undefined;
}

/** Closes every counter still open from an earlier day (end of day). */
export async function closeCountersBefore(tx: OfficeDbOrTx, before: string, at: string): Promise<number> {
  return changed(await q(tx).updateTable('queue_counters').set({ status: 'closed', closed_at: at, current_ticket_id: null }).where('status', '=', 'open').where('opened_at', '<', before).executeTakeFirst());
}

// ---- calls ----

export async function insertCall(tx: OfficeDbOrTx, row: CallRow): Promise<void> {
  await q(tx).insertInto('queue_calls').values(row).execute();
}

export async function findCall(db: OfficeDbOrTx, id: string): Promise<CallRow | undefined> {
  const row = await q(db).selectFrom('queue_calls').selectAll().where('id', '=', id).executeTakeFirst();
  return row && call(row);
}

export async function recentCalls(db: OfficeDbOrTx, siteId: string, since: string, limit: number): Promise<CallRow[]> {
  return (await q(db).selectFrom('queue_calls').selectAll().where('site_id', '=', siteId).where('at', '>=', since).orderBy('at', 'desc').limit(limit).execute()).map(call);
}

// ---- days ----

export function findDayClosure(db: OfficeDbOrTx, day: string): Promise<QueueTables['queue_day_closures'] | undefined> {
  return q(db).selectFrom('queue_day_closures').selectAll().where('day', '=', day).executeTakeFirst();
}

/** Records that a day was closed; false when another process closed it first. */
export async function insertDayClosure(tx: OfficeDbOrTx, row: QueueTables['queue_day_closures']): Promise<boolean> {
  const result = await q(tx).insertInto('queue_day_closures').values(row).onConflict((oc) => oc.column('day').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Days with tickets or bookings still open, before `day` (the rollover closes them). */
export async function daysLeftOpen(db: OfficeDbOrTx, before: string): Promise<string[]> {
  const rows = await q(db)
    .selectFrom('queue_tickets')
    .select('day')
    .distinct()
    .where('day', '<', before)
    .where('status', 'in', ['waiting', 'called'])
    .union(q(db).selectFrom('queue_bookings').select('day').distinct().where('day', '<', before).where('status', '=', 'active'))
    .execute();
  return [...new Set(rows.map((r) => r.day))].sort();
}
