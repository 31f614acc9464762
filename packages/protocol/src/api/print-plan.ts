import { z } from 'zod';
import { bilingualSchema, errors, isoTimestamp, sessionErrors } from './common.ts';

/**
 * The print plan's contract: the priority policy an admin sets, the blank-card stock (public per site,
 * because residents ask) and the entries staff add to its ledger. Serials are whole numbers: a blank's
 * serial is printed on it and allocated by the centre in ranges.
 */

export const PRIORITY_CLASS_IDS = ['first_time', 'disaster', 'suket', 'lost_damaged', 'data_change'] as const;

/** The admin's policy: the classes in priority order (a class left out gives no priority) and the fair share. */
export const printPriorityPolicySchema = z
  .object({
    order: z
      .array(z.enum(PRIORITY_CLASS_IDS))
      .max(PRIORITY_CLASS_IDS.length)
      .refine((order) => new Set(order).size === order.length, { message: 'each class at most once' }),
    fairShareAcrossKecamatan: z.boolean(),
  })
  .meta({ id: 'PrintPriorityPolicy' });
export type PrintPriorityPolicyInput = z.infer<typeof printPriorityPolicySchema>;

const siteId = z.string().trim().min(1).max(64);
const serial = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const quantity = z.number().int().min(1).max(1_000_000);

export const blankStockSiteSchema = z.object({ siteId: z.string(), siteName: z.string(), balance: z.number().int() });

export const publicBlankStockSchema = z
  .object({
    /** The office's calendar date the figures are for. */
    date: z.string(),
    timeZone: z.string(),
    asOf: isoTimestamp,
    total: z.number().int(),
    sites: z.array(blankStockSiteSchema),
  })
  .meta({ id: 'PublicBlankStock' });
export type PublicBlankStock = z.infer<typeof publicBlankStockSchema>;

export const blankReceiptRequestSchema = z
  .object({ siteId, tranche: z.string().trim().min(1).max(64), quantity, serialFrom: serial, serialTo: serial })
  .refine((r) => r.serialTo - r.serialFrom + 1 === r.quantity, { message: 'quantity must match the serial range', path: ['quantity'] });
export const blankTransferRequestSchema = z.object({ fromSiteId: siteId, toSiteId: siteId, quantity });
export const SPOILAGE_REASONS = ['misprint', 'overheating', 'damaged'] as const;
export const blankSpoilageRequestSchema = z.object({ siteId, serial, reason: z.enum(SPOILAGE_REASONS) });
/** A supervisor approves a count that someone else made: `countedBy` is that person's username. */
export const blankCorrectionRequestSchema = z.object({
  siteId,
  delta: z.number().int().min(-1_000_000).max(1_000_000).refine((d) => d !== 0, { message: 'a correction changes the count' }),
  reason: z.string().trim().min(3).max(500),
  countedBy: z.string().trim().min(1).max(64),
});

export const blankLedgerEntryViewSchema = z
  .object({
    id: z.number().int(),
    at: isoTimestamp,
    kind: z.enum(['receipt', 'transfer_out', 'transfer_in', 'loan_out', 'loan_in', 'consumption', 'spoilage', 'correction']),
    siteId: z.string(),
    quantity: z.number().int(),
    movementId: z.string(),
    counterpart: z.string().nullable(),
    tranche: z.string().nullable(),
    serialFrom: z.number().int().nullable(),
    serialTo: z.number().int().nullable(),
    serial: z.number().int().nullable(),
    recordId: z.string().nullable(),
    reason: z.string().nullable(),
    recordedBy: z.string(),
    approvedBy: z.string().nullable(),
  })
  .meta({ id: 'BlankLedgerEntry' });
export type BlankLedgerEntryView = z.infer<typeof blankLedgerEntryViewSchema>;

export const blankMovementResponseSchema = z.object({
  entries: z.array(blankLedgerEntryViewSchema),
  balances: z.array(blankStockSiteSchema),
  message: bilingualSchema,
});
export type BlankMovementResponse = z.infer<typeof blankMovementResponseSchema>;

