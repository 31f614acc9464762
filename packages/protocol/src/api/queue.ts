import { z } from 'zod';
import { BOOKING_STATUSES, PRIORITY_REASONS, TICKET_LANES, TICKET_STATUSES, isIsoDate } from '@tangguh/domain';
import { binary, bilingualSchema, errors, isoTimestamp, sessionErrors, uuidParamsSchema } from './common.ts';
import { serviceIdSchema, serviceStateSchema } from './status.ts';

/**
 * The queue (issue 10): bookings made at /warga, tickets from the kiosk, counters in the operator console,
 * the TV board, a resident following a ticket on a phone, and the day's statistics.
 *
 * Public (rate-limited, no login): options, slots, booking (make, look up, cancel, move, take an offered
 * slot), kiosk ticket and check-in, following a ticket (with its secret `k` from the ticket's QR), the
 * board (JSON and SSE) and the spoken call. Operators: counters. Supervisors and admins: settings, end of
 * day. Head, supervisors and admins: statistics.
 *
 * Refusals (a ticket the office cannot serve today, a quota used up, a holiday) are errors in the common
 * shape: a stable code and one bilingual message that says why AND what to do instead.
 */

export const queuePriorityReasonSchema = z.enum(PRIORITY_REASONS);
export const queueLaneSchema = z.enum(TICKET_LANES);
export const queueTicketStatusSchema = z.enum(TICKET_STATUSES);
export const queueBookingStatusSchema = z.enum(BOOKING_STATUSES);
export const queueCallReasonSchema = z.enum(['priority', 'booking', 'walkin', 'starvation']);

const siteIdSchema = z.string().trim().min(1).max(40);
const clockSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
const daySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').refine(isIsoDate, 'a calendar date');
const nikSchema = z.string().trim().regex(/^\d{16}$/, '16 digits');
/** As printed (ABCD-2345) or typed; the server normalizes it. */
const bookingCodeSchema = z.string().trim().min(8).max(12);
const langSchema = z.enum(['id', 'en']).default('id');
const contactSchema = z.object({ channel: z.enum(['email', 'sms', 'whatsapp']), address: z.string().trim().min(3).max(254) });
/** The secret in a ticket's QR that lets its holder follow it. */
const followKeySchema = z.string().trim().min(16).max(64);

export const queueWindowSchema = z.object({ start: clockSchema, end: clockSchema });
export type QueueWindow = z.infer<typeof queueWindowSchema>;

export const queueWaitSchema = z
  .object({ lowMinutes: z.number().int(), highMinutes: z.number().int(), basis: z.enum(['history', 'default']) })
  .meta({ id: 'QueueWait', description: 'A wait as a range in minutes (p25–p75 of recent service times over the counters open now).' });
export type QueueWait = z.infer<typeof queueWaitSchema>;

/** An outage or maintenance that hit a booking or a waiting ticket: what it means and what to do. */
export const queueFlagSchema = z.object({ state: serviceStateSchema, explanation: bilingualSchema, whatToDo: bilingualSchema, at: isoTimestamp });

// ---- options and slots ----------------------------------------------------------------------------

export const queueOptionsSchema = z
  .object({
    sites: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        services: z.array(z.object({ service: serviceIdSchema, letter: z.string(), name: bilingualSchema, state: serviceStateSchema, whatToDo: bilingualSchema })),
      }),
    ),
    windows: z.array(queueWindowSchema),
    opensAt: clockSchema,
    closesAt: clockSchema,
    bookingDaysAhead: z.number().int(),
    priorityReasons: z.array(z.object({ reason: queuePriorityReasonSchema, name: bilingualSchema })),
    today: daySchema,
  })
  .meta({ id: 'QueueOptions' });
export type QueueOptions = z.infer<typeof queueOptionsSchema>;

export const queueSlotsQuerySchema = z.object({
  siteId: siteIdSchema,
  service: serviceIdSchema,
  /** First day shown (default: today); `days` days from it. */
  from: daySchema.optional(),
  days: z.coerce.number().int().min(1).max(31).default(7),
});

