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

export const recordingEntrySchema = z.object({
  seq: z.number().int().positive(),
  kind: z.literal('recording.created'),
  occurredAt: z.string().datetime(),
  packet: recordingPacketSchema,
});
export type RecordingEntryWire = z.infer<typeof recordingEntrySchema>;

/**
 * Any other office event (a Suket issued or revoked, a document signed …). The centre logs every one
 * and hands it to the handler registered for its kind, which validates the payload with its own schema.
 */
export const officeEventEntrySchema = z.object({
  seq: z.number().int().positive(),
  kind: z.string().regex(/^[a-z_]+\.[a-z_]+$/).refine((kind) => kind !== 'recording.created'),
  occurredAt: z.string().datetime(),
  /** The id of the thing the event is about (a Suket serial, a document id), for the centre's log. */
  subjectId: z.string().min(1).max(80),
  payload: z.record(z.string(), z.unknown()),
});
export type OfficeEventEntryWire = z.infer<typeof officeEventEntrySchema>;

export const outboxEntrySchema = z.union([recordingEntrySchema, officeEventEntrySchema]);
export type OutboxEntryWire = z.infer<typeof outboxEntrySchema>;

export const isRecordingEntry = (entry: OutboxEntryWire): entry is RecordingEntryWire => entry.kind === 'recording.created';

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
