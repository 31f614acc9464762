import { BIOMETRIC_POSITIONS, TEMPLATE_BYTES, type BiometricSet } from '@tangguh/domain';

/** Positions per person (ten fingers, two irises) and 32-bit words per 256-bit template. */
export const POSITIONS = BIOMETRIC_POSITIONS.length;
export const WORDS = TEMPLATE_BYTES / 4;
const PERSON_WORDS = POSITIONS * WORDS;

export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** A probe laid out as the store lays out a person: 12 × 8 words and a mask of the positions present. */
export interface PackedProbe {
  words: Uint32Array;
  bytes: Uint8Array;
  mask: number;
}

export function packProbe(set: BiometricSet): PackedProbe {
  const words = new Uint32Array(PERSON_WORDS);
  const bytes = new Uint8Array(words.buffer);
  let mask = 0;
  BIOMETRIC_POSITIONS.forEach((position, slot) => {
    const template = set[position];
    if (!template) return;
    if (template.length !== TEMPLATE_BYTES) throw new RangeError(`a template is ${TEMPLATE_BYTES} bytes, not ${template.length}`);
    bytes.set(template, slot * TEMPLATE_BYTES);
    mask |= 1 << slot;
  });
  return { words, bytes, mask };
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/**
 * The record ids of a store, compact: their UTF-8 bytes end to end in one growing buffer with an offset per
 * slot, and an open-addressing hash table of slots for the lookup by id — instead of a JS string per person
 * plus a Map entry (about 100 bytes of heap a person: 10 MiB at 100,000). `idOf` makes the string when asked.
 */
class RecordIds {
  private bytes = new Uint8Array(64 * 1024);
  /** Slot s's bytes are bytes[ends[s - 1] .. ends[s]). */
  private ends = new Uint32Array(1024);
  /** Slot + 1 per cell (0: empty); a power of two, kept at most half full. */
  private table = new Int32Array(2048);
  private used = 0;
  private scratch = new Uint8Array(256);
  count = 0;

  /** The id's UTF-8 bytes, in a scratch buffer (valid until the next call). */
  private encode(id: string): Uint8Array {
    if (this.scratch.length < id.length * 3) this.scratch = new Uint8Array(id.length * 3);
    return this.scratch.subarray(0, utf8.encodeInto(id, this.scratch).written);
  }

  private static hash(key: Uint8Array): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key[i]!, 0x01000193);
    return h >>> 0;
  }

  private start(slot: number): number {
    return slot === 0 ? 0 : this.ends[slot - 1]!;
  }

  private equals(slot: number, key: Uint8Array): boolean {
    const start = this.start(slot);
    if (this.ends[slot]! - start !== key.length) return false;
    for (let i = 0; i < key.length; i++) if (this.bytes[start + i] !== key[i]) return false;
    return true;
  }

  /** The table cell holding the id, or the empty cell where it would go. */
  private cell(key: Uint8Array): number {
    const mask = this.table.length - 1;
    for (let at = RecordIds.hash(key) & mask; ; at = (at + 1) & mask) {
      const entry = this.table[at]!;
      if (entry === 0 || this.equals(entry - 1, key)) return at;
    }
  }

  slotOf(id: string): number | undefined {
    const entry = this.table[this.cell(this.encode(id))]!;
    return entry === 0 ? undefined : entry - 1;
  }

  idOf(slot: number): string {
    return fromUtf8.decode(this.bytes.subarray(this.start(slot), this.ends[slot]!));
  }

  /** Appends the id as the next slot; -1 if it is already held. */
  add(id: string): number {
    const key = this.encode(id);
    const at = this.cell(key);
    if (this.table[at] !== 0) return -1;
    const slot = this.count;
    const start = this.start(slot);
    if (start + key.length > this.bytes.length) {
      const bytes = new Uint8Array(Math.max(this.bytes.length * 2, start + key.length));
      bytes.set(this.bytes);
      this.bytes = bytes;
    }
    this.bytes.set(key, start);
    if (slot === this.ends.length) {
      const ends = new Uint32Array(this.ends.length * 2);
      ends.set(this.ends);
      this.ends = ends;
    }
    this.ends[slot] = start + key.length;
    this.table[at] = slot + 1;
    this.count++;
    if (++this.used * 2 > this.table.length) this.rehash();
    return slot;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let slot = 0; slot < this.count; slot++) {
      let at = RecordIds.hash(this.bytes.subarray(this.start(slot), this.ends[slot]!)) & mask;
      while (table[at] !== 0) at = (at + 1) & mask;
      table[at] = slot + 1;
    }
    this.table = table;
  }

  get byteLength(): number {
    return this.bytes.byteLength + this.ends.byteLength + this.table.byteLength;
  }
}

/**
 * Every enrolled person's templates in one growing typed array (384 bytes a person), and their record ids.
 * Scoring reads words straight from it: the same mean-of-similarities over the positions present in both
 * as `compareSets` in the domain, which stays the definition.
 */
