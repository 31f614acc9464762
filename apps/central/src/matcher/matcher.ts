import type { BiometricSet } from '@tangguh/domain';

export interface MatchCandidate {
  recordId: string;
  score: number;
}

/**
 * The 1:N search behind deduplication. The first implementation is exact brute force; a faster index
 * (sharded, approximate) can replace it behind this interface.
 */
export interface Matcher {
  readonly size: number;
  has(recordId: string): boolean;
  /** Adding a record already held changes nothing. */
  add(recordId: string, set: BiometricSet): void;
  /** Best candidates at or above minScore, best first, never the probe's own record. */
  search(probe: BiometricSet, options: { minScore: number; limit: number; excludeRecordId?: string }): MatchCandidate[];
}