/** Which ledger entries to read: one site's or all, the newest `limit`. */
export const blankLedgerQuerySchema = z.object({
  siteId: z.string().trim().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

const tags = ['blank-stock'];
const movement = { 201: blankMovementResponseSchema, ...sessionErrors, ...errors(404, 409) };

export const blankStockRoutes = {
  // 400: the framework's own refusals (an undecodable URL) in the bilingual shape.
  publicStock: { tags, summary: "Today's blank-card stock per site (public: residents ask)", response: { 200: publicBlankStockSchema, ...errors(400) } },
  receipt: { tags, summary: "Record a receipt of the centre's allocation: tranche, quantity, serial range (supervisor, admin)", body: blankReceiptRequestSchema, response: movement },
  transfer: { tags, summary: 'Move blanks from one site to another (supervisor, admin)', body: blankTransferRequestSchema, response: movement },
  spoilage: { tags, summary: 'Record a spoiled blank with its reason (operator, supervisor, admin)', body: blankSpoilageRequestSchema, response: movement },
  correction: { tags, summary: 'Correct a site count after a physical count made by someone else (supervisor)', body: blankCorrectionRequestSchema, response: movement },
  ledger: {
    tags,
    summary: "The ledger's entries, newest first: receipts, transfers, loans, every printed and spoiled blank, corrections (staff)",
    querystring: blankLedgerQuerySchema,
    response: { 200: z.object({ items: z.array(blankLedgerEntryViewSchema) }), ...sessionErrors },
  },
};

/** What the print plan reads and an admin keeps: the policy, the holiday calendar, the printers. */
export const printPriorityPolicyViewSchema = printPriorityPolicySchema.safeExtend({ setBy: z.string().nullable(), setAt: isoTimestamp.nullable() });

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), { message: 'a date that exists' });
export const holidaySchema = z.object({ date: isoDate, kind: z.enum(['libur_nasional', 'cuti_bersama']), name: bilingualSchema }).meta({ id: 'Holiday' });
export const holidayBodySchema = z.object({ kind: z.enum(['libur_nasional', 'cuti_bersama']), name: z.object({ id: z.string().trim().min(2).max(120), en: z.string().trim().min(2).max(120) }) });
export const holidayListQuerySchema = z.object({ from: isoDate, to: isoDate });
export const holidayParamsSchema = z.object({ date: isoDate });

export const PRINTER_STATES = ['ready', 'consumables_low', 'in_repair'] as const;

/**
 * How the office reaches a printer: a CUPS queue (the card printer's driver sits in CUPS) or a folder the
 * card PDFs are written to (the demo, or an office without a queue yet). Set by an admin only: a folder is a
 * place on the server's disk. Queue names are kept to plain characters; a folder is an absolute path
 * without '.' or '..' segments, so what is stored is where the files go.
 */
export const PRINTER_DRIVERS = ['cups', 'folder'] as const;
export const CUPS_QUEUE_PATTERN = /^[A-Za-z0-9_-]{1,127}$/;
const absoluteFolder = z
  .string()
  .max(1024)
  .regex(/^\/[^\0\n\r]*$/, 'an absolute path')
  .refine((path) => !path.split('/').some((part) => part === '.' || part === '..'), { message: "no '.' or '..' segments" });
export const printerConnectionSchema = z
  .discriminatedUnion('driver', [
    z.object({ driver: z.literal('cups'), target: z.string().regex(CUPS_QUEUE_PATTERN, 'a CUPS queue name: letters, digits, _ and -') }),
    z.object({ driver: z.literal('folder'), target: absoluteFolder }),
  ])
  .meta({ id: 'PrinterConnection' });
export type PrinterConnection = z.infer<typeof printerConnectionSchema>;

