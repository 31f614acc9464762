import type { BiometricSet } from '@tangguh/domain';
import type { MatchCandidate, Matcher, SearchOptions } from './matcher.ts';
import { PackedSets, POSITIONS, PrefixSets, packProbe, popcount32, scoreFull, type FullTemplates, type PackedProbe } from './packed-sets.ts';

/**
 * Bit-sampling LSH over each position's 256-bit template (Indyk–Motwani for Hamming space). A table keys a
 * person by `bitsPerKey` bits sampled at fixed places of one position's template; a mate whose template at
 * that position differs in a fraction p of bits lands in the probe's bucket with probability (1 − p)^bits,
 * a stranger with probability 2^−bits. With several tables per position and twelve positions a person, a
 * mate is missed only if every table of every position misses it (18-bit keys, 8 tables a position):
 *
 *   clean mate (p ≈ 0.08): per table 0.923^18 = 0.24, 96 tables → miss ≈ 10^−11
 *   noisy mate (p ≈ 0.13): per table 0.078, 96 tables → miss ≈ 4·10^−4
 *   poor capture, adjudication band (p ≈ 0.22): per table 0.010, 96 tables → miss ≈ 0.38
 *   stranger: 2^−18 per table → about 3.7 per million enrolled per table
 *
 * A candidate is first looked at on the position whose table found it (one template, one cache line): a mate
 * agrees there far above chance (≈ 0.78 even for a poor capture, ≥ 0.9 for a clean one) while a stranger sits
 * near 0.53, so those under FIRST_LOOK (0.62, 2.8 σ above a stranger, 6 σ below a poor mate) are dropped
 * without reading the rest. Every other candidate is re-scored exactly over all positions, so the index can
 * lose recall (the benchmark and the tests measure how much against the exact scan) but can never invent or
 * mis-score a match. Buckets are singly linked lists in typed arrays, so an enrolment is searchable as soon as
 * add returns and no bucket is ever rebuilt.
 *
 * The office's index (`firstLookBytes`, with `fullTemplates`) keeps only the first bytes of each template — 8
 * of 32, a quarter — and its first look is the similarity of those prefixes over every position the probe and
 * the candidate both hold (64 bits × up to 12 positions), not the colliding position's alone: 64 bits of one
 * position are too noisy (a stranger's σ = √(0.25/64) = 0.0625, so a bound a poor mate at 0.78 passes at
 * 4.5 σ would let a third of the strangers through), while 768 bits separate a stranger from a mate as well as
 * the centre's 256 do. A person whose exact score is s has prefix similarity ≈ s with variance
 * s(1 − s)/n · (1 − n/N) (n of the N = 256·c bits of c positions, drawn without replacement: ≤ 0.1875/n), so
 * the bound for c positions is
 *
 *   minScore − 4.5 · √(0.1875 / 64c):  c = 12 → minScore − 0.070 (0.58 at the adjudication threshold 0.65),
 *                                      c = 6 → minScore − 0.099, c = 1 → minScore − 0.24
 *
 * and a person at minScore is dropped with probability ≤ 3.4·10^−6 per search; a stranger (0.5, σ = 0.018 at
 * c = 12; the colliding table's key bits inside the prefix, ≈ 4.5, raise that by 0.003) passes it about 5·10^−6 of
 * the time at 12 positions, 10^−4 at 10, 2% at 6. The look is made in two steps so that most candidates cost
 * one cache line, as the centre's look at one 32-byte template does: first on each position's first 4 bytes
 * (32c bits, held with the mask in one 64-byte record) against the same bound for 32c bits (minScore − 0.099 at
 * c = 12: a stranger passes 2% of the time, a person at minScore is dropped ≤ 3.4·10^−6), then on the whole
 * prefixes. The survivors are few (the mates, a rare stranger), and their full
 * templates are fetched in one call from the caller's source and scored exactly — so here too the index may
 * lose recall but never invents or mis-scores a match. Its keys are still drawn from all 256 bits of a position
 * (the tables stay as independent as the centre's), so it cannot re-key from memory: its width is chosen at
 * construction (`expectedSize`) and `wantedKeyBits` tells the owner when a rebuild would make it wider.
 */
export interface BitSamplingOptions {
  /** The key's width: bits sampled per table (the widest key when the width follows the gallery's size). */
  bitsPerKey?: number;
  /**
   * Below `bitsPerKey`, the key width follows the gallery's size (the office's index: its gallery is a
   * kabupaten, from nothing to millions). Bucket heads cost 4 bytes × 2^bits a table whoever is enrolled — 100 MB
   * for 96 tables of 18 bits — so a small gallery gets a narrow key, and the index widens it (re-keying every
   * table) as people are added, keeping about `peoplePerBucket` people a bucket: the load the 18-bit key has at
   * 2,000,000 people, so a search visits about as many candidates at any size as it does there, and a narrower
   * key only raises a mate's chance of sharing a bucket. Left unset, the width is `bitsPerKey` always.
   */
  minBitsPerKey?: number;
  /** People a bucket before the key widens (with `minBitsPerKey`); 8 by default (2,000,000 / 2^18 ≈ 7.6). */
  peoplePerBucket?: number;
  tablesPerPosition?: number;
  /** Seeds the sampled bit places; every shard of one gallery uses the same. */
  seed?: number;
  initialCapacity?: number;
  /** The people about to be added (e.g. the gallery table's rows at start): the width is chosen for them at once. */
  expectedSize?: number;
  /**
   * Keep only this many first bytes of each template in memory (a multiple of 4; 8 at the office) and re-score
   * candidates from `fullTemplates` (see the class comment). Left unset, full templates stay in memory (the centre).
   */
  firstLookBytes?: number;
  /** With `firstLookBytes`: the full templates of these records, in their order (undefined for one no longer held). */
  fullTemplates?: (recordIds: readonly string[]) => Promise<readonly (FullTemplates | undefined)[]>;
}

interface Table {
  position: number;
  /** Every sampled bit place within the position's template, 0..255, in the order drawn (bitsPerKey of them). */
  places: Int32Array;
  /** The key's bit places: the first keyBits places drawn, in key order. */
  bits: Int32Array;
}

/** The first look's bound on the colliding position's similarity; see the class comment. */
const FIRST_LOOK = 0.62;

/** The most people 3-byte links can name (slot + 1 < 2^24). */
const MAX_LINKED = 2 ** 24 - 2;

/** A 3-byte link's person (-1: the list ends). */
function linkAt(links: Uint8Array, slot: number): number {
  const at = slot * 3;
  return (links[at]! | (links[at + 1]! << 8) | (links[at + 2]! << 16)) - 1;
}

function setLink(links: Uint8Array, slot: number, to: number): void {
  const at = slot * 3;
  const value = to + 1;
  links[at] = value & 0xff;
  links[at + 1] = (value >>> 8) & 0xff;
  links[at + 2] = value >>> 16;
}

/** With `firstLookBytes`: how far under minScore the prefix similarity over c positions may fall (4.5 σ; the class comment). */
function prefixMargin(bits: number): number {
  return 4.5 * Math.sqrt(0.1875 / bits);
}

/** The first `width` places drawn, in key order. */
function keyPlaces(places: Int32Array, width: number): Int32Array {
  return places.slice(0, width).sort();
}

