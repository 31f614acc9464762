// Thin wrapper over cbor-x: one encoder configured for plain CBOR (no records, no typed-array tags,
// Uint8Array as byte strings), one decoder returning Maps, and deterministic key order.
import { Decoder, Encoder, Tag } from 'cbor-x';
import { compareBytes, copyBytes } from './bytes.ts';
import { CredentialFormatError } from './errors.ts';

const encoder = new Encoder({ useRecords: false, mapsAsObjects: false, tagUint8Array: false, pack: false, structuredClone: false });
const decoder = new Decoder({ useRecords: false, mapsAsObjects: false, pack: false, structuredClone: false });

export { Tag };

/** Encodes with the shortest headers (cbor-x's behaviour for the integers ≤ 2^32-1, strings, byte strings, arrays and maps used here). */
export function cborEncode(value: unknown): Uint8Array {
  return copyBytes(encoder.encode(value));
}

/** Decodes one CBOR item that must span the whole input; any failure becomes a CredentialFormatError. */
export function cborDecode(bytes: Uint8Array): unknown {
  try {
    return decoder.decode(bytes);
  } catch (e) {
    throw new CredentialFormatError(`CBOR: ${e instanceof Error ? e.message : 'unreadable'}`);
  }
}

/** A Map whose entries are in RFC 8949 §4.2.1 deterministic order (bytewise order of the encoded keys). */
export function canonicalMap<K>(entries: Iterable<readonly [K, unknown]>): Map<K, unknown> {
  const withKeys = [...entries].map(([k, v]) => ({ k, v, enc: cborEncode(k) }));
  withKeys.sort((a, b) => compareBytes(a.enc, b.enc));
  return new Map(withKeys.map(({ k, v }) => [k, v]));
}

export function isBytes(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array;
}

/** An unsigned integer that cbor-x encodes with a minimal integer header (not a float). */
export function isUint32(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
}