export const printerBodySchema = z.object({
  siteId,
  name: z.string().trim().min(1).max(120),
  capacityPerDay: z.number().int().min(0).max(10_000),
  state: z.enum(PRINTER_STATES),
  ribbonLeft: z.number().int().min(0).max(1_000_000),
  filmLeft: z.number().int().min(0).max(1_000_000),
  printsPerRibbon: z.number().int().min(1).max(1_000_000),
  printsPerFilm: z.number().int().min(1).max(1_000_000),
  /** Left out: the stored connection stays. null: the printer is not connected (nothing is sent to it). Admin only when it changes. */
  connection: printerConnectionSchema.nullable().optional(),
});
export const printerSchema = printerBodySchema.safeExtend({ id: z.string(), updatedAt: isoTimestamp, connection: printerConnectionSchema.nullable() }).meta({ id: 'Printer' });
export const printerParamsSchema = z.object({ id: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/) });

const planTags = ['print-plan'];
export const printPlanRoutes = {
  policy: { tags: planTags, summary: 'The print priority policy in force (staff)', response: { 200: printPriorityPolicyViewSchema, ...sessionErrors } },
  setPolicy: { tags: planTags, summary: 'Set the print priority policy; every version is kept (admin)', body: printPriorityPolicySchema, response: { 200: printPriorityPolicyViewSchema, ...sessionErrors } },
  holidays: { tags: planTags, summary: 'National holidays and cuti bersama between two dates (staff)', querystring: holidayListQuerySchema, response: { 200: z.object({ items: z.array(holidaySchema) }), ...sessionErrors } },
  setHoliday: { tags: planTags, summary: 'Mark a day as a national holiday or cuti bersama (admin)', params: holidayParamsSchema, body: holidayBodySchema, response: { 200: holidaySchema, ...sessionErrors } },
  removeHoliday: { tags: planTags, summary: 'Make a day a working day again (admin)', params: holidayParamsSchema, response: { 200: z.object({ ok: z.literal(true) }), ...sessionErrors, ...errors(404) } },
  printers: { tags: planTags, summary: 'Printers per site with capacity, state and consumables (staff)', response: { 200: z.object({ items: z.array(printerSchema) }), ...sessionErrors } },
  setPrinter: { tags: planTags, summary: 'Add or update a printer: capacity, state, consumables (supervisor, admin); its connection, a CUPS queue or a folder (admin)', params: printerParamsSchema, body: printerBodySchema, response: { 200: printerSchema, ...sessionErrors, ...errors(404) } },
};

/*
 * Loans of blanks between offices (provinces lend between kabupaten). Blanks that leave: lent to another
 * office, or returned to the office they were borrowed from; blanks that arrive: borrowed, or returned by
 * the office they were lent to. `officeId` is the other office's id at the centre (its kabupaten/kota code).
 */
export const LOAN_PURPOSES = ['loan', 'return'] as const;
export const blankLoanRequestSchema = z
  .object({
    siteId,
    officeId: z.string().trim().regex(/^\d{4}$/, 'four digits: the kabupaten/kota code'),
    quantity,
    /** 'loan' (default): a new loan; 'return': blanks going back against an earlier loan. */
    purpose: z.enum(LOAN_PURPOSES).default('loan'),
    /**
     * The serials of the blanks, as printed on them (both or neither). With them, borrowed blanks can be
     * printed here and lent ones never are; without them the loan moves only the count.
     */
    serialFrom: serial.optional(),
    serialTo: serial.optional(),
  })
  .refine((r) => (r.serialFrom === undefined) === (r.serialTo === undefined), { message: 'give both ends of the serial range, or neither', path: ['serialTo'] })
  .refine((r) => r.serialFrom === undefined || r.serialTo === undefined || r.serialTo - r.serialFrom + 1 === r.quantity, { message: 'quantity must match the serial range', path: ['quantity'] });
export type BlankLoanRequest = z.infer<typeof blankLoanRequestSchema>;

