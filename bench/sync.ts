/**
 * Sync benchmark: Jember's backlog. N recordings are queued at the office while the centre is down
 * (through `recordResident`, the real local-first write path), then the centre and the office start and
 * the outbox drains. Printed: the recording rate, the drain rate (signed HTTP push → durable apply at the
 * centre), a plain batched SQLite insert of the same rows as the baseline measured in the same run, and
 * — separately and for a smaller N — the time to deduplicate to PRINT_READY_RECORD.
 *
 *   npm run bench:sync                     # N = 70000
 *   BENCH_N=5000 npm run bench:sync        # quicker
 *   BENCH_BATCH=200                        # office push batch = baseline transaction size (office default 200)
 *   BENCH_DEDUP_QUEUE=70000                # records put straight into the centre as received, for the dedup worker alone (0 skips)
 *   BENCH_DEDUP_N=2000                     # recordings deduplicated end to end, office → final at the office (0 skips)
 *   BENCH_GALLERY=1000000                  # people already in the centre's gallery for the deduplication stages
 *   BENCH_DRAIN_ROUNDS=3                   # drains timed, each from a fresh copy of the backlog; the median is the figure
 *   BENCH_PROFILE=1                        # CPU-profile the centre and the office during the (first) drain, print the top
 *   BENCH_BACKLOG_DIR=/some/dir            # keep the queued backlog there and reuse it on the next run (same N)
 *   BENCH_AFTER_DRAIN_S=5                  # how long the office idles after the drain before its RSS is read
 *   BENCH_KEEP=1                           # keep the data directory
 *   BENCH_TSX=1                            # run the nodes' TypeScript sources under tsx (default: compiled, as npm start runs them)
 *
 * After the drain the office idles a few seconds and its resident memory (RSS) is printed, holding N records.
 */
import { execFileSync, spawn } from 'node:child_process';
import { get as httpGet } from 'node:http';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { RecordingRequest } from '@tangguh/protocol';

// The nodes seal their private keys under a master key the operator supplies; a benchmark brings a throwaway
// one unless one is given, and the nodes and workers it starts inherit it.
if (!process.env.TANGGUH_MASTER_KEY_FILE) process.env.TANGGUH_MASTER_KEY ??= 'tangguh-bench-master-key-not-for-production';

const N = Number(process.env.BENCH_N ?? 70000);
const BATCH = Number(process.env.BENCH_BATCH ?? 200);
const DEDUP_N = Number(process.env.BENCH_DEDUP_N ?? 2000);
const DEDUP_QUEUE = Number(process.env.BENCH_DEDUP_QUEUE ?? 70000);
const GALLERY = Number(process.env.BENCH_GALLERY ?? 1_000_000);
const PROFILE = process.env.BENCH_PROFILE === '1';
/** How long the office idles after a drain before its resident memory is read. */
const AFTER_DRAIN_MS = Number(process.env.BENCH_AFTER_DRAIN_S ?? 5) * 1000;
/** Drains timed, each from a fresh copy of the backlog; the median is the figure. */
const DRAIN_ROUNDS = Number(process.env.BENCH_DRAIN_ROUNDS ?? 3);
const BACKLOG_DIR = process.env.BENCH_BACKLOG_DIR;
const SEED = 3509;
/** Requests per message from the capture worker. */
const CHUNK = 250;

// ---------------------------------------------------------------------------------------------------
// The capture worker: builds synthetic recording requests (photo, signature, 12 templates per person) on
// the second core while the main thread records, so the benchmark does not wait on the synthetic device.

interface WorkerInput {
  count: number;
  seed: number;
}
type ToWorker = { type: 'more' };
type FromWorker = { type: 'chunk'; requests: RecordingRequest[]; generationMs: number } | { type: 'done' };

if (!isMainThread) {
  const { count, seed } = workerData as WorkerInput;
  const { syntheticResidents } = await import('@tangguh/capture');
  const { loadRegionDirectory } = await import('@tangguh/regions');
  const { syntheticRecording } = await import('../apps/cli/src/seed.ts');
  const people = syntheticResidents(count, { seed, regencyCode: '35.09', regions: await loadRegionDirectory() });
  let next = 0;
  const produce = async () => {
    if (next >= people.length) {
      parentPort!.postMessage({ type: 'done' } satisfies FromWorker);
      return;
    }
    const started = performance.now();
    const requests: RecordingRequest[] = [];
    for (const end = Math.min(people.length, next + CHUNK); next < end; next++) {
      const person = people[next]!;
      requests.push(await syntheticRecording(person, `bench-${seed}-${person.nik}`));
    }
    parentPort!.postMessage({ type: 'chunk', requests, generationMs: performance.now() - started } satisfies FromWorker);
  };
  // One chunk at a time, in order, however many requests for more are waiting.
  let chain = Promise.resolve();
  parentPort!.on('message', (_message: ToWorker) => {
    chain = chain.then(produce);
  });
}

