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
  /**
   * The head of office whose TTE key signs. The office's word is not enough: the centre signs only for the
   * head it holds for that office, and only with `proof` made by that head's own enrolled key.
   */
  signer: z.object({ username: z.string().min(1).max(64), fullName: z.string().min(1).max(120) }),
  /** Optional in the schema so that a request without it is refused as unauthorised (403), not as malformed. */
  proof: z.lazy(() => tteProofSchema).optional(),
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

/** The head's own signature over this exact batch (see `tteChallengeText`), made by the key enrolled at the centre. */
export const tteProofSchema = z.object({
  /** Chosen fresh by the office for one batch; the centre accepts a nonce once. */
  nonce: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  /** When the office prepared the batch; the centre accepts a proof for TTE_PROOF_MAX_AGE_MS. */
  issuedAt: z.iso.datetime(),
  /** Ed25519 signature by the head's key, base64url (86 characters). */
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/),
});
export type TteProof = z.infer<typeof tteProofSchema>;

/** A proof older (or further in the future) than this is refused, so a stolen one is soon worthless. */
export const TTE_PROOF_MAX_AGE_MS = 10 * 60_000;

/** What the head's key signs: one line per fact, the documents with the SHA-256 of their claims (see tteClaimsDigest). */
export interface TteChallengeInput {
  officeId: string;
  username: string;
  nonce: string;
  issuedAt: string;
  documents: { documentId: string; claimsDigest: string }[];
}

/**
 * The text the head's key signs for one batch. The centre rebuilds it from the request it receives, so a
 * proof verifies only for the office, head, nonce, documents and claims it was made for.
 */
export function tteChallengeText(input: TteChallengeInput): string {
  const lines = ['TANGGUH-TTE-BATCH-1', `office ${input.officeId}`, `head ${input.username}`, `nonce ${input.nonce}`, `issued ${input.issuedAt}`];
  for (const d of input.documents) lines.push(`doc ${d.documentId} ${d.claimsDigest}`);
  return `${lines.join('\n')}\n`;
}

/** JSON with keys sorted at every level, so both nodes hash the same claims to the same bytes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A head's public key as the centre holds it: raw Ed25519, 32 bytes, base64url. */
export const tteHeadPublicKeySchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'Ed25519 public key, base64url');

export const TTE_ENROLMENT_STATUSES = ['PENDING', 'APPROVED', 'REPLACED', 'REJECTED'] as const;

/** POST /sync/tte/enrolments: the office forwards the key a head made in their browser. */
export const tteEnrolRequestSchema = z.object({
  username: z.string().min(1).max(64),
  fullName: z.string().min(1).max(120),
  publicKey: tteHeadPublicKeySchema,
});
export type TteEnrolRequest = z.infer<typeof tteEnrolRequestSchema>;

export const tteEnrolmentSchema = z.object({
  id: z.string(),
  officeId: z.string(),
  username: z.string(),
  /** The name the office gave; the centre signs with the name it holds for the head, not this one. */
  fullName: z.string(),
  /** SHA-256 of the public key, grouped for reading aloud: the centre's admin compares it with the head's screen. */
  fingerprint: z.string(),
  status: z.enum(TTE_ENROLMENT_STATUSES),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
});
export type TteEnrolment = z.infer<typeof tteEnrolmentSchema>;

/** The head of an office as the centre holds it (provisioned at the centre, never taken from the office). */
export const tteHeadSchema = z.object({ officeId: z.string(), username: z.string(), fullName: z.string(), setAt: z.string(), setBy: z.string() });
export type TteHead = z.infer<typeof tteHeadSchema>;

/** GET /sync/tte/enrolments?username=…: whether that person is the office's head and their latest key. */
export const tteEnrolmentStatusSchema = z.object({
  /** True when the centre holds this person as the office's head. */
  isHead: z.boolean(),
  enrolment: tteEnrolmentSchema.nullable(),
});
export type TteEnrolmentStatus = z.infer<typeof tteEnrolmentStatusSchema>;
