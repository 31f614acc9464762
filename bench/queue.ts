/**
 * Queue benchmark: kiosk tickets and call-next from 50 concurrent kiosks and 50 concurrent counters against
 * a real office over HTTP on loopback (the office in a child process with its real app, SQLite as offices
 * run it: WAL, synchronous=FULL), next to the baseline measured in the same run: a bare better-sqlite3
 * transaction (one insert + one update) on a file with the same pragmas.
 *
 *   npm run bench:queue
 *   BENCH_CLIENTS=50 BENCH_TICKETS=4000 BENCH_SECONDS=6 npm run bench:queue
 *
 * Phases: (1) 50 kiosks issue BENCH_TICKETS tickets; (2) 50 counters call next (and finish) until none
 * waits, and the run checks no ticket was called twice; (3) kiosks and counters together for BENCH_SECONDS.
 * Every request comes from one address, so the kiosk's per-address limit is raised for the run; the limiter
 * still runs. The office's clock is set to a Tuesday 09:00 (a working day within opening hours) whatever
 * the machine's date, else the kiosk would rightly refuse on a weekend night.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

if (!process.env.TANGGUH_MASTER_KEY_FILE) process.env.TANGGUH_MASTER_KEY ??= 'tangguh-bench-master-key-not-for-production';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 4000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const BASELINE_OPS = Number(process.env.BENCH_BASELINE_OPS ?? 5000);
const SERVICES = ['perekaman', 'cetak', 'pengambilan', 'suket', 'tte_dokumen', 'kk', 'akta', 'konsultasi'];

// ---------------------------------------------------------------------------------------------------
// The child: a provisioned office serving its real app.

async function serve(): Promise<void> {
  process.env.TANGGUH_KIOSK_RATE_PER_MINUTE = String(1e9);
  const { provisionStack, freePort } = await import('../apps/cli/src/stack.ts');
  const { openOffice } = await import('../apps/office/src/runtime.ts');
  const { buildOfficeApp } = await import('../apps/office/src/app.ts');
  const { saveQueueSettings } = await import('../apps/office/src/services/queue-settings.ts');
  const { DEFAULT_QUEUE_SETTINGS } = await import('../packages/domain/src/queue.ts');
  const dir = mkdtempSync(join(tmpdir(), 'tangguh-bench-queue-'));
  const paths = await provisionStack(dir);
  const office = await openOffice(paths.officeDb);
  // A Tuesday, 09:00 in the office's zone, moving with the real clock.
  const offset = Date.parse('2026-12-01T09:00:00+07:00') - Date.now();
  office.ctx.now = () => new Date(Date.now() + offset);
  const quotas = Object.fromEntries(SERVICES.map((s) => [s, { online: 100, walkIn: 5000 }])) as typeof DEFAULT_QUEUE_SETTINGS.quotas;
  await saveQueueSettings(office.ctx.db, { ...DEFAULT_QUEUE_SETTINGS, quotas });
  const app = await buildOfficeApp(office.ctx, { serveWeb: false });
  // Time inside the office per route (from the request's arrival at Fastify to its answer), per phase.
  const handled: Record<string, number[]> = {};
  app.addHook('onResponse', async (request, reply) => void (handled[`${request.method} ${request.routeOptions.url}`] ??= []).push(reply.elapsedTime));
  process.on('message', (m: string) => {
    if (m !== 'phase') return;
    process.send!({ handled: { ...handled } });
    for (const k of Object.keys(handled)) delete handled[k];
  });
  const port = await freePort();
  await app.listen({ port, host: '127.0.0.1' });
  process.on('disconnect', () => {
    void (async () => {
      await app.close();
      await office.handle.close();
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    })();
  });
  process.send!({ port });
}

// ---------------------------------------------------------------------------------------------------
// The parent.

// Kiosks and consoles are different machines: each side has its own connections. (Sharing one agent, the
// consoles' requests waited seconds for sockets the kiosks' side had left idle, which measured the client.)
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const counterAgent = new Agent({ keepAlive: true, maxSockets: 256 });

function call(port: number, method: string, path: string, body?: unknown, cookie?: string): Promise<{ status: number; json: unknown; ms: number; headers: Record<string, string | string[] | undefined> }> {
  const started = performance.now();
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, agent: cookie ? counterAgent : agent, headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = text;
        }
        resolve({ status: res.statusCode ?? 0, json, ms: performance.now() - started, headers: res.headers });
      });
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

interface Row {
  what: string;
  ops: number;
  perSecond: number;
  p50: number;
  p99: number;
  failures: number;
  /** Inside the office (Fastify's elapsed time of the route), p50 and p99. */
  server?: { p50: number; p99: number };
}

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!);
function row(what: string, latencies: number[], seconds: number, failures: number): Row {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { what, ops: latencies.length, perSecond: latencies.length / seconds, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), failures };
}

/** The baseline: one insert and one update in one transaction, as a ticket issue or a call does at least. */
function bareSqlite(): Row {
  const dir = mkdtempSync(join(tmpdir(), 'tangguh-bench-bare-'));
  const db = new Database(join(dir, 'bare.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('create table tickets (id integer primary key, number text not null, status text not null); create table counters (name text primary key, value integer not null)');
  db.prepare("insert into counters values ('serial', 0)").run();
  const insert = db.prepare("insert into tickets (number, status) values (?, 'waiting')");
  const bump = db.prepare("update counters set value = value + 1 where name = 'serial'");
  const tx = db.transaction((i: number) => {
    insert.run(`A-${i}`);
    bump.run();
  });
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < BASELINE_OPS; i++) {
    const t = performance.now();
    tx(i);
    latencies.push(performance.now() - t);
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return row('bare SQLite tx (insert + update), 1 writer', latencies, seconds, 0);
}

/** The office's own handling times of one route since the last phase. */
let phaseTimes: Record<string, number[]> = {};
async function endPhase(child: ReturnType<typeof fork>): Promise<void> {
  const reply = new Promise<{ handled: Record<string, number[]> }>((resolve) => child.once('message', (m) => resolve(m as { handled: Record<string, number[]> })));
  child.send('phase');
  phaseTimes = (await reply).handled;
}
function server(route: string): Row['server'] {
  const v = [...(phaseTimes[route] ?? [])].sort((a, b) => a - b);
  return { p50: percentile(v, 0.5), p99: percentile(v, 0.99) };
}

async function main(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['serve'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port } = await new Promise<{ port: number }>((resolve) => child.once('message', (m) => resolve(m as { port: number })));
  const login = await call(port, 'POST', '/api/auth/login', { username: 'operator', password: 'operator-jember' });
  const cookie = String((login.headers['set-cookie'] as string[])[0]).split(';')[0]!;

  const rows: Row[] = [bareSqlite()];
  await endPhase(child);

  // (1) kiosks
  const issued: number[] = [];
  let issueFailures = 0;
  let next = 0;
  let started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < TICKETS) {
        const i = next++;
        const r = await call(port, 'POST', '/api/antrean/tiket', { siteId: 'dinas', service: SERVICES[i % SERVICES.length], priority: i % 9 === 0 ? 'lansia' : null });
        if (r.status === 201) issued.push(r.ms);
        else issueFailures += 1;
      }
    }),
  );
  rows.push(row(`ticket issue (HTTP), ${CLIENTS} kiosks`, issued, (performance.now() - started) / 1000, issueFailures));
  await endPhase(child);
  rows.at(-1)!.server = server('POST /api/antrean/tiket');

  // (2) counters
  const counters: string[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const r = await call(port, 'POST', '/api/antrean/loket', { siteId: 'dinas', number: i + 1, services: SERVICES }, cookie);
    if (r.status !== 201) throw new Error(`open counter ${i + 1}: ${r.status} ${JSON.stringify(r.json)}`);
    counters.push((r.json as { id: string }).id);
  }
  const calls: number[] = [];
  const calledIds: string[] = [];
  let callFailures = 0;
  started = performance.now();
  await Promise.all(
    counters.map(async (id) => {
      for (;;) {
        const r = await call(port, 'POST', `/api/antrean/loket/${id}/panggil`, {}, cookie);
        if (r.status !== 200) {
          callFailures += 1;
          continue;
        }
        const ticket = (r.json as { ticket: { id: string } | null }).ticket;
        if (!ticket) return;
        calls.push(r.ms);
        calledIds.push(ticket.id);
        await call(port, 'POST', `/api/antrean/loket/${id}/selesai`, {}, cookie);
      }
    }),
  );
  rows.push(row(`call-next (HTTP), ${CLIENTS} counters (+ finish between calls)`, calls, (performance.now() - started) / 1000, callFailures));
  await endPhase(child);
  rows.at(-1)!.server = server('POST /api/antrean/loket/:id/panggil');
  const twice = calledIds.length - new Set(calledIds).size;

  // (3) together
  const mixedIssue: number[] = [];
  const mixedCall: number[] = [];
  let mixedFailures = 0;
  let mixedEmpty = 0;
  const until = performance.now() + SECONDS * 1000;
  let n = 0;
  await Promise.all([
    ...Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < until) {
        const r = await call(port, 'POST', '/api/antrean/tiket', { siteId: 'dinas', service: SERVICES[n++ % SERVICES.length], priority: null });
        if (r.status === 201) mixedIssue.push(r.ms);
        else mixedFailures += 1;
      }
    }),
    ...counters.map(async (id) => {
      while (performance.now() < until) {
        const r = await call(port, 'POST', `/api/antrean/loket/${id}/panggil`, {}, cookie);
        if (r.status !== 200) {
          mixedFailures += 1;
          continue;
        }
        const ticket = (r.json as { ticket: { id: string } | null }).ticket;
        if (ticket) {
          mixedCall.push(r.ms);
          calledIds.push(ticket.id);
          await call(port, 'POST', `/api/antrean/loket/${id}/selesai`, {}, cookie);
        } else {
          // Nobody waits: a console asks again a moment later, it does not spin.
          mixedEmpty += 1;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }),
  ]);
  await endPhase(child);
  rows.push({ ...row(`ticket issue, ${CLIENTS} kiosks beside ${CLIENTS} counters`, mixedIssue, SECONDS, 0), server: server('POST /api/antrean/tiket') });
  rows.push({ ...row(`call-next, ${CLIENTS} counters beside ${CLIENTS} kiosks`, mixedCall, SECONDS, mixedFailures), server: server('POST /api/antrean/loket/:id/panggil') });
  const twiceAfter = calledIds.length - new Set(calledIds).size;

  const pad = (s: string, n: number) => s.padEnd(n);
  const num = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '-').padStart(9);
  console.log(`\nQueue benchmark — office over HTTP on loopback (child process, SQLite WAL + synchronous=FULL), ${CLIENTS} concurrent clients per side\n`);
  console.log(`${pad('', 78)}${'round trip'.padStart(18)}${'in the office'.padStart(18)}`);
  console.log(`${pad('operation', 62)}${'ops'.padStart(7)}${'ops/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'failed'.padStart(8)}`);
  for (const r of rows) console.log(`${pad(r.what, 62)}${String(r.ops).padStart(7)}${num(r.perSecond, 0)}${num(r.p50, 2)}${num(r.p99, 2)}${num(r.server?.p50 ?? NaN, 2)}${num(r.server?.p99 ?? NaN, 2)}${String(r.failures).padStart(8)}`);
  console.log('\nRound trip: what a kiosk or console waits, queueing for the office process included (one Node process, one SQLite writer). In the office: Fastify\'s time from the request\'s arrival to its answer.');
  const base = rows[0]!;
  console.log(`\nIssue is ${(base.perSecond / rows[1]!.perSecond).toFixed(1)}× slower than the bare transaction; call-next ${(base.perSecond / rows[2]!.perSecond).toFixed(1)}× (HTTP, validation, quota, status model and the order rule on top).`);
  console.log(`Tickets called twice: ${twiceAfter} (after phase 2: ${twice}) of ${calledIds.length} calls; ${mixedEmpty} calls found nobody waiting in the mixed phase.`);
  child.disconnect();
  agent.destroy();
  counterAgent.destroy();
  if (twiceAfter > 0) process.exitCode = 1;
}

if (process.argv[2] === 'serve') void serve();
else void main();