export class PackedSets {
  private words: Uint32Array;
  private bytesView: Uint8Array;
  private masks: Uint16Array;
  private readonly ids = new RecordIds();

  constructor(initialCapacity = 1024) {
    this.words = new Uint32Array(initialCapacity * PERSON_WORDS);
    this.bytesView = new Uint8Array(this.words.buffer);
    this.masks = new Uint16Array(initialCapacity);
  }

  get size(): number {
    return this.ids.count;
  }

  get capacity(): number {
    return this.masks.length;
  }

  has(recordId: string): boolean {
    return this.ids.slotOf(recordId) !== undefined;
  }

  idOf(slot: number): string {
    return this.ids.idOf(slot);
  }

  slotOf(recordId: string): number | undefined {
    return this.ids.slotOf(recordId);
  }

  /** The bytes of one person's template at one position (a view, not a copy). */
  templateBytes(slot: number, position: number): Uint8Array {
    const start = (slot * POSITIONS + position) * 4 * WORDS;
    return this.bytesView.subarray(start, start + 4 * WORDS);
  }

  maskOf(slot: number): number {
    return this.masks[slot]!;
  }

  /** Appends a person; returns the slot, or -1 for a record already held. */
  add(recordId: string, probe: PackedProbe): number {
    const slot = this.ids.count;
    if (slot === this.masks.length) this.grow();
    if (this.ids.add(recordId) < 0) return -1;
    this.words.set(probe.words, slot * PERSON_WORDS);
    this.masks[slot] = probe.mask;
    return slot;
  }

  private grow(): void {
    const capacity = Math.max(1024, this.masks.length * 2);
    const words = new Uint32Array(capacity * PERSON_WORDS);
    words.set(this.words);
    const masks = new Uint16Array(capacity);
    masks.set(this.masks);
    this.words = words;
    this.bytesView = new Uint8Array(words.buffer);
    this.masks = masks;
  }

  /** The exact score of a probe against one person, and how many positions both hold. */
  score(probe: PackedProbe, slot: number): { score: number; compared: number } {
    return scoreWords(probe, this.words, slot * PERSON_WORDS, this.masks[slot]!);
  }

  /** Similarity of one position's templates (both present): the cheap first look at a candidate. */
  positionSimilarity(probe: PackedProbe, slot: number, position: number): number {
    const words = this.words;
    const base = slot * PERSON_WORDS + position * WORDS;
    const offset = position * WORDS;
    let distance = 0;
    for (let w = 0; w < WORDS; w++) distance += popcount32((words[base + w]! ^ probe.words[offset + w]!) >>> 0);
    return 1 - distance / (WORDS * 32);
  }

  /** Resident bytes of the store itself (templates, masks, record ids), for the benchmarks' memory figures. */
  get bytes(): number {
    return this.words.byteLength + this.masks.byteLength + this.ids.byteLength;
  }
}

/**
 * Lays out a set stored in the domain's compact form (`packSet`: a presence mask, then 32 bytes per present
 * position) into `words` at person `row`, without making a set; returns the position mask.
 */
export function unpackInto(packed: Uint8Array, words: Uint32Array, row: number): number {
  const mask = (packed[0] ?? 0) | ((packed[1] ?? 0) << 8);
  const target = new Uint8Array(words.buffer, words.byteOffset + row * POSITIONS * WORDS * 4, POSITIONS * WORDS * 4);
  target.fill(0);
  let offset = 2;
  for (let position = 0; position < POSITIONS; position++) {
    if ((mask & (1 << position)) === 0) continue;
    if (offset + 32 > packed.length) throw new RangeError('a packed biometric set is cut short');
    target.set(packed.subarray(offset, offset + 32), position * 32);
    offset += 32;
  }
  return mask & ((1 << POSITIONS) - 1);
}

/** One person's full templates as `packProbe` lays them out (96 words from `offset`) and their position mask. */
export interface FullTemplates {
  words: Uint32Array;
  offset?: number;
  mask: number;
}

/** The exact score of a probe against full templates held outside a store, as `PackedSets.score` scores its own. */
export function scoreFull(probe: PackedProbe, person: FullTemplates): { score: number; compared: number } {
  return scoreWords(probe, person.words, person.offset ?? 0, person.mask);
}

/** The exact score of a probe against one person's 96 words from `base` holding the positions in `mask`. */
function scoreWords(probe: PackedProbe, words: Uint32Array, base: number, mask: number): { score: number; compared: number } {
  const both = probe.mask & mask;
  if (both === 0) return { score: 0, compared: 0 };
  let distance = 0;
  let compared = 0;
  for (let position = 0; position < POSITIONS; position++) {
    if ((both & (1 << position)) === 0) continue;
    compared++;
    const offset = position * WORDS;
    for (let w = 0; w < WORDS; w++) distance += popcount32((words[base + offset + w]! ^ probe.words[offset + w]!) >>> 0);
  }
  // Mean over positions of (1 − distance/256) = 1 − total distance / (256 × compared).
  return { score: 1 - distance / (compared * WORDS * 32), compared };
}