/** Streams `count` requests from a capture worker, two chunks ahead at most. */
async function* captureStream(count: number, seed: number, stats: { generationMs: number }): AsyncGenerator<RecordingRequest> {
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); });`;
  const worker = new Worker(bootstrap, { eval: true, execArgv: [], workerData: { count, seed } satisfies WorkerInput });
  const inbox: FromWorker[] = [];
  let waiting: (() => void) | undefined;
  let failure: Error | undefined;
  worker.on('message', (message: FromWorker) => {
    inbox.push(message);
    waiting?.();
  });
  worker.on('error', (error) => {
    failure = error;
    waiting?.();
  });
  const ask = () => worker.postMessage({ type: 'more' } satisfies ToWorker);
  ask();
  ask();
  try {
    for (;;) {
      while (inbox.length === 0) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (waiting = resolve));
      }
      const message = inbox.shift()!;
      if (message.type === 'done') return;
      ask();
      stats.generationMs += message.generationMs;
      yield* message.requests;
    }
  } finally {
    await worker.terminate();
  }
}

// ---------------------------------------------------------------------------------------------------

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtS = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rate = (n: number, ms: number) => `${fmtInt(n / (ms / 1000))} rec/s`;
const progress = (text: string) => process.stderr.write(`\r\x1b[K${text}`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function machineNote(): string {
  const cpu = cpus();
  let disk = '';
  try {
    disk = execFileSync('df', ['-h', '--output=source,fstype', tmpdir()], { encoding: 'utf8' }).trim().split('\n').at(-1)?.replace(/\s+/g, ' ') ?? '';
  } catch {
    // not important
  }
  return `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, data in ${tmpdir()}${disk ? ` on ${disk}` : ''}; load average at start ${loadavg()[0]!.toFixed(2)} (other work on the machine skews every figure)`;
}

/** Self time by function in a V8 .cpuprofile, the top `count` entries, and the share the process was busy. */
function profileTop(file: string, count: number): string[] {
  interface ProfileNode {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)!.callFrame;
    const us = profile.timeDeltas[i] ?? 0;
    total += us;
    if (frame.functionName === '(idle)') {
      idle += us;
      return;
    }
    const where = frame.url ? ` ${frame.url.replace(/^.*\/(node_modules|apps|packages)\//, '$1/').replace(/^node:/, 'node:')}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName || '(anonymous)'}${where}`;
    self.set(key, (self.get(key) ?? 0) + us);
  });
  const busy = total - idle;
  const lines = [`busy ${fmtS(busy / 1000)} of ${fmtS(total / 1000)}; self time by function:`];
  for (const [key, us] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, count)) {
    lines.push(`  ${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${key}`);
  }
  return lines;
}

/** Resident memory of a process, from /proc (Linux). */
function rssMiB(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Puts `people` synthetic people straight into the centre's gallery (random templates, so none is anyone's
 * mate), sealed with the centre's data key as the dedup worker stores them — as bench/gallery.ts does, not
 * through HTTP — and moves the gallery counter past them.
 */
async function fillGallery(centralDb: string, people: number): Promise<number> {
  const { BIOMETRIC_POSITIONS, TEMPLATE_BYTES, packSet } = await import('@tangguh/domain');
  const { openCentral } = await import('../apps/central/src/services/provision.ts');
  const { handle, ctx } = await openCentral(centralDb);
  const started = performance.now();
  const PAGE = 5000;
  try {
    const at = new Date().toISOString();
    const bytes = BIOMETRIC_POSITIONS.length * TEMPLATE_BYTES;
    for (let start = 0; start < people; start += PAGE) {
      const size = Math.min(PAGE, people - start);
      const pool = randomBytes(size * bytes);
      const rows = Array.from({ length: size }, (_, i) => {
        const set = Object.fromEntries(BIOMETRIC_POSITIONS.map((p, k) => [p, new Uint8Array(pool.buffer, pool.byteOffset + i * bytes + k * TEMPLATE_BYTES, TEMPLATE_BYTES)]));
        return { record_id: `G${start + i}`, templates: ctx.galleryKey.seal(packSet(set as Parameters<typeof packSet>[0])), added_at: at, seq: start + i + 1 };
      });
      await ctx.db.transaction().execute(async (trx) => {
        await trx.insertInto('gallery').values(rows).execute();
        await trx.updateTable('counters').set({ value: start + size }).where('name', '=', 'gallery_seq').execute();
      });
      progress(`gallery: ${fmtInt(start + size)}/${fmtInt(people)} people sealed and stored`);
    }
  } finally {
    await handle.close();
  }
  process.stderr.write('\n');
  return performance.now() - started;
}

