import { z } from 'zod';
import { bilingualSchema, errors, isoTimestamp, sessionErrors } from './common.ts';
import { SPOILAGE_REASONS } from './print-plan.ts';

/**
 * The print room's contract: print jobs (one card each, a first card or a replacement), night batches that
 * the worker prints unattended, and the spoilage of a printed card (reprinted on a new blank). Everything
 * here reads and writes the office's own database: the print room works while the centre is down.
 */

export const PRINT_JOB_STATES = ['waiting_package', 'queued', 'printing', 'uncertain', 'printed', 'spoiled', 'failed', 'cancelled'] as const;
export type PrintJobStateName = (typeof PRINT_JOB_STATES)[number];
export const PRINT_BATCH_STATES = ['scheduled', 'running', 'paused', 'cancelled', 'done'] as const;
export type PrintBatchStateName = (typeof PRINT_BATCH_STATES)[number];

const siteId = z.string().trim().min(1).max(64);
const printerId = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/);

export const printJobSchema = z
  .object({
    id: z.string(),
    seq: z.number().int(),
    card: z.enum(['FIRST', 'REPLACEMENT']),
    recordId: z.string().nullable(),
    /** The replacement request a replacement card answers. */
    requestId: z.string().nullable(),
    packageId: z.string().nullable(),
    batchId: z.string().nullable(),
    siteId: z.string(),
    printerId: z.string().nullable(),
    state: z.enum(PRINT_JOB_STATES),
    blankSerial: z.number().int().nullable(),
    claimedAt: isoTimestamp.nullable(),
    printedAt: isoTimestamp.nullable(),
    /** Why it waits, failed or was spoiled, in both languages. */
    problem: bilingualSchema.nullable(),
    spoilageReason: z.enum(SPOILAGE_REASONS).nullable(),
    spoiledBy: z.string().nullable(),
    spoiledAt: isoTimestamp.nullable(),
    reprintOf: z.string().nullable(),
    createdBy: z.string(),
    createdAt: isoTimestamp,
    updatedAt: isoTimestamp,
    /** The resident, when the record is held by this office (a replacement may be another office's resident). */
    name: z.string().nullable(),
    nik: z.string().nullable(),
    recordStatus: z.string().nullable(),
  })
  .meta({ id: 'PrintJob' });
export type PrintJobView = z.infer<typeof printJobSchema>;

export const printJobListQuerySchema = z.object({
  /** One state or several, comma-separated. */
  state: z
    .string()
    .max(200)
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.enum(PRINT_JOB_STATES)).max(PRINT_JOB_STATES.length))
    .optional(),
  batchId: z.uuid().optional(),
  recordId: z.uuid().optional(),
  siteId: siteId.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Queue records (first cards) or answered replacement requests for printing at a site (and printer). */
export const createPrintJobsSchema = z
  .object({
    recordIds: z.array(z.uuid()).max(200).default([]),
    replacementRequestIds: z.array(z.uuid()).max(200).default([]),
    siteId,
    printerId: printerId.optional(),
  })
  .refine((b) => b.recordIds.length + b.replacementRequestIds.length > 0, { message: 'at least one record or replacement', path: ['recordIds'] })
  .refine((b) => new Set(b.recordIds).size === b.recordIds.length && new Set(b.replacementRequestIds).size === b.replacementRequestIds.length, { message: 'each at most once', path: ['recordIds'] });
export type CreatePrintJobs = z.infer<typeof createPrintJobsSchema>;

export const printJobsResponseSchema = z.object({ items: z.array(printJobSchema) });

export const spoilageBodySchema = z.object({ reason: z.enum(SPOILAGE_REASONS) });
export const spoilageResponseSchema = z.object({ spoiled: printJobSchema, reprint: printJobSchema });

export const printBatchProgressSchema = z.object({
  total: z.number().int().nonnegative(),
  printed: z.number().int().nonnegative(),
  waitingPackage: z.number().int().nonnegative(),
  queued: z.number().int().nonnegative(),
  printing: z.number().int().nonnegative(),
  uncertain: z.number().int().nonnegative(),
  spoiled: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  cancelled: z.number().int().nonnegative(),
});

export const printBatchSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    printerId: z.string().nullable(),
    state: z.enum(PRINT_BATCH_STATES),
    startAt: isoTimestamp.nullable(),
    note: z.string().nullable(),
    createdBy: z.string(),
    createdAt: isoTimestamp,
    updatedAt: isoTimestamp,
    progress: printBatchProgressSchema,
    /** Jobs that did not print (spoiled, failed) or wait on a problem (no blank, printer down), with the reason. */
    problems: z.array(z.object({ jobId: z.string(), recordId: z.string().nullable(), state: z.enum(PRINT_JOB_STATES), problem: bilingualSchema })),
  })
  .meta({ id: 'PrintBatch' });
