/**
 * An office node's resident memory while idle (issue 11: "an office node holding 100,000 records idles under
 * 200 MB resident"). Provisions an office, fills it with N records, starts the REAL office process as `npm start`
 * starts it (compiled first by npm run build:server: dist/server/office.mjs under bare Node; api + worker in one
 * process, with its threads), lets it settle idle and
 * prints its RSS with a breakdown — next to baselines measured in the same run: a bare Node process, a bare
 * Node with the TypeScript loader the office runs under, and the same office with an empty database.
 *
 * The data: the first RECORDED people go through the real recording service (`recordResident`: checks, seal to
 * the centre, the office's gallery copy sealed with its own data key, outbox), the rest are copies of those rows
 * under new ids and NIKs, written straight into the database in bulk — each with its own random templates
 * sealed with the office's gallery key into `office_gallery`, as the recording service stores them, so the
 * provisional index loads N people. The outbox is marked acknowledged (as after a drain) and the centre is
 * unreachable (an outage: the case the provisional index exists for), so the node has nothing to do but wait.
 *
 * "Idle" is when the process used under 50 ms of CPU in the last 5 s, at least 15 s after it answered /health
 * (the provisional index loads in the background after start); its memory is read BENCH_IDLE_S (180) seconds
 * after that, since V8's memory reducer shrinks the heap only after a minute or two of idling (both printed).
 * Figures come from /proc (VmRSS, RssAnon,
 * RssFile, Threads, smaps by mapping) and from the process itself through bench/memory-hook.mjs
 * (process.memoryUsage(), V8 heap spaces), read on SIGUSR2; the hook then collects garbage once and the RSS
 * after that is printed too.
 *
 *   npm run bench:office-memory                      # 100,000 records
 *   BENCH_OFFICE_RECORDS=20000 npm run bench:office-memory
 *   BENCH_OFFICE_DATA=/some/dir                      # keep the filled office there and reuse it on the next run (same N)
 *   BENCH_OFFICE_MAIN=/old/checkout/apps/office/src/main.ts   # run another version of the office on the same data
 *   BENCH_OFFICE_TSX=1                               # the office's TypeScript sources under tsx (default: compiled, as npm start runs it)
 *   BENCH_KEEP=1                                     # keep the data directory
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomFillSync, randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

if (!process.env.TANGGUH_MASTER_KEY_FILE) process.env.TANGGUH_MASTER_KEY ??= 'tangguh-bench-master-key-not-for-production';

const N = Number(process.env.BENCH_OFFICE_RECORDS ?? 100_000);
/** People recorded through the real recording service; the rest are bulk copies of their rows. */
const RECORDED = Math.min(N, 40);
/** How long a process is watched once idle before its memory is read (V8 shrinks its heap after a minute or two of idling). */
const IDLE_MS = Number(process.env.BENCH_IDLE_S ?? 180) * 1000;
const HOOK = fileURLToPath(new URL('./memory-hook.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('../', import.meta.url));

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const progress = (text: string) => process.stderr.write(`\r\x1b[K${text}`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Usage {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}
interface HookReport {
  before: Usage;
  afterGc: Usage;
  heap: { total_physical_size: number; malloced_memory: number; external_memory: number; number_of_native_contexts: number };
  spaces: { name: string; used: number; size: number; physical: number }[];
}
interface Measured {
  label: string;
  settleS: number;
  /** CPU the process used from its start until idle (start-up, the index's load). */
  cpuS: number;
  /** RSS when it went idle; `status` is read IDLE_MS later. */
  rssAtSettle: number;
  idleS: number;
  status: Record<string, number>;
  smaps: [string, number][];
  hook?: HookReport;
  rssAfterGc?: number;
}

function procStatus(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
    const m = /^(\w+):\s+(\d+)( kB)?/.exec(line);
    if (m) out[m[1]!] = Number(m[2]) * (m[3] ? 1024 : 1);
  }
  return out;
}

/** Resident bytes by mapping, grouped: the V8 heap and other anonymous memory, malloc's heap, the node binary, native addons, other files. */
function smapsByKind(pid: number): [string, number][] {
  const groups = new Map<string, number>();
  let kind = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      const name = header[1]!.trim();
      kind =
        name === '' ? 'anonymous mappings (V8 heap, large buffers, thread stacks, mmap\'d malloc arenas)'
        : name === '[heap]' ? 'malloc heap ([heap])'
        : name.startsWith('[') ? 'kernel/stack ([stack], [vvar], …)'
        : name.endsWith('.node') ? 'native addons (.node)'
        : name === process.execPath || name.endsWith('/node') ? 'node binary'
        : /\.(db|db-wal|db-shm)$/.test(name) ? 'SQLite files (mmap)'
        : 'shared libraries, other files';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) groups.set(kind, (groups.get(kind) ?? 0) + Number(rss[1]) * 1024);
  }
  return [...groups.entries()].sort((a, b) => b[1] - a[1]);
}

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Waits until the process is idle (see the header), then reads everything. */
async function measure(label: string, child: ChildProcess, memoryFile: string, minMs = 15_000, idleMs = IDLE_MS): Promise<Measured> {
  const pid = child.pid!;
  const started = performance.now();
  const window: number[] = [];
  for (;;) {
    window.push(cpuTicks(pid));
    if (window.length > 6) window.shift();
    const elapsed = performance.now() - started;
    const rss = procStatus(pid).VmRSS ?? 0;
    progress(`${label}: settling ${(elapsed / 1000).toFixed(0)} s, RSS ${mib(rss)}`);
    // Clock ticks are 1/100 s: under 5 ticks in 5 s is under 1 % of a core.
    if (elapsed >= minMs && window.length === 6 && window[5]! - window[0]! < 5) break;
    if (elapsed > 15 * 60_000) throw new Error(`${label} did not settle within 15 minutes`);
    await sleep(1000);
  }
  const settleS = (performance.now() - started) / 1000;
  const cpuS = cpuTicks(pid) / 100;
  const rssAtSettle = procStatus(pid).VmRSS ?? 0;
  // V8's memory reducer gives memory back only after the process has idled a while (a minute or two): watch it.
  const idleStarted = performance.now();
  for (let elapsed = 0; elapsed < idleMs; elapsed = performance.now() - idleStarted) {
    progress(`${label}: idle ${(elapsed / 1000).toFixed(0)}/${(idleMs / 1000).toFixed(0)} s, RSS ${mib(procStatus(pid).VmRSS ?? 0)} (${mib(rssAtSettle)} when it went idle)`);
    await sleep(5000);
  }
  process.stderr.write('\n');
  const status = procStatus(pid);
  const smaps = smapsByKind(pid);
  const file = `${memoryFile}.${pid}.json`;
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100 && !existsSync(file); i++) await sleep(100);
  let hook: HookReport | undefined;
  let rssAfterGc: number | undefined;
  if (existsSync(file)) {
    await sleep(200);
    hook = JSON.parse(readFileSync(file, 'utf8')) as HookReport;
    await sleep(2000);
    rssAfterGc = procStatus(pid).VmRSS;
  }
  return { label, settleS, cpuS, rssAtSettle, idleS: idleMs / 1000, status, smaps, hook, rssAfterGc };
}

