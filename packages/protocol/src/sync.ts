import { z } from 'zod';
import { RECORD_STATUSES } from '@tangguh/domain';
import { biodataSchema, biometricExceptionSchema, positionSchema } from './recording.ts';

/**
 * Headers of an office's request to the centre: who signs, when, the signature, and the wire protocol
 * version the office speaks (absent on requests of offices from before versioning: those are version 1).
 * From version 3 a request also names its own random id (so the centre can refuse a replay) and the
 * SHA-256 of its body (so the centre checks the signature from the headers alone, before reading a body).
 */
export const SYNC_HEADERS = {
  office: 'x-tangguh-office',
  timestamp: 'x-tangguh-timestamp',
  signature: 'x-tangguh-signature',
  protocol: 'x-tangguh-protocol',
  requestId: 'x-tangguh-request-id',
  contentHash: 'x-tangguh-content-sha256',
} as const;

/** A request id as version 3 carries it: 16–128 URL-safe characters (the office sends a random UUID). */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * The office↔centre wire protocol this code speaks. The centre serves this version and the one before
 * (514 offices never upgrade on the same day); an office that is two releases behind is told so.
 *
 * v1: no version header; the signature covers method, path, timestamp and body; change notes are one
 *     "Indonesian / English" string. No longer served since v3.
 * v2: the signature also covers the office id and the version (stripping the header to downgrade breaks
 *     it); change notes arrive as `{ id, en }`, so the office can show each reader their own language.
 * v3: the signature also covers a random request id and the body's hash, both sent as headers. The centre
 *     verifies it before reading the body (an unsigned upload is refused after its headers) and refuses a
 *     request id it has seen (409 REQUEST_REPLAYED). A v2 request, which has neither, is checked from its
 *     headers (known office, fresh timestamp) before its body is read, verified after, and refused as a
 *     replay when its signing input was seen before: Ed25519 signatures are deterministic, so a replay has
 *     the same input, while an office's own retry is signed at a new timestamp.
 */
export const PROTOCOL_VERSION = 3;
export const MIN_PROTOCOL_VERSION = PROTOCOL_VERSION - 1;

/** Most entries one push may carry. */
export const MAX_PUSH_ENTRIES = 1000;

/** How far an office clock may drift before its signed requests are refused; request ids are kept this long. */
export const SIGNATURE_MAX_SKEW_MS = 10 * 60_000;

const BASE64_ALPHABET = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') BASE64_ALPHABET[c.charCodeAt(0)] = 1;

/**
 * Whether `text` is base64 as /^[A-Za-z0-9+/]*={0,2}$/ says — checked by a loop over a lookup table, several
 * times faster on a batch's photos than the regular expression, which was a tenth of the centre's drain.
 */
export function isBase64(text: string): boolean {
  let end = text.length;
  if (end > 0 && text.charCodeAt(end - 1) === 61) {
    end -= 1;
    if (end > 0 && text.charCodeAt(end - 1) === 61) end -= 1;
  }
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c > 127 || BASE64_ALPHABET[c] === 0) return false;
  }
  return true;
}

const base64 = z.string().refine(isBase64, 'base64');

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

export const isRecordingEntry = <E extends OutboxEntryWire | PushEntryWire>(entry: E): entry is Extract<E, { kind: 'recording.created' }> => entry.kind === 'recording.created';

/** Largest photo or signature image a push carries as bytes (the recording API takes at most 1.4 MB of base64). */
export const MAX_PUSH_IMAGE_BYTES = 1_048_576;
/** Largest sealed template set a push carries as bytes (12 sealed templates are well under 1 kB). */
export const MAX_PUSH_SEALED_BYTES = 65_536;

/**
 * Bytes in a push: base64 text in a JSON body, a byte string in a binary (application/cbor) body — the same
 * bytes either way, but the binary body spares both ends the base64 and the centre its check of every character.
 */
const pushBytes = (max: number) => z.union([base64, z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'bytes').refine((bytes) => bytes.byteLength <= max, `at most ${max} bytes`)]);

/** A recording packet as a push carries it (`recordingPacketSchema`, with its images and templates as either form). */
export const pushRecordingPacketSchema = recordingPacketSchema.extend({
  photo: z.object({ mime: z.string(), data: pushBytes(MAX_PUSH_IMAGE_BYTES) }),
  signature: z.object({ mime: z.string(), data: pushBytes(MAX_PUSH_IMAGE_BYTES) }),
  sealedBiometrics: pushBytes(MAX_PUSH_SEALED_BYTES),
});
export type PushRecordingPacket = z.infer<typeof pushRecordingPacketSchema>;
export const pushRecordingEntrySchema = recordingEntrySchema.extend({ packet: pushRecordingPacketSchema });
export type PushEntryWire = z.infer<typeof pushRecordingEntrySchema> | OfficeEventEntryWire;

