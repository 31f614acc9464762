import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import QRCode from 'qrcode';
import {
  DomainError,
  SERVICE_NAMES,
  addCalendarDays,
  bookingCodeFrom,
  bookingRefusal,
  bookingWindows,
  formatBookingCode,
  isWorkingDay,
  normalizeBookingCode,
  windowCapacity,
  type Bilingual,
  type BookingStatus,
  type BookingWindow,
  type QueueSettings,
  type ServiceId,
  type WorkCalendar,
} from '@tangguh/domain';
import type { QueueBookingLookup, QueueBookingMove, QueueBookingView, QueueBookRequest, QueueOffer, QueueSlots } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { maskAddress, normalizeAddress } from '../notify/addresses.ts';
import { findBooking, findBookingByCode, findTicket, insertBooking, liveBookingsOfContact, quotaUse, releaseQuota, takeQuota, updateBooking, type BookingRow } from '../repositories/queue.ts';
import { currentMaintenance, type MaintenanceRow } from '../repositories/service-status.ts';
import { listSites } from '../repositories/sites.ts';
import { statusSnapshot } from './service-status.ts';
import { instantOf, loadQueueSettings, macOf, nikHash, officeNow, queueCalendar } from './queue-settings.ts';

/**
 * Bookings made at /warga: a window of a working day within the day's online quota. The rules that keep a
 * broker (calo) from hoarding: one live booking per NIK per service per day (a unique index), a cap per
 * phone or e-mail per day, and a rate limit per address on the routes. A booking is found only with its
 * code AND the NIK it was made with, and a wrong pair gets the same answer as a missing code, so the
 * routes cannot be used to learn who booked.
 */

const ONLINE = 'online';
const windowBucket = (start: string) => `w:${start}`;

const notFound = () => new DomainError('BOOKING_NOT_FOUND', { id: 'Pemesanan tidak ditemukan. Periksa kode pemesanan dan NIK.', en: 'Booking not found. Check the booking code and NIK.' }, 'not_found');
const siteNotFound = () => new DomainError('QUEUE_SITE_NOT_FOUND', { id: 'Lokasi layanan tidak dikenal.', en: 'Unknown service site.' }, 'not_found');
const joinWhy = (why: Bilingual, todo: Bilingual): Bilingual => ({ id: `${why.id} ${todo.id}`, en: `${why.en} ${todo.en}` });

interface SlotContext {
  settings: QueueSettings;
  windows: BookingWindow[];
  calendar: WorkCalendar;
  maintenance: MaintenanceRow[];
  offered: boolean;
  today: string;
  nowClock: string;
  used: Map<string, number>;
}

async function slotContext(ctx: OfficeContext, db: OfficeDbOrTx, siteId: string, service: ServiceId, from: string, days: number): Promise<SlotContext> {
  const settings = await loadQueueSettings(db);
  const now = officeNow(ctx);
  const snap = await statusSnapshot(ctx);
  const atSite = snap.derived.get(siteId);
  if (!atSite) throw siteNotFound();
  return {
    settings,
    windows: bookingWindows(settings),
    calendar: await queueCalendar(db, ctx.office.timeZone, from, days),
    maintenance: await currentMaintenance(db, now.iso),
    offered: atSite.some((s) => s.service === service),
    today: now.day,
    nowClock: now.clock,
    used: await quotaUse(db, siteId, service, from, addCalendarDays(from, days)),
  };
}

function underMaintenance(rows: MaintenanceRow[], siteId: string, service: ServiceId, day: string, window: BookingWindow, timeZone: string): boolean {
  const from = instantOf(day, window.start, timeZone).toISOString();
  const to = instantOf(day, window.end, timeZone).toISOString();
  return rows.some((m) => (m.service === '*' || m.service === service) && (m.site_id === '*' || m.site_id === siteId) && m.starts_at < to && from < m.ends_at);
}

