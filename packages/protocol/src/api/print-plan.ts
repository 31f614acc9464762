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

const tags = ['blank-stock'];
const movement = { 201: blankMovementResponseSchema, ...sessionErrors, ...errors(404, 409) };

export const blankStockRoutes = {
  // 400: the framework's own refusals (an undecodable URL) in the bilingual shape.
  publicStock: { tags, summary: "Today's blank-card stock per site (public: residents ask)", response: { 200: publicBlankStockSchema, ...errors(400) } },
  receipt: { tags, summary: "Record a receipt of the centre's allocation: tranche, quantity, serial range (supervisor, admin)", body: blankReceiptRequestSchema, response: movement },
  transfer: { tags, summary: 'Move blanks from one site to another (supervisor, admin)', body: blankTransferRequestSchema, response: movement },
  spoilage: { tags, summary: 'Record a spoiled blank with its reason (operator, supervisor, admin)', body: blankSpoilageRequestSchema, response: movement },
  correction: { tags, summary: 'Correct a site count after a physical count made by someone else (supervisor)', body: blankCorrectionRequestSchema, response: movement },
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
export const printerBodySchema = z.object({
  siteId,
  name: z.string().trim().min(1).max(120),
  capacityPerDay: z.number().int().min(0).max(10_000),
  state: z.enum(PRINTER_STATES),
  ribbonLeft: z.number().int().min(0).max(1_000_000),
  filmLeft: z.number().int().min(0).max(1_000_000),
  printsPerRibbon: z.number().int().min(1).max(1_000_000),
  printsPerFilm: z.number().int().min(1).max(1_000_000),
});
export const printerSchema = printerBodySchema.safeExtend({ id: z.string(), updatedAt: isoTimestamp }).meta({ id: 'Printer' });
export const printerParamsSchema = z.object({ id: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/) });

const planTags = ['print-plan'];
export const printPlanRoutes = {
  policy: { tags: planTags, summary: 'The print priority policy in force (staff)', response: { 200: printPriorityPolicyViewSchema, ...sessionErrors } },
  setPolicy: { tags: planTags, summary: 'Set the print priority policy; every version is kept (admin)', body: printPriorityPolicySchema, response: { 200: printPriorityPolicyViewSchema, ...sessionErrors } },
  holidays: { tags: planTags, summary: 'National holidays and cuti bersama between two dates (staff)', querystring: holidayListQuerySchema, response: { 200: z.object({ items: z.array(holidaySchema) }), ...sessionErrors } },
  setHoliday: { tags: planTags, summary: 'Mark a day as a national holiday or cuti bersama (admin)', params: holidayParamsSchema, body: holidayBodySchema, response: { 200: holidaySchema, ...sessionErrors } },
  removeHoliday: { tags: planTags, summary: 'Make a day a working day again (admin)', params: holidayParamsSchema, response: { 200: z.object({ ok: z.literal(true) }), ...sessionErrors, ...errors(404) } },
  printers: { tags: planTags, summary: 'Printers per site with capacity, state and consumables (staff)', response: { 200: z.object({ items: z.array(printerSchema) }), ...sessionErrors } },
  setPrinter: { tags: planTags, summary: 'Add or update a printer: capacity, state, consumables (supervisor, admin)', params: printerParamsSchema, body: printerBodySchema, response: { 200: printerSchema, ...sessionErrors, ...errors(404) } },
};
