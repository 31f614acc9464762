import { z } from 'zod';
import { documentKeyResponseSchema, signedListResponseSchema, trustRootResponseSchema } from '../suket.ts';
import { errors, isoTimestamp, sessionErrors } from './common.ts';

/** The centre's root of trust: the public signed lists, and the admin's view and revocation of document keys. */

/** Why the centre's admin revokes an office's document key (not a document serial: see REVOCATION_REASONS). */
export const KEY_REVOCATION_REASONS = ['KEY_COMPROMISE', 'OFFICE_CLOSED', 'SUPERSEDED', 'OTHER'] as const;
export type KeyRevocationReason = (typeof KEY_REVOCATION_REASONS)[number];

export const revokeDocumentKeyRequestSchema = z.object({
  reason: z.enum(KEY_REVOCATION_REASONS),
  note: z.string().trim().max(300).optional(),
  /** When the key may first have been misused (a compromise); ISO time. */
  since: z.iso.datetime().optional(),
});
export type RevokeDocumentKeyRequest = z.infer<typeof revokeDocumentKeyRequestSchema>;

export const kidParamsSchema = z.object({ kid: z.string().regex(/^[A-Za-z0-9_-]{4,64}$/) });
export const documentKeysQuerySchema = z.object({ officeId: z.string().max(20).optional() });

/** A certified key as the trust list carries it (times in Unix seconds). */
export const trustedKeySchema = documentKeyResponseSchema.shape.key;

/** A key in the admin's list: the trust entry plus who holds it and the revocation reason. */
export const documentKeyViewSchema = trustedKeySchema.extend({
  holder: z.string().nullable(),
  certifiedAt: isoTimestamp,
  revokeReason: z.string().nullable(),
});
export type DocumentKeyView = z.infer<typeof documentKeyViewSchema>;

export const documentKeyListSchema = z.object({ items: z.array(documentKeyViewSchema) });
export type DocumentKeyList = z.infer<typeof documentKeyListSchema>;

/** A conditional GET that finds the list unchanged answers 304 with no body. */
const notModified = z.null().meta({ description: 'Not modified: the If-None-Match sequence is current; no body.' });

export const centralTrustRoutes = {
  root: {
    tags: ['trust'],
    summary: 'The root key that signs the trust and revocation lists (pin it at provisioning)',
    response: { 200: trustRootResponseSchema },
  },
  trustList: {
    tags: ['trust'],
    summary: 'The signed trust list (ETag = its sequence; If-None-Match gives 304)',
    response: { 200: signedListResponseSchema, 304: notModified },
  },
  revocations: {
    tags: ['trust'],
    summary: 'The signed revocation list (ETag = its sequence; If-None-Match gives 304)',
    response: { 200: signedListResponseSchema, 304: notModified },
  },
  keys: {
    tags: ['trust'],
    summary: "Every office's certified document keys (admin)",
    querystring: documentKeysQuerySchema,
    response: { 200: documentKeyListSchema, ...sessionErrors },
  },
  revokeKey: {
    tags: ['trust'],
    summary: 'Revoke a document key; documents it signed from `since` stop verifying (admin)',
    params: kidParamsSchema,
    body: revokeDocumentKeyRequestSchema,
    response: { 200: documentKeyResponseSchema, ...sessionErrors, ...errors(404, 409) },
  },
} as const;
