/**
 * 1:N deduplication benchmark: the sharded bit-sampling index against brute force, on synthetic galleries.
 *
 * The gallery is generated directly (not through HTTP): `MATES` people are captured by the synthetic device
 * (noise 0.04) and later probed again; everyone else is random 256-bit templates, which is what the device's
 * templates of unrelated people are. Probes: mates captured again clean (0.04), noisy (0.1), poor (0.2) and with
 * six fingers missing, and strangers. For each gallery size: build time, identifications/s with searches in
 * flight on every shard, false candidates per probe (people re-scored who are not a mate), recall against the
 * exact answer at the duplicate threshold (0.8) and in the adjudication band (0.65–0.8), memory. Baseline in the
 * same run: the centre's brute-force matcher of today on the same probes (on the smaller gallery: it scans
 * everyone, so at 1,000,000 it would run for minutes; its rate scales as 1/N, printed as such).
 *
 *   npm run bench:dedup                                # sizes 10^4, 10^5, 10^6
 *   BENCH_SIZES=10000,100000 npm run bench:dedup       # quicker
 *   BENCH_OFFICE=2000000 npm run bench:dedup           # also a kabupaten of 2,000,000 (the office's index)
 *   BENCH_RECALL_PROBES=50                             # exact scans per probe kind for recall (default 40)
 *   BENCH_FLIPS=0,3,6,all BENCH_SEARCH_BATCH=500       # probing schemes timed as the dedup worker searches (batches)
 */
import { randomFillSync } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { DEFAULT_MATCH_POLICY, type BiometricSet } from '@tangguh/domain';
import { BitSamplingIndex, ShardedMatcher, packProbe, type MatchCandidate, type SearchOptions } from '@tangguh/matcher';
import { capturedSet, PROBE_KINDS } from '../packages/matcher/src/synthetic.ts';
import { BruteForceMatcher } from '../apps/central/src/matcher/brute-force.ts';

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const OFFICE = Number(process.env.BENCH_OFFICE ?? 0);
const MATES = 2000;
const PROBES_PER_KIND = 250;
const STRANGERS = 1000;
const RECALL_PROBES = Number(process.env.BENCH_RECALL_PROBES ?? 40);
const IN_FLIGHT = 32;
/** Probes a searchMany message carries, as the dedup worker sends a batch; and the probing schemes compared. */
const SEARCH_BATCH = Number(process.env.BENCH_SEARCH_BATCH ?? 500);
const FLIPS = (process.env.BENCH_FLIPS ?? '0,3,6,all').split(',').map((f) => (f === 'all' ? Infinity : Number(f)));
const SHARDS = Math.max(2, availableParallelism());
const { duplicateAt, adjudicateFrom } = DEFAULT_MATCH_POLICY;

const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Probe {
  kind: string;
  mate?: string;
  set: BiometricSet;
}

function probes(): Probe[] {
  const out: Probe[] = [];
  for (const [kind, { noise, missing }] of Object.entries(PROBE_KINDS)) {
    for (let i = 0; i < PROBES_PER_KIND; i++) {
      const person = (i * 7 + kind.length) % MATES;
      out.push({ kind, mate: `M${person}`, set: capturedSet(`mate-${person}`, 1, noise, missing) });
    }
  }
  for (let i = 0; i < STRANGERS; i++) out.push({ kind: 'stranger', set: capturedSet(`stranger-${i}`, 0, 0.04) });
  return out;
}

/** Fills a sharded matcher with `size` people: the mates first, then random strangers in packed chunks. */
async function build(size: number): Promise<{ matcher: ShardedMatcher; seconds: number }> {
  const matcher = new ShardedMatcher({ shards: SHARDS });
  const t0 = performance.now();
  matcher.addMany(Array.from({ length: MATES }, (_, i) => [`M${i}`, capturedSet(`mate-${i}`, 0, 0.04)] as const));
  const CHUNK = 20_000;
  for (let start = MATES; start < size; start += CHUNK) {
    const count = Math.min(CHUNK, size - start);
    const words = new Uint32Array(count * 96);
    randomFillSync(words);
    const masks = new Uint16Array(count).fill(0xfff);
    matcher.addPacked(Array.from({ length: count }, (_, i) => `P${start + i}`), words, masks);
    // Keep at most a few chunks in flight, as a load from storage would.
    if (((start - MATES) / CHUNK) % 8 === 7) await matcher.settled();
  }
  await matcher.settled();
  return { matcher, seconds: (performance.now() - t0) / 1000 };
}