/** Words of a person's first record in a PrefixSets: one 64-byte cache line. */
const FIRST_RECORD = 16;

/**
 * The office's store (BitSamplingIndex `firstLookBytes`): of each template only its first `prefixBytes`
 * bytes — a quarter at 8 — with the position mask and the record ids, for the first look at a candidate; the
 * full templates stay in the database and the survivors are re-scored from there. A person is two records:
 * the first, one cache line (16 words), holds the mask, each position's first word and the next 3 words of
 * the rest; the second the remaining words (9 at 8 bytes) — 100 bytes a person instead of 384 + 2. The first
 * look reads the first record alone, and the second only for the few candidates that pass on it.
 */
export class PrefixSets {
  /** Words kept of each template. */
  readonly prefixWords: number;
  /** Words a person in `rest`. */
  private readonly restWords: number;
  /** Of the words after each position's first, how many sit in the first record. */
  private readonly spare: number;
  private first: Uint32Array;
  private rest: Uint32Array;
  private readonly ids = new RecordIds();

  constructor(initialCapacity: number, prefixBytes: number) {
    if (!(prefixBytes >= 4 && prefixBytes <= TEMPLATE_BYTES && prefixBytes % 4 === 0)) throw new RangeError(`prefixBytes must be a multiple of 4 within 4..${TEMPLATE_BYTES}`);
    this.prefixWords = prefixBytes / 4;
    const others = POSITIONS * (this.prefixWords - 1);
    this.spare = Math.min(others, FIRST_RECORD - 1 - POSITIONS);
    this.restWords = others - this.spare;
    const capacity = Math.max(1, initialCapacity);
    this.first = new Uint32Array(capacity * FIRST_RECORD);
    this.rest = new Uint32Array(capacity * this.restWords);
  }

  get size(): number {
    return this.ids.count;
  }

  get capacity(): number {
    return this.first.length / FIRST_RECORD;
  }

  has(recordId: string): boolean {
    return this.ids.slotOf(recordId) !== undefined;
  }

  idOf(slot: number): string {
    return this.ids.idOf(slot);
  }

  maskOf(slot: number): number {
    return this.first[slot * FIRST_RECORD]!;
  }

  /** Appends a person (the first prefixBytes of each template); returns the slot, or -1 for a record already held. */
  add(recordId: string, probe: PackedProbe): number {
    const slot = this.ids.count;
    if (slot === this.capacity) this.grow();
    if (this.ids.add(recordId) < 0) return -1;
    const base = slot * FIRST_RECORD;
    this.first[base] = probe.mask;
    for (let position = 0; position < POSITIONS; position++) this.first[base + 1 + position] = probe.words[position * WORDS]!;
    // The other words in order (word 1 of every position, then word 2, …): the first `spare` in the first record.
    let k = 0;
    for (let w = 1; w < this.prefixWords; w++) {
      for (let position = 0; position < POSITIONS; position++, k++) {
        const word = probe.words[position * WORDS + w]!;
        if (k < this.spare) this.first[base + 1 + POSITIONS + k] = word;
        else this.rest[slot * this.restWords + k - this.spare] = word;
      }
    }
    return slot;
  }

  private grow(): void {
    const capacity = Math.max(1024, this.capacity * 2);
    const first = new Uint32Array(capacity * FIRST_RECORD);
    first.set(this.first);
    const rest = new Uint32Array(capacity * this.restWords);
    rest.set(this.rest);
    this.first = first;
    this.rest = rest;
  }

  /**
   * The first look's half: differing bits between the first words of the probe's and the person's templates
   * over the positions both hold (32 bits each), from the first record alone; those positions in `out.both`.
   */
  firstDistance(probe: PackedProbe, slot: number, out: { both: number }): number {
    const first = this.first;
    const base = slot * FIRST_RECORD;
    const both = probe.mask & first[base]!;
    out.both = both;
    let distance = 0;
    for (let position = 0; position < POSITIONS; position++) {
      if ((both & (1 << position)) !== 0) distance += popcount32((first[base + 1 + position]! ^ probe.words[position * WORDS]!) >>> 0);
    }
    return distance;
  }

  /** The rest of the kept prefixes' differing bits over the positions in `both` (32 × (prefixWords − 1) bits each). */
  restDistance(probe: PackedProbe, slot: number, both: number): number {
    const first = this.first;
    const rest = this.rest;
    const base = slot * FIRST_RECORD + 1 + POSITIONS;
    const restBase = slot * this.restWords - this.spare;
    let distance = 0;
    let k = 0;
    for (let w = 1; w < this.prefixWords; w++) {
      for (let position = 0; position < POSITIONS; position++, k++) {
        if ((both & (1 << position)) === 0) continue;
        const word = k < this.spare ? first[base + k]! : rest[restBase + k]!;
        distance += popcount32((word ^ probe.words[position * WORDS + w]!) >>> 0);
      }
    }
    return distance;
  }

  get bytes(): number {
    return this.first.byteLength + this.rest.byteLength + this.ids.byteLength;
  }
}
