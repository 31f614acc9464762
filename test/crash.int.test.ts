/**
 * kill -9, over and over (ARCHITECTURE.md principle 6). Each round starts the office on the same
 * database, fires concurrent recordings over HTTP while the sync worker pushes small batches, and kills
 * the office — or the centre, or both — at a random moment. Every recording the office acknowledged
 * (2xx) must survive; at the end the centre must hold exactly the office's committed records, each once.
 * After some centre crashes the office restarts alone and records a whole round with the centre down.
 * Requests whose answer was lost in the crash are retried with the same clientRequestId in the next round.
 *
 * CRASH_ROUNDS (default 20) sets the number of rounds; CRASH_SEED replays a run.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticResidents } from '@tangguh/capture';
import type { Biodata } from '@tangguh/domain';
import type { RecordingRequest } from '@tangguh/protocol';
import { loadRegionDirectory } from '@tangguh/regions';
import { syntheticRecording } from '../apps/cli/src/seed.ts';
import {
  HttpClient,
  TestStack,
  convergenceReport,
  loginOperator,
  seededRandom,
  sleep,
  waitFor,
  withReadonly,
  type ConvergenceReport,
  type RecordingCreated,
} from './helpers.ts';

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 20);
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
const CONCURRENCY = 4;
const OFFICE_ARGS = ['--batch-size', '5', '--backoff-cap-ms', '500', '--idle-ms', '100'];

type Mode = 'office' | 'central' | 'both';
/** Mostly the office dies; every fifth round the centre dies instead, every fifth the two together. */
const modeOf = (round: number): Mode => (round % 5 === 2 ? 'central' : round % 5 === 4 ? 'both' : 'office');

interface Pending {
  clientRequestId: string;
  body: string;
}

/** Recording requests built ahead of time, topped up while an office process starts. */
class RequestPool {
  private readonly people: Biodata[] = [];
  private next = 0;
  private readonly ready: Pending[] = [];

  async init(): Promise<void> {
    const regions = await loadRegionDirectory();
    this.people.push(...syntheticResidents(ROUNDS * 250 + 200, { seed: SEED, regencyCode: '35.09', regions }));
  }

