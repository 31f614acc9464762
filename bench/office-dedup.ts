/**
 * The office's provisional search before a Suket (apps/office/src/services/provisional-dedup.ts): one
 * bit-sampling index in the API process over a kabupaten the size of Jember, searched one probe at a time as
 * the counter does, with multi-probe (`probeRadius: 1`) as the centre searches. Prints the median and p99 of one
 * search per probe kind and how often the known mate was found, the time to build the index from packed
 * templates (what the office does at start from its gallery table), the process's memory — and, in the same
 * run, brute force (the exact matcher) on a subset of the gallery, with its time scaled to the full size.
 *
 * The gallery is generated directly: `MATES` people captured by the synthetic device (noise 0.04) who come
 * back as probes, everyone else random 256-bit templates (what unrelated people's templates are).
 *
 * The index holds a quarter of each template, as the office's does (`firstLookBytes`), and re-scores the
 * candidates that pass its first look from their full templates: here, as at the office, rows of a real SQLite
 * table (in a temporary file) holding every person's packed templates sealed with a data key, read in one
 * query a search and opened — so the search times include that read.
 *
 *   npm run bench:office-dedup                       # 2,000,000 people
 *   BENCH_OFFICE_SIZE=500000 npm run bench:office-dedup
 *   BENCH_TABLES_PER_POSITION=4 BENCH_PEOPLE_PER_BUCKET=32   # another sizing than the office's, to compare
 */
import { randomFillSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BIOMETRIC_POSITIONS, DEFAULT_MATCH_POLICY, packSet, type BiometricSet } from '@tangguh/domain';
import { BitSamplingIndex, unpackInto, type FullTemplates, type MatchCandidate } from '@tangguh/matcher';
import { DataKey } from '@tangguh/platform';
import { capturedSet, PROBE_KINDS } from '../packages/matcher/src/synthetic.ts';
import { BruteForceMatcher } from '../apps/central/src/matcher/brute-force.ts';
import { PROVISIONAL_INDEX_OPTIONS } from '../apps/office/src/services/provisional-dedup.ts';

const SIZE = Number(process.env.BENCH_OFFICE_SIZE ?? 2_000_000);
const BRUTE_SIZE = Math.min(SIZE, Number(process.env.BENCH_BRUTE_SIZE ?? 100_000));
const MATES = 2000;
const PER_KIND = 200;
const BRUTE_PROBES = 40;
const { adjudicateFrom } = DEFAULT_MATCH_POLICY;
const options = { minScore: adjudicateFrom, limit: 5, probeRadius: 1 as const };
// The office's sizing, or another to compare (BENCH_TABLES_PER_POSITION, BENCH_PEOPLE_PER_BUCKET).
const sizing = {
  ...PROVISIONAL_INDEX_OPTIONS,
  tablesPerPosition: Number(process.env.BENCH_TABLES_PER_POSITION ?? PROVISIONAL_INDEX_OPTIONS.tablesPerPosition),
  peoplePerBucket: Number(process.env.BENCH_PEOPLE_PER_BUCKET ?? PROVISIONAL_INDEX_OPTIONS.peoplePerBucket),
};

const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const ms = (x: number) => `${x.toFixed(2)} ms`;

interface Probe {
  kind: string;
  mate?: string;
  set: BiometricSet;
}

function probes(): Probe[] {
  const out: Probe[] = [];
  for (const [kind, { noise, missing }] of Object.entries(PROBE_KINDS)) {
    for (let i = 0; i < PER_KIND; i++) {
      const person = (i * 7 + kind.length) % MATES;
      out.push({ kind, mate: `M${person}`, set: capturedSet(`mate-${person}`, 1, noise, missing) });
    }
  }
  for (let i = 0; i < PER_KIND; i++) out.push({ kind: 'stranger', set: capturedSet(`stranger-${i}`, 0, 0.04) });
  return out;
}

/** One search at a time, as at the counter: each probe's own time. */
async function timed(search: (set: BiometricSet) => Promise<MatchCandidate[]>, sample: Probe[]): Promise<{ times: number[]; answers: MatchCandidate[][] }> {
  const times: number[] = [];
  const answers: MatchCandidate[][] = [];
  for (const p of sample) {
    const t0 = performance.now();
    answers.push(await search(p.set));
    times.push(performance.now() - t0);
  }
  return { times, answers };
}

