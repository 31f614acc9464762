import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  DomainError,
  SERVICE_LETTERS,
  SERVICE_NAMES,
  callText,
  chooseNext,
  clockMinutes,
  formatBookingCode,
  formatTicketNumber,
  isWorkingDay,
  kioskRefusal,
  minutesClock,
  normalizeBookingCode,
  peopleAhead,
  waitRange,
  type Bilingual,
  type PriorityReason,
  type ServiceId,
  type TicketLane,
  type TicketStatus,
  type WaitingTicket,
} from '@tangguh/domain';
import type { QueueCallEvent, QueueCallResult, QueueCheckInRequest, QueueCounterView, QueueFollow, QueueOpenCounter, QueueTicketBrief, QueueTicketIssued, QueueTicketRequest } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import type { OfficeUser } from '../repositories/users.ts';
import {
  bumpCallCount,
  claimTicket,
  countCall,
  findBookingByCode,
  findCall,
  findCounter,
  findTicket,
  insertCall,
  insertCounter,
  insertTicket,
  nextTicketSerial,
  openCounters,
  callCandidates,
  queuedOf,
  recentServiceSeconds,
  takeQuota,
  updateBooking,
  updateCounter,
  updateTicket,
  waitingTickets,
  type CallRow,
  type QueuedRow,
  type CounterRow,
  type TicketRow,
} from '../repositories/queue.ts';
import { listSites } from '../repositories/sites.ts';
import { maskAddress } from '../notify/addresses.ts';
import { statusSnapshot } from './service-status.ts';
import { loadQueueSettings, officeNow, queueCalendar } from './queue-settings.ts';
import { queueEvents } from './queue-events.ts';
import { voiceAvailable, VOICE_UNAVAILABLE } from './queue-voice.ts';
import { notifyNearTurns } from './queue-notify.ts';

/**
 * Kiosk tickets, counters and calls. The order in which a counter calls is the domain's (`chooseNext` in
 * packages/domain/src/queue.ts, written out there and in the README); here is how it is made safe: a call
 * is one transaction that first counts the call on the counter's row (a write, so SQLite's lock is taken
 * before anything is read), reads the waiting tickets, picks one by the rules and takes it with a
 * conditional update (`status = 'waiting'`). A counter that loses a race for a ticket picks again.
 */

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export const ticketNotFound = () => new DomainError('QUEUE_TICKET_NOT_FOUND', { id: 'Nomor antrean tidak ditemukan.', en: 'Ticket not found.' }, 'not_found');
const counterNotFound = () => new DomainError('QUEUE_COUNTER_NOT_FOUND', { id: 'Loket tidak ditemukan.', en: 'Counter not found.' }, 'not_found');
const siteNotFound = () => new DomainError('QUEUE_SITE_NOT_FOUND', { id: 'Lokasi layanan tidak dikenal.', en: 'Unknown service site.' }, 'not_found');
const refused = (code: string, why: Bilingual, todo: Bilingual) => new DomainError(code, { id: `${why.id} ${todo.id}`, en: `${why.en} ${todo.en}` }, 'conflict');

async function servicesAt(ctx: OfficeContext, siteId: string) {
  const derived = (await statusSnapshot(ctx)).derived.get(siteId);
  if (!derived) throw siteNotFound();
  return derived;
}

// ---- presenting ----

export function ticketBrief(row: TicketRow, bookingCode: string | null = null): QueueTicketBrief {
  return {
    id: row.id,
    number: row.number,
    service: row.service as ServiceId,
    lane: row.lane as TicketLane,
    priorityReason: row.priority_reason as PriorityReason | null,
    bookingCode,
    window: row.window_start && row.window_end ? { start: row.window_start, end: row.window_end } : null,
    status: row.status as TicketStatus,
    issuedAt: row.issued_at,
    queuedAt: row.queued_at,
    calledAt: row.called_at,
    counterNumber: row.counter_number,
    callCount: row.call_count,
    transferredFrom: row.transferred_from as ServiceId | null,
    flagged: row.flagged_at !== null,
  };
}

export async function callEvent(row: CallRow): Promise<QueueCallEvent> {
  const voice = await voiceAvailable();
  return {
    callId: row.id,
    ticketNumber: row.ticket_number,
    service: row.service as ServiceId,
    counterNumber: row.counter_number,
    at: row.at,
    recall: row.recall === 1,
    text: callText(row.ticket_number, row.counter_number),
    audioUrl: voice ? `/api/antrean/suara/${row.id}.wav` : null,
    voiceNote: voice ? null : VOICE_UNAVAILABLE,
  };
}

