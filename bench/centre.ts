/**
 * Many offices at once: OFFICES simulated offices, each with its own Ed25519 key registered at the centre and
 * its own outbox of PER_OFFICE recordings, push concurrently to one centre on PostgreSQL (a throwaway
 * database, dropped at the end). Printed: the records/s the centre applied and the push latency (median,
 * p99) — next to a single office draining alone against the same centre in the same run, the baseline the
 * centre must not fall below.
 *
 * A simulated office is the office's real push client (CentralClient: the same signing, protocol headers and
 * wire format) over an in-memory outbox, sending batch after batch as the office's sync worker does and
 * moving its acknowledged seq on from the centre's answer (exactly once: the centre refuses a gap, answers a
 * replay). The centre is the real node, in its own process, with the API only.
 *
 *   npm run bench:centre                       # 100 offices × 400 recordings, single office 4,000
 *   BENCH_OFFICES=50 BENCH_PER_OFFICE=100      # smaller
 *   BENCH_SINGLE=2000                          # the single office's backlog
 *   BENCH_BATCH=200                            # entries per push, as the office sends
 *   TANGGUH_BENCH_PG_URL=postgres://…/postgres # the server (a role that may CREATE DATABASE)
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import type { Biodata } from '@tangguh/domain';
import type { OutboxEntryWire, RecordingPacket } from '@tangguh/protocol';

if (!process.env.TANGGUH_MASTER_KEY_FILE) process.env.TANGGUH_MASTER_KEY ??= 'tangguh-bench-master-key-not-for-production';

const OFFICES = Number(process.env.BENCH_OFFICES ?? 100);
const PER_OFFICE = Number(process.env.BENCH_PER_OFFICE ?? 400);
const SINGLE = Number(process.env.BENCH_SINGLE ?? 4000);
const BATCH = Number(process.env.BENCH_BATCH ?? 200);
const ADMIN_URL = process.env.TANGGUH_BENCH_PG_URL ?? process.env.TANGGUH_TEST_PG_URL ?? 'postgres://tangguh:tangguh@127.0.0.1:5432/postgres';

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const progress = (text: string) => process.stderr.write(`\r\x1b[K${text}`);
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))] ?? 0;

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end().catch(() => {});
  }
}

interface SimulatedOffice {
  officeId: string;
  privateKey: string;
  entries: OutboxEntryWire[];
}

/** Recording packets as an office's outbox holds them: real synthetic biodata of the office's regency, one captured photo and signature, sealed-template-sized bytes. */
function outbox(people: Biodata[], media: { photo: RecordingPacket['photo']; signature: RecordingPacket['signature'] }, at: string): OutboxEntryWire[] {
  return people.map((biodata, i) => ({
    seq: i + 1,
    kind: 'recording.created' as const,
    occurredAt: at,
    packet: {
      recordId: crypto.randomUUID(),
      registrationNumber: `B-${biodata.nik}`,
      siteId: 'dinas',
      recordedAt: at,
      biodata,
      photo: media.photo,
      signature: media.signature,
      // The centre's API stores sealed templates as they come (only deduplication opens them).
      sealedBiometrics: randomBytes(460).toString('base64'),
      exceptions: [],
    },
  }));
}

/** One office draining its outbox: batch after batch, each sent once the one before is acknowledged. */
async function drain(office: SimulatedOffice, centralUrl: string, latencies: number[], applied: { n: number }): Promise<void> {
  const { CentralClient } = await import('@tangguh/office/services/central-client');
  const client = new CentralClient({ baseUrl: centralUrl, officeId: office.officeId, signingPrivateKey: office.privateKey, timeoutMs: 120_000 });
  let acked = 0;
  while (acked < office.entries.length) {
    const batch = office.entries.slice(acked, acked + BATCH);
    const started = performance.now();
    const result = await client.push({ officeId: office.officeId, entries: batch });
    latencies.push(performance.now() - started);
    applied.n += result.appliedThrough - acked;
    if (result.appliedThrough <= acked) throw new Error(`office ${office.officeId}: the centre acknowledged nothing (through ${result.appliedThrough})`);
    acked = result.appliedThrough;
  }
}