/** What is outstanding with one other office: lent and not yet returned, borrowed and not yet given back. */
export const blankLoanBalanceSchema = z.object({ officeId: z.string(), lentOut: z.number().int(), borrowed: z.number().int() }).meta({ id: 'BlankLoanBalance' });
export const blankLoanBalancesSchema = z.object({ items: z.array(blankLoanBalanceSchema) });

export const blankLoanRoutes = {
  lend: { tags, summary: 'Blanks leave for another office: a loan to it, or the return of blanks borrowed from it (supervisor, admin)', body: blankLoanRequestSchema, response: movement },
  borrow: { tags, summary: 'Blanks arrive from another office: a loan from it, or the return of blanks lent to it (supervisor, admin)', body: blankLoanRequestSchema, response: movement },
  balances: { tags, summary: 'Blanks outstanding per other office: lent out, borrowed (staff)', response: { 200: blankLoanBalancesSchema, ...sessionErrors } },
};

/*
 * The forecast routes: the explained queue (paged), one record's forecast (also for the resident's status
 * check), the headline with a what-if for extra blanks, and the history behind the head's charts.
 */
export const PRINT_QUEUE_CLASSES = [...PRIORITY_CLASS_IDS, 'regular'] as const;
export const LEGAL_FLAGS = ['overdue', 'will_exceed'] as const;

export const queueExplanationPartsSchema = z.object({
  position: z.number().int().positive(),
  total: z.number().int().positive(),
  priorityClass: z.enum(PRINT_QUEUE_CLASSES),
  classRank: z.number().int().nonnegative(),
  /** The record's turn in its kecamatan's line for its class (1 = first); 0 when no fair share applies. */
  kecamatanTurn: z.number().int().nonnegative(),
  /** The instant the class orders by: the Suket's issue for Suket holders, else when the record became print-ready. */
  since: isoTimestamp,
  kecamatan: z.object({ code: z.string(), name: z.string() }),
  /** Whether the blanks on hand reach this far down the queue. */
  withinStock: z.boolean(),
});

export const recordForecastSchema = z
  .object({
    recordId: z.string(),
    /** The site where the record was made. */
    siteId: z.string(),
    parts: queueExplanationPartsSchema,
    /** "1.204 dari 15.000: pemegang Suket sejak 2 Maret 2026; jatah kecamatan Ambulu". */
    explanation: bilingualSchema,
    /** The estimated print date as a range of working days (office dates); null: beyond the horizon, not yet known. */
    earliest: isoDate.nullable(),
    latest: isoDate.nullable(),
    /** The last working day of the legal 14-working-day maximum from print-ready. */
    legalDeadline: isoDate,
    /** 'overdue': past the legal maximum today; 'will_exceed': the latest date falls after it; null: within it. */
    flag: z.enum(LEGAL_FLAGS).nullable(),
    /** "Perkiraan cetak 28–30 Desember 2026" as a sentence for the screen and the resident. */
    estimate: bilingualSchema,
  })
  .meta({ id: 'RecordPrintForecast' });
export type RecordForecastView = z.infer<typeof recordForecastSchema>;

export const printQueueQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  /** Records made at this site. */
  siteId: z.string().trim().min(1).max(64).optional(),
  /** Residents of this kecamatan (PP.KK.CC). */
  kecamatan: z.string().regex(/^\d{2}\.\d{2}\.\d{2}$/, 'PP.KK.CC').optional(),
  priorityClass: z.enum(PRINT_QUEUE_CLASSES).optional(),
  /** 'overdue', 'will_exceed', or 'any' (either). */
  flag: z.enum([...LEGAL_FLAGS, 'any']).optional(),
});
export type PrintQueueQuery = z.infer<typeof printQueueQuerySchema>;

