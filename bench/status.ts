/**
 * Status benchmark: the public status JSON and the /status page under a surge (autocannon: requests/s and
 * p99), next to a bare Fastify route — `{ok:true}`, and the same status bytes from a bare route — measured in
 * the same run; then the time for one change to reach 2,000 connected event-stream clients (median of a
 * few changes). The office runs in a child process so the load generator does not share its event loop.
 *
 *   npm run bench:status
 *   BENCH_SECONDS=5 BENCH_CONNECTIONS=100 BENCH_SSE_CLIENTS=2000 BENCH_CHANGES=5 npm run bench:status
 *
 * Every request comes from one address, so the status routes' per-address limit is raised for the run
 * (TANGGUH_STATUS_RATE_PER_MINUTE); the limiter itself still runs on every request.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Fastify from 'fastify';

// A throwaway office for the run: its keys are sealed with a bench key (as bench/sync.ts does).
if (!process.env.TANGGUH_MASTER_KEY_FILE) process.env.TANGGUH_MASTER_KEY ??= 'tangguh-bench-master-key-not-for-production';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const SSE_CLIENTS = Number(process.env.BENCH_SSE_CLIENTS ?? 2000);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 5);
/** Each route is measured this many times, interleaved with the others; the least disturbed round is shown. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

type ToChild = { kind: 'change'; n: number };
type FromChild = { kind: 'ready'; officePort: number; barePort: number; webBuilt: boolean } | { kind: 'changed'; n: number; at: number; version: number };

const wallNow = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------------------------------------------
// The child: a provisioned office serving its real app, and a bare Fastify beside it.

async function serve(): Promise<void> {
  process.env.TANGGUH_STATUS_RATE_PER_MINUTE = String(1e9);
  process.env.TANGGUH_STATUS_MAX_STREAMS = String(SSE_CLIENTS + 100);
  const { provisionStack, freePort } = await import('../apps/cli/src/stack.ts');
  const { openOffice } = await import('../apps/office/src/runtime.ts');
  const { buildOfficeApp } = await import('../apps/office/src/app.ts');
  const { statusSnapshot } = await import('../apps/office/src/services/service-status.ts');
  const { setOverride, clearOverride } = await import('../apps/office/src/services/status-admin.ts');
  const { WEB_DIST } = await import('../packages/platform/src/static.ts');
  const dir = mkdtempSync(join(tmpdir(), 'tangguh-bench-status-'));
  const paths = await provisionStack(dir);
  const office = await openOffice(paths.officeDb);
  const app = await buildOfficeApp(office.ctx, { serveWeb: true });
  const officePort = await freePort();
  await app.listen({ port: officePort, host: '127.0.0.1' });
  const snap = await statusSnapshot(office.ctx);

  const bare = Fastify();
  bare.get('/bare', async () => ({ ok: true }));
  bare.get('/bare-status', async (_request, reply) => reply.type('application/json; charset=utf-8').send(snap.json));
  const barePort = await freePort();
  await bare.listen({ port: barePort, host: '127.0.0.1' });

  let overrideId: string | undefined;
  process.on('message', (message: ToChild) => {
    void (async () => {
      if (message.kind !== 'change') return;
      const at = wallNow();
      // Alternately set and end an officer's override: each is one committed change of the status.
      if (overrideId) {
        await clearOverride(office.ctx, overrideId, 'bench');
        overrideId = undefined;
      } else {
        const view = await setOverride(office.ctx, { service: 'cetak', siteId: 'dinas', state: 'terganggu', reason: { id: `Uji beban ${message.n}` }, expiresAt: null }, 'bench');
        overrideId = view.overrides[0]!.id;
      }
      const version = (await statusSnapshot(office.ctx)).status.version;
      process.send!({ kind: 'changed', n: message.n, at, version } satisfies FromChild);
    })();
  });
  process.on('disconnect', () => {
    void (async () => {
      await app.close();
      await bare.close();
      await office.handle.close();
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    })();
  });
  process.send!({ kind: 'ready', officePort, barePort, webBuilt: existsSync(join(WEB_DIST, 'index.html')) } satisfies FromChild);
}

// ---------------------------------------------------------------------------------------------------
// The parent: load, then the event-stream fan-out.

interface Row {
  what: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function surge(what: string, url: string, headers: Record<string, string> = {}): Promise<Row> {
  // A short unreported warm-up of the same route first: the JIT and the caches, not the cold start, are measured.
  await autocannon({ url, connections: CONNECTIONS, duration: 1, headers });
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers, pipelining: 1 });
  return { what, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx - (result.statusCodeStats?.['304']?.count ?? 0) };
}

interface StreamClient {
  versions: Map<number, number>;
}

/** Opens `n` event-stream clients; each notes when it first saw each event id (the status version). */
async function openStreams(port: number, n: number): Promise<{ clients: StreamClient[]; close(): void }> {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const clients: StreamClient[] = [];
  const requests: ReturnType<typeof httpRequest>[] = [];
  const opened: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const client: StreamClient = { versions: new Map() };
    clients.push(client);
    opened.push(
      new Promise<void>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/api/status/stream', agent, headers: { accept: 'text/event-stream' } }, (res) => {
          if (res.statusCode !== 200) return reject(new Error(`stream ${i}: ${res.statusCode}`));
          res.setEncoding('utf8');
          let tail = '';
          res.on('data', (chunk: string) => {
            const at = wallNow();
            const text = tail + chunk;
            for (const m of text.matchAll(/(?:^|\n)id: (\d+)\n/g)) {
              const v = Number(m[1]);
              if (!client.versions.has(v)) client.versions.set(v, at);
            }
            tail = text.slice(-24);
            resolve();
          });
        });
        req.on('error', reject);
        req.end();
        requests.push(req);
      }),
    );
    // Opened in waves, as phones would: not all 2,000 handshakes in the same tick.
    if (i % 200 === 199) await Promise.all(opened.slice(-200));
  }
  await Promise.all(opened);
  return {
    clients,
    close() {
      for (const r of requests) r.destroy();
      agent.destroy();
    },
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};
const f = (n: number, digits = 1) => n.toFixed(digits).padStart(10);