async function counterView(db: OfficeDbOrTx, row: CounterRow): Promise<QueueCounterView> {
  const current = row.current_ticket_id ? await findTicket(db, row.current_ticket_id) : undefined;
  return {
    id: row.id,
    siteId: row.site_id,
    number: row.number,
    services: JSON.parse(row.services) as ServiceId[],
    operator: row.operator,
    status: row.status === 'open' ? 'open' : 'closed',
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    callsMade: row.calls_made,
    current: current ? ticketBrief(current) : null,
  };
}

const toWaiting = (row: QueuedRow): WaitingTicket => ({ id: row.id, service: row.service as ServiceId, lane: row.lane as TicketLane, serial: row.serial, queuedAt: row.queued_at, windowStart: row.window_start });

/** Position, wait range and call of one ticket, as its holder sees it. */
export async function followView(ctx: OfficeContext, row: TicketRow): Promise<QueueFollow> {
  const now = officeNow(ctx);
  const settings = await loadQueueSettings(ctx.db);
  const sites = await listSites(ctx.db);
  const service = row.service as ServiceId;
  const counters = (await openCounters(ctx.db, row.site_id)).filter((c) => (JSON.parse(c.services) as string[]).includes(service)).length;
  let ahead: number | null = null;
  let wait: QueueFollow['wait'] = null;
  if (row.status === 'waiting') {
    const waiting = await queuedOf(ctx.db, row.site_id, row.day, service);
    ahead = peopleAhead(waiting.map(toWaiting), now.clock).get(row.id) ?? 0;
    wait = waitRange({ ahead, counters, recentServiceSeconds: await recentServiceSeconds(ctx.db, row.site_id, service), defaultMinutes: settings.defaultServiceMinutes }) ?? null;
  }
  return {
    id: row.id,
    number: row.number,
    service,
    serviceName: SERVICE_NAMES[service],
    siteName: sites.find((s) => s.id === row.site_id)?.name ?? row.site_id,
    status: row.status as TicketStatus,
    ahead,
    wait,
    waitNote: row.status === 'waiting' && counters === 0 ? { id: 'Belum ada loket yang buka untuk layanan ini; perkiraan muncul saat loket dibuka.', en: 'No counter is open for this service yet; an estimate appears when one opens.' } : null,
    countersOpen: counters,
    counterNumber: row.status === 'called' ? row.counter_number : null,
    calledAt: row.called_at,
    issuedAt: row.issued_at,
    closeReason: row.close_reason_id ? { id: row.close_reason_id, en: row.close_reason_en ?? row.close_reason_id } : null,
    flag: row.flag_json ? (JSON.parse(row.flag_json) as QueueFollow['flag']) : null,
    nearTurn: row.near_position !== null && row.near_channel && row.near_address ? { position: row.near_position, to: maskAddress(row.near_channel, row.near_address), sent: row.near_sent_at !== null } : null,
    updatedAt: now.iso,
  };
}

/** The ticket a follower's secret opens; the same "not found" for a wrong id and a wrong secret. */
export async function ticketWithKey(ctx: OfficeContext, id: string, key: string): Promise<TicketRow> {
  const row = await findTicket(ctx.db, id);
  const hash = sha256(key);
  if (!row || !timingSafeEqual(Buffer.from(row.secret_hash), Buffer.from(hash))) throw ticketNotFound();
  return row;
}

// ---- kiosk ----

async function issued(ctx: OfficeContext, row: TicketRow, key: string, bookingCode: string | null): Promise<QueueTicketIssued> {
  queueEvents(ctx).emit('change', row.site_id);
  return {
    ticket: ticketBrief(row, bookingCode),
    follow: await followView(ctx, row),
    followKey: key,
    followPath: `/antrean/${row.id}?k=${key}`,
    pdfPath: `/api/antrean/ikuti/${row.id}/tiket.pdf?k=${key}`,
  };
}

interface NewTicket {
  siteId: string;
  service: ServiceId;
  lane: TicketLane;
  priorityReason: PriorityReason | null;
  bookingId: string | null;
  window: { start: string; end: string } | null;
}

async function insertNewTicket(ctx: OfficeContext, tx: OfficeDbOrTx, t: NewTicket, key: string): Promise<TicketRow> {
  const now = officeNow(ctx);
  const serial = await nextTicketSerial(tx, t.siteId, SERVICE_LETTERS[t.service], now.dayKey);
  const row: TicketRow = {
    id: randomUUID(),
    site_id: t.siteId,
    service: t.service,
    day: now.day,
    serial,
    number: formatTicketNumber(t.service, serial),
    lane: t.lane,
    priority_reason: t.priorityReason,
    booking_id: t.bookingId,
    window_start: t.window?.start ?? null,
    window_end: t.window?.end ?? null,
    status: 'waiting',
    issued_at: now.iso,
    queued_at: now.iso,
    called_at: null,
    finished_at: null,
    counter_id: null,
    counter_number: null,
    call_count: 0,
    transferred_from: null,
    close_reason_id: null,
    close_reason_en: null,
    secret_hash: sha256(key),
    flag_state: null,
    flag_json: null,
    flagged_at: null,
    near_position: null,
    near_channel: null,
    near_address: null,
    near_lang: null,
    near_sent_at: null,
  };
  await insertTicket(tx, row);
  return row;
}

/** A walk-in ticket — or a refusal that says why and what to do instead, when the office cannot serve it today. */
export async function issueTicket(ctx: OfficeContext, request: QueueTicketRequest): Promise<QueueTicketIssued> {
  const now = officeNow(ctx);
  const settings = await loadQueueSettings(ctx.db);
  const state = (await servicesAt(ctx, request.siteId)).find((s) => s.service === request.service);
  const calendar = await queueCalendar(ctx.db, ctx.office.timeZone, now.day, 1);
  // The quota is decided by taking it, below; the refusal for a quota used up comes from there.
  const refusal = kioskRefusal({ service: request.service, state, workingDay: isWorkingDay(now.day, calendar), nowClock: now.clock, settings, walkInsIssued: 0 });
  if (refusal) throw refused(refusal.code, refusal.messages, refusal.whatToDo);
  const key = randomBytes(18).toString('base64url');
  const row = await ctx.db.transaction().execute(async (tx) => {
    if (!(await takeQuota(tx, { siteId: request.siteId, service: request.service, day: now.day }, 'walkin', settings.quotas[request.service].walkIn))) {
      const again = kioskRefusal({ service: request.service, state, workingDay: true, nowClock: now.clock, settings, walkInsIssued: Infinity })!;
      throw refused(again.code, again.messages, again.whatToDo);
    }
    return insertNewTicket(ctx, tx, { siteId: request.siteId, service: request.service, lane: request.priority ? 'priority' : 'walkin', priorityReason: request.priority, bookingId: null, window: null }, key);
  });
  return issued(ctx, row, key, null);
}

