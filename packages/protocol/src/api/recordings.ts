import { z } from 'zod';
import { RECORD_STATUSES } from '@tangguh/domain';
import { biodataSchema, biometricExceptionSchema, positionSchema, recordingRequestSchema } from '../recording.ts';
import { binary, errors, isoTimestamp, sessionErrors, uuidParamsSchema } from './common.ts';

export const recordSummarySchema = z
  .object({
    id: z.string(),
    registrationNumber: z.string(),
    nik: z.string(),
    fullName: z.string(),
    status: z.string(),
    recordedAt: isoTimestamp,
    updatedAt: isoTimestamp,
    siteName: z.string(),
  })
  .meta({ id: 'RecordSummary' });
export type RecordSummary = z.infer<typeof recordSummarySchema>;

export const receiptSchema = z.object({ registrationNumber: z.string(), recordedAt: isoTimestamp, siteName: z.string(), officeName: z.string() });
export type Receipt = z.infer<typeof receiptSchema>;

/** 201 for a new record; 200 when `clientRequestId` was seen before (the first receipt, again). */
export const recordingCreatedSchema = z.object({ record: recordSummarySchema, receipt: receiptSchema });
export type RecordingCreated = z.infer<typeof recordingCreatedSchema>;

export const recordingListQuerySchema = z.object({
  q: z.string().max(100).optional(),
  status: z.enum(RECORD_STATUSES).optional().or(z.literal('').transform(() => undefined)),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type RecordingListQuery = z.input<typeof recordingListQuerySchema>;

export const recordingListSchema = z.object({ items: z.array(recordSummarySchema) });
export type RecordingList = z.infer<typeof recordingListSchema>;

export const recordingsSummarySchema = z.object({ byStatus: z.record(z.string(), z.number()), total: z.number() });
export type RecordingsSummary = z.infer<typeof recordingsSummarySchema>;

export const timelineEntrySchema = z.object({ status: z.string(), at: isoTimestamp, source: z.string(), note: z.string().nullable() });
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const recordDetailSchema = recordSummarySchema.extend({
  biodata: biodataSchema,
  villageName: z.string().nullable(),
  districtName: z.string().nullable(),
  exceptions: z.array(z.object({ position: positionSchema, exception: biometricExceptionSchema })),
});
export type RecordDetail = z.infer<typeof recordDetailSchema>;

export const recordDetailResponseSchema = z.object({ record: recordDetailSchema, timeline: z.array(timelineEntrySchema) });
export type RecordDetailResponse = z.infer<typeof recordDetailResponseSchema>;

const tags = ['recordings'];

export const recordingRoutes = {
  create: {
    tags,
    summary: 'Record a resident (perekaman); send the same clientRequestId on a retry to get the first receipt',
    body: recordingRequestSchema,
    response: { 200: recordingCreatedSchema, 201: recordingCreatedSchema, ...sessionErrors, ...errors(409, 413, 503) },
  },
  list: { tags, summary: 'Search records by NIK, registration number or name', querystring: recordingListQuerySchema, response: { 200: recordingListSchema, ...sessionErrors } },
  summary: { tags, summary: 'Number of records in each status', response: { 200: recordingsSummarySchema, ...sessionErrors } },
  detail: { tags, summary: 'One record with its biodata and whole timeline', params: uuidParamsSchema, response: { 200: recordDetailResponseSchema, ...sessionErrors, ...errors(404) } },
  photo: { tags, summary: 'The photo taken at recording', params: uuidParamsSchema, response: { 200: binary(['image/jpeg', 'image/png'], 'The photo as captured'), ...sessionErrors, ...errors(404) } },
};