/** Why a window cannot be booked (undefined: it can), quota included. */
function windowRefusal(ctx: OfficeContext, s: SlotContext, siteId: string, service: ServiceId, day: string, start: string): { code: string; messages: Bilingual } | undefined {
  const window = s.windows.find((w) => w.start === start);
  const daysAhead = Math.round((Date.parse(day) - Date.parse(s.today)) / 86_400_000);
  const refused = bookingRefusal({ service, offered: s.offered, day, today: s.today, nowClock: s.nowClock, window, workingDay: isWorkingDay(day, s.calendar), underMaintenance: window ? underMaintenance(s.maintenance, siteId, service, day, window, ctx.office.timeZone) : false, daysAhead, settings: s.settings });
  if (refused) return { code: refused.code, messages: joinWhy(refused.messages, refused.whatToDo) };
  const quota = s.settings.quotas[service].online;
  const perWindow = windowCapacity(quota, s.windows.length);
  if ((s.used.get(`${day}|${ONLINE}`) ?? 0) >= quota || (s.used.get(`${day}|${windowBucket(start)}`) ?? 0) >= perWindow)
    return { code: 'BOOKING_FULL', messages: { id: 'Kuota pada jam itu sudah penuh. Pilih jam atau hari lain.', en: 'That window is fully booked. Choose another time or day.' } };
  return undefined;
}

export async function bookingSlots(ctx: OfficeContext, query: { siteId: string; service: ServiceId; from?: string; days: number }): Promise<QueueSlots> {
  const today = officeNow(ctx).day;
  const from = query.from && query.from > today ? query.from : today;
  const s = await slotContext(ctx, ctx.db, query.siteId, query.service, from, query.days);
  const perWindow = windowCapacity(s.settings.quotas[query.service].online, s.windows.length);
  const days = Array.from({ length: query.days }, (_, i) => addCalendarDays(from, i)).map((day) => {
    const open = isWorkingDay(day, s.calendar);
    return {
      day,
      open,
      reason: open ? null : { id: 'Kantor tutup (akhir pekan atau hari libur).', en: 'The office is closed (weekend or holiday).' },
      windows: open
        ? s.windows.map((w) => {
            const refused = windowRefusal(ctx, s, query.siteId, query.service, day, w.start);
            return { ...w, capacity: perWindow, left: Math.max(0, perWindow - (s.used.get(`${day}|${windowBucket(w.start)}`) ?? 0)), open: !refused, reason: refused?.messages ?? null };
          })
        : [],
    };
  });
  return { siteId: query.siteId, service: query.service, onlineQuota: s.settings.quotas[query.service].online, days };
}

const isUniqueViolation = (error: unknown) => /unique|23505/i.test(`${(error as { code?: string }).code ?? ''} ${(error as Error).message ?? ''}`);
const alreadyHeld = () => new DomainError('BOOKING_ALREADY_HELD', { id: 'NIK ini sudah memiliki pemesanan untuk layanan ini pada hari itu. Gunakan kode pemesanan Anda untuk melihat, memindah, atau membatalkannya.', en: 'This NIK already holds a booking for this service on that day. Use your booking code to see, move or cancel it.' }, 'conflict');

/**
 * The slot checks read the status snapshot inside the booking's transaction. Building it the first time reads
 * through the main connection, which on SQLite is the one the transaction holds: build it before, so that the
 * first booking after a start does not wait on itself for ever (inside, the built snapshot is returned at once).
 */
const statusReadyOutside = async (ctx: OfficeContext) => void (await statusSnapshot(ctx));