/**
 * Puts `count` records straight into the centre's database as an office's push leaves them (RECEIVED_AT_CENTRAL,
 * templates sealed to the centre), a share of them mates of the `mates` gallery people captured by the synthetic
 * device (enrolled here too) or of each other: bench/dedup-queue.ts says which.
 */
async function queueAtCentre(centralDb: string, count: number, mates: number): Promise<{ ms: number; mix: import('./dedup-queue.ts').QueuedMix }> {
  const { addGalleryMates, queueReceived } = await import('./dedup-queue.ts');
  const { openCentral } = await import('../apps/central/src/services/provision.ts');
  const { handle, ctx } = await openCentral(centralDb);
  const started = performance.now();
  try {
    await addGalleryMates(ctx, mates);
    const mix = await queueReceived(ctx, count, mates, (done) => progress(`dedup backlog: ${fmtInt(done)}/${fmtInt(count)} put into the centre as received`));
    process.stderr.write('\n');
    return { ms: performance.now() - started, mix };
  } finally {
    await handle.close();
  }
}

/** CPU seconds a process has used (user + system), from /proc (Linux). */
function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * 4a: the centre's dedup worker alone (its own process, as deployed) on a backlog already received: the
 * start-up (the index over the whole gallery) until its /health answers, then from there until no record of
 * the backlog is RECEIVED_AT_CENTRAL or PROCESSING. Verdicts are counted against the backlog's mix.
 */