/** A booked arrival exchanges the booking (code or QR) for a ticket in the booking lane. */
export async function checkIn(ctx: OfficeContext, request: QueueCheckInRequest): Promise<QueueTicketIssued> {
  const now = officeNow(ctx);
  const settings = await loadQueueSettings(ctx.db);
  const code = normalizeBookingCode(request.code);
  const booking = code ? await findBookingByCode(ctx.db, code) : undefined;
  if (!booking || booking.site_id !== request.siteId) throw new DomainError('BOOKING_NOT_FOUND', { id: 'Kode pemesanan tidak ditemukan di lokasi ini. Periksa kode, atau ambil nomor antrean langsung.', en: 'Booking code not found at this site. Check the code, or take a walk-in ticket.' }, 'not_found');
  const service = booking.service as ServiceId;
  if (booking.status === 'checked_in') throw refused('BOOKING_ALREADY_CHECKED_IN', { id: 'Pemesanan ini sudah ditukar dengan nomor antrean.', en: 'This booking has already been exchanged for a ticket.' }, { id: 'Tanyakan petugas bila nomor Anda hilang.', en: 'Ask staff if you lost your ticket.' });
  if (booking.status !== 'active') throw refused('BOOKING_NOT_ACTIVE', { id: 'Pemesanan ini sudah dibatalkan atau lewat waktunya.', en: 'This booking was cancelled or has passed.' }, { id: 'Ambil nomor antrean langsung atau pesan jadwal baru.', en: 'Take a walk-in ticket or book a new slot.' });
  if (booking.day !== now.day) throw refused('BOOKING_OTHER_DAY', { id: `Pemesanan ini untuk tanggal ${booking.day}.`, en: `This booking is for ${booking.day}.` }, { id: 'Datang pada hari tersebut, atau pindahkan jadwal di /warga.', en: 'Come on that day, or move it at /warga.' });
  const from = clockMinutes(booking.window_start) - settings.checkInEarlyMinutes;
  const until = clockMinutes(booking.window_end) + settings.checkInLateMinutes;
  const at = clockMinutes(now.clock);
  if (at < from) throw refused('BOOKING_TOO_EARLY', { id: `Terlalu awal untuk jadwal ${booking.window_start}–${booking.window_end}.`, en: `Too early for the ${booking.window_start}–${booking.window_end} window.` }, { id: `Lapor kembali mulai pukul ${minutesClock(from).replace(':', '.')}.`, en: `Check in from ${minutesClock(from)}.` });
  if (at > until) throw refused('BOOKING_TOO_LATE', { id: `Jadwal ${booking.window_start}–${booking.window_end} sudah lewat.`, en: `The ${booking.window_start}–${booking.window_end} window has passed.` }, { id: 'Ambil nomor antrean langsung bila kuota masih ada.', en: 'Take a walk-in ticket if any are left.' });
  const state = (await servicesAt(ctx, booking.site_id)).find((s) => s.service === service);
  const refusal = kioskRefusal({ service, state, workingDay: true, nowClock: settings.opensAt, settings, walkInsIssued: 0 });
  if (refusal) throw refused(refusal.code, refusal.messages, refusal.whatToDo);
  const key = randomBytes(18).toString('base64url');
  const row = await ctx.db.transaction().execute(async (tx) => {
    const ticket = await insertNewTicket(ctx, tx, { siteId: booking.site_id, service, lane: 'booking', priorityReason: null, bookingId: booking.id, window: { start: booking.window_start, end: booking.window_end } }, key);
    if (!(await updateBooking(tx, booking.id, 'active', { status: 'checked_in', ticket_id: ticket.id, updated_at: now.iso })))
      throw refused('BOOKING_ALREADY_CHECKED_IN', { id: 'Pemesanan ini sudah ditukar dengan nomor antrean.', en: 'This booking has already been exchanged for a ticket.' }, { id: 'Tanyakan petugas bila nomor Anda hilang.', en: 'Ask staff if you lost your ticket.' });
    return ticket;
  });
  return issued(ctx, row, key, formatBookingCode(booking.code));
}

// ---- counters ----

const mayWorkAt = (user: OfficeUser, siteId: string) => user.role === 'admin' || user.role === 'supervisor' || user.siteId === siteId;
const notYourSite = () => new DomainError('QUEUE_OTHER_SITE', { id: 'Loket ini milik lokasi lain.', en: 'This counter belongs to another site.' }, 'forbidden');

async function counterFor(ctx: OfficeContext, id: string, user: OfficeUser): Promise<CounterRow> {
  const row = await findCounter(ctx.db, id);
  if (!row) throw counterNotFound();
  if (!mayWorkAt(user, row.site_id)) throw notYourSite();
  if (row.status !== 'open') throw new DomainError('QUEUE_COUNTER_CLOSED', { id: 'Loket ini sudah ditutup. Buka loket lagi.', en: 'This counter is closed. Open it again.' }, 'conflict');
  return row;
}

export async function openCounter(ctx: OfficeContext, request: QueueOpenCounter, user: OfficeUser): Promise<QueueCounterView> {
  if (!mayWorkAt(user, request.siteId)) throw notYourSite();
  const offered = new Set((await servicesAt(ctx, request.siteId)).map((s) => s.service));
  const services = [...new Set(request.services)];
  const missing = services.filter((s) => !offered.has(s));
  if (missing.length > 0) throw new DomainError('QUEUE_SERVICE_NOT_OFFERED', { id: `Lokasi ini tidak melayani: ${missing.map((s) => SERVICE_NAMES[s].id).join(', ')}.`, en: `This site does not offer: ${missing.map((s) => SERVICE_NAMES[s].en).join(', ')}.` });
  const row: CounterRow = { id: randomUUID(), site_id: request.siteId, number: request.number, services: JSON.stringify(services), operator: user.username, status: 'open', opened_at: officeNow(ctx).iso, closed_at: null, calls_made: 0, current_ticket_id: null };
  try {
    await insertCounter(ctx.db, row);
  } catch (error) {
    if (/unique|23505/i.test(`${(error as { code?: string }).code ?? ''} ${(error as Error).message}`)) throw new DomainError('QUEUE_COUNTER_ALREADY_OPEN', { id: `Loket ${request.number} sudah dibuka.`, en: `Counter ${request.number} is already open.` }, 'conflict');
    throw error;
  }
  queueEvents(ctx).emit('change', row.site_id);
  return counterView(ctx.db, row);
}

