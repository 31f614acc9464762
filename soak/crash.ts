/**
 * Crash soak: the kill -9 rounds of the crash test (test/crash-rounds.ts), a hundred times or more — the
 * office, the centre or both SIGKILLed during sync while four operators record. Prints every round, then
 * the lost, duplicated, mismatched and stuck counts; exits non-zero unless all are 0.
 *
 *   npm run soak:crash                       # 100 rounds
 *   SOAK_ROUNDS=300 SOAK_SEED=42 npm run soak:crash
 */
import { allZero, convergenceCounts } from '../test/convergence.ts';
import { runCrashRounds } from '../test/crash-rounds.ts';

// The nodes seal their private keys under a master key the operator supplies; like the test config, a soak
// brings a throwaway one of its own unless one is given. The nodes it spawns inherit it.
if (!process.env.TANGGUH_MASTER_KEY_FILE) process.env.TANGGUH_MASTER_KEY ??= 'tangguh-soak-master-key-not-for-production';

const ROUNDS = Number(process.env.SOAK_ROUNDS ?? 100);
const SEED = Number(process.env.SOAK_SEED ?? Date.now() % 1_000_000);

console.log(`[soak:crash] ${ROUNDS} rounds, seed ${SEED} (SOAK_SEED=${SEED} replays the kill schedule)`);
try {
  const run = await runCrashRounds({ rounds: ROUNDS, seed: SEED, onLog: (line) => console.log(line) });
  const { report, outbox, ledger } = run;
  const counts = convergenceCounts(report, [...run.missingAfterRestart, ...run.missing]);
  const gapFree = outbox.n === report.officeOutbox && outbox.lo === 1 && outbox.hi === report.officeOutbox;
  console.log(
    [
      `rounds that started with a replay pending (centre applied, office not yet acked): ${run.replayRounds.length} (${run.replayRounds.join(', ') || 'none'})`,
      `acknowledged ${ledger.acknowledged.size}; office records ${report.officeRecords}, outbox ${report.officeOutbox} (seq ${outbox.lo}..${outbox.hi}, ${gapFree ? 'gap-free' : 'WITH GAPS'}); ` +
        `centre enrollments ${report.centralEnrollments}, applied entries ${report.appliedEntries}, applied_seq ${report.appliedSeq}`,
      `statuses: ${JSON.stringify(report.byStatus)}`,
      `unexpected answers: ${ledger.unexpected.length}${ledger.unexpected.length > 0 ? ` — ${ledger.unexpected.slice(0, 5).join('; ')}` : ''}`,
      `lost ${counts.lost}, duplicated ${counts.duplicated}, mismatched ${counts.mismatched}, stuck ${counts.stuck} — ${ROUNDS} rounds in ${run.seconds.toFixed(0)} s`,
    ].join('\n'),
  );
  if (!allZero(counts) || !gapFree || ledger.unexpected.length > 0) {
    for (const line of [...run.missingAfterRestart, ...run.missing].slice(0, 20)) console.log(`  lost: ${line}`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`[soak:crash] did not converge: ${(error as Error).message}`);
  process.exitCode = 2;
}
