import { createDecipheriv, createSecretKey } from 'node:crypto';
import { POSITIONS, WORDS } from './packed-sets.ts';

const TEMPLATE_BYTES = WORDS * 4;
const PERSON_BYTES = POSITIONS * TEMPLATE_BYTES;

/**
 * How sealed sets are opened, as the sealing key describes itself (`DataKey.threadOpener()` in the platform):
 * each value is magic ‖ iv ‖ tag ‖ AES-256-GCM ciphertext of the compact set (`packSet`); a value without
 * the magic was stored before sealing and is taken as it is. Plain data, so it reaches a worker thread.
 */
export interface SealedLayout {
  algorithm: 'aes-256-gcm';
  key: Uint8Array;
  magic: Uint8Array;
  ivBytes: number;
  tagBytes: number;
}

/** Opens one stored value; throws when the key does not open it or its bytes were altered. */
export type SealedOpener = (value: Uint8Array) => Uint8Array;

export function sealedOpener(layout: SealedLayout): SealedOpener {
  if (layout.algorithm !== 'aes-256-gcm') throw new Error(`cannot open ${String(layout.algorithm)}`);
  // A key object once: a raw key given to every decipher is imported again each time (a third of the cost).
  const key = createSecretKey(layout.key);
  const { magic, ivBytes, tagBytes } = layout;
  const header = magic.length + ivBytes + tagBytes;
  const isSealed = (value: Uint8Array) => {
    if (value.length < header) return false;
    for (let i = 0; i < magic.length; i++) if (value[i] !== magic[i]) return false;
    return true;
  };
  return (value) => {
    if (!isSealed(value)) return value;
    const iv = value.subarray(magic.length, magic.length + ivBytes);
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
    decipher.setAuthTag(value.subarray(magic.length + ivBytes, header));
    const plain = decipher.update(value.subarray(header));
    // GCM is a stream mode: final() yields nothing, it checks the tag (throws on a wrong key or altered bytes).
    decipher.final();
    return plain;
  };
}

/**
 * Stored values back to back in one buffer, `ends[i]` the end of value i: a page of gallery rows as it
 * travels to a shard thread in one transferable buffer, without an object per row.
 */
export interface SealedPage {
  bytes: Uint8Array;
  ends: Uint32Array;
}

export function packSealedPage(values: readonly Uint8Array[]): SealedPage {
  let total = 0;
  for (const value of values) total += value.length;
  const bytes = new Uint8Array(total);
  const ends = new Uint32Array(values.length);
  let at = 0;
  values.forEach((value, i) => {
    bytes.set(value, at);
    at += value.length;
    ends[i] = at;
  });
  return { bytes, ends };
}

/**
 * Opens every value of a page and lays the sets out as `packProbe` does (96 words and a position mask each),
 * into `words` and `masks` from row 0; they must hold `ends.length` people.
 */
export function openSealedPage(page: SealedPage, open: SealedOpener, words: Uint32Array, masks: Uint16Array): void {
  const people = page.ends.length;
  const target = Buffer.from(words.buffer, words.byteOffset, people * PERSON_BYTES);
  target.fill(0);
  let start = 0;
  for (let i = 0; i < people; i++) {
    const end = page.ends[i]!;
    const plain = open(page.bytes.subarray(start, end));
    // As `unpackInto` lays a compact set out, without a view per position: a page is a million of them at start.
    const source = Buffer.isBuffer(plain) ? plain : Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength);
    const mask = (source[0] ?? 0) | ((source[1] ?? 0) << 8);
    let offset = 2;
    for (let position = 0; position < POSITIONS; position++) {
      if ((mask & (1 << position)) === 0) continue;
      if (offset + TEMPLATE_BYTES > source.length) throw new RangeError('a packed biometric set is cut short');
      source.copy(target, i * PERSON_BYTES + position * TEMPLATE_BYTES, offset, offset + TEMPLATE_BYTES);
      offset += TEMPLATE_BYTES;
    }
    masks[i] = mask & ((1 << POSITIONS) - 1);
    start = end;
  }
}

/** Words a page of `people` takes when laid out for the index. */
export const pageWords = (people: number) => people * POSITIONS * WORDS;

/** A matcher that opens sealed people itself, off the caller's thread (`ShardedMatcher`). */
export interface SealedLoader {
  addSealed(ids: readonly string[], values: readonly Uint8Array[], layout: SealedLayout): { added: number; done: Promise<void> };
  readonly loadTimes: { unsealMs: number; indexMs: number };
}