async function dedupWorkerAlone(centralDb: string, count: number, mix: import('./dedup-queue.ts').QueuedMix, say: (line: string) => void): Promise<void> {
  const { CENTRAL_MAIN, freePort } = await import('../apps/cli/src/stack.ts');
  const { BACKLOG_OFFICE } = await import('./dedup-queue.ts');
  const healthPort = await freePort();
  const gallerySize = readNumber(centralDb, 'select count(*) from gallery');
  const started = performance.now();
  const worker = spawn(process.execPath, ['--import', 'tsx', CENTRAL_MAIN, '--db', centralDb, '--services=worker', '--health-port', String(healthPort)], { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const pending = () => readNumber(centralDb, `select count(*) from enrollments where office_id = '${BACKLOG_OFFICE}' and status in ('RECEIVED_AT_CENTRAL', 'PROCESSING')`);
  try {
    // Up when /health answers: the worker loads its index before it listens.
    for (;;) {
      if (worker.exitCode !== null) throw new Error(`the dedup worker exited (${worker.exitCode}) during start-up`);
      // A connection of its own each time (no keep-alive), so none is left open on the worker.
      const up = await new Promise<boolean>((resolve) => {
        const request = httpGet({ host: '127.0.0.1', port: healthPort, path: '/health', agent: false }, (response) => {
          response.resume();
          resolve(response.statusCode === 200);
        });
        request.on('error', () => resolve(false));
        request.setTimeout(5000, () => request.destroy());
      });
      if (up) break;
      progress(`dedup worker: starting, loading its index (${fmtS(performance.now() - started)})`);
      if (performance.now() - started > 10 * 60_000) throw new Error('the dedup worker did not start within 10 minutes');
      await sleep(250);
    }
    const readyAt = performance.now();
    const startupMs = readyAt - started;
    const cpuAtReady = cpuSeconds(worker.pid!) ?? 0;
    const leftAtReady = pending();
    const loads: number[] = [];
    let left = leftAtReady;
    while (left > 0) {
      await sleep(500);
      left = pending();
      loads.push(loadavg()[0]!);
      const elapsed = performance.now() - readyAt;
      progress(`dedup worker: ${fmtInt(count - left)}/${fmtInt(count)} decided  ${rate(leftAtReady - left, elapsed)}`);
      if (worker.exitCode !== null) throw new Error(`the dedup worker exited (${worker.exitCode})`);
      if (elapsed > 60 * 60_000) throw new Error('the dedup worker did not finish within an hour');
    }
    const ms = performance.now() - readyAt;
    const cpu = (cpuSeconds(worker.pid!) ?? 0) - cpuAtReady;
    process.stderr.write('\n');
    const verdicts = new Database(centralDb, { readonly: true, fileMustExist: true });
    let counts: Record<string, number>;
    try {
      const rows = verdicts.prepare('select status, count(*) as n from enrollments where office_id = ? group by status').all(BACKLOG_OFFICE) as { status: string; n: number }[];
      counts = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    } finally {
      verdicts.close();
    }
    const meanLoad = loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length);
    say(
      `Deduplication, the centre's dedup worker alone (${fmtInt(count)} records already RECEIVED_AT_CENTRAL → decided, gallery ${fmtInt(gallerySize)} at the start): ` +
        `start-up ${fmtS(startupMs)} (index over the gallery until /health answers); then ${fmtInt(leftAtReady)} decided in ${fmtS(ms)} = ${rate(leftAtReady, ms)} ` +
        `(goal ≥ 1,000 rec/s); worker CPU ${((1000 * cpu) / Math.max(1, leftAtReady)).toFixed(2)} ms a record over all its threads; load average ${meanLoad.toFixed(2)} during (1-minute, mean of ${loads.length} readings; ${cpus().length} cores)`,
    );
    say(
      `  verdicts: ${Object.entries(counts).map(([status, n]) => `${status} ${fmtInt(n)}`).join(', ')} — expected about ${fmtInt(mix.galleryMatesClean + mix.inQueueMates)} DUPLICATE_RECORD ` +
        `(clean recaptures), up to ${fmtInt(mix.galleryMatesPoor)} ADJUDICATE_RECORD (poor recaptures: how many the search finds in the adjudication band), ${fmtInt(mix.newPeople)} PRINT_READY_RECORD and the poor recaptures it does not find`,
    );
  } finally {
    await stopWorker(worker, exited, say);
  }
}

/**
 * Stops a dedup worker: SIGTERM, then SIGKILL if it has not exited after 15 s (and says so). Its rounds of
 * card packages after a backlog once kept the signal from being handled for minutes; they now give the event
 * loop a turn between rounds (apps/central/src/workers/dedup-worker.int.test.ts).
 */
async function stopWorker(worker: ReturnType<typeof spawn>, exited: Promise<void>, say: (line: string) => void, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (worker.exitCode !== null || worker.signalCode !== null) return;
  worker.kill(signal);
  const inTime = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
  if (inTime) return;
  say(`  (the dedup worker had not stopped 15 s after ${signal}: killed)`);
  worker.kill('SIGKILL');
  await exited;
}

/** Records `count` synthetic residents at the office in-process, through the real recording service. */
async function queueRecordings(officeDb: string, count: number, seed: number, label: string): Promise<{ wallMs: number; recordMs: number; generationMs: number }> {
  const { openOffice } = await import('@tangguh/office/runtime');
  const { officeSessionStore } = await import('@tangguh/office/repositories/users');
  const { recordResident } = await import('@tangguh/office/services/recording');
  const { ctx, handle } = await openOffice(officeDb);
  const operator = (await officeSessionStore(ctx.db).findLogin('operator'))!.user;
  const stats = { generationMs: 0 };
  let recordMs = 0;
  let done = 0;
  const started = performance.now();
  try {
    for await (const request of captureStream(count, seed, stats)) {
      const t = performance.now();
      await recordResident(ctx, { request, operator });
      recordMs += performance.now() - t;
      done += 1;
      if (done % 500 === 0 || done === count) {
        const elapsed = performance.now() - started;
        const eta = ((count - done) * elapsed) / done;
        progress(`${label}: recorded ${fmtInt(done)}/${fmtInt(count)}  ${rate(done, elapsed)} wall, ${rate(done, recordMs)} in recordResident  ETA ${fmtS(eta)}`);
      }
    }
  } finally {
    await handle.close();
  }
  process.stderr.write('\n');
  if (done !== count) throw new Error(`only ${done} of ${count} recordings were queued`);
  return { wallMs: performance.now() - started, recordMs, generationMs: stats.generationMs };
}

/** What one outbox entry weighs: the stored bytes, and the JSON and the binary (CBOR) body an office sends for it. */
async function packetSizes(officeDb: string): Promise<{ stored: number; wire: number; binary: number; sample: number }> {
  const { openOffice } = await import('@tangguh/office/runtime');
  const { nextOutboxBatch } = await import('@tangguh/office/services/sync');
  const { encodeCbor } = await import('@tangguh/protocol/node');
  const bytes = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));
  const { ctx, handle } = await openOffice(officeDb);
  try {
    const row = (await ctx.db
      .selectFrom('records')
      .select((eb) => eb.fn.avg<number>(eb.fn('length', ['photo'])).as('photo'))
      .select((eb) => eb.fn.avg<number>(eb.fn('length', ['signature'])).as('signature'))
      .select((eb) => eb.fn.avg<number>(eb.fn('length', ['sealed_biometrics'])).as('sealed'))
      .select((eb) => eb.fn.avg<number>(eb.fn('length', ['biodata'])).as('biodata'))
      .executeTakeFirstOrThrow()) as { photo: number; signature: number; sealed: number; biodata: number };
    const entries = await nextOutboxBatch(ctx, 1000);
    const wire = entries.reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e)), 0) / Math.max(1, entries.length);
    const binary =
      entries.reduce((sum, e) => {
        const packet = 'packet' in e ? { ...e.packet, photo: { ...e.packet.photo, data: bytes(e.packet.photo.data) }, signature: { ...e.packet.signature, data: bytes(e.packet.signature.data) }, sealedBiometrics: bytes(e.packet.sealedBiometrics) } : undefined;
        return sum + encodeCbor(packet ? { ...e, packet } : e).length;
      }, 0) / Math.max(1, entries.length);
    return { stored: Number(row.photo) + Number(row.signature) + Number(row.sealed) + Number(row.biodata), wire, binary, sample: entries.length };
  } finally {
    await handle.close();
  }
}

