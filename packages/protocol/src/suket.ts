import { z } from 'zod';

/** `SKT-<office id>-<YYYYMMDD, Jakarta>-<6-digit daily counter>` */
export const SUKET_SERIAL_PATTERN = /^SKT-([A-Za-z0-9]{1,20})-(\d{8})-(\d{6})$/;

export const suketSerialSchema = z.string().regex(SUKET_SERIAL_PATTERN, 'SKT-<office>-<YYYYMMDD>-<NNNNNN>');

/** Why a document serial stops verifying; the same codes as the revocation list's entries. */
export const REVOCATION_REASONS = ['CARD_ISSUED', 'SUPERSEDED', 'ISSUED_IN_ERROR', 'KEY_COMPROMISE', 'OTHER'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** Payload of the `suket.issued` office event: what the centre logs of every Suket issued. */
export const suketIssuedPayloadSchema = z.object({
  serial: suketSerialSchema,
  recordId: z.string().min(1).max(80),
  nik: z.string().regex(/^\d{16}$/),
  issuedAt: z.string().datetime(),
  expiresAt: z.string().datetime(),
  kid: z.string().min(1).max(100),
  issuedBy: z.string().min(1).max(64),
});
export type SuketIssuedPayload = z.infer<typeof suketIssuedPayloadSchema>;

/** Payload of the `suket.revoked` office event: the serial goes on the centre's revocation list. */
export const suketRevokedPayloadSchema = z.object({
  serial: suketSerialSchema,
  recordId: z.string().min(1).max(80).optional(),
  revokedAt: z.string().datetime(),
  reason: z.enum(REVOCATION_REASONS),
  supersededBy: suketSerialSchema.optional(),
  revokedBy: z.string().min(1).max(64).optional(),
});
export type SuketRevokedPayload = z.infer<typeof suketRevokedPayloadSchema>;

/** POST /sync/document-keys: an office asks the centre to certify its new document-signing key. */
export const documentKeyRequestSchema = z.object({
  publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'Ed25519 public key, base64url'),
  purpose: z.enum(['SUKET', 'TTE']),
});
export type DocumentKeyRequest = z.infer<typeof documentKeyRequestSchema>;

/** The centre's answer: the trust entry (the certificate) for the key. */
export const documentKeyResponseSchema = z.object({
  key: z.object({
    kid: z.string(),
    officeId: z.string(),
    officeName: z.string(),
    // CARD: the centre's own card-signing key, listed among the others (an office cannot ask for one).
    purpose: z.enum(['SUKET', 'TTE', 'CARD']),
    publicKey: z.string(),
    /** Unix seconds, as in the trust list. */
    notBefore: z.number().int(),
    notAfter: z.number().int(),
    revokedAt: z.number().int().optional(),
  }),
});
export type DocumentKeyResponse = z.infer<typeof documentKeyResponseSchema>;

/** GET /trust/list and /trust/revocations on the centre: the signed text (verify it with the pinned root). */
export const signedListResponseSchema = z.object({ signed: z.string().min(1) });
export const trustRootResponseSchema = z.object({ kid: z.string().min(1), publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });
