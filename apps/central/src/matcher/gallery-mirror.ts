import { unpackSet, type BiometricSet } from '@tangguh/domain';
import type { DataKey } from '@tangguh/platform';
import type { CentralDbOrTx } from '../db/schema.ts';
import { readGalleryAfter } from '../repositories/gallery.ts';
import { BruteForceMatcher } from './brute-force.ts';
import type { MatchCandidate, Matcher } from './matcher.ts';

/**
 * The matcher of the process that deduplicates, following the gallery table by its seq cursor. Entries reach
 * the table from this process, from other dedup workers, and from adjudication decided in an API process;
 * catching up before each batch is what makes every one of them count in the next search. Only the process
 * that deduplicates builds one: an API-only centre never holds the gallery in memory.
 */
export class GalleryMirror implements Matcher {
  private readUpTo = 0;

  constructor(
    /** Opens the sealed templates; the one key of the gallery, unwrapped once at start. */
    private readonly galleryKey: DataKey,
    private readonly matcher: Matcher = new BruteForceMatcher(),
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

  search(probe: BiometricSet, options: { minScore: number; limit: number; excludeRecordId?: string }): MatchCandidate[] {
    return this.matcher.search(probe, options);
  }

  /** Reads the entries committed since the cursor; returns how many were new to this matcher. */
  async catchUp(db: CentralDbOrTx): Promise<number> {
    let added = 0;
    for await (const entry of readGalleryAfter(db, this.readUpTo, this.galleryKey)) {
      if (!this.matcher.has(entry.recordId)) {
        this.matcher.add(entry.recordId, unpackSet(entry.templates));
        added += 1;
      }
      this.readUpTo = entry.seq;
    }
    return added;
  }
}
