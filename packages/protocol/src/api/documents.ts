import { z } from 'zod';
import { binary, bilingualSchema, errors, isoTimestamp, sessionErrors, uuidParamsSchema } from './common.ts';
import { PRINTABLE_SHAPE, PRINTABLE_TEXT } from '../printable.ts';
import { TTE_BATCH_MAX, tteEnrolmentStatusSchema, tteEnrolmentSchema, tteHeadPublicKeySchema, tteProofSchema } from '../tte.ts';

/** Documents signed electronically by the head of office (KK, akta, surat pindah) and the wet-signature policy. */
export const DOCUMENT_STATUSES = ['AWAITING_SIGNATURE', 'SIGNED', 'WET_SIGNED', 'SUPERSEDED'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

// Printed on the signed document: no control or bidirectional-override characters (printable.ts).
const text = (max: number) => z.string().trim().min(1).max(max).regex(PRINTABLE_TEXT, PRINTABLE_SHAPE);
const fieldKey = z.string().trim().regex(/^[a-z][a-z0-9_]{0,39}$/, 'a-z, 0-9, _');

export const documentRequestSchema = z.object({
  type: text(32),
  nik: z.string().trim().regex(/^\d{16}$/, '16 digits'),
  name: text(120),
  nomor: text(64),
  fields: z.record(fieldKey, z.string().trim().max(500).regex(PRINTABLE_TEXT, PRINTABLE_SHAPE)).refine((f) => Object.keys(f).length <= 30, 'at most 30 fields').default({}),
});
export type DocumentRequest = z.input<typeof documentRequestSchema>;

export const documentTypeSchema = z.object({
  code: z.string().trim().regex(/^[A-Z][A-Z0-9_]{1,31}$/, 'A-Z, 0-9, _'),
  name: text(120),
  fields: z.array(z.object({ key: fieldKey, label: text(80) })).max(30).default([]),
});
export type DocumentType = z.infer<typeof documentTypeSchema>;

export const documentListQuerySchema = z.object({
  status: z.enum(DOCUMENT_STATUSES).optional().or(z.literal('').transform(() => undefined)),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
/** Which waiting documents to prepare for the head's signature: all (oldest first) or those named. */
export const signChallengeRequestSchema = z.object({ ids: z.array(z.uuid()).min(1).max(1000).optional() }).default({});
/** One batch for the head's key to sign: `challenge` is the text signed, the rest comes back with the signature. */
export const signChallengeSchema = z.object({
  documentIds: z.array(z.string()).max(TTE_BATCH_MAX),
  nonce: z.string(),
  issuedAt: z.string(),
  challenge: z.string(),
  /** Waiting among those asked for, this batch included (more than one batch when above TTE_BATCH_MAX). */
  waiting: z.number(),
});
export type SignChallenge = z.infer<typeof signChallengeSchema>;
/** The batch as prepared, with the head's signature over its challenge. */
export const signRequestSchema = tteProofSchema.extend({ documentIds: z.array(z.uuid()).min(1).max(TTE_BATCH_MAX) });
export type SignRequest = z.infer<typeof signRequestSchema>;
export const headEnrolRequestSchema = z.object({ publicKey: tteHeadPublicKeySchema });
export const headEnrolmentResponseSchema = z.object({ enrolment: tteEnrolmentSchema });
const reasonText = z.string().trim().min(5).max(500);
export const wetSignRequestSchema = z.object({ reason: reasonText });
export const policyRequestSchema = z.object({ enabled: z.boolean(), reason: reasonText });
export type PolicyRequest = z.infer<typeof policyRequestSchema>;

export const tteStateSchema = z.object({
  /** null: not probed yet. */
  available: z.boolean().nullable(),
  since: z.string().nullable(),
  reason: z.enum(['TTE_DOWN', 'CENTRE_UNREACHABLE']).nullable(),
  checkedAt: z.string().nullable(),
});
export type TteState = z.infer<typeof tteStateSchema>;

export const pickupEstimateSchema = z.object({
  kind: z.enum(['READY', 'AFTER_SIGNATURE', 'AFTER_TTE_RECOVERY', 'TTE_UNKNOWN', 'SUPERSEDED']),
  day: z.enum(['TODAY', 'NEXT_WORKING_DAY']).optional(),
  messages: bilingualSchema,
  tte: tteStateSchema.extend({ outageMinutes: z.number().nullable() }),
});
export type PickupEstimate = z.infer<typeof pickupEstimateSchema>;

export const documentViewSchema = z
  .object({
    id: z.string(),
    serial: z.string(),
    type: z.string(),
    typeName: z.string(),
    nomor: z.string(),
    nik: z.string(),
    name: z.string(),
    fields: z.record(z.string(), z.string()),
    status: z.enum(DOCUMENT_STATUSES),
    statusAt: isoTimestamp,
    createdAt: isoTimestamp,
    createdBy: z.string(),
    signature: z.object({ kind: z.enum(['TTE', 'WET']), at: isoTimestamp, by: z.string(), byName: z.string(), reason: z.string().nullable() }).nullable(),
    qrText: z.string().nullable(),
    supersededBy: z.string().nullable(),
    pickup: pickupEstimateSchema,
  })
  .meta({ id: 'Document' });
export type DocumentView = z.infer<typeof documentViewSchema>;

const statusCounts = z.partialRecord(z.enum(DOCUMENT_STATUSES), z.number());
export const documentsListSchema = z.object({ items: z.array(documentViewSchema), counts: statusCounts, tte: tteStateSchema });
export type DocumentsList = z.infer<typeof documentsListSchema>;
export const documentResponseSchema = z.object({ document: documentViewSchema });
export const documentTypeListSchema = z.object({ items: z.array(documentTypeSchema) });
export type DocumentTypeList = z.infer<typeof documentTypeListSchema>;
export const tteStatusResponseSchema = z.object({ tte: tteStateSchema, awaiting: z.number() });
export type TteStatusResponse = z.infer<typeof tteStatusResponseSchema>;
export const signResultSchema = z.object({
  signed: z.number(),
  /** Still waiting among those asked for (an outage that began part-way through). */
  remaining: z.number(),
  error: z.object({ code: z.string(), messages: bilingualSchema }).nullable(),
});
export type SignResult = z.infer<typeof signResultSchema>;

export const wetSignaturePolicySchema = z.object({ enabled: z.boolean(), changedAt: z.string().nullable(), changedBy: z.string().nullable(), reason: z.string().nullable() });
export const auditEntrySchema = z.object({
  id: z.number(),
  action: z.enum(['POLICY_ON', 'POLICY_OFF', 'WET_SIGNED']),
  documentId: z.string().nullable(),
  documentSerial: z.string().nullable(),
  actor: z.string(),
  actorName: z.string(),
  actorRole: z.string(),
  reason: z.string(),
  at: isoTimestamp,
});
export const policyResponseSchema = z.object({ policy: wetSignaturePolicySchema, audit: z.array(auditEntrySchema) });
export type PolicyResponse = z.infer<typeof policyResponseSchema>;
export type WetSignaturePolicy = z.infer<typeof wetSignaturePolicySchema>;
export type AuditEntry = z.infer<typeof auditEntrySchema>;

const tags = ['documents'];
const notFound = errors(404);

export const documentRoutes = {
  types: { tags, summary: 'Document types and their fields', response: { 200: documentTypeListSchema, ...sessionErrors } },
  addType: { tags, summary: 'Add a document type (admin)', body: documentTypeSchema, response: { 201: z.object({ type: documentTypeSchema }), ...sessionErrors, ...errors(409) } },
  create: { tags, summary: 'Register a document; it waits for the head’s e-signature', body: documentRequestSchema, response: { 201: documentResponseSchema, ...sessionErrors, ...errors(404, 409, 503) } },
  list: { tags, summary: 'Documents, newest first (waiting ones oldest first)', querystring: documentListQuerySchema, response: { 200: documentsListSchema, ...sessionErrors } },
  tteStatus: { tags, summary: 'The centre’s TTE service as last seen, and how many documents wait', response: { 200: tteStatusResponseSchema, ...sessionErrors } },
  detail: { tags, summary: 'One document with its honest pickup estimate', params: uuidParamsSchema, response: { 200: documentResponseSchema, ...sessionErrors, ...notFound } },
  pdf: { tags, summary: 'The document as PDF', params: uuidParamsSchema, response: { 200: binary(['application/pdf'], 'The document with its QR'), ...sessionErrors, ...notFound } },
  signChallenge: { tags, summary: 'Prepare the next batch of waiting documents for the head’s key to sign (head)', body: signChallengeRequestSchema, response: { 200: signChallengeSchema, ...sessionErrors } },
  signAll: { tags, summary: 'Sign one prepared batch through the centre’s TTE, with the head’s signature over it (head)', body: signRequestSchema, response: { 200: signResultSchema, ...sessionErrors, ...errors(409, 503) } },
  enrolment: { tags, summary: 'Whether the centre holds this head’s personal TTE key, and its state (head)', response: { 200: tteEnrolmentStatusSchema, ...sessionErrors, ...errors(503) } },
  enrol: { tags, summary: 'Send the key made in the head’s browser to the centre for approval (head)', body: headEnrolRequestSchema, response: { 200: headEnrolmentResponseSchema, ...sessionErrors, ...errors(503) } },
  wetSign: { tags, summary: 'Sign one document by hand, when the audited fallback policy is on (head)', params: uuidParamsSchema, body: wetSignRequestSchema, response: { 200: documentResponseSchema, ...sessionErrors, ...notFound, ...errors(409) } },
  policy: { tags, summary: 'The wet-signature fallback policy and its audit trail', response: { 200: policyResponseSchema, ...sessionErrors } },
  setPolicy: { tags, summary: 'Switch the wet-signature fallback on or off, with a reason (head, admin)', body: policyRequestSchema, response: { 200: policyResponseSchema, ...sessionErrors } },
};