export const queueSlotDaySchema = z.object({
  day: daySchema,
  open: z.boolean(),
  /** Why the whole day is closed (weekend, holiday). */
  reason: bilingualSchema.nullable(),
  windows: z.array(
    z.object({
      start: clockSchema,
      end: clockSchema,
      capacity: z.number().int(),
      left: z.number().int(),
      open: z.boolean(),
      /** Why this window cannot be booked (full, past, planned maintenance). */
      reason: bilingualSchema.nullable(),
    }),
  ),
});
export const queueSlotsSchema = z.object({ siteId: z.string(), service: serviceIdSchema, onlineQuota: z.number().int(), days: z.array(queueSlotDaySchema) }).meta({ id: 'QueueSlots' });
export type QueueSlots = z.infer<typeof queueSlotsSchema>;

// ---- bookings -------------------------------------------------------------------------------------

export const queueBookRequestSchema = z.object({
  siteId: siteIdSchema,
  service: serviceIdSchema,
  day: daySchema,
  windowStart: clockSchema,
  nik: nikSchema,
  /** For the reminder the day before and news of an outage; optional. */
  contact: contactSchema.optional(),
  lang: langSchema,
});
export type QueueBookRequest = z.infer<typeof queueBookRequestSchema>;

export const queueBookingLookupSchema = z.object({ code: bookingCodeSchema, nik: nikSchema });
export type QueueBookingLookup = z.infer<typeof queueBookingLookupSchema>;
export const queueBookingMoveSchema = z.object({ code: bookingCodeSchema, nik: nikSchema, day: daySchema, windowStart: clockSchema });
export type QueueBookingMove = z.infer<typeof queueBookingMoveSchema>;

export const queueBookingViewSchema = z
  .object({
    /** ABCD2345, shown as ABCD-2345. */
    code: z.string(),
    codeDisplay: z.string(),
    siteId: z.string(),
    siteName: z.string(),
    service: serviceIdSchema,
    serviceName: bilingualSchema,
    day: daySchema,
    window: queueWindowSchema,
    status: queueBookingStatusSchema,
    /** PNG of the QR (data: URL) holding the code, for the kiosk's check-in. */
    qrPng: z.string(),
    /** Masked contact, when one was left. */
    contact: z.string().nullable(),
    flag: queueFlagSchema.nullable(),
    /** After check-in: the ticket number. */
    ticketNumber: z.string().nullable(),
    createdAt: isoTimestamp,
  })
  .meta({ id: 'QueueBooking' });
export type QueueBookingView = z.infer<typeof queueBookingViewSchema>;

export const queueOfferParamsSchema = z.object({ token: z.string().trim().min(10).max(200) });
export const queueOfferSchema = z
  .object({
    codeDisplay: z.string(),
    siteName: z.string(),
    service: serviceIdSchema,
    serviceName: bilingualSchema,
    current: z.object({ day: daySchema, window: queueWindowSchema }),
    offered: z.object({ day: daySchema, window: queueWindowSchema }),
    /** false: the slot was taken meanwhile, the booking changed, or the link expired; `reason` says which. */
    available: z.boolean(),
    reason: bilingualSchema.nullable(),
  })
  .meta({ id: 'QueueOffer' });
export type QueueOffer = z.infer<typeof queueOfferSchema>;

// ---- tickets --------------------------------------------------------------------------------------

export const queueTicketRequestSchema = z.object({
  siteId: siteIdSchema,
  service: serviceIdSchema,
  /** The priority lane: elderly, disabled, pregnant (the kiosk asks; staff may check). */
  priority: queuePriorityReasonSchema.nullable().default(null),
  lang: langSchema,
});
export type QueueTicketRequest = z.infer<typeof queueTicketRequestSchema>;

export const queueCheckInRequestSchema = z.object({ siteId: siteIdSchema, code: bookingCodeSchema, lang: langSchema });
export type QueueCheckInRequest = z.infer<typeof queueCheckInRequestSchema>;

export const queueTicketBriefSchema = z
  .object({
    id: z.uuid(),
    number: z.string(),
    service: serviceIdSchema,
    lane: queueLaneSchema,
    priorityReason: queuePriorityReasonSchema.nullable(),
    bookingCode: z.string().nullable(),
    window: queueWindowSchema.nullable(),
    status: queueTicketStatusSchema,
    issuedAt: isoTimestamp,
    /** When it first joined the queue (kept when transferred). */
    queuedAt: isoTimestamp,
    calledAt: isoTimestamp.nullable(),
    counterNumber: z.number().int().nullable(),
    callCount: z.number().int(),
    transferredFrom: serviceIdSchema.nullable(),
    flagged: z.boolean(),
  })
  .meta({ id: 'QueueTicketBrief' });