function spawnWithHook(args: string[], memoryFile: string): ChildProcess {
  return spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${HOOK}`.trim(), TANGGUH_BENCH_MEMORY_FILE: memoryFile },
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** Records RECORDED people through the real service, then copies them in bulk up to `count`, each with its own sealed gallery templates. */
async function fill(officeDb: string, count: number): Promise<number> {
  const started = performance.now();
  const { BIOMETRIC_POSITIONS, TEMPLATE_BYTES, packSet } = await import('@tangguh/domain');
  const { syntheticResidents } = await import('@tangguh/capture');
  const { openOffice } = await import('@tangguh/office/runtime');
  const { officeSessionStore } = await import('@tangguh/office/repositories/users');
  const { recordResident } = await import('@tangguh/office/services/recording');
  const { galleryDataKey } = await import('../apps/office/src/services/provisional-dedup.ts');
  const { syntheticRecording } = await import('../apps/cli/src/seed.ts');
  const { ctx, handle } = await openOffice(officeDb);
  let key: Awaited<ReturnType<typeof galleryDataKey>>;
  try {
    const operator = (await officeSessionStore(ctx.db).findLogin('operator'))!.user;
    const people = syntheticResidents(Math.min(count, RECORDED), { seed: 3509, regencyCode: ctx.office.regencyCode, regions: ctx.regions });
    for (const person of people) await recordResident(ctx, { request: await syntheticRecording(person, person.nik), operator });
    key = await galleryDataKey(ctx.db);
  } finally {
    await handle.close();
  }

  const db = new Database(officeDb);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const sources = db.prepare('select id from records order by recorded_at').pluck().all() as string[];
    const columns = (db.prepare('pragma table_info(records)').all() as { name: string }[]).map((c) => c.name);
    const replaced: Record<string, string> = { id: '@id', registration_number: '@regno', client_request_id: 'null', nik: '@nik' };
    const copyRecord = db.prepare(`insert into records (${columns.join(', ')}) select ${columns.map((c) => replaced[c] ?? c).join(', ')} from records where id = @source`);
    const addEvent = db.prepare("insert into status_events (record_id, status, at, source, note) select @id, status, at, source, note from status_events where record_id = @source and status = 'BIO_CAPTURED'");
    const addOutbox = db.prepare("insert into outbox (seq, kind, record_id, subject_id, payload, created_at) values (@seq, 'recording.created', @id, null, null, @at)");
    const addGallery = db.prepare("insert into office_gallery (seq, record_id, nik, full_name, source, templates, added_at) values (@seq, @id, @nik, 'Penduduk Uji', 'office', @templates, @at)");
    let outboxSeq = Number(db.prepare("select value from counters where name = 'outbox_seq'").pluck().get());
    let gallerySeq = Number(db.prepare('select coalesce(max(seq), 0) from office_gallery').pluck().get());
    const perPerson = BIOMETRIC_POSITIONS.length * TEMPLATE_BYTES;
    const at = new Date().toISOString();
    const PAGE = 5000;
    for (let done = sources.length; done < count; ) {
      const size = Math.min(PAGE, count - done);
      const pool = randomFillSync(new Uint8Array(size * perPerson));
      db.transaction(() => {
        for (let i = 0; i < size; i++) {
          const n = done + i;
          const id = randomUUID();
          const nik = `3509${String(90_000_000_000 + n).padStart(12, '0')}`;
          const set = Object.fromEntries(BIOMETRIC_POSITIONS.map((p, k) => [p, pool.subarray(i * perPerson + k * TEMPLATE_BYTES, i * perPerson + (k + 1) * TEMPLATE_BYTES)]));
          copyRecord.run({ id, regno: `3509-BENCH-${n}`, nik, source: sources[n % sources.length] });
          addEvent.run({ id, source: sources[n % sources.length] });
          addOutbox.run({ seq: ++outboxSeq, id, at });
          addGallery.run({ seq: ++gallerySeq, id, nik, templates: key.seal(packSet(set as Parameters<typeof packSet>[0])), at });
        }
      })();
      done += size;
      progress(`records: ${fmtInt(done)}/${fmtInt(count)} (gallery templates sealed with the office's key)`);
    }
    const maxSeq = Number(db.prepare('select coalesce(max(seq), 0) from outbox').pluck().get());
    db.prepare("update counters set value = ? where name = 'outbox_seq'").run(maxSeq);
    // As after a drain: everything acknowledged by the centre, the records on their way through it.
    db.prepare("insert into sync_state (key, value) values ('acked_seq', ?) on conflict (key) do update set value = excluded.value").run(String(maxSeq));
    db.prepare("update records set status = 'SENT_FOR_ENROLLMENT'").run();
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  process.stderr.write('\n');
  return performance.now() - started;
}