/** Takes the quota of a slot in the caller's transaction, or throws why it cannot. */
async function takeSlot(ctx: OfficeContext, tx: OfficeDbOrTx, siteId: string, service: ServiceId, day: string, start: string): Promise<BookingWindow> {
  const s = await slotContext(ctx, tx, siteId, service, day, 1);
  const refused = windowRefusal(ctx, s, siteId, service, day, start);
  if (refused) throw new DomainError(refused.code, refused.messages, 'conflict');
  const key = { siteId, service, day };
  const quota = s.settings.quotas[service].online;
  if (!(await takeQuota(tx, key, ONLINE, quota)) || !(await takeQuota(tx, key, windowBucket(start), windowCapacity(quota, s.windows.length))))
    throw new DomainError('BOOKING_FULL', { id: 'Kuota pada jam itu baru saja habis. Pilih jam atau hari lain.', en: 'That window has just been fully booked. Choose another time or day.' }, 'conflict');
  return s.windows.find((w) => w.start === start)!;
}

async function giveBackSlot(tx: OfficeDbOrTx, row: Pick<BookingRow, 'site_id' | 'service' | 'day' | 'window_start'>): Promise<void> {
  const key = { siteId: row.site_id, service: row.service, day: row.day };
  await releaseQuota(tx, key, ONLINE);
  await releaseQuota(tx, key, windowBucket(row.window_start));
}

export async function makeBooking(ctx: OfficeContext, request: QueueBookRequest): Promise<QueueBookingView> {
  const settings = await loadQueueSettings(ctx.db);
  const contact = request.contact ? { channel: request.contact.channel, address: normalizeAddress(request.contact.channel, request.contact.address) } : undefined;
  if (contact && !contact.address) throw new DomainError('BOOKING_CONTACT_INVALID', { id: 'Nomor telepon atau e-mail tidak valid.', en: 'The phone number or e-mail is not valid.' });
  const hash = await nikHash(ctx.db, request.nik);
  const now = officeNow(ctx).iso;
  const id = randomUUID();
  await statusReadyOutside(ctx);
  try {
    await ctx.db.transaction().execute(async (tx) => {
      if (contact && (await liveBookingsOfContact(tx, contact.address!, request.day)) >= settings.perPhonePerDay)
        throw new DomainError('BOOKING_CONTACT_CAP', { id: `Satu nomor atau e-mail hanya dapat memegang ${settings.perPhonePerDay} pemesanan per hari.`, en: `One phone number or e-mail may hold ${settings.perPhonePerDay} bookings a day.` }, 'conflict');
      const window = await takeSlot(ctx, tx, request.siteId, request.service, request.day, request.windowStart);
      await insertBooking(tx, {
        id,
        code: bookingCodeFrom(randomBytes(16)),
        site_id: request.siteId,
        service: request.service,
        day: request.day,
        window_start: window.start,
        window_end: window.end,
        nik_hash: hash,
        contact_channel: contact?.channel ?? null,
        contact_address: contact?.address ?? null,
        lang: request.lang,
        status: 'active',
        ticket_id: null,
        created_at: now,
        updated_at: now,
        flag_state: null,
        flag_json: null,
        flagged_at: null,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyHeld();
    throw error;
  }
  return presentBooking(ctx, (await findBooking(ctx.db, id))!);
}

/** The booking a code and NIK name together; the same refusal for a wrong code and a wrong NIK. */
async function bookingOf(ctx: OfficeContext, db: OfficeDbOrTx, code: string, nik: string): Promise<BookingRow> {
  const normalized = normalizeBookingCode(code);
  const row = normalized ? await findBookingByCode(db, normalized) : undefined;
  const hash = await nikHash(db, nik);
  if (!row || row.nik_hash.length !== hash.length || !timingSafeEqual(Buffer.from(row.nik_hash), Buffer.from(hash))) throw notFound();
  return row;
}

export async function lookupBooking(ctx: OfficeContext, request: QueueBookingLookup): Promise<QueueBookingView> {
  return presentBooking(ctx, await bookingOf(ctx, ctx.db, request.code, request.nik));
}

const notActive = (status: string) =>
  status === 'checked_in'
    ? new DomainError('BOOKING_ALREADY_CHECKED_IN', { id: 'Pemesanan ini sudah ditukar dengan nomor antrean.', en: 'This booking has already been exchanged for a ticket.' }, 'conflict')
    : new DomainError('BOOKING_NOT_ACTIVE', { id: 'Pemesanan ini sudah dibatalkan atau lewat waktunya.', en: 'This booking was cancelled or has passed.' }, 'conflict');

export async function cancelBooking(ctx: OfficeContext, request: QueueBookingLookup): Promise<QueueBookingView> {
  const row = await bookingOf(ctx, ctx.db, request.code, request.nik);
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await updateBooking(tx, row.id, 'active', { status: 'cancelled', updated_at: officeNow(ctx).iso }))) throw notActive(row.status);
    await giveBackSlot(tx, row);
  });
  return presentBooking(ctx, (await findBooking(ctx.db, row.id))!);
}