/** Identifications per second with IN_FLIGHT searches outstanding, so every shard stays busy. */
async function throughput(search: (p: BiometricSet) => Promise<MatchCandidate[]>, sample: Probe[]): Promise<{ perSecond: number; answers: MatchCandidate[][] }> {
  const answers: MatchCandidate[][] = new Array(sample.length);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < sample.length) {
        const i = next++;
        answers[i] = await search(sample[i]!.set);
      }
    }),
  );
  return { perSecond: sample.length / ((performance.now() - t0) / 1000), answers };
}

/** Candidates the tables hand to exact scoring per probe, minus the mate: the index's wasted work. */
function falseCandidates(size: number, sample: Probe[]): number {
  const index = new BitSamplingIndex();
  const fill = Math.min(size, 100_000);
  for (let i = 0; i < MATES; i++) index.add(`M${i}`, capturedSet(`mate-${i}`, 0, 0.04));
  const words = new Uint32Array(96);
  for (let i = MATES; i < fill; i++) {
    randomFillSync(words);
    index.addProbe(`P${i}`, { words, bytes: new Uint8Array(words.buffer), mask: 0xfff });
  }
  const counts = sample.map((p) => index.candidates(packProbe(p.set)).length - (p.mate ? 1 : 0));
  // Strangers collide at random, so the count grows linearly with the gallery: scale from the sample.
  return (median(counts) * size) / fill;
}

/**
 * The dedup worker's way: batches of SEARCH_BATCH probes, one message per shard each (searchMany), one batch
 * after another as the worker sends them. CPU time of the whole process (every shard's thread) per probe.
 */
async function batchThroughput(matcher: ShardedMatcher, sample: Probe[], options: SearchOptions): Promise<{ perSecond: number; answers: MatchCandidate[][]; cpuMs: number }> {
  const answers: MatchCandidate[][] = [];
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  for (let start = 0; start < sample.length; start += SEARCH_BATCH) {
    answers.push(...(await matcher.searchMany(sample.slice(start, start + SEARCH_BATCH).map((p) => ({ set: p.set })), options)));
  }
  const used = process.cpuUsage(cpu);
  return { perSecond: sample.length / ((performance.now() - t0) / 1000), answers, cpuMs: (used.user + used.system) / 1000 / sample.length };
}

const exactAnswers = new Map<Probe, MatchCandidate[]>();

async function recall(matcher: ShardedMatcher, sample: Probe[], answers: MatchCandidate[][], kinds = [...Object.keys(PROBE_KINDS), 'stranger']) {
  const rows: string[] = [];
  for (const kind of kinds) {
    const picked = sample.map((p, i) => ({ p, i })).filter(({ p }) => p.kind === kind).slice(0, RECALL_PROBES);
    let exactDup = 0, foundDup = 0, exactBand = 0, foundBand = 0, invented = 0;
    for (const { p, i } of picked) {
      // The exact answer depends on the gallery only: scanned once per probe, for every scheme compared.
      let exact = exactAnswers.get(p);
      if (!exact) exactAnswers.set(p, (exact = await matcher.scan(p.set, { minScore: adjudicateFrom, limit: 50 })));
      const got = new Map((answers[i] ?? []).map((c) => [c.recordId, c.score]));
      for (const c of exact) {
        const hit = got.has(c.recordId);
        if (c.score >= duplicateAt) { exactDup++; if (hit) foundDup++; } else { exactBand++; if (hit) foundBand++; }
      }
      const exactIds = new Set(exact.map((c) => c.recordId));
      for (const id of got.keys()) if (!exactIds.has(id)) invented++;
    }
    const pct = (a: number, b: number) => (b === 0 ? '—' : `${((100 * a) / b).toFixed(2)} % (${a}/${b})`);
    rows.push(`  ${kind.padEnd(16)} recall ≥ ${duplicateAt}: ${pct(foundDup, exactDup).padEnd(22)} band ${adjudicateFrom}–${duplicateAt}: ${pct(foundBand, exactBand).padEnd(22)} not in exact answer: ${invented}`);
  }
  return rows;
}

async function bruteForceBaseline(size: number, sample: Probe[]): Promise<number> {
  const brute = new BruteForceMatcher();
  for (let i = 0; i < MATES; i++) brute.add(`M${i}`, capturedSet(`mate-${i}`, 0, 0.04));
  const bytes = new Uint8Array(32);
  for (let i = MATES; i < size; i++) {
    const set: BiometricSet = {};
    for (const position of ['R_THUMB', 'R_INDEX', 'R_MIDDLE', 'R_RING', 'R_LITTLE', 'L_THUMB', 'L_INDEX', 'L_MIDDLE', 'L_RING', 'L_LITTLE', 'R_IRIS', 'L_IRIS'] as const) set[position] = Uint8Array.from(randomFillSync(bytes));
    brute.add(`P${i}`, set);
  }
  const picked = sample.filter((_, i) => i % 50 === 0);
  const t0 = performance.now();
  for (const p of picked) await brute.search(p.set, { minScore: adjudicateFrom, limit: 5 });
  return picked.length / ((performance.now() - t0) / 1000);
}

