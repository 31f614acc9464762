import { z } from 'zod';
import { bilingualSchema, errors, isoTimestamp, sessionErrors, uuidParamsSchema } from './common.ts';

/**
 * Printed cards on their way to a pickup point (a kecamatan or kelurahan site): a manifest is packed at the
 * Dinas, dispatched (each card CARD_SHIPPED) and received at the point, where each card is checked off and
 * the ones not in the box are flagged missing. A resident who collects at the Dinas needs no manifest.
 */

export const MANIFEST_STATUSES = ['OPEN', 'DISPATCHED', 'RECEIVED'] as const;
/** LOST: flagged MISSING on receipt, then declared lost in transit (see missing cards below). */
export const MANIFEST_ITEM_STATES = ['PACKED', 'RECEIVED', 'MISSING', 'LOST'] as const;

const siteId = z.string().trim().min(1).max(64);
const recordIds = z
  .array(z.uuid())
  .min(1)
  .max(500)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'each card at most once' });

export const printedCardSchema = z
  .object({
    recordId: z.string(),
    registrationNumber: z.string(),
    nik: z.string(),
    fullName: z.string(),
    printedAt: isoTimestamp,
    /** Where the resident recorded, the pickup point suggested for them; null: they collect at the Dinas. */
    suggestedSiteId: z.string().nullable(),
    suggestedSiteName: z.string().nullable(),
  })
  .meta({ id: 'PrintedCard' });
export type PrintedCard = z.infer<typeof printedCardSchema>;

export const printedCardsResponseSchema = z.object({ items: z.array(printedCardSchema), pickupPoints: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string() })) });
export type PrintedCardsResponse = z.infer<typeof printedCardsResponseSchema>;

export const manifestItemSchema = z.object({
  recordId: z.string(),
  registrationNumber: z.string(),
  nik: z.string(),
  fullName: z.string(),
  recordStatus: z.string(),
  state: z.enum(MANIFEST_ITEM_STATES),
  checkedBy: z.string().nullable(),
  checkedAt: isoTimestamp.nullable(),
});

export const manifestSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    fromSiteId: z.string(),
    fromSiteName: z.string(),
    toSiteId: z.string(),
    toSiteName: z.string(),
    status: z.enum(MANIFEST_STATUSES),
    createdBy: z.string(),
    createdAt: isoTimestamp,
    dispatchedBy: z.string().nullable(),
    dispatchedAt: isoTimestamp.nullable(),
    receivedBy: z.string().nullable(),
    receivedAt: isoTimestamp.nullable(),
    items: z.array(manifestItemSchema),
    counts: z.object({ total: z.number().int(), received: z.number().int(), missing: z.number().int() }),
  })
  .meta({ id: 'CardManifest' });
export type CardManifest = z.infer<typeof manifestSchema>;

export const manifestListQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });
export const manifestListSchema = z.object({ items: z.array(manifestSchema) });
export const manifestCreateRequestSchema = z.object({ toSiteId: siteId, recordIds });
/** The cards found in the box; every other card of the manifest is flagged missing. */
export const manifestReceiveRequestSchema = z.object({
  receivedRecordIds: z
    .array(z.uuid())
    .max(500)
    .refine((ids) => new Set(ids).size === ids.length, { message: 'each card at most once' }),
});
export const manifestResponseSchema = z.object({ manifest: manifestSchema, message: bilingualSchema });
export type ManifestResponse = z.infer<typeof manifestResponseSchema>;

/**
 * A card flagged missing when its manifest was received is a case the office must settle: FOUND (it turned
 * up at the pickup point: received late) or LOST_IN_TRANSIT (its blank written off in the stock ledger with
 * the reason, the card printed again ahead of the queue, and the resident told if they left a contact).
 */