const readNumber = (path: string, sql: string): number => {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return Number(db.prepare(sql).pluck().get() ?? 0);
  } finally {
    db.close();
  }
};

/**
 * The baseline: the same rows (every column and byte of the centre's enrollments table, same table and
 * indexes) inserted into a fresh file with better-sqlite3, WAL + synchronous=FULL, in transactions of
 * BATCH rows. Only the insert transactions are timed, not reading the rows back from the centre.
 */
function baselineInsert(centralDb: string, file: string): { ms: number; rows: number } {
  const source = new Database(centralDb, { readonly: true, fileMustExist: true });
  const target = new Database(file);
  try {
    target.pragma('journal_mode = WAL');
    target.pragma('synchronous = FULL');
    const ddl = source.prepare("select sql from sqlite_master where tbl_name = 'enrollments' and sql is not null order by type desc").pluck().all() as string[];
    for (const statement of ddl) target.exec(statement);
    const columns = (source.prepare('pragma table_info(enrollments)').all() as { name: string }[]).map((c) => c.name);
    const insert = target.prepare(`insert into enrollments (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
    const insertBatch = target.transaction((rows: unknown[][]) => {
      for (const row of rows) insert.run(row);
    });
    const read = source.prepare(`select ${columns.join(', ')} from enrollments order by rowid`).raw(true);
    let ms = 0;
    let rows = 0;
    let batch: unknown[][] = [];
    const flush = () => {
      const t = performance.now();
      insertBatch(batch);
      ms += performance.now() - t;
      rows += batch.length;
      batch = [];
    };
    for (const row of read.iterate() as IterableIterator<unknown[]>) {
      batch.push(row);
      if (batch.length === BATCH) flush();
    }
    if (batch.length > 0) flush();
    return { ms, rows };
  } finally {
    source.close();
    target.close();
  }
}

type Running = { child?: unknown; url?: string; stop(signal?: NodeJS.Signals): Promise<void> }[];

/** Stage 4 (also alone, with BENCH_N=0): deduplication by the centre's worker, then end to end. */
async function dedupStages(dataDir: string, running: Running, say: (line: string) => void): Promise<void> {
  const { CENTRAL_MAIN, provisionStack, freePort, startCentral, startOffice } = await import('../apps/cli/src/stack.ts');
  // 4. Deduplication, on top of a gallery of GALLERY people already enrolled at the centre: first the dedup
  // worker alone on DEDUP_QUEUE records put straight into the centre as received (4a), then end to end from
  // an office's queue of DEDUP_N recordings until every one is final at the office (4b).
  if (DEDUP_N > 0 || DEDUP_QUEUE > 0) {
    const small = await provisionStack(join(dataDir, 'dedup'));
    if (DEDUP_N > 0) await queueRecordings(small.officeDb, DEDUP_N, SEED + 1, 'dedup queue');
    // A tenth of the backlog's size are people captured by the synthetic device, so the backlog has mates there.
    const mates = DEDUP_QUEUE > 0 ? Math.min(GALLERY, Math.ceil(DEDUP_QUEUE / 10)) : 0;
    const galleryMs = GALLERY > 0 ? await fillGallery(small.centralDb, GALLERY - mates) : 0;
    const backlog = DEDUP_QUEUE > 0 ? await queueAtCentre(small.centralDb, DEDUP_QUEUE, mates) : undefined;
    say(
      `Gallery for deduplication: ${fmtInt(GALLERY)} people generated straight into the centre's database, sealed, in ${fmtS(galleryMs)}` +
        (mates > 0 ? ` (${fmtInt(mates)} of them captured by the synthetic device, mates of queued records)` : '') +
        (GALLERY < 1_000_000 ? ` — SMALLER than the 1,000,000 of the goal (BENCH_GALLERY=${GALLERY})` : ''),
    );
    if (backlog) {
      say(
        `Backlog for the dedup worker: ${fmtInt(DEDUP_QUEUE)} records put straight into the centre as RECEIVED_AT_CENTRAL in ${fmtS(backlog.ms)}` +
          ` (${fmtInt(backlog.mix.galleryMatesClean)} clean and ${fmtInt(backlog.mix.galleryMatesPoor)} poor recaptures of gallery people, ${fmtInt(backlog.mix.inQueueMates)} recaptures of people queued just before them, ${fmtInt(backlog.mix.newPeople)} new people)` +
          (DEDUP_QUEUE < 70_000 ? ` — SMALLER than the 70,000 of the goal (BENCH_DEDUP_QUEUE=${DEDUP_QUEUE})` : ''),
      );
      await dedupWorkerAlone(small.centralDb, DEDUP_QUEUE, backlog.mix, say);
    }
  }
  if (DEDUP_N > 0) {
    const small = { centralDb: join(dataDir, 'dedup', 'central', 'central.db'), officeDb: join(dataDir, 'dedup', 'office', 'office.db') };
    // The gallery as 4a left it: GALLERY people and the backlog's print-ready records.
    const gallerySize = readNumber(small.centralDb, 'select count(*) from gallery');
    const started = performance.now();
    let firstFinalAt: number | undefined;
    // The centre as an API process and a dedup worker process on the same database: the worker builds its
    // index over the whole gallery before it answers anything (longer than a start-up check waits for a
    // large gallery), so it is started without waiting; the clock runs from here either way.
    const c = await startCentral(small.centralDb, await freePort(), ['--services', 'api'], { quiet: true });
    running.push(c);
    const worker = spawn(process.execPath, ['--import', 'tsx', CENTRAL_MAIN, '--db', small.centralDb, '--services=worker', '--health-port', String(await freePort())], { stdio: 'ignore' });
    const workerExited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    running.push({
      child: worker,
      url: '',
      stop: (signal: NodeJS.Signals = 'SIGTERM') => stopWorker(worker, workerExited, say, signal),
    });
    const o = await startOffice(small.officeDb, await freePort(), c.url, ['--batch-size', String(BATCH), '--idle-ms', '200'], { quiet: true });
    running.push(o);
    for (;;) {
      const ready = readNumber(small.officeDb, "select count(*) from records where status in ('PRINT_READY_RECORD', 'DUPLICATE_RECORD', 'ADJUDICATE_RECORD')");
      if (ready > 0 && firstFinalAt === undefined) firstFinalAt = performance.now();
      progress(`dedup: final at the office ${fmtInt(ready)}/${fmtInt(DEDUP_N)}`);
      if (ready >= DEDUP_N) break;
      if (performance.now() - started > 30 * 60_000) throw new Error('deduplication did not finish within 30 minutes');
      await sleep(200);
    }
    const ms = performance.now() - started;
    process.stderr.write('\n');
    const printReady = readNumber(small.officeDb, "select count(*) from records where status = 'PRINT_READY_RECORD'");
    const steady = firstFinalAt === undefined ? ms : performance.now() - firstFinalAt;
    say(
      `Deduplication end to end (N = ${fmtInt(DEDUP_N)} queued, gallery ${fmtInt(gallerySize)}, centre + office started on the backlog until every record is final at the office): ${fmtS(ms)} = ${rate(DEDUP_N, ms)} ` +
        `including the centre's start-up and index build; ${rate(DEDUP_N, steady)} from the first final record (${fmtInt(printReady)} PRINT_READY_RECORD)`,
    );
  }
}

