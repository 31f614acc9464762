import { z } from 'zod';
import { suketSerialSchema } from '../suket.ts';
import { binary, errors, isoTimestamp, sessionErrors, uuidParamsSchema } from './common.ts';

export const SUKET_STATUSES = ['ACTIVE', 'REVOKED'] as const;
/** The reasons an operator may give; CARD_ISSUED and SUPERSEDED are the office's own. */
export const OPERATOR_REVOCATION_REASONS = ['ISSUED_IN_ERROR', 'OTHER'] as const;

export const suketViewSchema = z
  .object({
    serial: z.string(),
    recordId: z.string(),
    status: z.enum(SUKET_STATUSES),
    issuedAt: isoTimestamp,
    expiresAt: isoTimestamp,
    issuedBy: z.string(),
    kid: z.string(),
    /** The signed QR text (TGH1:…). */
    qrText: z.string(),
    revokedAt: isoTimestamp.nullable(),
    revokeReason: z.string().nullable(),
    revokedBy: z.string().nullable(),
    supersededBy: z.string().nullable(),
  })
  .meta({ id: 'Suket' });
export type SuketView = z.infer<typeof suketViewSchema>;

export const suketIssuedSchema = z.object({
  suket: suketViewSchema,
  /** The printed fields under the credential's names (nik, nama, tempatLahir …). */
  fields: z.record(z.string(), z.string()),
  /** Serials of earlier active Suket of the same record, revoked as SUPERSEDED. */
  superseded: z.array(z.string()),
});
export type SuketIssued = z.infer<typeof suketIssuedSchema>;

export const suketListSchema = z.object({ items: z.array(suketViewSchema) });
export const suketResponseSchema = z.object({ suket: suketViewSchema });
export type SuketResponse = z.infer<typeof suketResponseSchema>;
export const suketFieldLabelsSchema = z.object({ items: z.array(z.object({ key: z.string(), id: z.string(), en: z.string() })) });
export type SuketFieldLabels = z.infer<typeof suketFieldLabelsSchema>;

export const suketSerialParamsSchema = z.object({ serial: suketSerialSchema });
export const suketRevokeRequestSchema = z.object({ reason: z.enum(OPERATOR_REVOCATION_REASONS), note: z.string().trim().max(300).optional() });
export type SuketRevokeRequest = z.infer<typeof suketRevokeRequestSchema>;

const tags = ['suket'];
const notFound = errors(404);

export const suketRoutes = {
  issue: { tags, summary: 'Issue a Suket for a record (works while the centre is down)', params: uuidParamsSchema, response: { 201: suketIssuedSchema, ...sessionErrors, ...notFound, ...errors(409, 503) } },
  ofRecord: { tags, summary: 'Every Suket issued for a record', params: uuidParamsSchema, response: { 200: suketListSchema, ...sessionErrors, ...notFound } },
  fields: { tags, summary: 'Labels of the printed Suket fields, Indonesian and English', response: { 200: suketFieldLabelsSchema, ...sessionErrors } },
  detail: { tags, summary: 'One Suket by serial', params: suketSerialParamsSchema, response: { 200: suketResponseSchema, ...sessionErrors, ...notFound } },
  pdf: { tags, summary: 'The printable A4 Suket', params: suketSerialParamsSchema, response: { 200: binary(['application/pdf'], 'A4 PDF with photo and signed QR'), ...sessionErrors, ...notFound } },
  qr: { tags, summary: 'The Suket QR as a PNG image', params: suketSerialParamsSchema, response: { 200: binary(['image/png'], 'QR code'), ...sessionErrors, ...notFound } },
  revoke: { tags, summary: 'Revoke a Suket (supervisor, admin)', params: suketSerialParamsSchema, body: suketRevokeRequestSchema, response: { 200: suketResponseSchema, ...sessionErrors, ...notFound, ...errors(409) } },
};