function randomSet(bytes: Uint8Array): BiometricSet {
  const set: BiometricSet = {};
  for (const position of BIOMETRIC_POSITIONS) set[position] = Uint8Array.from(randomFillSync(bytes));
  return set;
}

const sample = probes();
console.log(
  `Office provisional search — one bit-sampling index as the office sizes it (key width by gallery size, ${sizing.minBitsPerKey}–${sizing.bitsPerKey} bits, about ${sizing.peoplePerBucket} people a bucket; ${12 * sizing.tablesPerPosition} tables a person) in the API process, probeRadius 1, one search at a time`,
);
console.log(`kabupaten of ${SIZE.toLocaleString('en')} people (${MATES} known mates, the rest random); ${PER_KIND} probes each of ${Object.keys(PROBE_KINDS).join(', ')}, stranger\n`);

// Baseline first, in the same run: brute force on a subset, its time scaled to the full gallery (it scans everyone).
const brute = new BruteForceMatcher();
for (let i = 0; i < MATES; i++) brute.add(`M${i}`, capturedSet(`mate-${i}`, 0, 0.04));
const scratch = new Uint8Array(32);
for (let i = MATES; i < BRUTE_SIZE; i++) brute.add(`P${i}`, randomSet(scratch));
const bruteSample = sample.filter((_, i) => i % Math.floor(sample.length / BRUTE_PROBES) === 0).slice(0, BRUTE_PROBES);
const bruteRun = await timed((set) => brute.search(set, options), bruteSample);
const bruteMedian = quantile(bruteRun.times, 0.5);
const scale = SIZE / BRUTE_SIZE;
console.log(
  `baseline: brute force on ${BRUTE_SIZE.toLocaleString('en')} people: median ${ms(bruteMedian)}, p99 ${ms(quantile(bruteRun.times, 0.99))} a search (${bruteSample.length} probes)` +
    ` → at ${SIZE.toLocaleString('en')} ≈ ${ms(bruteMedian * scale)} (scales as N)\n`,
);

