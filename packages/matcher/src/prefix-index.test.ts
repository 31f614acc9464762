import { describe, expect, it } from 'vitest';
import { DEFAULT_MATCH_POLICY } from '@tangguh/domain';
import { BitSamplingIndex } from './bit-sampling-index.ts';
import { packProbe, type FullTemplates } from './packed-sets.ts';
import { capturedSet, PROBE_KINDS } from './synthetic.ts';

// The office's index (firstLookBytes: 8): template prefixes in memory, full templates from a source (here a
// Map standing in for the office_gallery table), against the exact scan of a full index on the same people.
const GALLERY = 4000;
const enrolled = Array.from({ length: GALLERY }, (_, i) => [`R${i}`, capturedSet(`person-${i}`, 0, 0.04)] as const);
const stored = new Map<string, FullTemplates>(enrolled.map(([id, set]) => [id, packProbe(set)]));
const fetched: string[] = [];
const fullTemplates = (ids: readonly string[]) => {
  fetched.push(...ids);
  return Promise.resolve(ids.map((id) => stored.get(id)));
};

const exact = new BitSamplingIndex();
const prefix = new BitSamplingIndex({ firstLookBytes: 8, fullTemplates });
for (const [id, set] of enrolled) {
  exact.add(id, set);
  prefix.add(id, set);
}

describe('the bit-sampling index holding a quarter of each template (the office)', () => {
  it.each(Object.entries(PROBE_KINDS))('returns exactly the mates brute force returns at the duplicate threshold (%s probes)', async (_kind, { noise, missing }) => {
    let mates = 0;
    for (let i = 0; i < 120; i++) {
      const probe = capturedSet(`person-${i * 7}`, 1, noise, missing);
      const options = { minScore: DEFAULT_MATCH_POLICY.duplicateAt, limit: 10 };
      const brute = exact.scanPacked(packProbe(probe), options);
      mates += brute.length;
      expect(await prefix.search(probe, options)).toEqual(brute);
      // Multi-probe as the office searches: the same answer.
      expect(await prefix.search(probe, { ...options, probeRadius: 1 })).toEqual(brute);
    }
    if (noise < 0.2) expect(mates).toBe(120);
  }, 60_000);

  it('finds poor captures in the adjudication band as the full index does, and nothing brute force does not', async () => {
    const options = { minScore: DEFAULT_MATCH_POLICY.adjudicateFrom, limit: 5, probeRadius: 1 as const };
    let bruteMates = 0, fullFound = 0, prefixFound = 0;
    for (let i = 0; i < 60; i++) {
      const probe = capturedSet(`person-${i * 13}`, 1, 0.2);
      const brute = exact.scanPacked(packProbe(probe), options);
      const answer = await prefix.search(probe, options);
      for (const c of answer) expect(brute).toContainEqual(c);
      bruteMates += brute.length;
      fullFound += (await exact.search(probe, options)).length;
      prefixFound += answer.length;
    }
    expect(bruteMates).toBeGreaterThan(50);
    expect(prefixFound).toBeGreaterThanOrEqual(fullFound);
  }, 60_000);

  it('fetches almost no stranger, finds none, and never the excluded record', async () => {
    fetched.length = 0;
    for (let i = 0; i < 100; i++) expect(await prefix.search(capturedSet(`stranger-${i}`, 0, 0.04), { minScore: 0.65, limit: 5, probeRadius: 1 })).toEqual([]);
    expect(fetched.length).toBeLessThan(5);
    fetched.length = 0;
    expect(await prefix.search(enrolled[3]![1], { minScore: 0.8, limit: 5, excludeRecordId: 'R3' })).toEqual([]);
    expect(fetched).not.toContain('R3');
  });

  it('scores only what the source returns: a record it no longer holds is never a match', async () => {
    const gone = new BitSamplingIndex({ firstLookBytes: 8, fullTemplates: (ids) => Promise.resolve(ids.map((id) => (id === 'R5' ? undefined : stored.get(id)))) });
    for (const [id, set] of enrolled.slice(0, 10)) gone.add(id, set);
    expect(await gone.search(capturedSet('person-5', 1, 0.04), { minScore: 0.8, limit: 5 })).toEqual([]);
    expect((await gone.search(capturedSet('person-6', 1, 0.04), { minScore: 0.8, limit: 5 }))[0]?.recordId).toBe('R6');
  });

  it('holds a quarter of the templates and 3-byte links, keeps its width and says when a rebuild would widen it, and refuses the in-memory paths', () => {
    // 100 bytes of prefixes and mask instead of 386 of templates and mask, and 96 links of 3 bytes instead of 4.
    expect(exact.bytes - prefix.bytes).toBeGreaterThanOrEqual((286 + 96) * GALLERY);
    const growing = new BitSamplingIndex({ firstLookBytes: 8, fullTemplates, minBitsPerKey: 10, peoplePerBucket: 1 });
    for (const [id, set] of enrolled) growing.add(id, set);
    expect(growing.keyBits).toBe(10);
    expect(growing.wantedKeyBits).toBe(12);
    expect(new BitSamplingIndex({ firstLookBytes: 8, fullTemplates, minBitsPerKey: 10, peoplePerBucket: 1, expectedSize: GALLERY }).keyBits).toBe(12);
    expect(() => prefix.searchPacked(packProbe(enrolled[0]![1]), { minScore: 0.8, limit: 1 })).toThrow(/prefixes/);
    expect(() => new BitSamplingIndex({ firstLookBytes: 8 })).toThrow(RangeError);
  });
});
