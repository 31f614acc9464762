import { z } from 'zod';
import { MIN_PROTOCOL_VERSION, PROTOCOL_VERSION, SYNC_HEADERS, changesResponseSchema, changesResponseV1Schema, pushBatchSchema, pushFeedResultSchema, pushQuerySchema } from '../sync.ts';
import { documentKeyRequestSchema, documentKeyResponseSchema } from '../suket.ts';
import { tteHealthSchema, tteSignRequestSchema, tteSignResponseSchema } from '../tte.ts';
import { errors } from './common.ts';

/**
 * The centre's /sync/* routes: what offices call. Signed routes check the signature over the raw bytes
 * before the body is validated, so these schemas validate after authentication and describe the wire
 * for /api/docs.
 */

/** The headers of a signed office request, for /api/docs; unknown headers pass through untouched. */
export const signedRequestHeadersSchema = z.looseObject({
  [SYNC_HEADERS.office]: z.string().meta({ description: 'The office id (as registered at the centre).' }),
  [SYNC_HEADERS.timestamp]: z.string().meta({ description: 'ISO time of signing; at most 10 minutes from the centre clock.' }),
  [SYNC_HEADERS.signature]: z.string().meta({ description: 'Ed25519 signature, base64, over the signing input of the protocol version.' }),
  [SYNC_HEADERS.protocol]: z.string().optional().meta({ description: `Wire protocol version; absent means 1. The centre serves ${MIN_PROTOCOL_VERSION}–${PROTOCOL_VERSION}.` }),
  [SYNC_HEADERS.requestId]: z.string().optional().meta({ description: 'Version 3 and later: a random id of this request (16–128 URL-safe characters), signed; a second use is 409 REQUEST_REPLAYED.' }),
  [SYNC_HEADERS.contentHash]: z.string().optional().meta({ description: 'Version 3 and later: SHA-256 (hex) of the body, signed, so the signature is checked before the body is read.' }),
});

/** GET /sync/version: which wire protocol versions this centre serves. */
export const protocolVersionResponseSchema = z.object({
  current: z.number().int().positive(),
  supported: z.object({ min: z.number().int().positive(), max: z.number().int().positive() }),
});
export type ProtocolVersionResponse = z.infer<typeof protocolVersionResponseSchema>;

export const sealingKeyResponseSchema = z.object({ sealingPublicKey: z.string().min(1) });
export const syncStateResponseSchema = z.object({ appliedSeq: z.number().int().nonnegative(), changeSeq: z.number().int().nonnegative() });
export type SyncStateResponse = z.infer<typeof syncStateResponseSchema>;

export const changesQuerySchema = z.object({
  after: z.coerce.number().int().min(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

/** A refused signature (401), an unsupported protocol version or a bad body (400), a replayed request (409). */
const signedErrors = errors(400, 401, 409);

export const centralSyncRoutes = {
  version: {
    tags: ['sync'],
    summary: 'The wire protocol versions this centre serves (current and one before)',
    response: { 200: protocolVersionResponseSchema },
  },
  keys: {
    tags: ['sync'],
    summary: "The centre's X25519 key that offices seal biometric templates to",
    response: { 200: sealingKeyResponseSchema, ...errors(400) },
  },
  push: {
    tags: ['sync'],
    summary: 'Push a batch of outbox entries (signed); replays are acknowledged, a gap is refused',
    headers: signedRequestHeadersSchema,
    querystring: pushQuerySchema,
    body: pushBatchSchema,
    response: { 200: pushFeedResultSchema, ...signedErrors, ...errors(409, 413) },
  },
  state: {
    tags: ['sync'],
    summary: "The office's applied outbox seq and change-feed length at the centre (signed)",
    headers: signedRequestHeadersSchema,
    response: { 200: syncStateResponseSchema, ...signedErrors },
  },
  changes: {
    tags: ['sync'],
    summary: "A page of the office's change feed after a cursor (signed); v1 callers get notes as one string",
    headers: signedRequestHeadersSchema,
    querystring: changesQuerySchema,
    response: { 200: z.union([changesResponseSchema, changesResponseV1Schema]), ...signedErrors },
  },
  documentKey: {
    tags: ['sync', 'trust'],
    summary: "Have the office's new document-signing key certified (signed)",
    headers: signedRequestHeadersSchema,
    body: documentKeyRequestSchema,
    response: { 201: documentKeyResponseSchema, ...signedErrors, ...errors(404, 409) },
  },
  tteSign: {
    tags: ['sync', 'tte'],
    summary: "Sign a batch of documents with the head of office's TTE key (signed)",
    headers: signedRequestHeadersSchema,
    body: tteSignRequestSchema,
    response: { 200: tteSignResponseSchema, ...signedErrors, ...errors(403, 404, 409, 503) },
  },
  tteHealth: {
    tags: ['sync', 'tte'],
    summary: 'Whether the e-signature (TTE) service is up (public)',
    response: { 200: tteHealthSchema, ...errors(400) },
  },
} as const;