// The office's gallery table: every person's packed templates sealed with a data key, in a SQLite file.
const dir = mkdtempSync(join(tmpdir(), 'office-dedup-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const gallery = new Database(join(dir, 'gallery.db'));
gallery.pragma('journal_mode = WAL');
// Keyed as the office's table is (migrations/0016_office_gallery.ts): seq the rowid, record_id unique.
gallery.exec('create table office_gallery (seq integer primary key, record_id text not null unique, templates blob not null)');
const insert = gallery.prepare('insert into office_gallery (record_id, templates) values (?, ?)');
const dataKey = DataKey.generate();
const selects = new Map<number, Database.Statement>();
let fetchedIds = 0;
/** The office's source (provisional-dedup.ts fullTemplatesOf): one query for the candidates, each row opened and unpacked. */
function fullTemplates(ids: readonly string[]): Promise<(FullTemplates | undefined)[]> {
  fetchedIds += ids.length;
  let select = selects.get(ids.length);
  if (!select) selects.set(ids.length, (select = gallery.prepare(`select record_id, templates from office_gallery where record_id in (${ids.map(() => '?').join(',')})`)));
  const rows = select.all(...ids) as { record_id: string; templates: Uint8Array }[];
  const words = new Uint32Array(ids.length * 96);
  const at = new Map(ids.map((id, i) => [id, i]));
  const found: (FullTemplates | undefined)[] = new Array(ids.length).fill(undefined);
  for (const row of rows) {
    const i = at.get(row.record_id)!;
    found[i] = { words, offset: i * 96, mask: unpackInto(dataKey.open(new Uint8Array(row.templates)), words, i) };
  }
  return Promise.resolve(found);
}

globalThis.gc?.();
const rssBefore = process.memoryUsage().rss;
// Sized as the office sizes its index at start: for the gallery table's rows (the key width follows the size).
const index = new BitSamplingIndex({ ...sizing, expectedSize: SIZE, initialCapacity: SIZE, fullTemplates });
let buildMs = 0;
let tableMs = 0;
/** Indexes a page (timed: the build) and writes its rows to the table (timed apart: the office's table exists already). */
function addPage(ids: string[], words: Uint32Array, masks: Uint16Array, packed: (i: number) => Uint8Array): void {
  const t0 = performance.now();
  index.addPacked(ids, words, masks);
  const t1 = performance.now();
  gallery.transaction(() => ids.forEach((id, i) => insert.run(id, dataKey.seal(packed(i)))))();
  buildMs += t1 - t0;
  tableMs += performance.now() - t1;
}
{
  // Through the same packed path as the office's catch-up from its gallery table (packSet → unpackInto).
  const words = new Uint32Array(MATES * 96);
  const masks = new Uint16Array(MATES);
  const packedSets = Array.from({ length: MATES }, (_, i) => packSet(capturedSet(`mate-${i}`, 0, 0.04)));
  packedSets.forEach((packed, i) => (masks[i] = unpackInto(packed, words, i)));
  addPage(Array.from({ length: MATES }, (_, i) => `M${i}`), words, masks, (i) => packedSets[i]!);
}
const CHUNK = 50_000;
const packed = new Uint8Array(2 + 384);
packed[0] = 0xff;
packed[1] = 0x0f;
for (let start = MATES; start < SIZE; start += CHUNK) {
  const count = Math.min(CHUNK, SIZE - start);
  const words = new Uint32Array(count * 96);
  randomFillSync(words);
  const bytes = new Uint8Array(words.buffer);
  addPage(Array.from({ length: count }, (_, i) => `P${start + i}`), words, new Uint16Array(count).fill(0xfff), (i) => {
    packed.set(bytes.subarray(i * 384, i * 384 + 384), 2);
    return packed;
  });
}
const buildSeconds = buildMs / 1000;
globalThis.gc?.();
const rss = process.memoryUsage().rss;
console.log(
  `index of ${index.size.toLocaleString('en')} built in ${buildSeconds.toFixed(1)} s from packed templates (${index.keyBits}-bit keys; ${index.prefixOnly ? 'a quarter of each template held, the rest re-read from the table' : 'full templates held'}); typed arrays ${mb(index.bytes)}; process RSS ${mb(rss)} (+${mb(rss - rssBefore)} for the index and SQLite's cache)`,
);
console.log(`the gallery table: ${SIZE.toLocaleString('en')} sealed rows in a SQLite file, written in ${(tableMs / 1000).toFixed(1)} s (not part of the build: the office's table exists already)\n`);

// A warm-up pass (JIT), then the measured pass.
await timed((set) => index.search(set, options), sample.slice(0, 100));
fetchedIds = 0;
const run = await timed((set) => index.search(set, options), sample);
const fetchedPerSearch = fetchedIds / sample.length;

const rows: string[] = [];
for (const kind of [...Object.keys(PROBE_KINDS), 'stranger']) {
  const picked = sample.map((p, i) => ({ p, i })).filter(({ p }) => p.kind === kind);
  const times = picked.map(({ i }) => run.times[i]!);
  const found = picked.filter(({ p, i }) => p.mate && run.answers[i]!.some((c) => c.recordId === p.mate)).length;
  const held = picked.filter(({ i }) => run.answers[i]!.length > 0).length;
  const mateText = kind === 'stranger' ? `held by mistake: ${held}/${picked.length}` : `mate found: ${found}/${picked.length}`;
  rows.push(`| ${kind} | ${ms(quantile(times, 0.5))} | ${ms(quantile(times, 0.99))} | ${mateText} |`);
}
const all = run.times;
console.log(`one search at the counter, ${SIZE.toLocaleString('en')} people, probeRadius 1: median ${ms(quantile(all, 0.5))}, p99 ${ms(quantile(all, 0.99))} (max ${ms(Math.max(...all))})`);
console.log(`full templates read from the table: ${fetchedPerSearch.toFixed(2)} rows a search (the first look's survivors)`);
console.log(`brute force at the same size ≈ ${ms(bruteMedian * scale)} a search: the index is ≈ ${Math.round((bruteMedian * scale) / quantile(all, 0.5))}× faster at the median\n`);
console.log('| probe | median | p99 | |');
console.log('|---|---|---|---|');
for (const row of rows) console.log(row);
console.log(`| brute force on ${BRUTE_SIZE.toLocaleString('en')} (baseline) | ${ms(bruteMedian)} | ${ms(quantile(bruteRun.times, 0.99))} | scaled to ${SIZE.toLocaleString('en')}: ${ms(bruteMedian * scale)} |`);
