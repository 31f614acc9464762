import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MATCH_POLICY } from '@tangguh/domain';
import { BitSamplingIndex } from './bit-sampling-index.ts';
import { ShardedMatcher } from './sharded-matcher.ts';
import { capturedSet } from './synthetic.ts';

const GALLERY = 3000;
const enrolled = Array.from({ length: GALLERY }, (_, i) => [`R${i}`, capturedSet(`person-${i}`, 0, 0.04)] as const);

describe('a batch of probes searched in one message per shard', () => {
  const sharded = new ShardedMatcher({ shards: 2 });
  const single = new BitSamplingIndex();
  sharded.addMany(enrolled);
  for (const [id, set] of enrolled) single.add(id, set);
  afterAll(() => sharded.close());

  // Mates clean and poor, strangers, a probe of an enrolled person excluding itself, and one without irises.
  const probes = Array.from({ length: 160 }, (_, i) => {
    if (i % 4 === 0) return { set: capturedSet(`person-${i}`, 1, 0.04) };
    if (i % 4 === 1) return { set: capturedSet(`person-${i}`, 2, 0.2) };
    if (i % 4 === 2) return { set: enrolled[i]![1], excludeRecordId: `R${i}` };
    return { set: capturedSet(`stranger-${i}`, 0, 0.04, i % 8 === 3 ? ['R_IRIS', 'L_IRIS'] : []) };
  });

  it.each([0, 1] as const)('answers each probe as its own search would (probe radius %s)', async (probeRadius) => {
    const options = { minScore: DEFAULT_MATCH_POLICY.adjudicateFrom, limit: 3, probeRadius };
    const many = await sharded.searchMany(probes, options);
    expect(many).toHaveLength(probes.length);
    let found = 0;
    for (const [i, probe] of probes.entries()) {
      const alone = { ...options, excludeRecordId: probe.excludeRecordId };
      expect(many[i], `probe ${i}`).toEqual(await sharded.search(probe.set, alone));
      expect(many[i], `probe ${i}`).toEqual(await single.search(probe.set, alone));
      found += many[i]!.length;
      if (probe.excludeRecordId) expect(many[i]!.map((c) => c.recordId)).not.toContain(probe.excludeRecordId);
    }
    // Not a vacuous comparison: the clean mates at least were found.
    expect(found).toBeGreaterThanOrEqual(40);
  }, 60_000);

  it('sees an add made just before it, and answers an empty batch with nothing', async () => {
    sharded.add('LATE', capturedSet('late one', 0, 0.04));
    const [answer] = await sharded.searchMany([{ set: capturedSet('late one', 1, 0.04) }], { minScore: 0.8, limit: 1 });
    expect(answer?.[0]?.recordId).toBe('LATE');
    expect(await sharded.searchMany([], { minScore: 0.8, limit: 1 })).toEqual([]);
  });
});

describe('closing a sharded matcher', () => {
  it('with an add still in flight ends quietly (the add is dropped with the threads, not left to reject unheard)', async () => {
    const matcher = new ShardedMatcher({ shards: 2 });
    await matcher.ready();
    matcher.addMany(enrolled.slice(0, 200));
    await matcher.close();
    // An unhandled rejection surfaces on a later turn: give it one, so the test runner would report it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(matcher.size).toBe(200);
  });
});