async function main(): Promise<void> {
  // The nodes as `npm start` runs them: compiled (npm run build:server) and started with bare Node; stack.ts
  // reads TANGGUH_SERVER_BUILD when it is first imported. BENCH_TSX=1 runs the TypeScript sources under tsx.
  if (!process.env.BENCH_TSX && !process.env.TANGGUH_SERVER_BUILD) {
    // @ts-expect-error -- a plain JavaScript build script without type declarations
    const { buildServer, SERVER_BUILD } = (await import('../apps/cli/src/build-server.mjs')) as { buildServer: () => Promise<number>; SERVER_BUILD: string };
    await buildServer();
    process.env.TANGGUH_SERVER_BUILD = SERVER_BUILD;
  }
  const { provisionStack, freePort, startCentral, startOffice, OFFICE_MAIN } = await import('../apps/cli/src/stack.ts');
  type NodeProcess = Awaited<ReturnType<typeof startCentral>>;
  const dataDir = mkdtempSync(join(tmpdir(), 'tangguh-bench-sync-'));
  const running: NodeProcess[] = [];
  const say = (line: string) => console.log(line);
  try {
    say(`Tangguh sync benchmark — N = ${fmtInt(N)} recordings, push batch ${BATCH}; the nodes run ${OFFICE_MAIN.endsWith('.ts') ? 'from their TypeScript sources under tsx (BENCH_TSX)' : 'compiled, with bare Node, as npm start runs them'}`);
    say(`Machine: ${machineNote()}`);
    // BENCH_N=0: the deduplication stages alone (the drain's stages need the machine quiet enough to start nodes in 30 s).
    if (N === 0) return await dedupStages(dataDir, running, say);

    // 1. The backlog: recorded while the centre is down (or a copy of one kept by an earlier run).
    const drainDir = join(dataDir, 'drain');
    const saved = BACKLOG_DIR ? join(BACKLOG_DIR, `backlog-${N}-${SEED}`) : undefined;
    let paths: Awaited<ReturnType<typeof provisionStack>>;
    if (saved && existsSync(join(saved, 'complete'))) {
      cpSync(saved, drainDir, { recursive: true });
      paths = { centralDb: join(drainDir, 'central', 'central.db'), officeDb: join(drainDir, 'office', 'office.db') };
      say(`Recording: skipped, the backlog of ${fmtInt(N)} was copied from an earlier run (BENCH_BACKLOG_DIR)`);
    } else {
      paths = await provisionStack(drainDir);
      const queued = await queueRecordings(paths.officeDb, N, SEED, 'queue');
      say(
        `Recording (office, in-process recordResident: checks + seal + one durable transaction each): ${rate(N, queued.recordMs)} ` +
          `(${(queued.recordMs / N).toFixed(2)} ms each; wall ${fmtS(queued.wallMs)} with the synthetic capture on a second thread, ${fmtS(queued.generationMs)} of capture work)`,
      );
      if (saved) {
        rmSync(saved, { recursive: true, force: true });
        cpSync(drainDir, saved, { recursive: true });
        mkdirSync(join(saved, 'complete'));
      }
    }
    const officeBytes = statSync(paths.officeDb).size;
    const sizes = await packetSizes(paths.officeDb);
    say(
      `Average packet: ${fmtInt(sizes.stored)} bytes stored (photo + signature + sealed templates + biodata), ` +
        `${fmtInt(sizes.binary)} bytes as the drain sends it (CBOR), ${fmtInt(sizes.wire)} as JSON (sample of ${fmtInt(sizes.sample)}); office DB ${fmtInt(officeBytes / 2 ** 20)} MiB`,
    );
    const maxSeq = readNumber(paths.officeDb, 'select max(seq) from outbox');

    // 2. The drain: the centre (API only: deduplication is a separate stage, measured below) and the office.
    // BENCH_DRAIN_ROUNDS times (3 by default), each from a fresh copy of the backlog; the median round is the
    // figure, since one round of 15–25 s moves by a fifth with the machine's other work (each round printed).
    // With BENCH_PROFILE=1 both nodes of the first round run under the CPU profiler (bench/cpu-profile-hook.mjs).
    const pristine = DRAIN_ROUNDS > 1 ? join(dataDir, 'drain-pristine') : undefined;
    if (pristine) cpSync(drainDir, pristine, { recursive: true });
    const profileDir = join(dataDir, 'profiles');
    const drainRound = async (round: number) => {
      if (round > 1 && pristine) {
        rmSync(drainDir, { recursive: true, force: true });
        cpSync(pristine, drainDir, { recursive: true });
      }
      const nodeOptions = process.env.NODE_OPTIONS;
      const profiled = PROFILE && round === 1;
      if (profiled) {
        mkdirSync(profileDir, { recursive: true });
        process.env.TANGGUH_BENCH_PROFILE_DIR = profileDir;
        process.env.NODE_OPTIONS = `${nodeOptions ?? ''} --import ${fileURLToPath(new URL('./cpu-profile-hook.mjs', import.meta.url))}`.trim();
      }
      const centralPort = await freePort();
      const central = await startCentral(paths.centralDb, centralPort, ['--services', 'api'], { quiet: true });
      running.push(central);
      const drainStarted = performance.now();
      const office = await startOffice(paths.officeDb, await freePort(), central.url, ['--batch-size', String(BATCH), '--idle-ms', '200'], { quiet: true });
      running.push(office);
      if (profiled) {
        delete process.env.TANGGUH_BENCH_PROFILE_DIR;
        if (nodeOptions === undefined) delete process.env.NODE_OPTIONS;
        else process.env.NODE_OPTIONS = nodeOptions;
      }
      const officeUpMs = performance.now() - drainStarted;
      let firstAppliedAt: number | undefined;
      let firstApplied = 0;
      for (;;) {
        const applied = readNumber(paths.centralDb, "select applied_seq from offices where office_id = '3509'");
        const now = performance.now();
        if (applied > 0 && firstAppliedAt === undefined) {
          firstAppliedAt = now;
          firstApplied = applied;
        }
        progress(`drain, round ${round} of ${DRAIN_ROUNDS}: applied at the centre ${fmtInt(applied)}/${fmtInt(maxSeq)}  ${firstAppliedAt !== undefined && now > firstAppliedAt + 500 ? rate(applied - firstApplied, now - firstAppliedAt) : ''}`);
        if (applied >= maxSeq) break;
        if (now - drainStarted > 30 * 60_000) throw new Error('the drain did not finish within 30 minutes');
        await sleep(100);
      }
      const drainMs = performance.now() - drainStarted;
      const steadyMs = performance.now() - (firstAppliedAt ?? drainStarted);
      // The office learns of it with the acknowledgement (its outbox pending → 0).
      while (readNumber(paths.officeDb, "select value from sync_state where key = 'acked_seq'") < maxSeq) await sleep(50);
      const ackedMs = performance.now() - drainStarted;
      process.stderr.write('\n');
      // The office now holds N records and has nothing to send: what it keeps resident while idle, after
      // BENCH_AFTER_DRAIN_S (5 s; V8 gives back its grown heap only after a minute or two of idling).
      await sleep(AFTER_DRAIN_MS);
      const officeRss = office.child.pid ? rssMiB(office.child.pid) : undefined;
      const centralRss = central.child.pid ? rssMiB(central.child.pid) : undefined;
      await office.stop();
      await central.stop();
      running.length = 0;

      const enrolled = readNumber(paths.centralDb, 'select count(*) from enrollments');
      const twice = readNumber(paths.centralDb, 'select count(*) from (select record_id from applied_entries group by record_id having count(*) > 1)');
      if (enrolled !== N || twice !== 0) throw new Error(`centre holds ${enrolled} enrollments (expected ${N}), ${twice} applied twice`);
      say(
        `Drain round ${round} (office outbox → signed HTTP push, binary (CBOR), two batches on the wire, the feed entries in the answer → validated, durably applied at the centre; NOT deduplication): ` +
          `${fmtInt(N)} in ${fmtS(drainMs)} = ${rate(N, drainMs)} (incl. ${fmtS(officeUpMs)} office start-up; ${rate(N - firstApplied, steadyMs)} from the first applied batch; office acknowledged all after ${fmtS(ackedMs)}; ` +
          `load average ${loadavg()[0]!.toFixed(2)})`,
      );
      return { drainMs, steadyMs, firstApplied, officeRss, centralRss };
    };
    const rounds = [];
    for (let round = 1; round <= DRAIN_ROUNDS; round++) rounds.push(await drainRound(round));
    const drain = [...rounds].sort((x, y) => x.drainMs - y.drainMs)[Math.floor((rounds.length - 1) / 2)]!;
    const { drainMs, steadyMs, firstApplied, officeRss, centralRss } = drain;
    const drainRate = N / (drainMs / 1000);
    say(`Drain, median of ${rounds.length} round${rounds.length === 1 ? '' : 's'}: ${fmtInt(N)} in ${fmtS(drainMs)} = ${rate(N, drainMs)}; ${rate(N - firstApplied, steadyMs)} from the first applied batch`);

    say(
      `Memory: the office process idling ${fmtS(AFTER_DRAIN_MS)} after the drain, holding ${fmtInt(N)} records, RSS ${officeRss === undefined ? '?' : `${officeRss.toFixed(0)} MiB`} ` +
        `(goal: under 200 MB with 100,000 records); the centre's API process ${centralRss === undefined ? '?' : `${centralRss.toFixed(0)} MiB`}`,
    );
    if (PROFILE) {
      for (const file of readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))) {
        const which = file.includes('central') ? 'centre (API)' : file.includes('office') ? 'office' : file;
        say(`Profile of the ${which} over its whole life (start-up included), round 1, top ${12}:`);
        for (const line of profileTop(join(profileDir, file), 12)) say(`  ${line}`);
      }
    }

    // 3. The baseline, in the same run: a plain batched insert of the same rows.
    // Three times, into a fresh file each: a single run of a few seconds moves by a fifth with the machine's other
    // work, so the median is the baseline (each run printed).
    const baselines = [1, 2, 3].map((i) => baselineInsert(paths.centralDb, join(dataDir, `baseline-${i}.db`)));
    const baseline = [...baselines].sort((a, b) => a.ms - b.ms)[1]!;
    const baselineRate = baseline.rows / (baseline.ms / 1000);
    say(
      `Baseline (better-sqlite3, same enrollments rows/columns/indexes, WAL + synchronous=FULL, ${BATCH}-row transactions), median of 3: ${fmtInt(baseline.rows)} in ${fmtS(baseline.ms)} = ${rate(baseline.rows, baseline.ms)} ` +
        `(runs: ${baselines.map((b) => rate(b.rows, b.ms)).join(', ')})`,
    );
    say(`Ratio drain / baseline: ${(drainRate / baselineRate).toFixed(3)} (the drain reaches ${(100 * drainRate / baselineRate).toFixed(1)}% of the plain insert rate; steady state ${(100 * ((N - firstApplied) / (steadyMs / 1000)) / baselineRate).toFixed(1)}%)`);

    await dedupStages(dataDir, running, say);
  } finally {
    for (const node of running.reverse()) await node.stop('SIGTERM');
    if (process.env.BENCH_KEEP) console.log(`data kept in ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

if (isMainThread) await main();
