import { z } from 'zod';
import { biodataSchema, syntheticCaptureRequestSchema } from '../recording.ts';
import { sessionErrors } from './common.ts';

export const syncStatusSchema = z
  .object({
    central: z.object({
      /** null: not known yet (no attempt since the office started). */
      reachable: z.boolean().nullable(),
      lastSuccessAt: z.string().nullable(),
      lastAttemptAt: z.string().nullable(),
      lastError: z.string().nullable(),
      nextAttemptAt: z.string().nullable(),
    }),
    outbox: z.object({ pending: z.number(), oldestPendingAt: z.string().nullable() }),
    lastPushAt: z.string().nullable(),
    lastPullAt: z.string().nullable(),
  })
  .meta({ id: 'SyncStatus' });
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const regionSchema = z.object({ code: z.string(), name: z.string() });
export type Region = z.infer<typeof regionSchema>;
export const regionListSchema = z.object({ items: z.array(regionSchema) });
export type RegionList = z.infer<typeof regionListSchema>;
export const districtQuerySchema = z.object({ district: z.string().regex(/^\d{2}\.\d{2}\.\d{2}$/, 'PP.KK.CC') });

export const siteListSchema = z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string() })) });
export type SiteList = z.infer<typeof siteListSchema>;

export const encodedFileSchema = z.object({ mime: z.string(), data: z.string().meta({ description: 'base64' }) });
export type EncodedFile = z.infer<typeof encodedFileSchema>;

export const captureResultSchema = z.object({
  device: z.string(),
  photo: encodedFileSchema,
  signature: encodedFileSchema,
  biometrics: z.array(z.object({ position: z.string(), template: z.string().meta({ description: 'base64' }), quality: z.number() })),
});
export type CaptureResult = z.infer<typeof captureResultSchema>;
export type SyntheticCaptureRequest = z.infer<typeof syntheticCaptureRequestSchema>;

export const sampleResidentSchema = z.object({ biodata: biodataSchema });
export type SampleResident = z.infer<typeof sampleResidentSchema>;

export const supportRoutes = {
  syncStatus: { tags: ['sync'], summary: 'The link to the centre, the outbox backlog and the last push and pull', response: { 200: syncStatusSchema, ...sessionErrors } },
  districts: { tags: ['reference'], summary: 'Kecamatan of this office’s kabupaten', response: { 200: regionListSchema, ...sessionErrors } },
  villages: { tags: ['reference'], summary: 'Kelurahan/desa of one kecamatan', querystring: districtQuerySchema, response: { 200: regionListSchema, ...sessionErrors } },
  sites: { tags: ['reference'], summary: 'Service points of this office', response: { 200: siteListSchema, ...sessionErrors } },
  capture: { tags: ['capture'], summary: 'Capture photo, signature, fingers and irises (synthetic device)', body: syntheticCaptureRequestSchema, response: { 200: captureResultSchema, ...sessionErrors } },
  sampleResident: { tags: ['capture'], summary: 'A made-up resident for the demo form', response: { 200: sampleResidentSchema, ...sessionErrors } },
};
