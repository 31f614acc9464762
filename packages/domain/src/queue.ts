import type { Bilingual } from './errors.ts';
import { SERVICE_NAMES, SERVICES, type ServiceId, type ServiceState } from './service-status.ts';

/**
 * The queue's rules, pure: which ticket a counter calls next, what a day's quotas allow, how long a wait
 * is likely to be. No clock and no database here: callers pass the office's wall-clock time ('HH:MM') and
 * the rows they read, so every rule is tested on its own.
 *
 * ## Call-next order (also in the README)
 * 1. **Priority lane** first — elderly, disabled, pregnant — oldest first.
 * 2. **Bookings due**: a booked resident who checked in and whose window has begun, earliest window first
 *    (then who checked in first). A booking checked in before its window waits with the walk-ins until the
 *    window begins: coming early is allowed, jumping the line before one's time is not.
 * 3. **Walk-ins** by ticket order (the time the ticket was first issued; a ticket transferred to another
 *    service keeps that time, so it does not lose its place).
 * Starvation: every `starvationEvery`-th call of a counter takes the oldest walk-in instead, whatever waits
 * in the lanes above, so a steady stream of priority and booked people cannot hold a walk-in back all day.
 */

export const PRIORITY_REASONS = ['lansia', 'disabilitas', 'hamil'] as const;
export type PriorityReason = (typeof PRIORITY_REASONS)[number];
export const PRIORITY_REASON_NAMES: Record<PriorityReason, Bilingual> = {
  lansia: { id: 'Lansia', en: 'Elderly' },
  disabilitas: { id: 'Penyandang disabilitas', en: 'Disabled' },
  hamil: { id: 'Ibu hamil', en: 'Pregnant' },
};

export const TICKET_LANES = ['priority', 'booking', 'walkin'] as const;
export type TicketLane = (typeof TICKET_LANES)[number];

/** waiting → called → done | noshow; waiting → closed (end of day, or the office cannot serve it). */
export const TICKET_STATUSES = ['waiting', 'called', 'done', 'noshow', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const BOOKING_STATUSES = ['active', 'checked_in', 'cancelled', 'expired'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** One letter per service: ticket A-012 is the twelfth ticket of the day for recording. */
export const SERVICE_LETTERS: Record<ServiceId, string> = { perekaman: 'A', cetak: 'B', pengambilan: 'C', suket: 'D', tte_dokumen: 'E', kk: 'F', akta: 'G', konsultasi: 'H' };

export const formatTicketNumber = (service: ServiceId, serial: number): string => `${SERVICE_LETTERS[service]}-${String(serial).padStart(3, '0')}`;

/** The sentence the board shows and speaks. */
export function callText(ticketNumber: string, counterNumber: number): Bilingual {
  return { id: `Nomor antrean ${ticketNumber}, silakan ke loket ${counterNumber}`, en: `Ticket ${ticketNumber}, please go to counter ${counterNumber}` };
}

// ---------------------------------------------------------------------------------------------------
// Booking codes: short, read over the phone, typed on a kiosk — no 0/O, 1/I/L, no vowels that spell words.

export const BOOKING_CODE_ALPHABET = '23456789BCDFGHJKMNPQRSTVWXYZ';
export const BOOKING_CODE_LENGTH = 8;

/** A code from random bytes (one byte per character, rejection-free: 256 % 28 bias is < 0.4 % and harmless here). */
export function bookingCodeFrom(random: Uint8Array): string {
  if (random.length < BOOKING_CODE_LENGTH) throw new RangeError('not enough random bytes');
  let code = '';
  for (let i = 0; i < BOOKING_CODE_LENGTH; i++) code += BOOKING_CODE_ALPHABET[random[i]! % BOOKING_CODE_ALPHABET.length];
  return code;
}

/** "bc4d-7gh2 " → "BC4D7GH2"; undefined when it cannot be a code (a letter outside the alphabet, a wrong length). */
export function normalizeBookingCode(input: string): string | undefined {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== BOOKING_CODE_LENGTH) return undefined;
  for (const ch of code) if (!BOOKING_CODE_ALPHABET.includes(ch)) return undefined;
  return code;
}

export const formatBookingCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;

// ---------------------------------------------------------------------------------------------------
// Settings, windows and quotas

export interface ServiceQuota {
  /** Bookings a day (made at /warga). */
  online: number;
  /** Kiosk tickets a day (priority lane included). */
  walkIn: number;
}

export interface QueueSettings {
  /** Office hours, 'HH:MM' in the office's zone: tickets are issued from opensAt until closesAt. */
  opensAt: string;
  closesAt: string;
  /** Length of a booking window. */
  windowMinutes: number;
  quotas: Record<ServiceId, ServiceQuota>;
  /** Bookings one phone number may hold on one day (all services): a broker with one phone cannot hoard. */
  perPhonePerDay: number;
  /** Every Nth call of a counter takes the oldest walk-in. */
  starvationEvery: number;
  /** How far ahead a booking may be made. */
  bookingDaysAhead: number;
  /** A booking may check in from this long before its window until this long after it ends. */
  checkInEarlyMinutes: number;
  checkInLateMinutes: number;
  /** Assumed service time when there is too little history. */
  defaultServiceMinutes: { low: number; high: number };
}

const quota = (online: number, walkIn: number): ServiceQuota => ({ online, walkIn });

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  opensAt: '08:00',
  closesAt: '15:00',
  windowMinutes: 60,
  quotas: {
    perekaman: quota(100, 100),
    cetak: quota(80, 80),
    pengambilan: quota(100, 100),
    suket: quota(40, 60),
    tte_dokumen: quota(20, 20),
    kk: quota(40, 40),
    akta: quota(40, 40),
    konsultasi: quota(20, 40),
  },
  perPhonePerDay: 2,
  starvationEvery: 4,
  bookingDaysAhead: 14,
  checkInEarlyMinutes: 60,
  checkInLateMinutes: 30,
  defaultServiceMinutes: { low: 5, high: 12 },
};

