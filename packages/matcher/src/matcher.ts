import type { BiometricSet } from '@tangguh/domain';

export interface MatchCandidate {
  recordId: string;
  score: number;
}

export interface SearchOptions {
  minScore: number;
  limit: number;
  excludeRecordId?: string;
  /**
   * Multi-probe, for an index: also visit the buckets whose key differs from the probe's in one bit. Raises
   * recall for poor captures in the adjudication band several-fold at that many times the bucket visits.
   * 0 (the default) visits only the probe's own buckets. Exact matchers ignore it.
   */
  probeRadius?: 0 | 1;
  /**
   * With probeRadius 1, how many of a table's key bits are flipped one at a time (the first ones), for a probe
   * holding every position; a probe missing positions flips proportionally more (up to the key's width), so
   * every probe visits about as many buckets. All of the key's bits when unset. A mate's chance to be found
   * grows with the buckets visited, and so does the cost: this is the knob between the two.
   */
  probeFlips?: number;
}

/** One probe of a batch search: the set, and the record it must not be matched with (its own). */
export interface BatchProbe {
  set: BiometricSet;
  excludeRecordId?: string;
}

/**
 * The 1:N search behind deduplication, at the centre and (provisionally) at the office. Asynchronous, so
 * that shards can live in worker threads, other processes or other machines. Brute force is the exact
 * reference; an index may only lose recall, never invent a match, because every candidate it finds is
 * re-scored exactly.
 */
export interface Matcher {
  readonly size: number;
  has(recordId: string): boolean;
  /** Adding a record already held changes nothing. A search started after add resolves sees it. */
  add(recordId: string, set: BiometricSet): void;
  /**
   * Adds many people at once, laid out as `packProbe` lays them out (96 words and a position mask each):
   * how a gallery read from storage is loaded without an object per template.
   */
  addPacked(ids: readonly string[], words: Uint32Array, masks: Uint16Array): void;
  /** Best candidates at or above minScore, best first, never the excluded record. */
  search(probe: BiometricSet, options: SearchOptions): Promise<MatchCandidate[]>;
  /**
   * Many probes at once, each answered as `search` would answer it alone (same options, each probe's own
   * excluded record): a sharded matcher sends the whole batch to every shard in one message, so the shards
   * work through it without a round trip per probe. Answers in the order of the probes.
   */
  searchMany?(probes: readonly BatchProbe[], options: SearchOptions): Promise<MatchCandidate[][]>;
  /** Resolves once the matcher can search at full speed: its worker threads started and loaded. */
  ready?(): Promise<void>;
  /** Frees what the matcher holds (worker threads); a matcher without any does nothing. */
  close?(): Promise<void>;
}

/** The candidates of several shards as one answer: best first, at most `limit`. */
export function mergeCandidates(lists: readonly MatchCandidate[][], limit: number): MatchCandidate[] {
  const all = lists.flat();
  all.sort((a, b) => b.score - a.score || (a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0));
  return all.slice(0, limit);
}
