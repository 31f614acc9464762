import type { BiometricSet } from '@tangguh/domain';
import { BitSamplingIndex, unpackInto } from '@tangguh/matcher';
import type { DataKey } from '@tangguh/platform';
import type { CentralDbOrTx } from '../db/schema.ts';
import { readGalleryAfter } from '../repositories/gallery.ts';
import type { BatchProbe, MatchCandidate, Matcher, SearchOptions } from './matcher.ts';

/** Gallery entries handed to the matcher in one call while catching up: one message per shard per page. */
const LOAD_PAGE = 10_000;

/**
 * The matcher of the process that deduplicates, following the gallery table by its seq cursor. Entries reach
 * the table from this process, from other dedup workers, and from adjudication decided in an API process;
 * catching up before each batch is what makes every one of them count in the next search. Only the process
 * that deduplicates builds one: an API-only centre never holds the gallery in memory.
 *
 * The matcher behind it is the bit-sampling index (in this thread), or the sharded one (worker threads) that
 * the centre's main process chooses; brute force remains the reference in tests and benchmarks.
 */
export class GalleryMirror implements Matcher {
  private readUpTo = 0;

  constructor(
    /** Opens the sealed templates; the one key of the gallery, unwrapped once at start. */
    private readonly galleryKey: DataKey,
    private readonly matcher: Matcher = new BitSamplingIndex(),
  ) {}

  get size(): number {
    return this.matcher.size;
  }

  /** The highest gallery seq read so far. */
  get cursor(): number {
    return this.readUpTo;
  }

  has(recordId: string): boolean {
    return this.matcher.has(recordId);
  }

  /** For a set this process has just committed to the gallery; the next catch-up skips it. */
  add(recordId: string, set: BiometricSet): void {
    this.matcher.add(recordId, set);
  }

  addPacked(ids: readonly string[], words: Uint32Array, masks: Uint16Array): void {
    this.matcher.addPacked(ids, words, masks);
  }

  search(probe: BiometricSet, options: SearchOptions): Promise<MatchCandidate[]> {
    return this.matcher.search(probe, options);
  }

  /** A batch in one message per shard where the matcher can; otherwise every probe's search at once. */
  searchMany(probes: readonly BatchProbe[], options: SearchOptions): Promise<MatchCandidate[][]> {
    if (this.matcher.searchMany) return this.matcher.searchMany(probes, options);
    return Promise.all(probes.map((probe) => this.search(probe.set, { ...options, excludeRecordId: probe.excludeRecordId })));
  }

  async ready(): Promise<void> {
    await this.matcher.ready?.();
  }

  async close(): Promise<void> {
    await this.matcher.close?.();
  }

  /** Reads the entries committed since the cursor; returns how many were new to this matcher. */
  async catchUp(db: CentralDbOrTx): Promise<number> {
    let added = 0;
    let ids: string[] = [];
    const inPage = new Set<string>();
    let words = new Uint32Array(LOAD_PAGE * 96);
    let masks = new Uint16Array(LOAD_PAGE);
    const flush = () => {
      if (ids.length === 0) return;
      this.matcher.addPacked(ids, words.subarray(0, ids.length * 96), masks.subarray(0, ids.length));
      added += ids.length;
      ids = [];
      inPage.clear();
      // The arrays may have been handed to worker threads: start the next page on fresh ones.
      words = new Uint32Array(LOAD_PAGE * 96);
      masks = new Uint16Array(LOAD_PAGE);
    };
    for await (const entry of readGalleryAfter(db, this.readUpTo, this.galleryKey)) {
      if (!this.matcher.has(entry.recordId) && !inPage.has(entry.recordId)) {
        masks[ids.length] = unpackInto(entry.templates, words, ids.length);
        ids.push(entry.recordId);
        inPage.add(entry.recordId);
        if (ids.length === LOAD_PAGE) flush();
      }
      this.readUpTo = entry.seq;
    }
    flush();
    return added;
  }
}