export const clockMinutes = (clock: string): number => {
  const [h = 0, m = 0] = clock.split(':').map(Number);
  return h * 60 + m;
};
const two = (n: number) => String(n).padStart(2, '0');
export const minutesClock = (minutes: number): string => `${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`;

export interface BookingWindow {
  start: string;
  end: string;
}

/** The day's booking windows: from opening, one every windowMinutes, the last one ending by closing. */
export function bookingWindows(settings: Pick<QueueSettings, 'opensAt' | 'closesAt' | 'windowMinutes'>): BookingWindow[] {
  const out: BookingWindow[] = [];
  const close = clockMinutes(settings.closesAt);
  const step = Math.max(5, settings.windowMinutes);
  for (let t = clockMinutes(settings.opensAt); t + step <= close; t += step) out.push({ start: minutesClock(t), end: minutesClock(t + step) });
  return out;
}

/** Bookings one window takes: the day's online quota spread over the windows, rounded up. */
export const windowCapacity = (online: number, windows: number): number => (windows <= 0 ? 0 : Math.ceil(online / windows));

export interface Refusal {
  code: string;
  /** Why, and what to do instead. */
  messages: Bilingual;
  whatToDo: Bilingual;
}

const refusal = (code: string, messages: Bilingual, whatToDo: Bilingual): Refusal => ({ code, messages, whatToDo });

const BOOK_ONLINE: Bilingual = { id: 'Pesan antrean untuk hari kerja berikutnya di /warga.', en: 'Book a slot for the next working day at /warga.' };

/**
 * Whether the kiosk may issue a ticket now. A ticket the office cannot serve today is not issued: the
 * person is told why and what to do instead, instead of waiting for nothing.
 */