function report(m: Measured): string[] {
  const s = m.status;
  const lines = [
    `${m.label}: RSS ${mib(s.VmRSS ?? 0)} (anonymous ${mib(s.RssAnon ?? 0)}, file-backed ${mib(s.RssFile ?? 0)}), ${s.Threads} threads; idle after ${m.settleS.toFixed(0)} s (${m.cpuS.toFixed(1)} s of CPU since its start) with ${mib(m.rssAtSettle)}, read ${m.idleS.toFixed(0)} s later` +
      (m.rssAfterGc !== undefined ? `; RSS after one forced GC ${mib(m.rssAfterGc)}` : ''),
  ];
  if (m.hook) {
    const { before, afterGc } = m.hook;
    lines.push(
      `  process.memoryUsage(): heap used ${mib(before.heapUsed)} of ${mib(before.heapTotal)}, external ${mib(before.external)} (array buffers ${mib(before.arrayBuffers)}); ` +
        `after GC heap used ${mib(afterGc.heapUsed)} of ${mib(afterGc.heapTotal)}; V8 malloced ${mib(m.hook.heap.malloced_memory)}, native contexts ${m.hook.heap.number_of_native_contexts}`,
    );
    lines.push(`  V8 spaces (used/committed): ${m.hook.spaces.filter((x) => x.size > 0).map((x) => `${x.name.replace(/_space$/, '')} ${mib(x.used)}/${mib(x.size)}`).join(', ')}`);
  }
  lines.push(`  resident by mapping: ${m.smaps.filter(([, b]) => b >= 2 ** 19).map(([k, b]) => `${k} ${mib(b)}`).join('; ')}`);
  return lines;
}

