import { z } from 'zod';
import { errors, isoTimestamp, sessionErrors } from './common.ts';

export const trustRootSchema = z.object({ kid: z.string(), publicKey: z.string() }).meta({ id: 'TrustRoot', description: 'The centre’s root key (Ed25519, base64url) pinned in this office.' });
export type TrustRoot = z.infer<typeof trustRootSchema>;

export const cachedSignedListSchema = z.object({
  /** The signed list; verify it with the pinned root. */
  signed: z.string(),
  fetchedAt: isoTimestamp,
  sequence: z.number(),
  issuedAt: isoTimestamp,
});
export type CachedSignedList = z.infer<typeof cachedSignedListSchema>;

export const officeRevocationsSchema = z
  .object({
    officeId: z.string(),
    /** Signed by the office's certified Suket key; verify it against the trust list (not the root). */
    signed: z.string(),
    sequence: z.number(),
    issuedAt: isoTimestamp,
  })
  .meta({ id: 'OfficeRevocations', description: 'What this office revoked or superseded that the centre’s list does not carry yet.' });
export type OfficeRevocations = z.infer<typeof officeRevocationsSchema>;

export const DOCUMENT_KEY_STATES = ['PENDING', 'CERTIFIED', 'CURRENT', 'RETIRED'] as const;

export const documentKeyInfoSchema = z.object({
  kid: z.string(),
  purpose: z.string(),
  state: z.enum(DOCUMENT_KEY_STATES),
  publicKey: z.string(),
  notBefore: z.string().nullable(),
  notAfter: z.string().nullable(),
  createdAt: isoTimestamp,
  certifiedAt: z.string().nullable(),
});
export type DocumentKeyInfo = z.infer<typeof documentKeyInfoSchema>;

export const rotateKeyRequestSchema = z.object({ purpose: z.enum(['SUKET']).default('SUKET') }).default({ purpose: 'SUKET' });

const tags = ['trust'];
const notModified = z.undefined().meta({ description: 'Not modified: the list the client has is current.' });
const listNote = 'Public. Answers 304 to a matching If-None-Match (the list sequence).';

export const trustRoutes = {
  root: { tags, summary: 'The pinned root key of the centre', response: { 200: trustRootSchema, ...errors(404) } },
  trustList: { tags, summary: 'The signed trust list, as last fetched from the centre', description: listNote, response: { 200: cachedSignedListSchema, 304: notModified, ...errors(404) } },
  revocations: { tags, summary: 'The signed revocation list, as last fetched from the centre', description: listNote, response: { 200: cachedSignedListSchema, 304: notModified, ...errors(404) } },
  officeRevocations: {
    tags,
    summary: 'This office’s own signed revocation list, applied beside the centre’s',
    description: 'Public. Signed at once by the office, so revocations count while the centre is down. Answers 304 to a matching If-None-Match.',
    response: { 200: officeRevocationsSchema, 304: notModified, ...errors(400, 503) },
  },
  documentKeys: { tags, summary: 'This office’s document-signing keys (supervisor, admin)', response: { 200: z.object({ items: z.array(documentKeyInfoSchema) }), ...sessionErrors } },
  rotate: { tags, summary: 'Make a new document-signing key; the sync worker has it certified (admin)', body: rotateKeyRequestSchema, response: { 202: z.object({ key: documentKeyInfoSchema }), ...sessionErrors } },
};