export function kioskRefusal(input: {
  service: ServiceId;
  /** The service's state at the site from the status model; undefined when the site does not offer it. */
  state: { state: ServiceState; whatToDo: Bilingual } | undefined;
  workingDay: boolean;
  nowClock: string;
  settings: Pick<QueueSettings, 'opensAt' | 'closesAt' | 'quotas'>;
  walkInsIssued: number;
}): Refusal | undefined {
  const name = SERVICE_NAMES[input.service];
  if (!input.state) return refusal('QUEUE_SERVICE_NOT_OFFERED', { id: `${name.id} tidak dilayani di lokasi ini.`, en: `${name.en} is not offered at this site.` }, { id: 'Tanyakan petugas lokasi layanan terdekat yang melayaninya.', en: 'Ask staff for the nearest site that offers it.' });
  if (!input.workingDay) return refusal('QUEUE_CLOSED_TODAY', { id: 'Kantor tutup hari ini (hari libur).', en: 'The office is closed today (a holiday).' }, BOOK_ONLINE);
  if (input.state.state === 'gangguan' || input.state.state === 'pemeliharaan') {
    const why = input.state.state === 'gangguan' ? { id: `${name.id} sedang tidak tersedia.`, en: `${name.en} is unavailable right now.` } : { id: `${name.id} sedang dalam pemeliharaan.`, en: `${name.en} is under maintenance.` };
    return refusal(input.state.state === 'gangguan' ? 'QUEUE_SERVICE_DOWN' : 'QUEUE_SERVICE_MAINTENANCE', why, input.state.whatToDo);
  }
  const now = clockMinutes(input.nowClock);
  if (now < clockMinutes(input.settings.opensAt)) return refusal('QUEUE_NOT_OPEN_YET', { id: `Antrean dibuka pukul ${input.settings.opensAt.replace(':', '.')}.`, en: `Tickets are issued from ${input.settings.opensAt}.` }, { id: 'Silakan kembali saat antrean dibuka.', en: 'Please come back when the queue opens.' });
  if (now >= clockMinutes(input.settings.closesAt)) return refusal('QUEUE_CLOSED_FOR_TODAY', { id: `Antrean hari ini sudah ditutup pukul ${input.settings.closesAt.replace(':', '.')}.`, en: `Today's queue closed at ${input.settings.closesAt}.` }, BOOK_ONLINE);
  if (input.walkInsIssued >= input.settings.quotas[input.service].walkIn)
    return refusal('QUEUE_WALK_IN_QUOTA_USED', { id: `Kuota antrean langsung ${name.id} hari ini sudah habis.`, en: `Today's walk-in tickets for ${name.en} have run out.` }, BOOK_ONLINE);
  return undefined;
}