/** Spare candidates per lane read for a call: enough for the losers of a race to pick again without a read. */
const CANDIDATES = 8;
const busy = () => new DomainError('QUEUE_COUNTER_BUSY', { id: 'Selesaikan atau tandai tidak hadir nomor yang sedang dipanggil dahulu.', en: 'Finish the current ticket or mark it as a no-show first.' }, 'conflict');
class NothingWaiting extends Error {}

/** Calls the next ticket by the written order; `ticket: null` when nobody waits for this counter's services. */
export async function callNext(ctx: OfficeContext, counterId: string, user: OfficeUser): Promise<QueueCallResult> {
  const counter = await counterFor(ctx, counterId, user);
  if (counter.current_ticket_id) throw busy();
  const settings = await loadQueueSettings(ctx.db);
  const services = JSON.parse(counter.services) as ServiceId[];
  let outcome: { ticket: TicketRow; reason: QueueCallResult['reason']; call: CallRow } | undefined;
  try {
    outcome = await ctx.db.transaction().execute(async (tx) => {
      const now = officeNow(ctx);
      const callNumber = await countCall(tx, counter.id);
      if (callNumber === undefined) throw new DomainError('QUEUE_COUNTER_CLOSED', { id: 'Loket ini sudah ditutup.', en: 'This counter is closed.' }, 'conflict');
      let candidates = (await callCandidates(tx, counter.site_id, now.day, services, CANDIDATES)).map(toWaiting);
      for (let round = 0; candidates.length > 0; ) {
        const choice = chooseNext(candidates, now.clock, callNumber, settings.starvationEvery)!;
        if (await claimTicket(tx, choice.ticket.id, counter, now.iso)) {
          if (!(await updateCounter(tx, counter.id, { current_ticket_id: choice.ticket.id }))) throw busy();
          const ticket = (await findTicket(tx, choice.ticket.id))!;
          const call: CallRow = { id: randomUUID(), ticket_id: ticket.id, counter_id: counter.id, site_id: counter.site_id, ticket_number: ticket.number, service: ticket.service, counter_number: counter.number, recall: 0, at: now.iso };
          await insertCall(tx, call);
          return { ticket, reason: choice.reason, call };
        }
        // Another counter took it first: choose again among the rest, and read again when they are gone.
        candidates = candidates.filter((c) => c.id !== choice.ticket.id);
        if (candidates.length === 0 && ++round < 20) candidates = (await callCandidates(tx, counter.site_id, now.day, services, CANDIDATES)).map(toWaiting);
      }
      throw new NothingWaiting();
    });
  } catch (error) {
    if (!(error instanceof NothingWaiting)) throw error;
  }
  const fresh = (await findCounter(ctx.db, counter.id))!;
  if (!outcome) return { counter: await counterView(ctx.db, fresh), ticket: null, reason: null, call: null };
  const event = await callEvent(outcome.call);
  queueEvents(ctx).emit('call', counter.site_id, event);
  queueEvents(ctx).emit('change', counter.site_id);
  await notifyNearTurns(ctx, counter.site_id).catch(() => undefined);
  return { counter: await counterView(ctx.db, fresh), ticket: ticketBrief(outcome.ticket), reason: outcome.reason, call: event };
}

function currentOf(counter: CounterRow): string {
  if (!counter.current_ticket_id) throw new DomainError('QUEUE_NOTHING_CALLED', { id: 'Belum ada nomor yang dipanggil di loket ini.', en: 'No ticket has been called at this counter.' }, 'conflict');
  return counter.current_ticket_id;
}

export async function recall(ctx: OfficeContext, counterId: string, user: OfficeUser): Promise<QueueCallResult> {
  const counter = await counterFor(ctx, counterId, user);
  const ticketId = currentOf(counter);
  const call = await ctx.db.transaction().execute(async (tx) => {
    const ticket = (await findTicket(tx, ticketId))!;
    await bumpCallCount(tx, ticketId);
    const row: CallRow = { id: randomUUID(), ticket_id: ticketId, counter_id: counter.id, site_id: counter.site_id, ticket_number: ticket.number, service: ticket.service, counter_number: counter.number, recall: 1, at: officeNow(ctx).iso };
    await insertCall(tx, row);
    return row;
  });
  const event = await callEvent(call);
  queueEvents(ctx).emit('call', counter.site_id, event);
  const ticket = (await findTicket(ctx.db, ticketId))!;
  return { counter: await counterView(ctx.db, counter), ticket: ticketBrief(ticket), reason: null, call: event };
}