export const headlineSchema = z
  .object({
    /** The office's date the plan is for. */
    today: isoDate,
    waiting: z.number().int().nonnegative(),
    stock: z.number().int().nonnegative(),
    printers: z.number().int().nonnegative(),
    /** Working days to print the whole queue with the expected deliveries; null beyond the horizon. */
    workingDaysToClear: z.number().int().nonnegative().nullable(),
    extraBlanks: z.number().int().nonnegative(),
    workingDaysWithExtra: z.number().int().nonnegative().nullable(),
    /** Records past the legal maximum today, and those whose latest date will pass it. */
    overdue: z.number().int().nonnegative(),
    willExceed: z.number().int().nonnegative(),
    /** Deliveries the plan counts on: allocations answered by the centre and not yet received. */
    expectedDeliveries: z.array(z.object({ quantity: z.number().int().positive(), earliest: isoDate, latest: isoDate, tranche: z.string().nullable() })),
    /** "15.000 menunggu, 400 blangko, 2 printer: 38 hari kerja; dengan 10.000 blangko lagi: 9 hari". */
    text: bilingualSchema,
    /** When the plan was computed (it is kept until something it reads changes). */
    computedAt: isoTimestamp,
  })
  .meta({ id: 'PrintHeadline' });
export type PrintHeadline = z.infer<typeof headlineSchema>;

export const printQueueResponseSchema = z.object({
  headline: headlineSchema,
  /** Records matching the filter (the positions stay those of the whole queue). */
  matching: z.number().int().nonnegative(),
  page: z.number().int().positive(),
  pageSize: z.number().int().positive(),
  items: z.array(recordForecastSchema),
});
export type PrintQueueResponse = z.infer<typeof printQueueResponseSchema>;

export const headlineQuerySchema = z.object({ extraBlanks: z.coerce.number().int().min(0).max(10_000_000).optional() });

export const printHistoryQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(366).default(30),
  kecamatan: z.string().regex(/^\d{2}\.\d{2}\.\d{2}$/, 'PP.KK.CC').optional(),
});

export const FUNNEL_STAGES = ['recorded', 'printReady', 'sent', 'printed', 'issued'] as const;
const funnelCounts = z.object({
  recorded: z.number().int().nonnegative(),
  printReady: z.number().int().nonnegative(),
  sent: z.number().int().nonnegative(),
  printed: z.number().int().nonnegative(),
  issued: z.number().int().nonnegative(),
});
export const printHistorySchema = z
  .object({
    from: isoDate,
    to: isoDate,
    timeZone: z.string(),
    /** At the end of each office day: Print Ready Records waiting (of the kecamatan, when filtered) and blanks on hand (all sites). */
    backlog: z.array(z.object({ date: isoDate, waiting: z.number().int().nonnegative(), stock: z.number().int() })),
    /** Per office day: records that reached each stage that day. */
    funnelByDay: z.array(funnelCounts.safeExtend({ date: isoDate })),
    /** Per kecamatan of residence, now: records that have reached at least each stage (recorded counts every record). */
    funnelByKecamatan: z.array(funnelCounts.safeExtend({ kecamatan: z.object({ code: z.string(), name: z.string() }) })),
  })
  .meta({ id: 'PrintHistory' });
export type PrintHistory = z.infer<typeof printHistorySchema>;

export const printForecastRoutes = {
  queue: { tags: planTags, summary: 'The print queue with each record’s position, reasons, estimated print range and legal flag, paged and filtered (staff)', querystring: printQueueQuerySchema, response: { 200: printQueueResponseSchema, ...sessionErrors } },
  record: { tags: planTags, summary: 'One waiting record’s place in the queue and its estimated print range (staff)', params: z.object({ id: z.uuid() }), response: { 200: recordForecastSchema, ...sessionErrors, ...errors(404) } },
  headline: { tags: planTags, summary: 'Waiting, blanks, printers and working days to clear, with a what-if for extra blanks (staff)', querystring: headlineQuerySchema, response: { 200: headlineSchema, ...sessionErrors } },
  history: { tags: planTags, summary: 'Backlog against stock per day, and the funnel per day and per kecamatan, for the charts (staff)', querystring: printHistoryQuerySchema, response: { 200: printHistorySchema, ...sessionErrors } },
};