/** Whether a booking may be made for a day and window (the quota itself is taken atomically by the caller). */
export function bookingRefusal(input: {
  service: ServiceId;
  offered: boolean;
  day: string;
  today: string;
  nowClock: string;
  window: BookingWindow | undefined;
  workingDay: boolean;
  /** A planned maintenance window that overlaps the booking window. */
  underMaintenance: boolean;
  daysAhead: number;
  settings: Pick<QueueSettings, 'bookingDaysAhead'>;
}): Refusal | undefined {
  const name = SERVICE_NAMES[input.service];
  const other: Bilingual = { id: 'Pilih hari atau jam lain.', en: 'Choose another day or time.' };
  if (!input.offered) return refusal('BOOKING_SERVICE_NOT_OFFERED', { id: `${name.id} tidak dilayani di lokasi ini.`, en: `${name.en} is not offered at this site.` }, { id: 'Pilih lokasi lain.', en: 'Choose another site.' });
  if (!input.window) return refusal('BOOKING_NO_SUCH_WINDOW', { id: 'Jam layanan itu tidak ada.', en: 'There is no such time window.' }, other);
  if (input.day < input.today || (input.day === input.today && clockMinutes(input.window.start) <= clockMinutes(input.nowClock))) return refusal('BOOKING_IN_THE_PAST', { id: 'Waktu itu sudah lewat.', en: 'That time has passed.' }, other);
  if (input.daysAhead > input.settings.bookingDaysAhead) return refusal('BOOKING_TOO_FAR_AHEAD', { id: `Pemesanan paling lambat ${input.settings.bookingDaysAhead} hari ke depan.`, en: `Bookings can be made up to ${input.settings.bookingDaysAhead} days ahead.` }, other);
  if (!input.workingDay) return refusal('BOOKING_OFFICE_CLOSED', { id: 'Kantor tutup pada hari itu (akhir pekan atau hari libur).', en: 'The office is closed that day (weekend or holiday).' }, other);
  if (input.underMaintenance) return refusal('BOOKING_UNDER_MAINTENANCE', { id: `${name.id} dijadwalkan pemeliharaan pada jam itu.`, en: `${name.en} has planned maintenance at that time.` }, other);
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Call-next

export interface WaitingTicket {
  id: string;
  service: ServiceId;
  lane: TicketLane;
  /** Serial of the day within its service letter; breaks ties of the same time. */
  serial: number;
  /** When the ticket was first issued (kept on transfer), ISO. */
  queuedAt: string;
  /** Bookings: their window's start, 'HH:MM'. */
  windowStart?: string | null;
}

export type CallReason = 'priority' | 'booking' | 'walkin' | 'starvation';

/** 0 priority, 1 booking whose window has begun, 2 everyone else (walk-ins, early bookings). */
function rank(ticket: WaitingTicket, nowClock: string): number {
  if (ticket.lane === 'priority') return 0;
  if (ticket.lane === 'booking' && ticket.windowStart && clockMinutes(ticket.windowStart) <= clockMinutes(nowClock)) return 1;
  return 2;
}

const byTime = (a: WaitingTicket, b: WaitingTicket) => (a.queuedAt < b.queuedAt ? -1 : a.queuedAt > b.queuedAt ? 1 : a.serial - b.serial || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** The waiting tickets in the order they would be called (the starvation rule aside). */
export function callOrder(tickets: readonly WaitingTicket[], nowClock: string): WaitingTicket[] {
  return [...tickets].sort((a, b) => {
    const ra = rank(a, nowClock);
    const rb = rank(b, nowClock);
    if (ra !== rb) return ra - rb;
    if (ra === 1 && a.windowStart !== b.windowStart) return clockMinutes(a.windowStart!) - clockMinutes(b.windowStart!);
    return byTime(a, b);
  });
}

/**
 * The ticket a counter calls now. `callNumber` is this call's number at the counter today (1, 2, …): every
 * `starvationEvery`-th call goes to the oldest walk-in when there is one.
 */
export function chooseNext(tickets: readonly WaitingTicket[], nowClock: string, callNumber: number, starvationEvery: number): { ticket: WaitingTicket; reason: CallReason } | undefined {
  const order = callOrder(tickets, nowClock);
  const first = order[0];
  if (!first) return undefined;
  if (starvationEvery > 0 && callNumber % starvationEvery === 0) {
    const oldestWalkIn = [...tickets].filter((t) => t.lane === 'walkin').sort(byTime)[0];
    if (oldestWalkIn && oldestWalkIn.id !== first.id) return { ticket: oldestWalkIn, reason: 'starvation' };
  }
  const r = rank(first, nowClock);
  return { ticket: first, reason: r === 0 ? 'priority' : r === 1 ? 'booking' : first.lane === 'booking' ? 'booking' : 'walkin' };
}

/** How many tickets of the same service are ahead of each waiting ticket. */
export function peopleAhead(tickets: readonly WaitingTicket[], nowClock: string): Map<string, number> {
  const out = new Map<string, number>();
  const byService = new Map<ServiceId, WaitingTicket[]>();
  for (const t of tickets) byService.set(t.service, [...(byService.get(t.service) ?? []), t]);
  for (const list of byService.values()) callOrder(list, nowClock).forEach((t, i) => out.set(t.id, i));
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Waits as ranges

/** The p-th percentile (0..1) by linear interpolation of sorted values. */
export function queuePercentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

export interface WaitRange {
  lowMinutes: number;
  highMinutes: number;
  /** 'history': from the last service times; 'default': too few yet, the office's assumption. */
  basis: 'history' | 'default';
}

/** Service times needed before they are believed over the default. */
export const MIN_SERVICE_SAMPLES = 5;

/**
 * A wait as a range, never a single promise: `ahead` people served by `counters` counters at the speed of
 * recent service times (p25 fast end, p75 slow end). No counter open: no estimate (undefined).
 */
export function waitRange(input: { ahead: number; counters: number; recentServiceSeconds: readonly number[]; defaultMinutes: { low: number; high: number } }): WaitRange | undefined {
  if (input.counters <= 0) return undefined;
  const history = input.recentServiceSeconds.filter((s) => Number.isFinite(s) && s > 0);
  const useHistory = history.length >= MIN_SERVICE_SAMPLES;
  const fast = useHistory ? queuePercentile(history, 0.25) / 60 : input.defaultMinutes.low;
  const slow = useHistory ? queuePercentile(history, 0.75) / 60 : input.defaultMinutes.high;
  const lowMinutes = Math.floor((input.ahead * fast) / input.counters);
  const highMinutes = Math.max(lowMinutes + 1, Math.ceil(((input.ahead + 1) * slow) / input.counters));
  return { lowMinutes, highMinutes, basis: useHistory ? 'history' : 'default' };
}

export const isServiceId = (value: string): value is ServiceId => (SERVICES as readonly string[]).includes(value);