  async topUp(target: number): Promise<void> {
    while (this.ready.length < target && this.next < this.people.length) {
      const biodata = this.people[this.next++]!;
      const request: RecordingRequest = { ...(await syntheticRecording(biodata, `crash-${SEED}-${biodata.nik}`)), clientRequestId: randomUUID() };
      this.ready.push({ clientRequestId: request.clientRequestId!, body: JSON.stringify(request) });
      // Let the health polls of a starting node run in between.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  take(): Pending | undefined {
    return this.ready.shift();
  }
}

interface Ack {
  id: string;
  registrationNumber: string;
  round: number;
}

const random = seededRandom(SEED);
const pool = new RequestPool();
/** clientRequestId → what the office answered with 2xx. */
const acknowledged = new Map<string, Ack>();
/** Sent, but the office died before answering: may or may not exist; retried with the same id. */
let unknown: Pending[] = [];
const unexpected: string[] = [];
/** Set while the office is shutting down on SIGTERM: it then answers new requests with 503 (not accepted). */
let officeClosing = false;
const log: string[] = [];
/** Rounds that began with entries applied at the centre but not yet acknowledged at the office (round:how many). */
const replayRounds: string[] = [];

let stack: TestStack;

beforeAll(async () => {
  await pool.init();
  stack = await TestStack.create({ officeArgs: OFFICE_ARGS });
  await stack.startCentral();
});

afterAll(async () => {
  await stack?.dispose();
});

/** Submits one request; 2xx is remembered as acknowledged, a dropped connection as an unknown outcome. */
async function submit(client: HttpClient, pending: Pending, round: number): Promise<'ok' | 'lost'> {
  let response;
  try {
    response = await client.request<RecordingCreated>('POST', '/api/recordings', pending.body, { timeoutMs: 15_000 });
  } catch {
    unknown.push(pending);
    return 'lost';
  }
  if (response.status === 503 && officeClosing) {
    // Refused, not accepted: the operator tries again once the office is back.
    unknown.push(pending);
    return 'lost';
  }
  if (response.status === 200 || response.status === 201) {
    const earlier = acknowledged.get(pending.clientRequestId);
    if (earlier && (earlier.id !== response.body.record.id || earlier.registrationNumber !== response.body.record.registrationNumber)) {
      unexpected.push(`round ${round}: ${pending.clientRequestId} acknowledged twice with different records`);
    }
    acknowledged.set(pending.clientRequestId, { id: response.body.record.id, registrationNumber: response.body.record.registrationNumber, round });
    return 'ok';
  }
  unexpected.push(`round ${round}: HTTP ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`);
  return 'ok';
}

/** A report without its long lists, for a failure message. */
const summarize = (r: ConvergenceReport | undefined) =>
  r && {
    ...r,
    missingAtCentre: r.missingAtCentre.length,
    unknownAtCentre: r.unknownAtCentre.length,
    statusMismatch: r.statusMismatch.slice(0, 5),
    notFinal: r.notFinal.slice(0, 5),
    notFinalCount: r.notFinal.length,
  };

/** How far the centre's applied seq is ahead of the office's acknowledged seq (read while the office is down). */
function seqGap(): number {
  const applied = withReadonly(stack.paths.centralDb, (db) => Number(db.prepare("select applied_seq from offices where office_id = '3509'").pluck().get()));
  const acked = withReadonly(stack.paths.officeDb, (db) => Number(db.prepare("select value from sync_state where key = 'acked_seq'").pluck().get() ?? 0));
  return applied - acked;
}

/** Every acknowledged recording, looked up in the office database by its request id. */
function missingAcknowledged(): string[] {
  return withReadonly(stack.paths.officeDb, (db) => {
    const find = db.prepare('select id, registration_number from records where client_request_id = ?');
    const missing: string[] = [];
    for (const [clientRequestId, ack] of acknowledged) {
      const row = find.get(clientRequestId) as { id: string; registration_number: string } | undefined;
      if (!row || row.id !== ack.id || row.registration_number !== ack.registrationNumber) {
        missing.push(`${ack.registrationNumber} (round ${ack.round}) ${row ? `became ${row.registration_number}` : 'is missing'}`);
      }
    }
    return missing;
  });
}

/** Retries the requests whose outcome was lost with the office: 200 if it had committed, else 201. */
async function resolveUnknown(client: HttpClient, round: number): Promise<{ existed: number; created: number }> {
  const retry = unknown;
  unknown = [];
  const before = acknowledged.size;
  const existing = withReadonly(stack.paths.officeDb, (db) => {
    const find = db.prepare('select 1 from records where client_request_id = ?');
    return retry.filter((p) => find.get(p.clientRequestId) !== undefined).length;
  });
  for (const pending of retry) {
    const outcome = await submit(client, pending, round);
    if (outcome === 'lost') throw new Error(`round ${round}: the office dropped a retry while nothing was being killed`);
  }
  return { existed: existing, created: acknowledged.size - before - existing };
}

describe(`kill -9 during recording and sync (${ROUNDS} rounds, seed ${SEED})`, () => {
  it('loses no acknowledged recording and applies every committed one exactly once', { timeout: 600_000 }, async () => {
    const started = Date.now();
    for (let round = 1; round <= ROUNDS; round++) {
      const mode = modeOf(round);
      const roundStarted = Date.now();
      // Did the last kill fall between the centre's commit of a batch and the office's ack of it?
      const gap = seqGap();
      if (gap > 0) replayRounds.push(`${round}:${gap}`);
      // After some centre crashes the office comes back first and works this whole round without it.
      const centreLate = !stack.central && round % 2 === 1;
      if (!stack.central && !centreLate) await stack.startCentral();
      await Promise.all([stack.startOffice(), pool.topUp(200)]);
      const client = await loginOperator(stack.officeUrl);
      const upMs = Date.now() - roundStarted;

      // After the office's own crash recovery: nothing it acknowledged before may be gone.
      const missing = missingAcknowledged();
      expect(missing, `after restart in round ${round}`).toEqual([]);
      const retried = await resolveUnknown(client, round);

      let firing = true;
      const sent = { ok: 0, lost: 0 };
      const loops = Array.from({ length: CONCURRENCY }, async () => {
        while (firing) {
          const pending = pool.take();
          if (!pending) return;
          const outcome = await submit(client, pending, round);
          sent[outcome] += 1;
          // The connection to the office is gone: this operator's browser stops too.
          if (outcome === 'lost') return;
        }
      });
      const killAt = random.int(50, 600);
      await sleep(killAt);
      let note = '';
      if (mode === 'office') {
        await stack.stopOffice('SIGKILL');
      } else if (mode === 'both') {
        await Promise.all([stack.stopOffice('SIGKILL'), stack.stopCentral('SIGKILL')]);
      } else {
        // The centre dies under the office's pushes; the office keeps recording, then shuts down cleanly.
        await stack.stopCentral('SIGKILL');
        const more = random.int(50, 300);
        await sleep(more);
        officeClosing = true;
        await stack.stopOffice('SIGTERM');
        note = ` (office stopped ${more} ms later)`;
      }
      firing = false;
      await Promise.all(loops);
      officeClosing = false;
      if (centreLate) {
        await stack.startCentral();
        note += ' (centre down all round, restarted after)';
      }
      log.push(
        `round ${String(round).padStart(2)}: kill ${mode.padEnd(7)} at ${String(killAt).padStart(3)} ms${note} — ` +
          `acknowledged ${sent.ok}, lost or refused in flight ${sent.lost}; retried ${retried.existed} committed + ${retried.created} new; start-up ${upMs} ms`,
      );
    }

    // Everything back up; no operator action beyond restarting the processes.
    if (!stack.central) await stack.startCentral();
    await stack.startOffice(['--batch-size', '5', '--backoff-cap-ms', '500', '--idle-ms', '200']);
    const client = await loginOperator(stack.officeUrl);
    expect(missingAcknowledged(), 'after the last restart').toEqual([]);
    const retried = await resolveUnknown(client, ROUNDS + 1);
    log.push(`final: retried ${retried.existed} committed + ${retried.created} new`);

    const drainStarted = Date.now();
    let last: ConvergenceReport | undefined;
    const settled = await waitFor(
      () => {
        const r = (last = convergenceReport(stack.paths));
        return r.ackedSeq === r.maxOutboxSeq && r.notFinal.length === 0 && r.statusMismatch.length === 0 && r.centralEnrollments === r.officeRecords ? r : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500, message: 'the outbox to drain and every record to reach a final status' },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${log.join('\n')}\nlast report: ${JSON.stringify(summarize(last))}`);
    });
    log.push(`drained and settled in ${Date.now() - drainStarted} ms: ${JSON.stringify(settled.byStatus)}`);
    await stack.stopOffice('SIGTERM');
    await stack.stopCentral('SIGTERM');

    const report = convergenceReport(stack.paths);
    const contiguous = withReadonly(stack.paths.officeDb, (db) => db.prepare('select count(*) as n, min(seq) as lo, max(seq) as hi from outbox').get()) as { n: number; lo: number; hi: number };
    console.log(
      [
        `[crash] seed ${SEED}, ${ROUNDS} rounds in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        ...log,
        `rounds that started with a replay pending (centre applied, office not yet acked): ${replayRounds.length > 0 ? replayRounds.join(', ') : 'none'}`,
        `acknowledged ${acknowledged.size}; office records ${report.officeRecords}, outbox ${report.officeOutbox} (seq ${contiguous.lo}..${contiguous.hi}); ` +
          `centre enrollments ${report.centralEnrollments}, applied entries ${report.appliedEntries}, applied_seq ${report.appliedSeq}`,
      ].join('\n'),
    );

    expect(unexpected).toEqual([]);
    expect(acknowledged.size).toBeGreaterThan(ROUNDS);
    // 1. No acknowledged write is lost.
    expect(missingAcknowledged()).toEqual([]);
    // Each record has exactly one outbox entry; the outbox is numbered without gaps (a gap would stall the centre).
    expect(report.officeRecordingEntries).toBe(report.officeRecords);
    expect(contiguous).toEqual({ n: report.officeOutbox, lo: 1, hi: report.officeOutbox });
    // 2. The centre holds exactly the office's committed records, each applied once.
    expect(report.centralEnrollments).toBe(report.officeRecords);
    expect(report.missingAtCentre).toEqual([]);
    expect(report.unknownAtCentre).toEqual([]);
    expect(report.officeRecordingEntries).toBe(report.officeRecords);
    expect(report.appliedEntries).toBe(report.officeOutbox);
    expect(report.appliedTwice).toEqual([]);
    expect(report.appliedTwiceAnyKind).toEqual([]);
    expect(report.seqMismatch).toBe(0);
    expect(report.appliedSeq).toBe(report.maxOutboxSeq);
    expect(report.ackedSeq).toBe(report.maxOutboxSeq);
    // 3. Every record reached its final deduplication status, the same on both sides, told once.
    expect(report.notFinal).toEqual([]);
    expect(report.statusMismatch).toEqual([]);
    expect(report.repeatedEvents).toEqual([]);
    // Every subject is a different person: all of them are print-ready.
    expect(report.byStatus).toEqual({ PRINT_READY_RECORD: report.officeRecords });
  });
});