async function main(): Promise<void> {
  const stack = await import('../apps/cli/src/stack.ts');
  const { provisionStack, freePort, nodeEntryArgs } = stack;
  // The office as `npm start` runs it: compiled (npm run build:server), with bare Node. BENCH_OFFICE_TSX=1 runs
  // the TypeScript sources under tsx instead; BENCH_OFFICE_MAIN another office's entry (an older checkout's
  // apps/office/src/main.ts, or a compiled dist/server/office.mjs) for a before/after on the same data.
  let OFFICE_MAIN = process.env.BENCH_OFFICE_MAIN ?? stack.OFFICE_MAIN;
  if (!process.env.BENCH_OFFICE_MAIN && !process.env.BENCH_OFFICE_TSX) {
    // @ts-expect-error -- a plain JavaScript build script without type declarations
    const { buildServer, SERVER_BUILD } = (await import('../apps/cli/src/build-server.mjs')) as { buildServer: () => Promise<number>; SERVER_BUILD: string };
    await buildServer();
    OFFICE_MAIN = join(SERVER_BUILD, 'office.mjs');
  }
  const officeKind = OFFICE_MAIN.endsWith('.ts') ? 'TypeScript sources under tsx' : 'compiled JavaScript, bare Node';
  const dataDir = mkdtempSync(join(tmpdir(), 'tangguh-bench-office-memory-'));
  const memoryFile = join(dataDir, 'memory');
  const cpu = cpus();
  console.log(`Office idle memory — ${fmtInt(N)} records (goal: under 200 MB resident at 100,000) — the office measured: ${relative(ROOT, OFFICE_MAIN)} (${officeKind})`);
  console.log(`Machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}; load average at start ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const results: Measured[] = [];
  const children: ChildProcess[] = [];
  try {
    const empty = await provisionStack(join(dataDir, 'empty'));
    // A filled office kept by an earlier run (BENCH_OFFICE_DATA), or a new one.
    const saved = process.env.BENCH_OFFICE_DATA ? join(process.env.BENCH_OFFICE_DATA, `office-${N}`) : undefined;
    const full = { officeDb: join(dataDir, 'full', 'office', 'office.db') };
    if (saved && existsSync(join(saved, 'complete'))) {
      cpSync(saved, join(dataDir, 'full'), { recursive: true });
      console.log(`Data: the office of ${fmtInt(N)} records kept by an earlier run was copied (BENCH_OFFICE_DATA); office DB ${mib(statSync(full.officeDb).size)}`);
    } else {
      await provisionStack(join(dataDir, 'full'));
      const fillMs = await fill(full.officeDb, N);
      console.log(
        `Data: ${fmtInt(RECORDED)} recorded through recordResident, the rest copied in bulk with their own sealed gallery templates, in ${(fillMs / 1000).toFixed(1)} s; ` +
          `office DB ${mib(statSync(full.officeDb).size)}`,
      );
      if (saved) {
        rmSync(saved, { recursive: true, force: true });
        cpSync(join(dataDir, 'full'), saved, { recursive: true });
        mkdirSync(join(saved, 'complete'));
      }
    }
    // An unreachable centre: nothing listens on this port.
    const deadCentre = `http://127.0.0.1:${await freePort()}`;

    const runs: { label: string; args: () => Promise<string[]>; health?: boolean; minMs?: number; idleMs?: number }[] = [
      { label: 'bare Node (node -e, a timer)', args: async () => ['-e', 'setInterval(() => {}, 1000)'], minMs: 6000, idleMs: 0 },
      { label: 'bare Node + TypeScript loader (--import tsx)', args: async () => ['--import', 'tsx', '-e', 'setInterval(() => {}, 1000)'], minMs: 6000, idleMs: 0 },
      { label: `office (${officeKind}), empty database`, args: async () => [...nodeEntryArgs(OFFICE_MAIN), '--db', empty.officeDb, '--central', deadCentre, '--port', String(await freePort())], health: true },
      { label: `office (${officeKind}), ${fmtInt(N)} records`, args: async () => [...nodeEntryArgs(OFFICE_MAIN), '--db', full.officeDb, '--central', deadCentre, '--port', String(await freePort())], health: true },
    ];
    for (const run of runs) {
      const args = await run.args();
      const child = spawnWithHook(args, memoryFile);
      children.push(child);
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      if (run.health) {
        const port = args[args.indexOf('--port') + 1];
        const deadline = Date.now() + 60_000;
        for (;;) {
          if (child.exitCode !== null) throw new Error(`${run.label} exited with ${child.exitCode}: ${stderr.slice(-2000)}`);
          try {
            if ((await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) })).ok) break;
          } catch {
            // not listening yet
          }
          if (Date.now() > deadline) throw new Error(`${run.label} did not answer /health within 60 s: ${stderr.slice(-2000)}`);
          await sleep(200);
        }
      }
      const measured = await measure(run.label, child, memoryFile, run.minMs, run.idleMs);
      results.push(measured);
      for (const line of report(measured)) console.log(line);
      await stop(child);
    }
    const [bare, tsx, emptyOffice, fullOffice] = results.map((r) => r.status.VmRSS ?? 0) as [number, number, number, number];
    console.log('');
    console.log(`| process | RSS when idle | RSS idle ${(IDLE_MS / 1000).toFixed(0)} s later | threads |`);
    console.log('|---|---|---|---|');
    for (const r of results) console.log(`| ${r.label} | ${mib(r.rssAtSettle)} | ${mib(r.status.VmRSS ?? 0)} | ${r.status.Threads} |`);
    console.log(
      `\nOffice with ${fmtInt(N)} records: ${mib(fullOffice)} resident (${fullOffice < 200e6 ? 'under' : 'OVER'} the 200 MB goal); ` +
        `${mib(fullOffice - emptyOffice)} more than the empty office, which is ` +
        (OFFICE_MAIN.endsWith('.ts') ? `${mib(emptyOffice - tsx)} over a bare Node with the loader (${mib(tsx)}; bare Node ${mib(bare)}). ` : `${mib(emptyOffice - bare)} over a bare Node (${mib(bare)}; with the TypeScript loader ${mib(tsx)}). `) +
        `Load average at the end ${loadavg().map((x) => x.toFixed(2)).join(' ')}.`,
    );
  } finally {
    for (const child of children) await stop(child);
    if (process.env.BENCH_KEEP) console.log(`data kept in ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
