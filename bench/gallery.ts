/**
 * The centre's start-up over a sealed gallery: the dedup worker reads every gallery row into its sharded
 * matcher before it answers, and the templates are sealed at rest (AES-256-GCM, one opening a row). Measured
 * the way the centre starts (`GalleryMirror` over a `ShardedMatcher`, one shard per core): the rows are read in
 * pages and sent on sealed, each shard opens and indexes its own while this thread reads the next page.
 *
 * Printed, in the same run: reading the same rows without opening them (the baseline: what the database alone
 * costs), opening them on one thread (the path before, on a sample), the start-up with its phases, the process's
 * RSS (the matcher's threads live in it), the load average, and checks that the loaded gallery answers searches
 * and takes a new enrolment at once.
 *
 *   npm run bench:gallery                          # N = 1,000,000 on SQLite
 *   BENCH_N=100000 npm run bench:gallery           # quicker
 *   BENCH_DB=postgres|both                         # PostgreSQL (a throwaway database), or both
 *   TANGGUH_BENCH_PG_URL=postgres://…/postgres     # the server (a role that may CREATE DATABASE)
 *   BENCH_GALLERY_DB=/tmp/g.db                     # keep the SQLite gallery there and reuse it next time
 *   BENCH_SHARDS=2                                 # shards (default: one per core)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { BIOMETRIC_POSITIONS, TEMPLATE_BYTES, packSet, unpackSet, type BiometricSet } from '@tangguh/domain';

// The centre seals with a master key the operator supplies; a benchmark brings a throwaway one unless one is given.
if (!process.env.TANGGUH_MASTER_KEY_FILE) process.env.TANGGUH_MASTER_KEY ??= 'tangguh-bench-master-key-not-for-production';

const N = Number(process.env.BENCH_N ?? 1_000_000);
const DIALECTS = (process.env.BENCH_DB ?? 'sqlite') === 'both' ? ['sqlite', 'postgres'] : [process.env.BENCH_DB ?? 'sqlite'];
const SHARDS = Number(process.env.BENCH_SHARDS ?? availableParallelism());
const ADMIN_URL = process.env.TANGGUH_BENCH_PG_URL ?? process.env.TANGGUH_TEST_PG_URL ?? 'postgres://tangguh:tangguh@127.0.0.1:5432/postgres';
const FILL_PAGE = 5000;
const START_UP_ONLY = '--start-up-only';
/** Rows a page, as GalleryMirror reads them. */
const READ_PAGE = 10_000;
/** Rows opened on this thread for the one-thread figure (extrapolated to N). */
const ONE_THREAD_SAMPLE = Math.min(N, 100_000);

const { openCentral } = await import('../apps/central/src/services/provision.ts');
const { GalleryMirror } = await import('../apps/central/src/matcher/gallery-mirror.ts');
const { readGalleryPagesAfter } = await import('../apps/central/src/repositories/gallery.ts');

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mb = (bytes: number) => `${Math.round(bytes / 1e6).toLocaleString('en')} MB`;
const fmtInt = (n: number) => Math.round(n).toLocaleString('en');
const load = () => loadavg().map((l) => l.toFixed(1)).join(' / ');
const progress = (line: string) => {
  if (process.stderr.isTTY) process.stderr.write(`\r${line}\x1b[K`);
};

async function gallerySize(location: string): Promise<number> {
  const { handle, ctx } = await openCentral(location);
  try {
    const row = await ctx.db.selectFrom('gallery').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await handle.close();
  }
}

/** N synthetic people (random templates, uuid record ids) sealed with the centre's data key, straight into its gallery. */
async function fill(location: string): Promise<number> {
  const { handle, ctx } = await openCentral(location);
  const started = performance.now();
  try {
    const at = new Date().toISOString();
    const bytes = BIOMETRIC_POSITIONS.length * TEMPLATE_BYTES;
    for (let start = 0; start < N; start += FILL_PAGE) {
      const size = Math.min(FILL_PAGE, N - start);
      const pool = randomBytes(size * bytes);
      const rows = Array.from({ length: size }, (_, i) => {
        const set = Object.fromEntries(BIOMETRIC_POSITIONS.map((p, k) => [p, new Uint8Array(pool.buffer, pool.byteOffset + i * bytes + k * TEMPLATE_BYTES, TEMPLATE_BYTES)])) as BiometricSet;
        return { record_id: randomUUID(), templates: ctx.galleryKey.seal(packSet(set)), added_at: at, seq: start + i + 1 };
      });
      await ctx.db.transaction().execute(async (trx) => {
        await trx.insertInto('gallery').values(rows).execute();
        await trx.updateTable('counters').set({ value: start + size }).where('name', '=', 'gallery_seq').execute();
      });
      progress(`  filling: ${fmtInt(start + size)}/${fmtInt(N)} people sealed and stored`);
    }
    progress('');
  } finally {
    await handle.close();
  }
  return performance.now() - started;
}

