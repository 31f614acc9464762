import { compareSets, type BiometricSet } from '@tangguh/domain';
import type { MatchCandidate, Matcher } from './matcher.ts';

/** Compares the probe with every enrolled set. Exact, and the reference the faster matchers are tested against. */
export class BruteForceMatcher implements Matcher {
  private readonly ids: string[] = [];
  private readonly sets: BiometricSet[] = [];
  private readonly known = new Set<string>();

  get size(): number {
    return this.ids.length;
  }

  has(recordId: string): boolean {
    return this.known.has(recordId);
  }

  add(recordId: string, set: BiometricSet): void {
    if (this.known.has(recordId)) return;
    this.known.add(recordId);
    this.ids.push(recordId);
    this.sets.push(set);
  }

  search(probe: BiometricSet, options: { minScore: number; limit: number; excludeRecordId?: string }): MatchCandidate[] {
    const found: MatchCandidate[] = [];
    for (let i = 0; i < this.sets.length; i++) {
      const recordId = this.ids[i]!;
      if (recordId === options.excludeRecordId) continue;
      const { score, compared } = compareSets(probe, this.sets[i]!);
      if (compared > 0 && score >= options.minScore) found.push({ recordId, score });
    }
    found.sort((a, b) => b.score - a.score);
    return found.slice(0, options.limit);
  }
}
