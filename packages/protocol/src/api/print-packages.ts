import { z } from 'zod';
import { signedRequestHeadersSchema } from './central-sync.ts';
import { bilingualSchema, errors, isoTimestamp, sessionErrors, uuidParamsSchema } from './common.ts';

/**
 * Card print packages (the centre builds one for every Print Ready Record and every replacement an office
 * asks for) and the replacement requests themselves. The feed is its own signed route: an office of an
 * older protocol version never calls it and loses nothing, so it needs no version bump.
 */

/** Why a resident needs a new card (DOMAIN.md: lost or damaged cards, data changes). */
export const REPLACEMENT_REASONS = ['LOST', 'DAMAGED', 'DATA_CHANGED'] as const;
export type ReplacementReason = (typeof REPLACEMENT_REASONS)[number];
export const REPLACEMENT_REASON_LABELS: Record<ReplacementReason, { id: string; en: string }> = {
  LOST: { id: 'KTP-el hilang', en: 'Card lost' },
  DAMAGED: { id: 'KTP-el rusak', en: 'Card damaged' },
  DATA_CHANGED: { id: 'Perubahan data', en: 'Data changed' },
};

export const PRINT_PACKAGE_KINDS = ['FIRST', 'REPLACEMENT'] as const;
/** READY carries a package; REFUSED answers a replacement the centre could not build, with the reason. */
export const PRINT_PACKAGE_STATUSES = ['READY', 'REFUSED'] as const;

const nik = z.string().regex(/^\d{16}$/, '16 digits');

/** The outbox event `card.replacement_requested`: an office asks the centre for a replacement package. */
export const CARD_REPLACEMENT_EVENT = 'card.replacement_requested';
export const cardReplacementPayloadSchema = z.object({
  requestId: z.uuid(),
  nik,
  reason: z.enum(REPLACEMENT_REASONS),
  requestedBy: z.string().min(1).max(64),
});
export type CardReplacementPayload = z.infer<typeof cardReplacementPayloadSchema>;

export const printPackagesQuerySchema = z.object({
  after: z.coerce.number().int().min(0),
  // A package carries a photo (up to 300 KB) and a signature image: a page stays at a few megabytes.
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type PrintPackagesQuery = z.infer<typeof printPackagesQuerySchema>;

export const printPackageItemSchema = z.object({
  cursor: z.number().int().positive(),
  packageId: z.string().min(1).max(120),
  kind: z.enum(PRINT_PACKAGE_KINDS),
  status: z.enum(PRINT_PACKAGE_STATUSES),
  /** The record the card is printed from (for a replacement, possibly another office's record). */
  recordId: z.string().nullable(),
  /** The office's replacement request this answers. */
  requestId: z.string().nullable(),
  nik,
  reason: bilingualSchema.nullable(),
  /** The signed package (CBOR, base64url); verify it against the trust list before use. */
  package: z.string().max(8 * 1024 * 1024).nullable(),
  builtAt: isoTimestamp,
});
export type PrintPackageItem = z.infer<typeof printPackageItemSchema>;

export const printPackagesResponseSchema = z.object({
  items: z.array(printPackageItemSchema),
  nextCursor: z.number().int().nonnegative(),
  hasMore: z.boolean(),
});
export type PrintPackagesResponse = z.infer<typeof printPackagesResponseSchema>;

export const centralPrintPackageRoutes = {
  feed: {
    tags: ['sync', 'printing'],
    summary: "A page of the office's card print packages after a cursor (signed): its own PRRs and the replacements it asked for",
    headers: signedRequestHeadersSchema,
    querystring: printPackagesQuerySchema,
    response: { 200: printPackagesResponseSchema, ...errors(400, 401, 409) },
  },
} as const;

/** POST /api/card-replacements at the office. */
export const cardReplacementRequestSchema = z.object({
  nik,
  reason: z.enum(REPLACEMENT_REASONS),
  note: z.string().trim().max(300).optional(),
});
export type CardReplacementRequest = z.infer<typeof cardReplacementRequestSchema>;

export const CARD_REPLACEMENT_STATUSES = ['REQUESTED', 'READY', 'REFUSED'] as const;

export const cardReplacementViewSchema = z
  .object({
    requestId: z.string(),
    nik,
    reason: z.enum(REPLACEMENT_REASONS),
    note: z.string().nullable(),
    status: z.enum(CARD_REPLACEMENT_STATUSES),
    requestedBy: z.string(),
    requestedAt: isoTimestamp,
    answeredAt: isoTimestamp.nullable(),
    /** The record the centre built the card from, once READY. */
    recordId: z.string().nullable(),
    refusal: bilingualSchema.nullable(),
  })
  .meta({ id: 'CardReplacement' });
export type CardReplacementView = z.infer<typeof cardReplacementViewSchema>;

export const cardReplacementResponseSchema = z.object({ request: cardReplacementViewSchema });
export const cardReplacementListSchema = z.object({ items: z.array(cardReplacementViewSchema) });

const tags = ['printing'];
export const cardReplacementRoutes = {
  request: {
    tags,
    summary: 'Ask the centre for a replacement card package (lost, damaged, data changed); also for residents recorded at another office',
    body: cardReplacementRequestSchema,
    response: { 201: cardReplacementResponseSchema, ...sessionErrors, ...errors(503) },
  },
  list: { tags, summary: 'Replacement requests, newest first, with the centre’s answer', response: { 200: cardReplacementListSchema, ...sessionErrors } },
  detail: { tags, summary: 'One replacement request', params: uuidParamsSchema, response: { 200: cardReplacementResponseSchema, ...sessionErrors, ...errors(404) } },
} as const;