/** The baseline: the same pages read as the start-up reads them, nothing opened. */
async function readOnly(location: string): Promise<{ ms: number; rows: number; bytes: number }> {
  const { handle, ctx } = await openCentral(location);
  try {
    const started = performance.now();
    let rows = 0;
    let bytes = 0;
    for await (const page of readGalleryPagesAfter(ctx.db, 0, READ_PAGE)) {
      rows += page.length;
      for (const row of page) bytes += row.templates.length;
    }
    return { ms: performance.now() - started, rows, bytes };
  } finally {
    await handle.close();
  }
}

/** The path before: every row opened on the main thread (a sample, extrapolated to N). */
async function openOnOneThread(location: string): Promise<number> {
  const { handle, ctx } = await openCentral(location);
  try {
    const started = performance.now();
    let rows = 0;
    for await (const page of readGalleryPagesAfter(ctx.db, 0, READ_PAGE)) {
      for (const row of page) unpackSet(ctx.galleryKey.open(row.templates));
      rows += page.length;
      if (rows >= ONE_THREAD_SAMPLE) break;
    }
    return ((performance.now() - started) * N) / rows;
  } finally {
    await handle.close();
  }
}

/** The centre's start-up: open, load the sealed gallery into the sharded matcher, ready to search. */
async function startUp(location: string) {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const rssBefore = process.memoryUsage().rss;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const { handle, ctx } = await openCentral(location);
  const opened = performance.now();
  let mirror: InstanceType<typeof GalleryMirror> | undefined;
  const ticker = setInterval(() => progress(`  loading: ${s(performance.now() - opened)}`), 1000);
  try {
    // As the centre's main starts its dedup worker's matcher.
    mirror = await GalleryMirror.start(ctx.db, ctx.galleryKey, { shards: SHARDS });
    const ready = performance.now();
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(ticker);
    progress('');
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const memory = process.memoryUsage();
    const rssAfter = memory.rss;

    // Searchable: a stored person is found as themself, and a new enrolment by the very next search.
    const first = await ctx.db.selectFrom('gallery').select(['record_id', 'templates']).orderBy('seq').limit(1).executeTakeFirstOrThrow();
    const set = unpackSet(ctx.galleryKey.open(first.templates));
    const searchStarted = performance.now();
    const found = await mirror.search(set, { minScore: 0.8, limit: 5, probeRadius: 1 });
    const searchMs = performance.now() - searchStarted;
    if (found[0]?.recordId !== first.record_id) throw new Error(`the loaded gallery did not find ${first.record_id} as itself`);
    const newcomer = Object.fromEntries(BIOMETRIC_POSITIONS.map((p) => [p, new Uint8Array(randomBytes(TEMPLATE_BYTES))])) as BiometricSet;
    mirror.add('bench-newcomer', newcomer);
    const again = await mirror.search(newcomer, { minScore: 0.8, limit: 5 });
    if (again[0]?.recordId !== 'bench-newcomer') throw new Error('a new enrolment was not found by the next search');
    const shards = (await mirror.shardStats())!;
    return {
      cpuMs: (cpu.user + cpu.system) / 1000,
      openMs: opened - started,
      totalMs: ready - started,
      loadMs: ready - opened,
      last: mirror.lastLoad!,
      threads: mirror.shardLoadTimes!,
      size: mirror.size,
      rssBefore,
      rssAfter,
      mainHeap: memory.heapTotal,
      mainExternal: memory.external,
      peakRss,
      searchMs,
      shards,
      load: load(),
    };
  } finally {
    clearInterval(ticker);
    clearInterval(sampler);
    await mirror?.close();
    await handle.close();
  }
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function run(dialect: string): Promise<void> {
  let location: string;
  let cleanup: () => Promise<void>;
  if (dialect === 'postgres') {
    const name = `bench_gallery_${randomBytes(6).toString('hex')}`;
    const owner = decodeURIComponent(new URL(ADMIN_URL).username) || 'tangguh';
    await adminQuery(`CREATE DATABASE ${name} OWNER ${pg.escapeIdentifier(owner)}`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    location = url.toString();
    cleanup = () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((error: Error) => console.error(`could not drop ${name}: ${error.message}`));
  } else if (process.env.BENCH_GALLERY_DB) {
    location = process.env.BENCH_GALLERY_DB;
    cleanup = async () => {};
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'tangguh-bench-gallery-'));
    location = join(dir, 'central.db');
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  try {
    console.log(`\n${dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'} — ${fmtInt(N)} people, sealed; ${SHARDS} shards`);
    const reuse = dialect === 'sqlite' && existsSync(location) && (await gallerySize(location)) === N;
    if (reuse) console.log(`  gallery reused from ${location}`);
    else console.log(`  fill (seal + insert, not part of the start-up)   ${s(await fill(location))}`);

    const baseline = await readOnly(location);
    if (baseline.rows !== N) throw new Error(`read ${baseline.rows} rows, expected ${N}`);
    console.log(`  baseline: read every row, nothing opened          ${s(baseline.ms)}   (${mb(baseline.bytes)} of sealed templates)   load ${load()}`);
    const oneThread = await openOnOneThread(location);
    console.log(`  before: read + open on the main thread            ${s(oneThread)}   (${fmtInt(ONE_THREAD_SAMPLE)} rows timed, scaled to ${fmtInt(N)}; index build not included)`);

    const r = await startUpInItsOwnProcess(location);
    if (r.size !== N + 1) throw new Error(`loaded ${r.size - 1}, expected ${N}`);
    console.log(`  start-up, total (open → searchable)               ${s(r.totalMs)}   ${r.totalMs <= 60_000 ? 'within' : 'OVER'} the minute   (in a fresh process, as the centre starts)`);
    console.log(`    CPU time, every thread                          ${s(r.cpuMs)}   (on ${cpus().length} idle cores no less than ${s(r.cpuMs / cpus().length)} of wall time)`);
    console.log(`    open the database, unwrap the data key          ${s(r.openMs)}`);
    console.log(`    load: read pages → shards open + index          ${s(r.loadMs)}   (${fmtInt((N * 1000) / r.loadMs)} people/s)`);
    console.log(`      main thread waiting for the database          ${s(r.last.readMs)}`);
    console.log(`      main thread routing pages to the shards       ${s(r.last.handMs)}`);
    console.log(`      main thread waiting for the shards            ${s(r.last.waitMs)}`);
    console.log(`      shards opening (AES-256-GCM), in handler     ${s(r.threads.unsealMs)}   (wall time inside the shards' handlers, summed over ${SHARDS} threads)`);
    console.log(`      shards indexing, in handler                  ${s(r.threads.indexMs)}   (wall time inside the shards' handlers, summed over ${SHARDS} threads)`);
    console.log(`    per shard: ${r.shards.map((x) => `${fmtInt(x.size)} people, ${mb(x.bytes)} of index arrays`).join('; ')}`);
    console.log(`  RSS: before ${mb(r.rssBefore)}, loaded ${mb(r.rssAfter)}, peak while loading ${mb(r.peakRss)} (main thread and shards: one process)`);
    console.log(`  first search after start (multi-probe)            ${r.searchMs.toFixed(1)} ms; found the stored person as themself, and a new enrolment by the next search`);
    console.log(`  load average after: ${r.load}`);
  } finally {
    await cleanup();
  }
}

/** The start-up in a process of its own, so its memory is the centre's, not this benchmark's. */
async function startUpInItsOwnProcess(location: string): Promise<Awaited<ReturnType<typeof startUp>>> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), START_UP_ONLY, location], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the start-up process exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop()!);
}

if (process.argv[2] === START_UP_ONLY) {
  console.log(JSON.stringify(await startUp(process.argv[3]!)));
  process.exit(0);
}

console.log(`Tangguh gallery start-up benchmark — ${cpus().length} cores (${cpus()[0]?.model.trim() ?? '?'}), Node ${process.version}; load average at start ${load()} (other work on the machine skews every figure)`);
for (const dialect of DIALECTS) await run(dialect);