export type QueueTicketBrief = z.infer<typeof queueTicketBriefSchema>;

export const queueFollowSchema = z
  .object({
    id: z.uuid(),
    number: z.string(),
    service: serviceIdSchema,
    serviceName: bilingualSchema,
    siteName: z.string(),
    status: queueTicketStatusSchema,
    /** People ahead in this service's queue (null once called or closed). */
    ahead: z.number().int().nullable(),
    wait: queueWaitSchema.nullable(),
    /** Why there is no wait estimate (no counter open for the service). */
    waitNote: bilingualSchema.nullable(),
    countersOpen: z.number().int(),
    counterNumber: z.number().int().nullable(),
    calledAt: isoTimestamp.nullable(),
    issuedAt: isoTimestamp,
    closeReason: bilingualSchema.nullable(),
    flag: queueFlagSchema.nullable(),
    /** The "your turn is near" message asked for: at this many people ahead, on this (masked) contact. */
    nearTurn: z.object({ position: z.number().int(), to: z.string(), sent: z.boolean() }).nullable(),
    updatedAt: isoTimestamp,
  })
  .meta({ id: 'QueueFollow' });
export type QueueFollow = z.infer<typeof queueFollowSchema>;

export const queueTicketIssuedSchema = z
  .object({
    ticket: queueTicketBriefSchema,
    follow: queueFollowSchema,
    /** The secret for following and printing; the QR on the ticket holds `followPath`. */
    followKey: z.string(),
    followPath: z.string(),
    pdfPath: z.string(),
  })
  .meta({ id: 'QueueTicketIssued' });
export type QueueTicketIssued = z.infer<typeof queueTicketIssuedSchema>;

export const queueFollowQuerySchema = z.object({ k: followKeySchema });
export const queueTicketPdfQuerySchema = z.object({ k: followKeySchema, lebar: z.enum(['58', '80']).default('80') });
export const queueNearTurnRequestSchema = z.object({ k: followKeySchema, position: z.number().int().min(1).max(50), contact: contactSchema, lang: langSchema });
export type QueueNearTurnRequest = z.infer<typeof queueNearTurnRequestSchema>;

// ---- board ----------------------------------------------------------------------------------------

export const queueBoardQuerySchema = z.object({ siteId: siteIdSchema });

export const queueCallEventSchema = z
  .object({
    callId: z.uuid(),
    ticketNumber: z.string(),
    service: serviceIdSchema,
    counterNumber: z.number().int(),
    at: isoTimestamp,
    recall: z.boolean(),
    /** "Nomor antrean A-012, silakan ke loket 3" (and English). */
    text: bilingualSchema,
    /** WAV of the Indonesian text from espeak-ng; null when the office cannot speak (the board then uses the browser's speech). */
    audioUrl: z.string().nullable(),
    voiceNote: bilingualSchema.nullable(),
  })
  .meta({ id: 'QueueCall' });
export type QueueCallEvent = z.infer<typeof queueCallEventSchema>;

export const queueBoardSchema = z
  .object({
    siteId: z.string(),
    siteName: z.string(),
    at: isoTimestamp,
    /** The latest call of each open counter, newest first; then the last calls of the day. */
    counters: z.array(z.object({ number: z.number().int(), services: z.array(serviceIdSchema), current: queueCallEventSchema.nullable() })),
    recentCalls: z.array(queueCallEventSchema),
    waiting: z.array(z.object({ service: serviceIdSchema, name: bilingualSchema, letter: z.string(), waiting: z.number().int(), state: serviceStateSchema, explanation: bilingualSchema, whatToDo: bilingualSchema, wait: queueWaitSchema.nullable() })),
    announcement: bilingualSchema.nullable(),
    voice: z.object({ available: z.boolean(), note: bilingualSchema.nullable() }),
  })
  .meta({ id: 'QueueBoard' });
export type QueueBoard = z.infer<typeof queueBoardSchema>;

export const queueAudioParamsSchema = z.object({ callId: z.uuid() });

// ---- counters -------------------------------------------------------------------------------------