const sample = probes();
console.log(`1:N deduplication — bit-sampling LSH (18-bit keys, 8 tables a position, 96 a person), ${SHARDS} shards in worker threads, ${IN_FLIGHT} searches in flight`);
console.log(`probes: ${PROBES_PER_KIND} each of ${Object.keys(PROBE_KINDS).join(', ')}; ${STRANGERS} strangers; recall from ${RECALL_PROBES} exact scans per kind\n`);

const BASELINE_SIZE = Math.min(100_000, Math.max(...SIZES));
const bruteRate = await bruteForceBaseline(BASELINE_SIZE, sample);
console.log(`baseline: brute force (today's matcher) on ${BASELINE_SIZE.toLocaleString('en')} enrolled: ${bruteRate.toFixed(1)} identifications/s (single thread; scales as 1/N)\n`);

const table: string[] = [];
for (const size of [...SIZES, ...(OFFICE ? [OFFICE] : [])]) {
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const { matcher, seconds } = await build(size);
  const stats = await matcher.stats();
  const rss = process.memoryUsage().rss;
  const { perSecond, answers } = await throughput((p) => matcher.search(p, { minScore: adjudicateFrom, limit: 5 }), sample);
  const { perSecond: again } = await throughput((p) => matcher.search(p, { minScore: adjudicateFrom, limit: 5 }), sample);
  const rate = Math.max(perSecond, again);
  const wide = await throughput((p) => matcher.search(p, { minScore: adjudicateFrom, limit: 5, probeRadius: 1 }), sample);
  // The centre's way: a dedup batch in one message per shard (searchMany), with each probing scheme.
  const schemes: string[] = [];
  for (const flips of FLIPS) {
    const options = { minScore: adjudicateFrom, limit: 5, ...(flips === 0 ? {} : { probeRadius: 1 as const, ...(Number.isFinite(flips) ? { probeFlips: flips } : {}) }) };
    const { perSecond: batched, answers: batchAnswers, cpuMs } = await batchThroughput(matcher, sample, options);
    const name = flips === 0 ? 'fast (radius 0)' : Number.isFinite(flips) ? `${flips} flips a table` : 'multi-probe (all 18 flips)';
    schemes.push(`  batches of ${SEARCH_BATCH}, ${name}: ${batched.toFixed(0)} identifications/s, ${cpuMs.toFixed(2)} ms CPU a probe (all threads)`);
    for (const row of await recall(matcher, sample, batchAnswers, ['poor', 'missing fingers'])) schemes.push(`  ${row}`);
  }
  const falses = falseCandidates(size, sample.filter((p) => p.kind === 'stranger').slice(0, 200));
  const label = size === OFFICE ? `${size.toLocaleString('en')} (office, one kabupaten)` : size.toLocaleString('en');
  console.log(`gallery ${label}: built in ${seconds.toFixed(1)} s; ${rate.toFixed(0)} identifications/s (${(rate / (bruteRate * BASELINE_SIZE / size)).toFixed(0)}× brute force at this size); index arrays ${mb(stats.reduce((a, s) => a + s.bytes, 0))}, process RSS ${mb(rss)} (+${mb(rss - rssBefore)})`);
  console.log(`  false candidates re-scored per probe ≈ ${falses.toFixed(1)}`);
  for (const row of await recall(matcher, sample, answers)) console.log(row);
  console.log(`  with multi-probe (radius 1): ${wide.perSecond.toFixed(0)} identifications/s`);
  for (const row of await recall(matcher, sample, wide.answers)) console.log(row);
  for (const row of schemes) console.log(row);
  table.push(`| ${label} | ${seconds.toFixed(1)} s | ${rate.toFixed(0)} | ${wide.perSecond.toFixed(0)} | ${(bruteRate * BASELINE_SIZE / size).toFixed(1)} | ${falses.toFixed(1)} | ${mb(rss)} |`);
  await matcher.close();
  exactAnswers.clear();
  console.log('');
}
console.log('| enrolled | build | index ids/s | multi-probe ids/s | brute force ids/s (scaled) | false candidates/probe | RSS |');
console.log('|---|---|---|---|---|---|---|');
for (const row of table) console.log(row);
