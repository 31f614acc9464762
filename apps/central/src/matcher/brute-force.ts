import { compareSets, unpackSet, type BiometricSet } from '@tangguh/domain';
import type { MatchCandidate, Matcher, SearchOptions } from './matcher.ts';

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

  addPacked(ids: readonly string[], words: Uint32Array, masks: Uint16Array): void {
    ids.forEach((recordId, i) => {
      const bytes = new Uint8Array(words.buffer, words.byteOffset + i * 384, 384);
      const mask = masks[i]!;
      const present = [...Array(12).keys()].filter((slot) => mask & (1 << slot));
      const packed = new Uint8Array(2 + present.length * 32);
      packed[0] = mask & 0xff;
      packed[1] = mask >> 8;
      present.forEach((slot, k) => packed.set(bytes.subarray(slot * 32, slot * 32 + 32), 2 + k * 32));
      this.add(recordId, unpackSet(packed));
    });
  }

  searchNow(probe: BiometricSet, options: SearchOptions): MatchCandidate[] {
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

  search(probe: BiometricSet, options: SearchOptions): Promise<MatchCandidate[]> {
    return Promise.resolve(this.searchNow(probe, options));
  }
}