/**
 * POST /sync/push. In JSON (`application/json`, every version) or, from this release within protocol v3, as CBOR
 * (`application/cbor`, RFC 8949, decoded by the bounded decoder in `@tangguh/protocol/node`): the same fields,
 * with images and sealed templates as byte strings. An office offers CBOR first and falls back to JSON for good
 * when a centre from before answers 415.
 */
export const pushBatchSchema = z.object({
  officeId: z.string().min(1).max(20),
  entries: z.array(z.union([pushRecordingEntrySchema, officeEventEntrySchema])).min(1).max(MAX_PUSH_ENTRIES),
});
export type PushBatch = z.infer<typeof pushBatchSchema>;

const base64Of = (data: string | Uint8Array): string => {
  if (typeof data === 'string') return data;
  let text = '';
  // btoa is in browsers and Node alike; chunks keep String.fromCharCode's arguments few.
  for (let i = 0; i < data.length; i += 0x8000) text += String.fromCharCode(...data.subarray(i, i + 0x8000));
  return btoa(text);
};

/** A push as its JSON body carries it: every byte field as base64. */
export function pushBatchAsJson(batch: PushBatch): PushBatch {
  return {
    ...batch,
    entries: batch.entries.map((entry) =>
      isRecordingEntry(entry)
        ? {
            ...entry,
            packet: {
              ...entry.packet,
              photo: { ...entry.packet.photo, data: base64Of(entry.packet.photo.data) },
              signature: { ...entry.packet.signature, data: base64Of(entry.packet.signature.data) },
              sealedBiometrics: base64Of(entry.packet.sealedBiometrics),
            },
          }
        : entry,
    ),
  };
}

export const pushResultSchema = z.object({
  appliedThrough: z.number().int().nonnegative(),
  applied: z.number().int().nonnegative(),
  replayed: z.number().int().nonnegative(),
});
export type PushResult = z.infer<typeof pushResultSchema>;

/** Why the centre moved a record, in both languages (protocol v2). */
export const changeNoteSchema = z.object({ id: z.string(), en: z.string() });
export type ChangeNote = z.infer<typeof changeNoteSchema>;

export const statusChangeSchema = z.object({
  cursor: z.number().int().positive(),
  recordId: z.string(),
  status: z.enum(RECORD_STATUSES),
  at: z.string(),
  note: changeNoteSchema.nullable(),
});
export type StatusChange = z.infer<typeof statusChangeSchema>;

/**
 * POST /sync/push?feed=1 (an office of this release asks for it): the result, and the entries of the office's
 * change feed that applying the batch appended (each recording's RECEIVED_AT_CENTRAL). An office whose pull
 * cursor stands just before them applies them with the acknowledgement, in one transaction, instead of
 * rewriting each record twice (SENT_FOR_ENROLLMENT now, RECEIVED_AT_CENTRAL at the next pull).
 */
export const pushFeedResultSchema = pushResultSchema.extend({ feed: z.array(statusChangeSchema).max(1000).optional() });
export type PushFeedResult = z.infer<typeof pushFeedResultSchema>;
/**
 * POST /sync/push's query: `feed=1` asks for the change-feed entries the batch appends; `pipelined=1` says the
 * batch before this one was sent just before it and may not have arrived or been applied yet, so the centre
 * waits a moment for it instead of refusing the gap at once (a gap that stays is still refused).
 */
export const pushQuerySchema = z.object({ feed: z.enum(['0', '1']).optional(), pipelined: z.enum(['0', '1']).optional() });

/** GET /sync/changes as protocol v2 answers it. */
export const changesResponseSchema = z.object({
  changes: z.array(statusChangeSchema),
  nextCursor: z.number().int().nonnegative(),
  hasMore: z.boolean(),
});
export type ChangesResponse = z.infer<typeof changesResponseSchema>;

/** GET /sync/changes for a v1 office: the same page with each note flattened to "Indonesian / English". */
export const changesResponseV1Schema = changesResponseSchema.extend({
  changes: z.array(statusChangeSchema.extend({ note: z.string().nullable() })),
});
export type ChangesResponseV1 = z.infer<typeof changesResponseV1Schema>;

/** The one-string form of a note, as v1 carried it and as the office's timeline stores it. */
export const flattenNote = (note: ChangeNote | null): string | null => (note ? (note.id === note.en ? note.id : `${note.id} / ${note.en}`) : null);