/** Key bits a search flips per table (see SearchOptions.probeFlips): none, all, or a share by positions held. */
function flipsOf(options: SearchOptions, mask: number, width: number): number {
  if (options.probeRadius !== 1) return 0;
  if (options.probeFlips === undefined) return width;
  let held = 0;
  for (let m = mask & ((1 << POSITIONS) - 1); m !== 0; m &= m - 1) held++;
  return Math.min(width, Math.round((options.probeFlips * POSITIONS) / Math.max(1, held)));
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class BitSamplingIndex implements Matcher {
  readonly bitsPerKey: number;
  readonly minBitsPerKey: number;
  readonly tablesPerPosition: number;
  private readonly peoplePerBucket: number;
  /** The key width the gallery wants: bitsPerKey, or between minBitsPerKey and bitsPerKey by its size. */
  private width: number;
  /** A table being re-keyed to `width` beside its live buckets (see widenStep), and how far it has got. */
  private rekey: { table: number; bits: Int32Array; heads: Int32Array; next: Int32Array; upTo: number } | undefined;
  /** The people: full templates (the centre), or their prefixes (`firstLookBytes`, then `full` is undefined). */
  private readonly sets: PackedSets | PrefixSets;
  private readonly full: PackedSets | undefined;
  private readonly prefix: PrefixSets | undefined;
  private readonly fullTemplates: BitSamplingOptions['fullTemplates'];
  private readonly tables: Table[] = [];
  private heads: Int32Array[];
  /** Per table, the next person in the same bucket (-1 ends the list), indexed by slot (full templates: the centre). */
  private next: Int32Array[];
  /**
   * With `firstLookBytes` (the office), the links in 3 bytes instead: slot + 1 little-endian at 3 × slot (0
   * ends the list) — 96 bytes a person fewer, 9 MiB at 100,000; at most 2^24 − 2 people (16.7 million).
   */
  private links: Uint8Array[] = [];
  private stamps: Uint32Array;
  private generation = 0;

  constructor(options: BitSamplingOptions = {}) {
    this.bitsPerKey = options.bitsPerKey ?? 18;
    this.minBitsPerKey = options.minBitsPerKey ?? this.bitsPerKey;
    this.tablesPerPosition = options.tablesPerPosition ?? 8;
    this.peoplePerBucket = options.peoplePerBucket ?? 8;
    if (this.bitsPerKey < 4 || this.bitsPerKey > 24) throw new RangeError('bitsPerKey must be 4..24');
    if (this.minBitsPerKey < 4 || this.minBitsPerKey > this.bitsPerKey) throw new RangeError('minBitsPerKey must be 4..bitsPerKey');
    if (!(this.peoplePerBucket >= 1)) throw new RangeError('peoplePerBucket must be at least 1');
    const capacity = options.initialCapacity ?? 1024;
    if (options.firstLookBytes !== undefined && options.firstLookBytes < 32) {
      if (!options.fullTemplates) throw new RangeError('firstLookBytes needs fullTemplates to re-score from');
      this.prefix = new PrefixSets(capacity, options.firstLookBytes);
      this.fullTemplates = options.fullTemplates;
      this.sets = this.prefix;
    } else {
      this.full = new PackedSets(capacity);
      this.sets = this.full;
    }
    this.width = this.widthFor(options.expectedSize ?? 0);
    const random = mulberry32(options.seed ?? 0x7a6e6775);
    for (let position = 0; position < POSITIONS; position++) {
      for (let t = 0; t < this.tablesPerPosition; t++) this.tables.push(this.sampleTable(position, random));
    }
    this.heads = this.tables.map(() => new Int32Array(1 << this.width).fill(-1));
    this.next = this.prefix ? [] : this.tables.map(() => new Int32Array(capacity));
    if (this.prefix) {
      if (capacity > MAX_LINKED) throw new RangeError(`an index with firstLookBytes holds at most ${MAX_LINKED} people`);
      this.links = this.tables.map(() => new Uint8Array(capacity * 3));
    }
    this.stamps = new Uint32Array(capacity);
  }

  /** Draws bitsPerKey places whatever the width, so every width keys by a prefix of the same draw (and every shard draws alike). */
  private sampleTable(position: number, random: () => number): Table {
    const chosen = new Set<number>();
    while (chosen.size < this.bitsPerKey) chosen.add(Math.floor(random() * 256));
    const places = Int32Array.from(chosen);
    return { position, places, bits: keyPlaces(places, this.width) };
  }

  /** The key width the gallery wants; a table still being widened keys by fewer bits until widenStep reaches it. */
  get keyBits(): number {
    return this.width;
  }

  /** Whether some table still keys by fewer bits than `keyBits`. */
  get widening(): boolean {
    return this.rekey !== undefined || this.tables.some((table) => table.bits.length < this.width);
  }

  /** The width the gallery's size wants now; above `keyBits`, an index with `firstLookBytes` is worth rebuilding. */
  get wantedKeyBits(): number {
    return Math.max(this.width, this.widthFor(this.sets.size));
  }

  /** Whether only template prefixes are held (`firstLookBytes`): searched through `search` alone. */
  get prefixOnly(): boolean {
    return this.prefix !== undefined;
  }

  /** The full store, for the paths that read whole templates from memory. */
  private fullSets(): PackedSets {
    if (!this.full) throw new Error('this index holds template prefixes only (firstLookBytes): search it through search()');
    return this.full;
  }

  private widthFor(people: number): number {
    if (this.minBitsPerKey === this.bitsPerKey) return this.bitsPerKey;
    const wanted = Math.ceil(Math.log2(Math.max(1, people) / this.peoplePerBucket));
    return Math.min(this.bitsPerKey, Math.max(this.minBitsPerKey, wanted));
  }

  /**
   * Before `people` more are added: raises the width the gallery wants, and re-keys tables toward it with a
   * budget of twice the work of linking those people — so the width never narrows, a re-key never stalls
   * the caller for longer than its own add takes twice over (re-keying a million people at once would take
   * a minute), and every table has caught up well before the gallery doubles again.
   */
  private widenFor(people: number): void {
    // A fixed width (the centre's) has nothing to do here; nor has a prefix index, which cannot re-key from memory.
    if (this.minBitsPerKey === this.bitsPerKey || this.prefix) return;
    this.width = Math.max(this.width, this.widthFor(this.sets.size + people));
    if (this.widening) this.widenStep(2 * people * this.tables.length);
  }

  /**
   * Re-keys up to `budget` people's entries (one person in one table each) toward `keyBits`, a table at a time:
   * the table's new buckets are built beside its live ones, which go on serving searches and taking new people
   * until the new ones hold everyone and replace them, so every search sees each table whole, at one width.
   * Returns whether tables are still narrower than `keyBits`. Called by add; callable in idle time too.
   */
  widenStep(budget = Infinity): boolean {
    if (this.prefix) return false;
    const sets = this.fullSets();
    while (budget > 0) {
      if (this.rekey && this.rekey.bits.length < this.width) this.rekey = undefined;
      if (!this.rekey) {
        const t = this.tables.findIndex((table) => table.bits.length < this.width);
        if (t < 0) return false;
        const bits = keyPlaces(this.tables[t]!.places, this.width);
        this.rekey = { table: t, bits, heads: new Int32Array(1 << this.width).fill(-1), next: new Int32Array(this.sets.capacity), upTo: 0 };
      }
      const job = this.rekey;
      const table = this.tables[job.table]!;
      const keyed = { ...table, bits: job.bits };
      const bit = 1 << table.position;
      const end = Math.min(this.sets.size, job.upTo + Math.max(1, Math.min(budget, 2 ** 30)));
      for (let slot = job.upTo; slot < end; slot++) {
        if ((this.sets.maskOf(slot) & bit) === 0) continue;
        const key = this.key(keyed, sets.templateBytes(slot, table.position), 0);
        job.next[slot] = job.heads[key]!;
        job.heads[key] = slot;
      }
      budget -= end - job.upTo + 1;
      job.upTo = end;
      if (job.upTo >= this.sets.size) {
        table.bits = job.bits;
        this.heads[job.table] = job.heads;
        this.next[job.table] = job.next;
        this.rekey = undefined;
      }
    }
    return this.widening;
  }

  /**
   * The table's key: the sampled bits read straight from the template's bytes. (Byte-value lookup tables
   * were tried: for 96 tables they take 1.4 MB, and their cache misses made a build ten times slower.)
   */
  private key(table: Table, templateBytes: Uint8Array, offset: number): number {
    let key = 0;
    const bits = table.bits;
    for (let i = 0; i < bits.length; i++) {
      const bit = bits[i]!;
      key |= ((templateBytes[offset + (bit >> 3)]! >> (bit & 7)) & 1) << i;
    }
    return key;
  }

  get size(): number {
    return this.sets.size;
  }

  has(recordId: string): boolean {
    return this.sets.has(recordId);
  }

  add(recordId: string, set: BiometricSet): void {
    this.addProbe(recordId, packProbe(set));
  }

  /**
   * Adds people laid out as `packProbe` lays them out: 96 words and a position mask each. Table by table, so
   * that one table's bucket heads stay in cache while a whole page of people is linked into it.
   */
  addPacked(ids: readonly string[], words: Uint32Array, masks: Uint16Array): void {
    const bytes = new Uint8Array(words.buffer, words.byteOffset, ids.length * 384);
    this.widenFor(ids.length);
    const slots = new Int32Array(ids.length);
    ids.forEach((recordId, i) => {
      const capacityBefore = this.sets.capacity;
      const person = words.subarray(i * 96, i * 96 + 96);
      slots[i] = this.sets.add(recordId, { words: person, bytes: bytes.subarray(i * 384, i * 384 + 384), mask: masks[i]! });
      if (this.sets.capacity !== capacityBefore) this.grow(this.sets.capacity);
    });
    for (let t = 0; t < this.tables.length; t++) {
      const table = this.tables[t]!;
      const heads = this.heads[t]!;
      const bit = 1 << table.position;
      if (this.prefix) {
        const links = this.links[t]!;
        for (let i = 0; i < ids.length; i++) {
          const slot = slots[i]!;
          if (slot < 0 || (masks[i]! & bit) === 0) continue;
          const key = this.key(table, bytes, i * 384 + table.position * 32);
          setLink(links, slot, heads[key]!);
          heads[key] = slot;
        }
        continue;
      }
      const next = this.next[t]!;
      for (let i = 0; i < ids.length; i++) {
        const slot = slots[i]!;
        if (slot < 0 || (masks[i]! & bit) === 0) continue;
        const key = this.key(table, bytes, i * 384 + table.position * 32);
        next[slot] = heads[key]!;
        heads[key] = slot;
      }
    }
  }

  addProbe(recordId: string, probe: PackedProbe): void {
    if (!this.sets.has(recordId)) this.widenFor(1);
    const capacityBefore = this.sets.capacity;
    const slot = this.sets.add(recordId, probe);
    if (slot < 0) return;
    if (this.sets.capacity !== capacityBefore) this.grow(this.sets.capacity);
    for (let t = 0; t < this.tables.length; t++) {
      const table = this.tables[t]!;
      if ((probe.mask & (1 << table.position)) === 0) continue;
      const key = this.key(table, probe.bytes, table.position * 32);
      const heads = this.heads[t]!;
      if (this.prefix) setLink(this.links[t]!, slot, heads[key]!);
      else this.next[t]![slot] = heads[key]!;
      heads[key] = slot;
    }
  }

  private grow(capacity: number): void {
    const grown = (old: Int32Array) => {
      const next = new Int32Array(capacity);
      next.set(old);
      return next;
    };
    this.next = this.next.map(grown);
    if (this.prefix && capacity > MAX_LINKED) throw new RangeError(`an index with firstLookBytes holds at most ${MAX_LINKED} people`);
    this.links = this.links.map((old) => {
      const links = new Uint8Array(capacity * 3);
      links.set(old);
      return links;
    });
    if (this.rekey) this.rekey.next = grown(this.rekey.next);
    const stamps = new Uint32Array(capacity);
    stamps.set(this.stamps);
    this.stamps = stamps;
  }

  /** A new search's stamp: a slot stamped with it was looked at in this search (the stamps are cleared on wrap). */
  private nextGeneration(): number {
    if (++this.generation === 0xffffffff) {
      this.stamps.fill(0);
      this.generation = 1;
    }
    return this.generation;
  }

  /** Every candidate the tables give, before any look: for the benchmark's "false candidates per probe". */
  candidates(probe: PackedProbe): number[] {
    const generation = this.nextGeneration();
    const found: number[] = [];
    const tableCount = this.tables.length;
    for (let t = 0; t < tableCount; t++) {
      const table = this.tables[t]!;
      if ((probe.mask & (1 << table.position)) === 0) continue;
      let slot = this.heads[t]![this.key(table, probe.bytes, table.position * 32)]!;
      while (slot >= 0) {
        if (this.stamps[slot] !== generation) {
          this.stamps[slot] = generation;
          found.push(slot);
        }
        slot = this.prefix ? linkAt(this.links[t]!, slot) : this.next[t]![slot]!;
      }
    }
    return found;
  }

  searchPacked(probe: PackedProbe, options: SearchOptions): MatchCandidate[] {
    const generation = this.nextGeneration();
    const sets = this.fullSets();
    const firstLook = Math.min(FIRST_LOOK, options.minScore);
    const found: MatchCandidate[] = [];
    const tableCount = this.tables.length;
    for (let t = 0; t < tableCount; t++) {
      const table = this.tables[t]!;
      if ((probe.mask & (1 << table.position)) === 0) continue;
      // Per table: a table not yet widened keys by fewer bits.
      const flips = flipsOf(options, probe.mask, table.bits.length);
      const heads = this.heads[t]!;
      const next = this.next[t]!;
      const key = this.key(table, probe.bytes, table.position * 32);
      for (let flip = -1; flip < flips; flip++) {
        let slot = heads[flip < 0 ? key : key ^ (1 << flip)]!;
        while (slot >= 0) {
          const link = next[slot]!;
          // Unmarked when the first look fails: a later table on another position may look again.
          if (this.stamps[slot] !== generation && sets.positionSimilarity(probe, slot, table.position) >= firstLook) {
            this.stamps[slot] = generation;
            const recordId = sets.idOf(slot);
            if (recordId !== options.excludeRecordId) {
              const { score, compared } = sets.score(probe, slot);
              if (compared > 0 && score >= options.minScore) found.push({ recordId, score });
            }
          }
          slot = link;
        }
      }
    }
    found.sort((a, b) => b.score - a.score);
    return found.slice(0, options.limit);
  }

  search(probe: BiometricSet, options: SearchOptions): Promise<MatchCandidate[]> {
    if (this.prefix) return this.searchPrefixes(packProbe(probe), options);
    return Promise.resolve(this.searchPacked(packProbe(probe), options));
  }

  /**
   * `firstLookBytes`: the tables and buckets `searchPacked` visits, each candidate looked at once on its
   * prefixes over every position both hold (the class comment's bound), and the survivors' full templates
   * fetched in one call and scored exactly.
   */
  private async searchPrefixes(probe: PackedProbe, options: SearchOptions): Promise<MatchCandidate[]> {
    const sets = this.prefix!;
    const generation = this.nextGeneration();
    // The bounds by positions compared, as the most bits that may differ over c positions: on the first words
    // alone (32 bits a position, the first record), then on the whole prefixes.
    const bound = (bits: number) => (1 - (options.minScore - prefixMargin(bits))) * bits;
    const maxFirst = new Float64Array(POSITIONS + 1).fill(-1);
    const maxAll = new Float64Array(POSITIONS + 1).fill(-1);
    for (let c = 1; c <= POSITIONS; c++) {
      maxFirst[c] = bound(32 * c);
      maxAll[c] = bound(32 * sets.prefixWords * c);
    }
    const survivors: number[] = [];
    const look = { both: 0 };
    const tableCount = this.tables.length;
    for (let t = 0; t < tableCount; t++) {
      const table = this.tables[t]!;
      if ((probe.mask & (1 << table.position)) === 0) continue;
      const flips = flipsOf(options, probe.mask, table.bits.length);
      const heads = this.heads[t]!;
      const links = this.links[t]!;
      const key = this.key(table, probe.bytes, table.position * 32);
      for (let flip = -1; flip < flips; flip++) {
        let slot = heads[flip < 0 ? key : key ^ (1 << flip)]!;
        while (slot >= 0) {
          const link = linkAt(links, slot);
          // Marked when it passes only (as searchPacked marks): a stranger rarely comes up in two tables, and
          // marking every one would write a cache line per candidate.
          if (this.stamps[slot] !== generation) {
            const distance = sets.firstDistance(probe, slot, look);
            const c = popcount32(look.both);
            if (distance <= maxFirst[c]! && distance + sets.restDistance(probe, slot, look.both) <= maxAll[c]!) {
              this.stamps[slot] = generation;
              survivors.push(slot);
            }
          }
          slot = link;
        }
      }
    }
    const ids = survivors.map((slot) => sets.idOf(slot)).filter((recordId) => recordId !== options.excludeRecordId);
    if (ids.length === 0) return [];
    const templates = await this.fullTemplates!(ids);
    const found: MatchCandidate[] = [];
    ids.forEach((recordId, i) => {
      const person = templates[i];
      if (!person) return;
      const { score, compared } = scoreFull(probe, person);
      if (compared > 0 && score >= options.minScore) found.push({ recordId, score });
    });
    found.sort((a, b) => b.score - a.score);
    return found.slice(0, options.limit);
  }

  /**
   * Probes laid out as `packProbe` lays them out (96 words and a mask each), each with its own excluded record
   * ('' for none); every answer is the one `searchPacked` gives for that probe alone. Table by table rather
   * than probe by probe: one table's bucket heads and links stay in cache while every probe of the batch
   * visits its buckets, so only the first looks at the people found go out to memory. A probe visits its
   * tables and buckets in the order `searchPacked` does, so it finds its candidates in the same order.
   */
  searchManyPacked(words: Uint32Array, masks: Uint16Array, exclude: readonly string[], options: SearchOptions): MatchCandidate[][] {
    const count = masks.length;
    const bytes = new Uint8Array(words.buffer, words.byteOffset, count * 384);
    const probes: PackedProbe[] = [];
    for (let i = 0; i < count; i++) probes.push({ words: words.subarray(i * 96, i * 96 + 96), bytes: bytes.subarray(i * 384, i * 384 + 384), mask: masks[i]! });
    const sets = this.fullSets();
    const firstLook = Math.min(FIRST_LOOK, options.minScore);
    const found: MatchCandidate[][] = probes.map(() => []);
    // The people each probe has looked at fully: few (its mates, a rare stranger), so a set each.
    const looked: (Set<number> | undefined)[] = new Array(count);
    for (let t = 0; t < this.tables.length; t++) {
      const table = this.tables[t]!;
      const heads = this.heads[t]!;
      const next = this.next[t]!;
      const position = table.position;
      for (let i = 0; i < count; i++) {
        const probe = probes[i]!;
        if ((probe.mask & (1 << position)) === 0) continue;
        const key = this.key(table, probe.bytes, position * 32);
        const flips = flipsOf(options, probe.mask, table.bits.length);
        for (let flip = -1; flip < flips; flip++) {
          let slot = heads[flip < 0 ? key : key ^ (1 << flip)]!;
          while (slot >= 0) {
            const link = next[slot]!;
            const seen = looked[i];
            if ((seen === undefined || !seen.has(slot)) && sets.positionSimilarity(probe, slot, position) >= firstLook) {
              (looked[i] ??= new Set()).add(slot);
              const recordId = sets.idOf(slot);
              if (recordId !== (exclude[i] || options.excludeRecordId)) {
                const { score, compared } = sets.score(probe, slot);
                if (compared > 0 && score >= options.minScore) found[i]!.push({ recordId, score });
              }
            }
            slot = link;
          }
        }
      }
    }
    return found.map((list) => {
      list.sort((a, b) => b.score - a.score);
      return list.slice(0, options.limit);
    });
  }

  /** The exact answer over every enrolled person, on the same packed store: the reference for recall. */
  scanPacked(probe: PackedProbe, options: SearchOptions): MatchCandidate[] {
    const sets = this.fullSets();
    const found: MatchCandidate[] = [];
    for (let slot = 0; slot < sets.size; slot++) {
      const recordId = sets.idOf(slot);
      if (recordId === options.excludeRecordId) continue;
      const { score, compared } = sets.score(probe, slot);
      if (compared > 0 && score >= options.minScore) found.push({ recordId, score });
    }
    found.sort((a, b) => b.score - a.score);
    return found.slice(0, options.limit);
  }

  /** Bytes held in typed arrays (templates, buckets, links), for the benchmarks' memory figures. */
  get bytes(): number {
    return this.sets.bytes + [...this.next, ...this.links].reduce((sum, n) => sum + n.byteLength, 0) + this.stamps.byteLength + this.heads.reduce((sum, h) => sum + h.byteLength, 0);
  }
}
