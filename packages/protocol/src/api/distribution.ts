import { z } from 'zod';
import { bilingualSchema, errors, isoTimestamp, sessionErrors, uuidParamsSchema } from './common.ts';

/**
 * Printed cards on their way to a pickup point (a kecamatan or kelurahan site): a manifest is packed at the
 * Dinas, dispatched (each card CARD_SHIPPED) and received at the point, where each card is checked off and
 * the ones not in the box are flagged missing. A resident who collects at the Dinas needs no manifest.
 */

export const MANIFEST_STATUSES = ['OPEN', 'DISPATCHED', 'RECEIVED'] as const;
export const MANIFEST_ITEM_STATES = ['PACKED', 'RECEIVED', 'MISSING'] as const;

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
};
