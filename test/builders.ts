import { randomUUID } from 'node:crypto';
import { SyntheticCaptureDevice, syntheticResidents } from '@tangguh/capture';
import { formatRegistrationNumber, packSet, type Biodata, type BiometricSet } from '@tangguh/domain';
import { type PushBatch, type RecordingEntryWire, type RecordingPacket } from '@tangguh/protocol';
import { generateSigningKeyPair, officeRequestHeaders, seal, type KeyPairPem } from '@tangguh/protocol/node';
import { loadRegionDirectory } from '@tangguh/regions';
import type { CentralContext } from '@tangguh/central/context';
import { registerOffice } from '@tangguh/central/provision';

const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** Residents of Kabupaten Jember (35.09); the same seed gives the same people. NIKs are unique within one call. */
export async function testResidents(count: number, seed = 3509): Promise<Biodata[]> {
  return syntheticResidents(count, { seed, regencyCode: '35.09', regions: await loadRegionDirectory(), today: new Date('2026-11-23T00:00:00Z') });
}

export interface TestOffice {
  officeId: string;
  keys: KeyPairPem;
}

/** Registers an office with a fresh Ed25519 key pair at the centre. */
export async function registerTestOffice(ctx: CentralContext, officeId = `K${randomUUID().slice(0, 8)}`): Promise<TestOffice> {
  const keys = generateSigningKeyPair();
  await registerOffice(ctx, { officeId, name: `Disdukcapil uji ${officeId}`, regencyCode: '35.09', publicKey: keys.publicKey });
  return { officeId, keys };
}

export interface PacketOptions {
  /** Who stands in front of the synthetic device: the same key gives the same fingers and irises. */
  subjectKey: string;
  /** Bit error rate of the capture; 0.04 (the default) is a good scanner, 0.2 lands in adjudication. */
  noise?: number;
  /** Which capture of the same subject (a retry reads slightly differently). */
  attempt?: number;
  /** Seal the templates to this X25519 public key instead of the centre's (a box the centre cannot open). */
  sealTo?: string;
  recordId?: string;
  siteId?: string;
  recordedAt?: Date;
}

let registrationSerial = 0;
let lastRecordedAt = 0;

/** A recording packet as an office sends it: biodata, photo, signature and templates sealed to the centre. */
export async function buildPacket(ctx: Pick<CentralContext, 'sealingPublicKey'>, biodata: Biodata, opts: PacketOptions): Promise<RecordingPacket> {
  const device = new SyntheticCaptureDevice(opts.noise === undefined ? {} : { noise: opts.noise });
  const capture = await device.capture({ subjectKey: opts.subjectKey, attempt: opts.attempt ?? 0 });
  const set: BiometricSet = {};
  for (const b of capture.biometrics) set[b.position] = b.template;
  // Strictly increasing, so packets built one after another were "recorded" in that order.
  lastRecordedAt = Math.max(Date.now(), lastRecordedAt + 1);
  const recordedAt = opts.recordedAt ?? new Date(lastRecordedAt);
  registrationSerial = (registrationSerial % 999_999) + 1;
  return {
    recordId: opts.recordId ?? randomUUID(),
    registrationNumber: formatRegistrationNumber('3509', recordedAt, registrationSerial, 'Asia/Jakarta'),
    siteId: opts.siteId ?? 'DINAS',
    recordedAt: recordedAt.toISOString(),
    biodata,
    photo: { mime: capture.photo.mime, data: toBase64(capture.photo.bytes) },
    signature: { mime: capture.signature.mime, data: toBase64(capture.signature.bytes) },
    sealedBiometrics: toBase64(seal(opts.sealTo ?? ctx.sealingPublicKey, packSet(set))),
    exceptions: [],
  };
}

/** Outbox entries numbered startSeq, startSeq + 1, … in the order given. */
export function buildBatch(officeId: string, startSeq: number, packets: RecordingPacket[]): PushBatch & { entries: RecordingEntryWire[] } {
  return {
    officeId,
    entries: packets.map((packet, i) => ({ seq: startSeq + i, kind: 'recording.created' as const, occurredAt: packet.recordedAt, packet })),
  };
}

/**
 * Headers of a request signed as the office signs it, in the current protocol version: over the version,
 * office, method, path with query, timestamp, request id (a fresh one unless given) and the body's hash.
 * Each call is a new request: sending the same headers twice is a replay, refused with 409.
 */
export function signedHeaders(
  signer: { officeId: string; privateKey: string },
  method: 'GET' | 'POST',
  pathWithQuery: string,
  body: string,
  timestamp = new Date().toISOString(),
  requestId?: string,
): Record<string, string> {
  return officeRequestHeaders(signer, method, pathWithQuery, body, timestamp, requestId);
}
