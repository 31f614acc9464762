import { z } from 'zod';
import { signedRequestHeadersSchema } from './central-sync.ts';
import { errors, isoTimestamp, sessionErrors, uuidParamsSchema } from './common.ts';

/**
 * Provisional deduplication at the office (issue 11). The office searches its own kabupaten's gallery before
 * it issues a Suket for a recording the centre has not deduplicated yet; a likely match holds the Suket until
 * a supervisor releases it or the centre's verdict arrives. The gallery is the office's own recordings plus
 * a subset the centre sends: the entries of records whose NIK belongs to the kabupaten or that the office
 * recorded, in a signed feed of their own, each page sealed to the office's gallery key (X25519).
 */

const nik = z.string().regex(/^\d{16}$/, '16 digits');

/* ---- the wire: centre → office ---- */

export const gallerySubsetQuerySchema = z.object({
  after: z.coerce.number().int().min(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  /** The office's gallery public key (raw X25519, base64url): the page is sealed to it. Covered by the request signature. */
  sealTo: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a raw X25519 public key, base64url'),
});
export type GallerySubsetQuery = z.infer<typeof gallerySubsetQuerySchema>;

/** One gallery entry inside the sealed page. */
export const gallerySubsetEntrySchema = z.object({
  seq: z.number().int().positive(),
  recordId: z.string().min(1).max(64),
  nik,
  fullName: z.string().max(200),
  /** The packed templates (domain `packSet`), base64. */
  templates: z.string().max(1024),
});
export type GallerySubsetEntry = z.infer<typeof gallerySubsetEntrySchema>;
export const gallerySubsetEntriesSchema = z.array(gallerySubsetEntrySchema).max(1000);

export const gallerySubsetResponseSchema = z.object({
  count: z.number().int().nonnegative(),
  /** JSON array of entries sealed to `sealTo` (base64url); null for an empty page. */
  sealed: z.string().max(4 * 1024 * 1024).nullable(),
  /** Where the next page starts; it moves past gallery entries of other kabupaten too. */
  nextCursor: z.number().int().nonnegative(),
  hasMore: z.boolean(),
});
export type GallerySubsetResponse = z.infer<typeof gallerySubsetResponseSchema>;

export const centralGallerySubsetRoutes = {
  feed: {
    tags: ['sync', 'deduplication'],
    summary: "A page of the gallery entries of the office's kabupaten after a cursor (signed), sealed to the office's gallery key",
    headers: signedRequestHeadersSchema,
    querystring: gallerySubsetQuerySchema,
    response: { 200: gallerySubsetResponseSchema, ...errors(400, 401, 409) },
  },
} as const;

/* ---- the office's supervisor ---- */

/**
 * HELD: the Suket waits; RELEASED: a supervisor let it go (with a reason); CENTRE_CLEARED: the centre found the
 * record unique (PRINT_READY_RECORD); CENTRE_DUPLICATE: the centre found it a duplicate, final.
 */
export const PROVISIONAL_MATCH_STATES = ['HELD', 'RELEASED', 'CENTRE_CLEARED', 'CENTRE_DUPLICATE'] as const;
export type ProvisionalMatchState = (typeof PROVISIONAL_MATCH_STATES)[number];

export const provisionalMatchPartySchema = z.object({
  recordId: z.string(),
  nik,
  fullName: z.string(),
  /** Null for an entry of the centre's subset that this office did not record. */
  registrationNumber: z.string().nullable(),
  status: z.string().nullable(),
  /** Whether this office holds the photo (GET /api/recordings/:id/photo). */
  hasPhoto: z.boolean(),
});

export const provisionalMatchSchema = z
  .object({
    id: z.uuid(),
    record: provisionalMatchPartySchema,
    candidate: provisionalMatchPartySchema,
    score: z.number(),
    state: z.enum(PROVISIONAL_MATCH_STATES),
    foundAt: isoTimestamp,
    decidedBy: z.string().nullable(),
    decidedAt: isoTimestamp.nullable(),
    reason: z.string().nullable(),
    /** A supervisor's look that kept the hold: who and why. */
    reviewedBy: z.string().nullable(),
    reviewNote: z.string().nullable(),
  })
  .meta({ id: 'ProvisionalMatch' });
export type ProvisionalMatchView = z.infer<typeof provisionalMatchSchema>;

export const provisionalMatchListQuerySchema = z.object({ state: z.enum([...PROVISIONAL_MATCH_STATES, 'all']).default('HELD') });
export const provisionalMatchDecisionSchema = z.object({ reason: z.string().trim().min(10).max(500) });
export type ProvisionalMatchDecision = z.infer<typeof provisionalMatchDecisionSchema>;

const tags = ['deduplication'];
export const provisionalMatchRoutes = {
  list: {
    tags,
    summary: 'Provisional matches found at the office before a Suket, newest first (supervisor, admin)',
    querystring: provisionalMatchListQuerySchema,
    response: { 200: z.object({ items: z.array(provisionalMatchSchema), gallerySize: z.number().int().nonnegative() }), ...sessionErrors },
  },
  release: {
    tags,
    summary: 'Release a held Suket with a reason: the two records are different people (supervisor)',
    params: uuidParamsSchema,
    body: provisionalMatchDecisionSchema,
    response: { 200: z.object({ match: provisionalMatchSchema }), ...sessionErrors, ...errors(404, 409) },
  },
  keep: {
    tags,
    summary: "Keep a Suket held with a note, until the centre's verdict (supervisor)",
    params: uuidParamsSchema,
    body: provisionalMatchDecisionSchema,
    response: { 200: z.object({ match: provisionalMatchSchema }), ...sessionErrors, ...errors(404, 409) },
  },
} as const;