/** Ends the current call: served, or did not come. */
async function endCurrent(ctx: OfficeContext, counterId: string, user: OfficeUser, status: 'done' | 'noshow'): Promise<QueueCounterView> {
  const counter = await counterFor(ctx, counterId, user);
  const ticketId = currentOf(counter);
  await ctx.db.transaction().execute(async (tx) => {
    await updateTicket(tx, ticketId, 'called', { status, finished_at: officeNow(ctx).iso }, counter.id);
    await updateCounter(tx, counter.id, { current_ticket_id: null });
  });
  queueEvents(ctx).emit('change', counter.site_id);
  return counterView(ctx.db, (await findCounter(ctx.db, counter.id))!);
}

export const finishTicket = (ctx: OfficeContext, counterId: string, user: OfficeUser) => endCurrent(ctx, counterId, user, 'done');
export const markNoShow = (ctx: OfficeContext, counterId: string, user: OfficeUser) => endCurrent(ctx, counterId, user, 'noshow');

/** Sends the current ticket to another service; it waits again by its original time, so it keeps its place. */
export async function transferTicket(ctx: OfficeContext, counterId: string, service: ServiceId, user: OfficeUser): Promise<QueueCounterView> {
  const counter = await counterFor(ctx, counterId, user);
  const ticketId = currentOf(counter);
  if (!(await servicesAt(ctx, counter.site_id)).some((s) => s.service === service)) throw new DomainError('QUEUE_SERVICE_NOT_OFFERED', { id: `${SERVICE_NAMES[service].id} tidak dilayani di lokasi ini.`, en: `${SERVICE_NAMES[service].en} is not offered at this site.` });
  const ticket = (await findTicket(ctx.db, ticketId))!;
  if (ticket.service === service) throw new DomainError('QUEUE_SAME_SERVICE', { id: 'Nomor ini sudah untuk layanan tersebut.', en: 'The ticket is already for that service.' });
  await ctx.db.transaction().execute(async (tx) => {
    await updateTicket(tx, ticketId, 'called', { status: 'waiting', service, transferred_from: ticket.service, counter_id: null, counter_number: null, called_at: null }, counter.id);
    await updateCounter(tx, counter.id, { current_ticket_id: null });
  });
  queueEvents(ctx).emit('change', counter.site_id);
  return counterView(ctx.db, (await findCounter(ctx.db, counter.id))!);
}

/** Closes a counter; a ticket it was serving goes back to waiting in its place. */
export async function closeCounter(ctx: OfficeContext, counterId: string, user: OfficeUser): Promise<QueueCounterView> {
  const counter = await counterFor(ctx, counterId, user);
  await ctx.db.transaction().execute(async (tx) => {
    if (counter.current_ticket_id) await updateTicket(tx, counter.current_ticket_id, 'called', { status: 'waiting', counter_id: null, counter_number: null, called_at: null }, counter.id);
    await updateCounter(tx, counter.id, { status: 'closed', closed_at: officeNow(ctx).iso, current_ticket_id: null });
  });
  queueEvents(ctx).emit('change', counter.site_id);
  return counterView(ctx.db, (await findCounter(ctx.db, counter.id))!);
}

export async function queueConsole(ctx: OfficeContext, siteId: string) {
  const derived = await servicesAt(ctx, siteId);
  const now = officeNow(ctx);
  const counters = await Promise.all((await openCounters(ctx.db, siteId)).map((c) => counterView(ctx.db, c)));
  const waiting = await waitingTickets(ctx.db, siteId, now.day);
  return {
    siteId,
    counters,
    waiting: derived.map((d) => {
      const mine = waiting.filter((t) => t.service === d.service);
      return { service: d.service, waiting: mine.length, priority: mine.filter((t) => t.lane === 'priority').length, booking: mine.filter((t) => t.lane === 'booking').length, state: d.state };
    }),
  };
}

export async function callById(ctx: OfficeContext, callId: string): Promise<CallRow | undefined> {
  return findCall(ctx.db, callId);
}
