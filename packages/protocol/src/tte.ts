import { z } from 'zod';

/** At most this many documents in one request to the centre's e-signature (TTE) service. */
export const TTE_BATCH_MAX = 200;

/** What the office asks the TTE service to sign for one document: the QR's claims, without the signature. */
export const tteClaimsSchema = z.object({
  /** The document type code (KK, AKTA_KELAHIRAN …); a Suket is signed by the office's own key, never here. */
  typ: z.string().regex(/^[A-Z][A-Z0-9_]{1,31}$/).refine((typ) => typ !== 'SUKET', 'a Suket is not signed by TTE'),
  ser: z.string().min(1).max(64),
  iss: z.string().min(1).max(20),
  iat: z.number().int().nonnegative().optional(),
  exp: z.number().int().positive().max(4_294_967_295).optional(),
  // As the credential encoder accepts them: names of 2–64 characters (one-letter names are its short wire keys), values up to 256.
  sub: z.record(z.string().min(2).max(64), z.string().max(256)).refine((sub) => Object.keys(sub).length <= 60, 'at most 60 fields'),
});
export type TteClaims = z.infer<typeof tteClaimsSchema>;

export const tteSignRequestSchema = z.object({
  documents: z
    .array(z.object({ documentId: z.string().min(1).max(80), claims: tteClaimsSchema }))
    .min(1)
    .max(TTE_BATCH_MAX),
  /** The head of office whose TTE key signs; the office vouches for them with its request signature. */
  signer: z.object({ username: z.string().min(1).max(64), fullName: z.string().min(1).max(120) }),
});
export type TteSignRequest = z.infer<typeof tteSignRequestSchema>;

export const tteSignResponseSchema = z.object({
  signed: z.array(z.object({ documentId: z.string(), qrText: z.string().min(1), signedAt: z.string() })),
});
export type TteSignResponse = z.infer<typeof tteSignResponseSchema>;

/** GET /sync/tte/health: public, so offices, status pages and kiosks can all tell. */
export const tteHealthSchema = z.object({
  available: z.boolean(),
  /** When the service entered its current state; null when it has never been switched. */
  since: z.string().nullable(),
});
export type TteHealth = z.infer<typeof tteHealthSchema>;