export const queueCounterViewSchema = z
  .object({
    id: z.uuid(),
    siteId: z.string(),
    number: z.number().int(),
    services: z.array(serviceIdSchema),
    operator: z.string(),
    status: z.enum(['open', 'closed']),
    openedAt: isoTimestamp,
    closedAt: isoTimestamp.nullable(),
    callsMade: z.number().int(),
    current: queueTicketBriefSchema.nullable(),
  })
  .meta({ id: 'QueueCounter' });
export type QueueCounterView = z.infer<typeof queueCounterViewSchema>;

export const queueConsoleQuerySchema = z.object({ siteId: siteIdSchema.optional() });
export const queueConsoleSchema = z
  .object({
    siteId: z.string(),
    counters: z.array(queueCounterViewSchema),
    waiting: z.array(z.object({ service: serviceIdSchema, waiting: z.number().int(), priority: z.number().int(), booking: z.number().int(), state: serviceStateSchema })),
  })
  .meta({ id: 'QueueConsole' });
export type QueueConsole = z.infer<typeof queueConsoleSchema>;

export const queueOpenCounterSchema = z.object({ siteId: siteIdSchema, number: z.number().int().min(1).max(99), services: z.array(serviceIdSchema).min(1).max(8) });
export type QueueOpenCounter = z.infer<typeof queueOpenCounterSchema>;
export const queueTransferSchema = z.object({ service: serviceIdSchema });
export const queueEmptyBodySchema = z.object({}).optional();

export const queueCallResultSchema = z
  .object({
    counter: queueCounterViewSchema,
    /** null: nobody waits for this counter's services. */
    ticket: queueTicketBriefSchema.nullable(),
    reason: queueCallReasonSchema.nullable(),
    call: queueCallEventSchema.nullable(),
  })
  .meta({ id: 'QueueCallResult' });
export type QueueCallResult = z.infer<typeof queueCallResultSchema>;

// ---- settings, end of day, statistics --------------------------------------------------------------

const quotaSchema = z.object({ online: z.number().int().min(0).max(5000), walkIn: z.number().int().min(0).max(5000) });
export const queueSettingsSchema = z
  .object({
    opensAt: clockSchema,
    closesAt: clockSchema,
    windowMinutes: z.number().int().min(10).max(240),
    quotas: z.object({ perekaman: quotaSchema, cetak: quotaSchema, pengambilan: quotaSchema, suket: quotaSchema, tte_dokumen: quotaSchema, kk: quotaSchema, akta: quotaSchema, konsultasi: quotaSchema }),
    perPhonePerDay: z.number().int().min(1).max(20),
    starvationEvery: z.number().int().min(0).max(20),
    bookingDaysAhead: z.number().int().min(1).max(60),
    checkInEarlyMinutes: z.number().int().min(0).max(240),
    checkInLateMinutes: z.number().int().min(0).max(240),
    defaultServiceMinutes: z.object({ low: z.number().int().min(1).max(120), high: z.number().int().min(1).max(240) }),
  })
  .meta({ id: 'QueueSettings' });
export type QueueSettingsBody = z.infer<typeof queueSettingsSchema>;

export const queueEndOfDayRequestSchema = z.object({ day: daySchema.optional() });
export const queueStatRowSchema = z.object({
  day: daySchema,
  siteId: z.string(),
  service: serviceIdSchema,
  issued: z.number().int(),
  served: z.number().int(),
  noShow: z.number().int(),
  closedUnserved: z.number().int(),
  priority: z.number().int(),
  fromBookings: z.number().int(),
  bookings: z.number().int(),
  bookingsCheckedIn: z.number().int(),
  /** Minutes from joining the queue to being called: median and 90th percentile (null: nobody called). */
  waitMedianMinutes: z.number().nullable(),
  waitP90Minutes: z.number().nullable(),
  serviceMedianMinutes: z.number().nullable(),
});
export type QueueStatRow = z.infer<typeof queueStatRowSchema>;
export const queueStatsQuerySchema = z.object({ from: daySchema.optional(), to: daySchema.optional(), siteId: siteIdSchema.optional() });
export const queueStatsSchema = z.object({ from: daySchema, to: daySchema, rows: z.array(queueStatRowSchema) }).meta({ id: 'QueueStats' });
export type QueueStats = z.infer<typeof queueStatsSchema>;
export const queueEndOfDaySchema = z.object({ day: daySchema, closedTickets: z.number().int(), expiredBookings: z.number().int(), stats: z.array(queueStatRowSchema) });
export type QueueEndOfDay = z.infer<typeof queueEndOfDaySchema>;

// ---- routes ---------------------------------------------------------------------------------------

const tags = ['queue'];
const publicErrors = errors(400, 403, 404, 409, 415, 429, 503);
const counterParams = uuidParamsSchema;
const operatorErrors = { ...sessionErrors, ...errors(404, 409) };

export const queueRoutes = {
  options: { tags, summary: 'Sites, their services with today’s state, booking windows, priority reasons (public)', response: { 200: queueOptionsSchema, ...errors(429) } },
  slots: { tags, summary: 'Days and windows that can be booked for a service at a site, with what is left (public)', querystring: queueSlotsQuerySchema, response: { 200: queueSlotsSchema, ...errors(400, 404, 429) } },
  book: { tags, summary: 'Book a window (one per NIK per service per day; a cap per phone); answers the code and its QR (public)', body: queueBookRequestSchema, response: { 201: queueBookingViewSchema, ...publicErrors } },
  lookup: { tags, summary: 'A booking by its code and the NIK it was made with (public; the same answer for a wrong code or NIK)', body: queueBookingLookupSchema, response: { 200: queueBookingViewSchema, ...publicErrors } },
  cancel: { tags, summary: 'Cancel a booking with its code and NIK (public)', body: queueBookingLookupSchema, response: { 200: queueBookingViewSchema, ...publicErrors } },
  move: { tags, summary: 'Move a booking to another day or window with its code and NIK (public)', body: queueBookingMoveSchema, response: { 200: queueBookingViewSchema, ...publicErrors } },
  offer: { tags, summary: 'The new slot an outage message offered (signed link; public)', params: queueOfferParamsSchema, response: { 200: queueOfferSchema, ...publicErrors } },
  takeOffer: { tags, summary: 'Take the offered slot with one tap (signed link; public)', params: queueOfferParamsSchema, body: queueEmptyBodySchema, response: { 200: queueBookingViewSchema, ...publicErrors } },
  ticket: { tags, summary: 'Kiosk: a walk-in ticket, or a refusal that says why and what to do instead (public)', body: queueTicketRequestSchema, response: { 201: queueTicketIssuedSchema, ...publicErrors } },
  checkIn: { tags, summary: 'Kiosk: a booked arrival checks in with the booking code or QR and gets a ticket (public)', body: queueCheckInRequestSchema, response: { 201: queueTicketIssuedSchema, ...publicErrors } },
  follow: { tags, summary: 'Follow a ticket: position, wait range, call (public, with the secret from its QR)', params: uuidParamsSchema, querystring: queueFollowQuerySchema, response: { 200: queueFollowSchema, ...publicErrors } },
  nearTurn: { tags, summary: 'Ask for a "your turn is near" message at a chosen number of people ahead (public, with the ticket’s secret)', params: uuidParamsSchema, body: queueNearTurnRequestSchema, response: { 200: queueFollowSchema, ...publicErrors } },
  ticketPdf: { tags, summary: 'The ticket as a PDF for a 58 mm or 80 mm thermal printer (public, with the ticket’s secret)', params: uuidParamsSchema, querystring: queueTicketPdfQuerySchema, response: { 200: binary(['application/pdf'], 'Thermal ticket PDF'), ...publicErrors } },
  board: { tags, summary: 'The TV board: calls per counter, waiting per service, service states, the head’s announcement (public)', querystring: queueBoardQuerySchema, response: { 200: queueBoardSchema, ...errors(400, 404, 429) } },
  boardStream: {
    tags,
    summary: 'Server-sent events for the TV board: `board` (the whole board, on connect and on change) and `call` (each call and recall, with its text and audio URL) (public; needs Accept: text/event-stream)',
    querystring: queueBoardQuerySchema,
    response: { 200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string() } } }, ...errors(400, 404, 429, 503) },
  },
  audio: { tags, summary: 'The spoken call as WAV (espeak-ng, Indonesian voice) (public)', params: queueAudioParamsSchema, response: { 200: binary(['audio/wav'], 'RIFF WAVE, 16-bit mono'), ...errors(400, 404, 429, 503) } },
  console: { tags, summary: 'Counters of a site and what waits for each service (operators)', querystring: queueConsoleQuerySchema, response: { 200: queueConsoleSchema, ...sessionErrors, ...errors(404) } },
  openCounter: { tags, summary: 'Open a counter with the services it serves (operators)', body: queueOpenCounterSchema, response: { 201: queueCounterViewSchema, ...operatorErrors } },
  callNext: { tags, summary: 'Call the next ticket by the written order (priority, bookings due, walk-ins; every Nth call the oldest walk-in) (operators)', params: counterParams, body: queueEmptyBodySchema, response: { 200: queueCallResultSchema, ...operatorErrors } },
  recall: { tags, summary: 'Call the current ticket again (operators)', params: counterParams, body: queueEmptyBodySchema, response: { 200: queueCallResultSchema, ...operatorErrors } },
  noShow: { tags, summary: 'The called ticket did not come (operators)', params: counterParams, body: queueEmptyBodySchema, response: { 200: queueCounterViewSchema, ...operatorErrors } },
  finish: { tags, summary: 'The called ticket was served (operators)', params: counterParams, body: queueEmptyBodySchema, response: { 200: queueCounterViewSchema, ...operatorErrors } },
  transfer: { tags, summary: 'Send the called ticket to another service; it keeps its place by its original time (operators)', params: counterParams, body: queueTransferSchema, response: { 200: queueCounterViewSchema, ...operatorErrors } },
  closeCounter: { tags, summary: 'Close a counter (a ticket it holds goes back to waiting) (operators)', params: counterParams, body: queueEmptyBodySchema, response: { 200: queueCounterViewSchema, ...operatorErrors } },
  settings: { tags, summary: 'Queue settings: hours, windows, quotas, caps (supervisors, admins)', response: { 200: queueSettingsSchema, ...sessionErrors } },
  saveSettings: { tags, summary: 'Change the queue settings (supervisors, admins)', body: queueSettingsSchema, response: { 200: queueSettingsSchema, ...sessionErrors } },
  endOfDay: { tags, summary: 'Close the day: unserved tickets closed with a reason, unused bookings expired, the day’s statistics (supervisors, admins)', body: queueEndOfDayRequestSchema, response: { 200: queueEndOfDaySchema, ...sessionErrors } },
  stats: { tags, summary: 'Statistics per day, site and service: waits, service times, no-shows (head, supervisors, admins)', querystring: queueStatsQuerySchema, response: { 200: queueStatsSchema, ...sessionErrors } },
  statsCsv: {
    tags,
    summary: 'The same statistics as CSV (head, supervisors, admins)',
    querystring: queueStatsQuerySchema,
    response: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, ...sessionErrors },
  },
};