interface RunResult {
  records: number;
  ms: number;
  latencies: number[];
  /** What the centre's database connections were doing, sampled every 100 ms: "state / wait event" → share of samples. */
  activity: Map<string, number>;
  samples: number;
}

/**
 * Samples pg_stat_activity of the benchmark's database while the offices push: how many of the centre's
 * connections are busy, and on what they wait (a lock on an office row or the change feed, the WAL's fsync,
 * the client) — which says whether the pool, a lock or the disk limits the centre.
 */
function sampleActivity(dbUrl: string, into: Map<string, number>): { stop(): Promise<number> } {
  const client = new pg.Client({ connectionString: dbUrl });
  client.on('error', () => {});
  let samples = 0;
  let running = true;
  const loop = (async () => {
    await client.connect();
    while (running) {
      const rows = (
        await client.query(
          `select state, coalesce(wait_event_type || ':' || wait_event, 'on CPU') as wait, count(*)::int as n from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend' group by 1, 2`,
        )
      ).rows as { state: string; wait: string; n: number }[];
      samples += 1;
      for (const row of rows) {
        const key = row.state === 'active' ? `active, ${row.wait}` : row.state;
        into.set(key, (into.get(key) ?? 0) + row.n);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await client.end();
  })();
  return {
    async stop() {
      running = false;
      await loop.catch(() => undefined);
      return samples;
    },
  };
}

async function run(label: string, offices: SimulatedOffice[], centralUrl: string, dbUrl: string): Promise<RunResult> {
  const latencies: number[] = [];
  const applied = { n: 0 };
  const total = offices.reduce((sum, o) => sum + o.entries.length, 0);
  const activity = new Map<string, number>();
  const sampler = sampleActivity(dbUrl, activity);
  const started = performance.now();
  const ticker = setInterval(() => progress(`${label}: applied ${fmtInt(applied.n)}/${fmtInt(total)}  ${fmtInt(applied.n / ((performance.now() - started) / 1000))} rec/s`), 500);
  try {
    await Promise.all(offices.map((office) => drain(office, centralUrl, latencies, applied)));
  } finally {
    clearInterval(ticker);
  }
  const ms = performance.now() - started;
  const samples = await sampler.stop();
  process.stderr.write('\n');
  return { records: applied.n, ms, latencies: latencies.sort((a, b) => a - b), activity, samples };
}

async function main(): Promise<void> {
  const { loadRegionDirectory } = await import('@tangguh/regions');
  const { syntheticResidents, SyntheticCaptureDevice } = await import('@tangguh/capture');
  const { openCentral, registerOffice } = await import('../apps/central/src/services/provision.ts');
  const { startCentral, freePort } = await import('../apps/cli/src/stack.ts');

  const name = `bench_centre_${randomBytes(6).toString('hex')}`;
  const owner = decodeURIComponent(new URL(ADMIN_URL).username) || 'tangguh';
  await adminQuery(`CREATE DATABASE ${name} OWNER ${pg.escapeIdentifier(owner)}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  let central: Awaited<ReturnType<typeof startCentral>> | undefined;
  try {
    console.log(`Tangguh centre benchmark — ${OFFICES} offices × ${fmtInt(PER_OFFICE)} recordings pushed at once, beside one office's drain of ${fmtInt(SINGLE)}; push batch ${BATCH}; centre on PostgreSQL`);
    console.log(`Machine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? '?'}), Node ${process.version}; load average at start ${loadavg()[0]!.toFixed(2)} (other work on the machine skews every figure)`);

    // The offices: each its own key, registered at the centre, and its own outbox of its regency's residents.
    const regions = await loadRegionDirectory();
    // The first OFFICES + 1 regencies (by code) with villages to draw residents from.
    const regencies: { code: string; name: string }[] = [];
    for (let province = 11; province <= 99 && regencies.length <= OFFICES; province++) {
      for (let k = 1; k <= 99 && regencies.length <= OFFICES; k++) {
        const regency = regions.regency(`${province}.${String(k).padStart(2, '0')}`);
        if (regency && regions.districtsOf(regency.code).some((d) => regions.villagesOf(d.code).length > 0)) regencies.push(regency);
      }
    }
    if (regencies.length < OFFICES + 1) throw new Error(`only ${regencies.length} regencies with villages`);
    const capture = await new SyntheticCaptureDevice().capture({ subjectKey: 'bench-centre' });
    const media = {
      photo: { mime: capture.photo.mime, data: Buffer.from(capture.photo.bytes).toString('base64') },
      signature: { mime: capture.signature.mime, data: Buffer.from(capture.signature.bytes).toString('base64') },
    };
    const at = new Date().toISOString();
    const { ctx, handle } = await openCentral(dbUrl);
    const offices: SimulatedOffice[] = [];
    try {
      for (const [i, regency] of regencies.entries()) {
        const keys = generateKeyPairSync('ed25519', { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
        const officeId = regency.code.replace('.', '');
        await registerOffice(ctx, { officeId, name: `Disdukcapil ${regency.name}`, regencyCode: regency.code, publicKey: keys.publicKey });
        const people = syntheticResidents(i === 0 ? SINGLE : PER_OFFICE, { seed: 7000 + i, regencyCode: regency.code, regions });
        offices.push({ officeId, privateKey: keys.privateKey, entries: outbox(people, media, at) });
        progress(`provisioned ${i + 1}/${regencies.length} offices`);
      }
    } finally {
      await handle.close();
    }
    process.stderr.write('\n');

    central = await startCentral(dbUrl, await freePort(), ['--services', 'api'], { quiet: true });

    const single = await run('one office', [offices[0]!], central.url, dbUrl);
    const many = await run(`${OFFICES} offices`, offices.slice(1), central.url, dbUrl);

    const line = (what: string, r: RunResult) => {
      console.log(
        `${what.padEnd(34)} ${fmtInt(r.records).padStart(7)} records in ${(r.ms / 1000).toFixed(1).padStart(6)} s = ${fmtInt(r.records / (r.ms / 1000)).padStart(6)} rec/s applied; ` +
          `push latency median ${quantile(r.latencies, 0.5).toFixed(0)} ms, p99 ${quantile(r.latencies, 0.99).toFixed(0)} ms (${r.latencies.length} pushes)`,
      );
      const busy = [...r.activity.entries()].sort((a, b) => b[1] - a[1]).map(([key, n]) => `${key} ${(n / Math.max(1, r.samples)).toFixed(2)}`);
      console.log(`${''.padEnd(34)} the centre's connections, on average: ${busy.join('; ')}`);
    };
    line('one office alone (baseline)', single);
    line(`${OFFICES} offices at once`, many);
    const ratio = many.records / many.ms / (single.records / single.ms);
    console.log(`Centre throughput with ${OFFICES} offices / one office's drain: ${ratio.toFixed(2)}× ${ratio >= 1 ? '(not below a single office: goal met)' : '(BELOW a single office)'}`);

    // Exactly once, counted in the database: every entry of every office applied, none twice.
    const check = new pg.Client({ connectionString: dbUrl });
    await check.connect();
    try {
      const expected = offices.reduce((sum, o) => sum + o.entries.length, 0);
      const enrolled = Number((await check.query('select count(*) as n from enrollments')).rows[0].n);
      const twice = Number((await check.query('select count(*) as n from (select office_id, seq from applied_entries group by office_id, seq having count(*) > 1) t')).rows[0].n);
      console.log(`Check: ${fmtInt(enrolled)} enrollments at the centre for ${fmtInt(expected)} pushed, ${twice} (office, seq) applied twice`);
      if (enrolled !== expected || twice !== 0) throw new Error('the centre does not hold every entry exactly once');
    } finally {
      await check.end();
    }
  } finally {
    await central?.stop('SIGTERM');
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((error: Error) => console.error(`could not drop ${name}: ${error.message}`));
  }
}

await main();