export const MISSING_CARD_STATES = ['OPEN', 'FOUND', 'LOST_IN_TRANSIT'] as const;
export const missingCardSchema = z
  .object({
    manifestId: z.string(),
    manifestNumber: z.string(),
    fromSiteId: z.string(),
    toSiteId: z.string(),
    toSiteName: z.string(),
    recordId: z.string(),
    registrationNumber: z.string(),
    nik: z.string(),
    fullName: z.string(),
    state: z.enum(MISSING_CARD_STATES),
    flaggedBy: z.string().nullable(),
    flaggedAt: isoTimestamp.nullable(),
    settledBy: z.string().nullable(),
    settledAt: isoTimestamp.nullable(),
    reason: z.string().nullable(),
    /** LOST_IN_TRANSIT: the blank written off, and the reprint's print job and its state. */
    blankSerial: z.number().int().nullable(),
    reprintJobId: z.string().nullable(),
    reprintState: z.string().nullable(),
    /** Messages queued to the resident (0: they left no contact). */
    notified: z.number().int().nullable(),
  })
  .meta({ id: 'MissingCard' });
export type MissingCard = z.infer<typeof missingCardSchema>;
export const missingCardListSchema = z.object({ items: z.array(missingCardSchema) });
export const missingCardParamsSchema = z.object({ id: z.uuid(), recordId: z.uuid() });
export const missingCardFoundRequestSchema = z.object({ note: z.string().trim().max(300).optional() });
export const missingCardLostRequestSchema = z.object({ reason: z.string().trim().min(10).max(300) });
export const missingCardResponseSchema = z.object({ item: missingCardSchema, message: bilingualSchema });
export type MissingCardResponse = z.infer<typeof missingCardResponseSchema>;

const tags = ['distribution'];

export const distributionRoutes = {
  printed: { tags, summary: 'Printed cards on no manifest yet, with the pickup point suggested for each (staff)', response: { 200: printedCardsResponseSchema, ...sessionErrors } },
  list: { tags, summary: 'Manifests, newest first (staff; a kecamatan sees those to or from its site)', querystring: manifestListQuerySchema, response: { 200: manifestListSchema, ...sessionErrors } },
  detail: { tags, summary: 'One manifest with its cards (staff)', params: uuidParamsSchema, response: { 200: manifestSchema, ...sessionErrors, ...errors(404) } },
  create: { tags, summary: 'Pack printed cards on a manifest to a kecamatan or kelurahan pickup point (supervisor, admin)', body: manifestCreateRequestSchema, response: { 201: manifestResponseSchema, ...sessionErrors, ...errors(404, 409, 503) } },
  dispatch: { tags, summary: 'Dispatch a packed manifest: every card on it becomes CARD_SHIPPED (supervisor, admin)', params: uuidParamsSchema, response: { 200: manifestResponseSchema, ...sessionErrors, ...errors(404, 409, 503) } },
  receive: {
    tags,
    summary: 'Receive a manifest at its pickup point: cards found are checked off, the others flagged missing (staff posted there, admin)',
    params: uuidParamsSchema,
    body: manifestReceiveRequestSchema,
    response: { 200: manifestResponseSchema, ...sessionErrors, ...errors(404, 409, 503) },
  },
  missing: { tags, summary: 'Cards flagged missing on receipt: open cases and how the settled ones were settled (staff; a kecamatan sees its own)', response: { 200: missingCardListSchema, ...sessionErrors } },
  found: {
    tags,
    summary: 'A missing card turned up at its pickup point: received late, and it can be handed over there (staff posted there, admin)',
    params: missingCardParamsSchema,
    body: missingCardFoundRequestSchema,
    response: { 200: missingCardResponseSchema, ...sessionErrors, ...errors(403, 404, 409, 503) },
  },
  lost: {
    tags,
    summary: 'Declare a missing card lost in transit: its blank written off with the reason, the card printed again ahead of the queue, the resident told if subscribed, in one transaction (supervisor, admin)',
    params: missingCardParamsSchema,
    body: missingCardLostRequestSchema,
    response: { 200: missingCardResponseSchema, ...sessionErrors, ...errors(404, 409, 503) },
  },
};
