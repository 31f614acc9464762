/**
 * kill -9, over and over (ARCHITECTURE.md principle 7): the rounds of test/crash-rounds.ts — the office,
 * the centre or both killed at a random moment while operators record and the worker syncs — then every
 * recording the office acknowledged (2xx) must survive, and the centre must hold exactly the office's
 * committed records, each once. `npm run soak:crash` runs the same rounds a hundred times or more.
 *
 * CRASH_ROUNDS (default 20) sets the number of rounds; CRASH_SEED replays a run.
 */
import { describe, expect, it } from 'vitest';
import { expectConverged } from './convergence.ts';
import { runCrashRounds } from './crash-rounds.ts';

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 20);
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);

describe(`kill -9 during recording and sync (${ROUNDS} rounds, seed ${SEED})`, () => {
  it('loses no acknowledged recording and applies every committed one exactly once', { timeout: 600_000 }, async () => {
    const run = await runCrashRounds({ rounds: ROUNDS, seed: SEED });
    const { report, outbox, ledger } = run;
    console.log(
      [
        `[crash] seed ${SEED}, ${ROUNDS} rounds in ${run.seconds.toFixed(1)} s`,
        ...run.log,
        `rounds that started with a replay pending (centre applied, office not yet acked): ${run.replayRounds.length > 0 ? run.replayRounds.join(', ') : 'none'}`,
        `acknowledged ${ledger.acknowledged.size}; office records ${report.officeRecords}, outbox ${report.officeOutbox} (seq ${outbox.lo}..${outbox.hi}); ` +
          `centre enrollments ${report.centralEnrollments}, applied entries ${report.appliedEntries}, applied_seq ${report.appliedSeq}`,
      ].join('\n'),
    );

    expect(ledger.unexpected).toEqual([]);
    expect(ledger.acknowledged.size).toBeGreaterThan(ROUNDS);
    // Nothing acknowledged was gone after any of the office's restarts, nor at the end.
    expect(run.missingAfterRestart).toEqual([]);
    expectConverged(report, outbox, { acknowledgedMissing: run.missing });
  });
});
