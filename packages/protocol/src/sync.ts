import { z } from 'zod';
import { RECORD_STATUSES } from '@tangguh/domain';
import { biodataSchema, biometricExceptionSchema, positionSchema } from './recording.ts';

/** Headers that authenticate an office's request to the centre. */
export const SYNC_HEADERS = {
  office: 'x-tangguh-office',
  timestamp: 'x-tangguh-timestamp',
  signature: 'x-tangguh-signature',
} as const;

/** How far an office clock may drift before its signed requests are refused (replay window). */
export const SIGNATURE_MAX_SKEW_MS = 10 * 60_000;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

/** A recording as it travels to the centre; templates are sealed to the centre's key. */
export const recordingPacketSchema = z.object({
  recordId: z.string().uuid(),
  registrationNumber: z.string().min(1).max(40),
  siteId: z.string().min(1).max(40),
  recordedAt: z.string().datetime(),
  biodata: biodataSchema,
  photo: z.object({ mime: z.string(), data: base64 }),
  signature: z.object({ mime: z.string(), data: base64 }),
  sealedBiometrics: base64,
  exceptions: z.array(z.object({ position: positionSchema, exception: biometricExceptionSchema })),
});
export type RecordingPacket = z.infer<typeof recordingPacketSchema>;

export const outboxEntrySchema = z.object({
  seq: z.number().int().positive(),
  kind: z.literal('recording.created'),
  occurredAt: z.string().datetime(),
  packet: recordingPacketSchema,
});
export type OutboxEntryWire = z.infer<typeof outboxEntrySchema>;

export const pushBatchSchema = z.object({
  officeId: z.string().min(1).max(20),
  entries: z.array(outboxEntrySchema).min(1).max(1000),
});
export type PushBatch = z.infer<typeof pushBatchSchema>;

export const pushResultSchema = z.object({
  appliedThrough: z.number().int().nonnegative(),
  applied: z.number().int().nonnegative(),
  replayed: z.number().int().nonnegative(),
});
export type PushResult = z.infer<typeof pushResultSchema>;

export const statusChangeSchema = z.object({
  cursor: z.number().int().positive(),
  recordId: z.string(),
  status: z.enum(RECORD_STATUSES),
  at: z.string(),
  note: z.string().nullable(),
});
export type StatusChange = z.infer<typeof statusChangeSchema>;

export const changesResponseSchema = z.object({
  changes: z.array(statusChangeSchema),
  nextCursor: z.number().int().nonnegative(),
  hasMore: z.boolean(),
});
export type ChangesResponse = z.infer<typeof changesResponseSchema>;
