import { afterAll, describe, expect, it } from 'vitest';
import { BitSamplingIndex } from './bit-sampling-index.ts';
import { ShardedMatcher } from './sharded-matcher.ts';
import { packProbe } from './packed-sets.ts';
import { capturedSet, PROBE_KINDS } from './synthetic.ts';
import { compareSets, DEFAULT_MATCH_POLICY } from '@tangguh/domain';

const GALLERY = 4000;
const enrolled = Array.from({ length: GALLERY }, (_, i) => [`R${i}`, capturedSet(`person-${i}`, 0, 0.04)] as const);

describe('the bit-sampling index', () => {
  const index = new BitSamplingIndex();
  for (const [id, set] of enrolled) index.add(id, set);

  it('scores exactly as the domain defines a match', () => {
    const probe = capturedSet('person-7', 1, 0.1, PROBE_KINDS['missing fingers'].missing);
    const slotScore = index.scanPacked(packProbe(probe), { minScore: 0, limit: 1 })[0]!;
    expect(slotScore.recordId).toBe('R7');
    expect(slotScore.score).toBeCloseTo(compareSets(probe, enrolled[7]![1]).score, 12);
  });

  it.each(Object.entries(PROBE_KINDS))('returns every mate brute force returns at the duplicate threshold (%s probes)', async (_kind, { noise, missing }) => {
    let mates = 0;
    for (let i = 0; i < 120; i++) {
      const probe = capturedSet(`person-${i}`, 1, noise, missing);
      const options = { minScore: DEFAULT_MATCH_POLICY.duplicateAt, limit: 10 };
      const exact = index.scanPacked(packProbe(probe), options);
      mates += exact.length;
      // Fixed seed and data: the index's answer is the exact answer for every probe of this set.
      expect(await index.search(probe, options)).toEqual(exact);
    }
    if (noise < 0.2) expect(mates).toBe(120);
  }, 60_000);

  it('finds no one for strangers, and never the excluded record', async () => {
    for (let i = 0; i < 100; i++) expect(await index.search(capturedSet(`stranger-${i}`, 0, 0.04), { minScore: 0.65, limit: 5 })).toEqual([]);
    expect(await index.search(enrolled[3]![1], { minScore: 0.8, limit: 5, excludeRecordId: 'R3' })).toEqual([]);
  });

  it('finds an enrolment by the very next search, and adding twice changes nothing', async () => {
    const set = capturedSet('newcomer', 0, 0.04);
    index.add('NEW', set);
    index.add('NEW', capturedSet('someone else', 0, 0.04));
    expect(index.size).toBe(GALLERY + 1);
    expect((await index.search(capturedSet('newcomer', 1, 0.04), { minScore: 0.8, limit: 1 }))[0]?.recordId).toBe('NEW');
  });

  it('with multi-probe, finds poor captures in the adjudication band that single probes miss, and nothing exact does not', async () => {
    const options = { minScore: DEFAULT_MATCH_POLICY.adjudicateFrom, limit: 5 };
    let exactMates = 0, narrowFound = 0, wideFound = 0;
    for (let i = 0; i < 60; i++) {
      const probe = capturedSet(`person-${i}`, 1, 0.2);
      const exact = index.scanPacked(packProbe(probe), options);
      const narrow = await index.search(probe, options);
      const widened = await index.search(probe, { ...options, probeRadius: 1 });
      for (const answer of [narrow, widened]) for (const c of answer) expect(exact).toContainEqual(c);
      exactMates += exact.length;
      narrowFound += narrow.length;
      wideFound += widened.length;
    }
    expect(exactMates).toBeGreaterThan(50);
    expect(wideFound).toBeGreaterThan(narrowFound);
    expect(wideFound / exactMates).toBeGreaterThan(0.9);
  }, 60_000);
});

describe('the sharded matcher', () => {
  const sharded = new ShardedMatcher({ shards: 3 });
  const single = new BitSamplingIndex();
  afterAll(() => sharded.close());

  it('gives the same answers as one shard, in worker threads', async () => {
    sharded.addMany(enrolled);
    for (const [id, set] of enrolled) single.add(id, set);
    const sizes = (await sharded.stats()).map((s) => s.size);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(GALLERY);
    expect(Math.min(...sizes)).toBeGreaterThan(GALLERY / 6);
    for (let i = 0; i < 100; i++) {
      const probe = capturedSet(`person-${i * 7}`, 2, i % 2 ? 0.2 : 0.04);
      const options = { minScore: DEFAULT_MATCH_POLICY.adjudicateFrom, limit: 5 };
      expect(await sharded.search(probe, options)).toEqual(await single.search(probe, options));
    }
  }, 60_000);

  it('finds an enrolment by the very next search', async () => {
    sharded.add('NEXT', capturedSet('next one', 0, 0.04));
    expect((await sharded.search(capturedSet('next one', 1, 0.04), { minScore: 0.8, limit: 1 }))[0]?.recordId).toBe('NEXT');
    expect(sharded.has('NEXT')).toBe(true);
  });
});

describe('the bit-sampling index with a key width that follows the gallery', () => {
  // One person a bucket at most: 4000 people widen the key from 10 bits to 12 on the way (at 1024 and 2048).
  const options = { minBitsPerKey: 10, peoplePerBucket: 1 };
  const growing = new BitSamplingIndex(options);
  const widths: number[] = [growing.keyBits];
  for (const [id, set] of enrolled) {
    growing.add(id, set);
    if (growing.keyBits !== widths.at(-1)) widths.push(growing.keyBits);
  }

  it('starts narrow and widens as people are added; a fixed index keeps its width', () => {
    expect(widths).toEqual([10, 11, 12]);
    expect(new BitSamplingIndex().keyBits).toBe(18);
    expect(new BitSamplingIndex({ ...options, expectedSize: GALLERY }).keyBits).toBe(12);
    expect(new BitSamplingIndex({ minBitsPerKey: 10, expectedSize: 50_000_000 }).keyBits).toBe(18);
    // Narrow buckets hold far less than the 18-bit key's 2^18 heads a table.
    expect(growing.bytes).toBeLessThan(new BitSamplingIndex({ initialCapacity: GALLERY }).bytes / 4);
  });

  it.each(Object.entries(PROBE_KINDS))('returns every mate brute force returns at the duplicate threshold after widening (%s probes)', async (_kind, { noise, missing }) => {
    let mates = 0;
    for (let i = 0; i < 120; i++) {
      const probe = capturedSet(`person-${i * 3}`, 1, noise, missing);
      const search = { minScore: DEFAULT_MATCH_POLICY.duplicateAt, limit: 10 };
      const exact = growing.scanPacked(packProbe(probe), search);
      mates += exact.length;
      expect(await growing.search(probe, search)).toEqual(exact);
    }
    if (noise < 0.2) expect(mates).toBe(120);
  }, 60_000);

  it('answers as an index sized for the gallery at once once every table is widened, and finds poor captures in the adjudication band with multi-probe', async () => {
    const sized = new BitSamplingIndex({ ...options, expectedSize: GALLERY });
    for (const [id, set] of enrolled) sized.add(id, set);
    expect(sized.widening).toBe(false);
    while (growing.widenStep(5000));
    expect(growing.widening).toBe(false);
    const search = { minScore: DEFAULT_MATCH_POLICY.adjudicateFrom, limit: 5, probeRadius: 1 as const };
    let exactMates = 0, found = 0;
    for (let i = 0; i < 60; i++) {
      const probe = capturedSet(`person-${i * 11}`, 1, 0.2);
      const exact = growing.scanPacked(packProbe(probe), search);
      const answer = await growing.search(probe, search);
      expect(await sized.search(probe, search)).toEqual(answer);
      for (const c of answer) expect(exact).toContainEqual(c);
      exactMates += exact.length;
      found += answer.length;
    }
    expect(exactMates).toBeGreaterThan(50);
    expect(found / exactMates).toBeGreaterThan(0.9);
  }, 60_000);

  it('re-keys a little at each add rather than all at once, and searches whole tables meanwhile', async () => {
    const small = new BitSamplingIndex(options);
    for (const [id, set] of enrolled.slice(0, 1024)) small.add(id, set);
    expect([small.keyBits, small.widening]).toEqual([10, false]);
    // The add that crosses the threshold re-keys only twice its own work (192 entries of 96 × 1025).
    small.add('WIDENS', capturedSet('newcomer', 0, 0.04));
    expect([small.keyBits, small.widening]).toEqual([11, true]);
    const check = async () => {
      expect((await small.search(capturedSet('newcomer', 1, 0.04), { minScore: 0.8, limit: 1 }))[0]?.recordId).toBe('WIDENS');
      for (let i = 0; i < 40; i++) {
        const probe = capturedSet(`person-${i * 25}`, 1, 0.13);
        const search = { minScore: DEFAULT_MATCH_POLICY.duplicateAt, limit: 5, probeRadius: 1 as const };
        expect(await small.search(probe, search)).toEqual(small.scanPacked(packProbe(probe), search));
      }
      for (let i = 0; i < 30; i++) expect(await small.search(capturedSet(`stranger-${i}`, 0, 0.04), { minScore: 0.65, limit: 5 })).toEqual([]);
    };
    // Half-way: some tables at 11 bits, one being rebuilt beside its live buckets, the rest at 10.
    small.widenStep(48 * 1025 + 500);
    expect(small.widening).toBe(true);
    await check();
    // People added while a table is rebuilt land in both its live and its new buckets.
    for (const [id, set] of enrolled.slice(1024, 1100)) small.add(id, set);
    expect(small.widenStep()).toBe(false);
    await check();
    expect((await small.search(capturedSet('person-1050', 1, 0.04), { minScore: 0.8, limit: 1 }))[0]?.recordId).toBe('R1050');
  });
});