export type PrintBatchView = z.infer<typeof printBatchSchema>;

/** A batch of the next `count` records in the plan's order, or of chosen records, optionally from a start time. */
export const createPrintBatchSchema = z
  .object({
    siteId,
    printerId: printerId.optional(),
    count: z.number().int().min(1).max(5000).optional(),
    recordIds: z.array(z.uuid()).min(1).max(5000).optional(),
    /** An instant with its offset, e.g. 2026-12-21T22:00:00+07:00; absent: start at once. */
    startAt: z.iso.datetime({ offset: true }).optional(),
    note: z.string().trim().max(300).optional(),
  })
  .refine((b) => (b.count === undefined) !== (b.recordIds === undefined), { message: 'either count or recordIds', path: ['count'] });
export type CreatePrintBatch = z.infer<typeof createPrintBatchSchema>;

export const printQueueItemSchema = z.object({
  recordId: z.string(),
  position: z.number().int().positive(),
  total: z.number().int().positive(),
  /** "12 dari 340: pemegang Suket sejak 2 Maret 2026; jatah kecamatan Ambulu". */
  explanation: bilingualSchema,
  priorityClass: z.string(),
  withinStock: z.boolean(),
  /** Whether the print package has arrived (without it a job waits for it). */
  packageReady: z.boolean(),
  name: z.string(),
  nik: z.string(),
});
export const printRoomQueueSchema = z.object({
  total: z.number().int().nonnegative(),
  items: z.array(printQueueItemSchema),
});
export type PrintRoomQueue = z.infer<typeof printRoomQueueSchema>;
export const printRoomQueueQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

const idParams = z.object({ id: z.uuid() });
/** The actions (cancel, confirm, pause, resume) take no data: `{}`, as the web sends it. */
const noBody = z.object({}).strict();
const tags = ['print-jobs'];
const write = { ...sessionErrors, ...errors(404, 409) };

export const printJobRoutes = {
  queue: { tags, summary: 'The records waiting for a card, in the plan’s order with each one’s reason and whether its package has arrived (staff)', querystring: printRoomQueueQuerySchema, response: { 200: printRoomQueueSchema, ...sessionErrors } },
  list: { tags, summary: 'Print jobs, newest first, by state, batch, record or site (staff)', querystring: printJobListQuerySchema, response: { 200: printJobsResponseSchema, ...sessionErrors } },
  get: { tags, summary: 'One print job (staff)', params: idParams, response: { 200: printJobSchema, ...sessionErrors, ...errors(404) } },
  create: { tags, summary: 'Print cards: one job per record or answered replacement; a job waits for a package not yet here (operator, supervisor)', body: createPrintJobsSchema, response: { 201: printJobsResponseSchema, ...write } },
  cancel: { tags, summary: 'Cancel a job that has not started printing (supervisor)', params: idParams, body: noBody, response: { 200: printJobSchema, ...write } },
  spoil: { tags, summary: 'Report a printed card spoiled (misprint, overheating, damaged): it is reprinted on a new blank (supervisor)', params: idParams, body: spoilageBodySchema, response: { 201: spoilageResponseSchema, ...write } },
  confirm: { tags, summary: 'Confirm that a card whose printing was interrupted came out whole (supervisor)', params: idParams, body: noBody, response: { 200: printJobSchema, ...write } },
  batches: { tags, summary: 'Print batches with progress, newest first (staff)', response: { 200: z.object({ items: z.array(printBatchSchema) }), ...sessionErrors } },
  batch: { tags, summary: 'One print batch with progress and problems (staff)', params: idParams, response: { 200: printBatchSchema, ...sessionErrors, ...errors(404) } },
  createBatch: { tags, summary: 'Queue a batch to print unattended, optionally from a start time (supervisor)', body: createPrintBatchSchema, response: { 201: printBatchSchema, ...write } },
  pauseBatch: { tags, summary: 'Pause a batch: jobs not started wait (supervisor)', params: idParams, body: noBody, response: { 200: printBatchSchema, ...write } },
  resumeBatch: { tags, summary: 'Resume a paused batch (supervisor)', params: idParams, body: noBody, response: { 200: printBatchSchema, ...write } },
  cancelBatch: { tags, summary: 'Cancel a batch: jobs not started are cancelled, those printing finish (supervisor)', params: idParams, body: noBody, response: { 200: printBatchSchema, ...write } },
};