async function main(): Promise<void> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const messages: FromChild[] = [];
  const waiters: ((m: FromChild) => void)[] = [];
  child.on('message', (m: FromChild) => {
    const w = waiters.shift();
    if (w) w(m);
    else messages.push(m);
  });
  const next = () => new Promise<FromChild>((resolve) => (messages.length > 0 ? resolve(messages.shift()!) : waiters.push(resolve)));
  try {
    const ready = await next();
    if (ready.kind !== 'ready') throw new Error('child did not start');
    const office = `http://127.0.0.1:${ready.officePort}`;
    const bare = `http://127.0.0.1:${ready.barePort}`;
    const etag = (await fetch(`${office}/api/status`)).headers.get('etag') ?? '';
    const size = (await (await fetch(`${office}/api/status`)).arrayBuffer()).byteLength;
    console.log(`status JSON: ${(size / 1024).toFixed(1)} KB (32 sites × their services, 90 days of history); ${CONNECTIONS} connections, ${SECONDS} s each, one machine`);

    const targets: [string, string, Record<string, string>?][] = [
      ['bare Fastify, {ok:true}', `${bare}/bare`],
      ['bare Fastify, same status bytes', `${bare}/bare-status`],
      ['GET /api/status', `${office}/api/status`],
      ['GET /api/status, If-None-Match (304)', `${office}/api/status`, { 'if-none-match': etag }],
      ...(ready.webBuilt ? [['GET /status (the page)', `${office}/status`] as [string, string]] : []),
    ];
    const best = new Map<string, Row>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [what, url, headers] of targets) {
        const row = await surge(what, url, headers);
        if ((best.get(what)?.rps ?? -1) < row.rps) best.set(what, row);
      }
    }
    const rows = targets.map(([what]) => best.get(what)!);
    console.log(`(each route ${ROUNDS} times, interleaved; the round with the most requests/s is shown — the machine is shared)`);
    console.log(`\n${'route'.padEnd(40)}${'req/s'.padStart(10)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'vs bare'.padStart(10)}  errors/other than 2xx, 304`);
    for (const r of rows) console.log(`${r.what.padEnd(40)}${f(r.rps, 0)}${f(r.p50)}${f(r.p99)}${f(r.rps / rows[0]!.rps, 2)}  ${r.errors}/${r.non2xx}`);
    if (!ready.webBuilt) console.log('(the page was not measured: run `npm run build:web` first)');

    const streams = await openStreams(ready.officePort, SSE_CLIENTS);
    const reach: { last: number; first: number; p50: number }[] = [];
    for (let n = 1; n <= CHANGES; n++) {
      child.send({ kind: 'change', n } satisfies ToChild);
      const changed = await next();
      if (changed.kind !== 'changed') throw new Error('unexpected message');
      const deadline = Date.now() + 30_000;
      while (streams.clients.some((c) => !c.versions.has(changed.version)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      const times = streams.clients.map((c) => (c.versions.get(changed.version) ?? NaN) - changed.at);
      const missing = times.filter((t) => Number.isNaN(t)).length;
      if (missing > 0) throw new Error(`${missing} of ${SSE_CLIENTS} clients never saw change ${n}`);
      reach.push({ last: Math.max(...times), first: Math.min(...times), p50: median(times) });
      await new Promise((r) => setTimeout(r, 500));
    }
    streams.close();
    console.log(`\nevent stream: one change (an officer's override committed) reaching ${SSE_CLIENTS} connected clients, ${CHANGES} changes`);
    console.log(`${'change'.padEnd(10)}${'first ms'.padStart(10)}${'median ms'.padStart(10)}${'last ms'.padStart(10)}`);
    reach.forEach((r, i) => console.log(`${String(i + 1).padEnd(10)}${f(r.first)}${f(r.p50)}${f(r.last)}`));
    console.log(`${'median'.padEnd(10)}${f(median(reach.map((r) => r.first)))}${f(median(reach.map((r) => r.p50)))}${f(median(reach.map((r) => r.last)))}   (target: under 5,000 ms)`);
  } finally {
    child.disconnect();
  }
}

if (process.argv.includes('--serve')) await serve();
else await main();