/** Moves a live booking to another slot: the new place taken and the old one given back in one transaction. */
async function moveTo(ctx: OfficeContext, row: BookingRow, day: string, start: string): Promise<QueueBookingView> {
  const settings = await loadQueueSettings(ctx.db);
  await statusReadyOutside(ctx);
  try {
    await ctx.db.transaction().execute(async (tx) => {
      if (row.contact_address && day !== row.day && (await liveBookingsOfContact(tx, row.contact_address, day)) >= settings.perPhonePerDay)
        throw new DomainError('BOOKING_CONTACT_CAP', { id: `Satu nomor atau e-mail hanya dapat memegang ${settings.perPhonePerDay} pemesanan per hari.`, en: `One phone number or e-mail may hold ${settings.perPhonePerDay} bookings a day.` }, 'conflict');
      const window = await takeSlot(ctx, tx, row.site_id, row.service as ServiceId, day, start);
      const moved = await updateBooking(tx, row.id, 'active', { day, window_start: window.start, window_end: window.end, updated_at: officeNow(ctx).iso, flag_state: null, flag_json: null, flagged_at: null });
      if (!moved) throw notActive(row.status);
      await giveBackSlot(tx, row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyHeld();
    throw error;
  }
  return presentBooking(ctx, (await findBooking(ctx.db, row.id))!);
}

export async function moveBooking(ctx: OfficeContext, request: QueueBookingMove): Promise<QueueBookingView> {
  const row = await bookingOf(ctx, ctx.db, request.code, request.nik);
  if (row.status !== 'active') throw notActive(row.status);
  if (row.day === request.day && row.window_start === request.windowStart) return presentBooking(ctx, row);
  return moveTo(ctx, row, request.day, request.windowStart);
}

// ---- the slot an outage message offers, taken with one tap ----

const compactDay = (day: string) => day.replaceAll('-', '');
const expandDay = (d: string) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;

/** The first slot after `after` that can be booked now: the same window if it is free, else the first free one. */
export async function offerSlot(ctx: OfficeContext, db: OfficeDbOrTx, row: BookingRow, after: string): Promise<{ day: string; window: BookingWindow } | undefined> {
  const settings = await loadQueueSettings(db);
  const from = addCalendarDays(after, 1);
  const s = await slotContext(ctx, db, row.site_id, row.service as ServiceId, from, settings.bookingDaysAhead);
  for (let i = 0; i < settings.bookingDaysAhead; i++) {
    const day = addCalendarDays(from, i);
    if (!isWorkingDay(day, s.calendar)) continue;
    const order = [...s.windows.filter((w) => w.start === row.window_start), ...s.windows.filter((w) => w.start !== row.window_start)];
    const free = order.find((w) => !windowRefusal(ctx, s, row.site_id, row.service as ServiceId, day, w.start));
    if (free) return { day, window: free };
  }
  return undefined;
}

/** code + day + HHMM + a MAC over them: the link names the booking and the slot, and nobody can forge another. */
export async function offerToken(db: OfficeDbOrTx, code: string, day: string, start: string): Promise<string> {
  const body = `${code}${compactDay(day)}${start.replace(':', '')}`;
  return `${body}${await macOf(db, 'offer', body, 16)}`;
}

async function readOfferToken(ctx: OfficeContext, token: string): Promise<{ row: BookingRow; day: string; start: string }> {
  const gone = () => new DomainError('BOOKING_OFFER_INVALID', { id: 'Tautan ini tidak berlaku. Buka pemesanan Anda dengan kode dan NIK untuk memilih jadwal lain.', en: 'This link is not valid. Open your booking with its code and NIK to choose another slot.' }, 'not_found');
  if (!/^[A-Z0-9]{20}[A-Za-z0-9_-]{16}$/.test(token)) throw gone();
  const body = token.slice(0, 20);
  const mac = await macOf(ctx.db, 'offer', body, 16);
  if (!timingSafeEqual(Buffer.from(mac), Buffer.from(token.slice(20)))) throw gone();
  const row = await findBookingByCode(ctx.db, body.slice(0, 8));
  if (!row) throw gone();
  return { row, day: expandDay(body.slice(8, 16)), start: `${body.slice(16, 18)}:${body.slice(18, 20)}` };
}

export async function viewOffer(ctx: OfficeContext, token: string): Promise<QueueOffer> {
  const { row, day, start } = await readOfferToken(ctx, token);
  const s = await slotContext(ctx, ctx.db, row.site_id, row.service as ServiceId, day, 1);
  const window = s.windows.find((w) => w.start === start) ?? { start, end: start };
  const taken = row.day === day && row.window_start === start;
  const refused = row.status !== 'active' ? { messages: { id: 'Pemesanan ini sudah tidak aktif.', en: 'This booking is no longer active.' } } : taken ? undefined : windowRefusal(ctx, s, row.site_id, row.service as ServiceId, day, start);
  const sites = await listSites(ctx.db);
  return {
    codeDisplay: formatBookingCode(row.code),
    siteName: sites.find((x) => x.id === row.site_id)?.name ?? row.site_id,
    service: row.service as ServiceId,
    serviceName: SERVICE_NAMES[row.service as ServiceId],
    current: { day: row.day, window: { start: row.window_start, end: row.window_end } },
    offered: { day, window },
    available: !refused,
    reason: refused?.messages ?? null,
  };
}

export async function takeOffer(ctx: OfficeContext, token: string): Promise<QueueBookingView> {
  const { row, day, start } = await readOfferToken(ctx, token);
  if (row.day === day && row.window_start === start && row.status === 'active') return presentBooking(ctx, row);
  if (row.status !== 'active') throw notActive(row.status);
  return moveTo(ctx, row, day, start);
}

// ---- presenting ----

export async function presentBooking(ctx: OfficeContext, row: BookingRow): Promise<QueueBookingView> {
  const sites = await listSites(ctx.db);
  const ticket = row.ticket_id ? await findTicket(ctx.db, row.ticket_id) : undefined;
  return {
    code: row.code,
    codeDisplay: formatBookingCode(row.code),
    siteId: row.site_id,
    siteName: sites.find((s) => s.id === row.site_id)?.name ?? row.site_id,
    service: row.service as ServiceId,
    serviceName: SERVICE_NAMES[row.service as ServiceId],
    day: row.day,
    window: { start: row.window_start, end: row.window_end },
    status: row.status as BookingStatus,
    qrPng: await QRCode.toDataURL(row.code, { errorCorrectionLevel: 'M', margin: 2, scale: 6 }),
    contact: row.contact_channel && row.contact_address ? maskAddress(row.contact_channel, row.contact_address) : null,
    flag: row.flag_json ? (JSON.parse(row.flag_json) as QueueBookingView['flag']) : null,
    ticketNumber: ticket?.number ?? null,
    createdAt: row.created_at,
  };
}
