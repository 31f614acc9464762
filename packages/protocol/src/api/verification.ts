import { z } from 'zod';
import { bilingualSchema, errors, isoTimestamp } from './common.ts';

/** A credential's text is a few hundred characters; anything far longer is not one. */
export const CREDENTIAL_TEXT_MAX = 4096;

/**
 * POST /api/verifikasi: `{ text }` as JSON, or the text itself as text/plain. `text` may be absent so the
 * node can answer with its own worded CREDENTIAL_TEXT_MISSING rather than a generic schema error.
 */
export const verifyRequestSchema = z.union([z.object({ text: z.string().optional() }), z.string()]);
export type VerifyRequest = z.infer<typeof verifyRequestSchema>;

export const VERDICTS = ['VALID', 'EXPIRED', 'REVOKED', 'SUPERSEDED', 'FORGED', 'UNKNOWN_ISSUER', 'UNREADABLE'] as const;

export const verifiedClaimsSchema = z.object({
  /** 'SUKET' or a document type code (KK, AKTA_KELAHIRAN …). */
  typ: z.string(),
  ser: z.string(),
  iss: z.string(),
  /** Unix seconds. */
  iat: z.number(),
  exp: z.number().optional(),
  sub: z.record(z.string(), z.string()),
  /** The small face image in the credential, base64. */
  img: z.string().optional(),
});

export const verificationResponseSchema = z
  .object({
    verdict: z.enum(VERDICTS),
    label: bilingualSchema,
    reason: bilingualSchema,
    claims: verifiedClaimsSchema.optional(),
    issuer: z.object({ officeId: z.string(), officeName: z.string(), kid: z.string() }).optional(),
    /** Unix seconds. */
    checkedAt: z.number(),
    trustListIssuedAt: z.number(),
    revocationListIssuedAt: z.number(),
    /** When the node last fetched each list (the centre: now). */
    listsFetchedAt: z.object({ trustList: isoTimestamp, revocationList: isoTimestamp }),
  })
  .meta({ id: 'Verification', description: 'The verdict on one credential, in both languages, with the age of the lists it was checked against.' });
export type VerificationResponse = z.infer<typeof verificationResponseSchema>;

export const API_KEY_HEADER = 'x-api-key';

const verifyTags = ['verification'];
/** Anyone may verify; an institution's key (either way of sending it) gets its own quota. */
const security: Record<string, string[]>[] = [{}, { apiKey: [] }, { bearer: [] }];
const keyNote =
  'Public, limited per address. Institutions that verify in bulk send their API key as `Authorization: Bearer <key>` or `x-api-key: <key>` and are limited by that key’s own quota instead.';

export const verificationRoutes = {
  text: {
    tags: verifyTags,
    summary: 'Verify a Suket or e-signed document from its QR text',
    description: keyNote,
    security,
    body: verifyRequestSchema,
    response: { 200: verificationResponseSchema, ...errors(400, 401, 413, 429, 503) },
  },
  image: {
    tags: verifyTags,
    summary: 'Verify from a photo (PNG/JPEG) of the QR or the document PDF, sent as the raw request body',
    security,
    description: `${keyNote} The body is the file itself (image/png, image/jpeg or application/pdf); its leading bytes decide the kind.`,
    response: { 200: verificationResponseSchema, ...errors(400, 401, 413, 422, 429, 503) },
  },
};
