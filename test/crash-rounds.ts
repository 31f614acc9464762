/**
 * kill -9, over and over (ARCHITECTURE.md principle 7), as a run that the crash test and `npm run
 * soak:crash` both drive. Each round starts the office on the same database, fires concurrent recordings
 * over HTTP while the sync worker pushes small batches, and kills the office — or the centre, or both — at
 * a random moment. After some centre crashes the office restarts alone and records a whole round with the
 * centre down. Requests whose answer was lost in the crash are retried with the same clientRequestId in
 * the next round. At the end everything restarts and the caller checks convergence.
 */
import { TestStack, convergenceReport, loginOperator, seededRandom, sleep, waitFor, withReadonly, type ConvergenceReport } from './helpers.ts';
import { isSettled, outboxSpan, summarize, type OutboxSpan } from './convergence.ts';
import { AckLedger, RequestPool } from './recording-load.ts';

export interface CrashRunOptions {
  rounds: number;
  seed: number;
  concurrency?: number;
  /** Called with each line of the run's log as it happens (a soak prints them; a test keeps them). */
  onLog?: (line: string) => void;
}

export interface CrashRunResult {
  ledger: AckLedger;
  /** Acknowledged recordings missing at the office right after one of its restarts (must be empty). */
  missingAfterRestart: string[];
  /** Acknowledged recordings missing at the office at the end (must be empty). */
  missing: string[];
  report: ConvergenceReport;
  outbox: OutboxSpan;
  log: string[];
  /** Rounds that began with entries applied at the centre but not yet acknowledged at the office (round:how many). */
  replayRounds: string[];
  seconds: number;
}

const OFFICE_ARGS = ['--batch-size', '5', '--backoff-cap-ms', '500', '--idle-ms', '100'];

type Mode = 'office' | 'central' | 'both';
/** Mostly the office dies; every fifth round the centre dies instead, every fifth the two together. */
const modeOf = (round: number): Mode => (round % 5 === 2 ? 'central' : round % 5 === 4 ? 'both' : 'office');

/** How far the centre's applied seq is ahead of the office's acknowledged seq (read while the office is down). */
function seqGap(stack: TestStack): number {
  const applied = withReadonly(stack.paths.centralDb, (db) => Number(db.prepare("select applied_seq from offices where office_id = '3509'").pluck().get()));
  const acked = withReadonly(stack.paths.officeDb, (db) => Number(db.prepare("select value from sync_state where key = 'acked_seq'").pluck().get() ?? 0));
  return applied - acked;
}

/** Runs the rounds on a fresh stack, drains, and returns what happened; the stack is disposed of. */
export async function runCrashRounds(options: CrashRunOptions): Promise<CrashRunResult> {
  const { rounds, seed } = options;
  const concurrency = options.concurrency ?? 4;
  const random = seededRandom(seed);
  const pool = new RequestPool(rounds * 250 + 200, seed, 'crash');
  const ledger = new AckLedger();
  const log: string[] = [];
  const say = (line: string) => {
    log.push(line);
    options.onLog?.(line);
  };
  const replayRounds: string[] = [];
  const missingAfterRestart: string[] = [];
  const started = Date.now();
  await pool.init();
  const stack = await TestStack.create({ officeArgs: OFFICE_ARGS });
  try {
    await stack.startCentral();
    for (let round = 1; round <= rounds; round++) {
      const mode = modeOf(round);
      const roundStarted = Date.now();
      // Did the last kill fall between the centre's commit of a batch and the office's ack of it?
      const gap = seqGap(stack);
      if (gap > 0) replayRounds.push(`${round}:${gap}`);
      // After some centre crashes the office comes back first and works this whole round without it.
      const centreLate = !stack.central && round % 2 === 1;
      if (!stack.central && !centreLate) await stack.startCentral();
      await Promise.all([stack.startOffice(), pool.topUp(200)]);
      const client = await loginOperator(stack.officeUrl);
      const upMs = Date.now() - roundStarted;

      // After the office's own crash recovery: nothing it acknowledged before may be gone.
      missingAfterRestart.push(...ledger.missingAt(stack.paths.officeDb).map((m) => `after restart in round ${round}: ${m}`));
      const retried = await ledger.resolveUnknown(client, stack.paths.officeDb, round);

      let firing = true;
      const sent = { ok: 0, lost: 0 };
      const loops = Array.from({ length: concurrency }, async () => {
        while (firing) {
          const pending = await pool.take();
          if (!pending) return;
          const outcome = await ledger.submit(client, pending, round);
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
        ledger.officeClosing = true;
        await stack.stopOffice('SIGTERM');
        note = ` (office stopped ${more} ms later)`;
      }
      firing = false;
      await Promise.all(loops);
      ledger.officeClosing = false;
      if (centreLate) {
        await stack.startCentral();
        note += ' (centre down all round, restarted after)';
      }
      say(
        `round ${String(round).padStart(3)}: kill ${mode.padEnd(7)} at ${String(killAt).padStart(3)} ms${note} — ` +
          `acknowledged ${sent.ok}, lost or refused in flight ${sent.lost}; retried ${retried.existed} committed + ${retried.created} new; start-up ${upMs} ms`,
      );
    }

    // Everything back up; no operator action beyond restarting the processes.
    if (!stack.central) await stack.startCentral();
    await stack.startOffice(['--batch-size', '5', '--backoff-cap-ms', '500', '--idle-ms', '200']);
    const client = await loginOperator(stack.officeUrl);
    missingAfterRestart.push(...ledger.missingAt(stack.paths.officeDb).map((m) => `after the last restart: ${m}`));
    const retried = await ledger.resolveUnknown(client, stack.paths.officeDb, rounds + 1);
    say(`final: retried ${retried.existed} committed + ${retried.created} new`);

    const drainStarted = Date.now();
    let last: ConvergenceReport | undefined;
    const settled = await waitFor(() => (isSettled((last = convergenceReport(stack.paths))) ? last : undefined), {
      timeoutMs: 120_000 + rounds * 500,
      intervalMs: 500,
      message: 'the outbox to drain and every record to reach a final status',
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n${log.join('\n')}\nlast report: ${JSON.stringify(summarize(last))}`);
    });
    say(`drained and settled in ${Date.now() - drainStarted} ms: ${JSON.stringify(settled.byStatus)}`);
    await stack.stopOffice('SIGTERM');
    await stack.stopCentral('SIGTERM');
    return {
      ledger,
      missingAfterRestart,
      missing: ledger.missingAt(stack.paths.officeDb),
      report: convergenceReport(stack.paths),
      outbox: outboxSpan(stack.paths),
      log,
      replayRounds,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await stack.dispose();
  }
}