/** Every route of the queue, for the web and the tests: method and path. */
export const QUEUE_PATHS = {
  options: 'GET /api/antrean/pilihan',
  slots: 'GET /api/reservasi/slot',
  book: 'POST /api/reservasi',
  lookup: 'POST /api/reservasi/cari',
  cancel: 'POST /api/reservasi/batal',
  move: 'POST /api/reservasi/pindah',
  offer: 'GET /api/reservasi/tawaran/:token',
  takeOffer: 'POST /api/reservasi/tawaran/:token',
  ticket: 'POST /api/antrean/tiket',
  checkIn: 'POST /api/antrean/check-in',
  follow: 'GET /api/antrean/ikuti/:id',
  nearTurn: 'POST /api/antrean/ikuti/:id/pengingat',
  ticketPdf: 'GET /api/antrean/ikuti/:id/tiket.pdf',
  board: 'GET /api/antrean/papan',
  boardStream: 'GET /api/antrean/papan/stream',
  audio: 'GET /api/antrean/suara/:callId.wav',
  console: 'GET /api/antrean/loket',
  openCounter: 'POST /api/antrean/loket',
  callNext: 'POST /api/antrean/loket/:id/panggil',
  recall: 'POST /api/antrean/loket/:id/panggil-ulang',
  noShow: 'POST /api/antrean/loket/:id/tidak-hadir',
  finish: 'POST /api/antrean/loket/:id/selesai',
  transfer: 'POST /api/antrean/loket/:id/alihkan',
  closeCounter: 'POST /api/antrean/loket/:id/tutup',
  settings: 'GET /api/antrean/pengaturan',
  saveSettings: 'PUT /api/antrean/pengaturan',
  endOfDay: 'POST /api/antrean/tutup-hari',
  stats: 'GET /api/antrean/statistik',
  statsCsv: 'GET /api/antrean/statistik.csv',
} as const;
