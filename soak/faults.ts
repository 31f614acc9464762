/**
 * Network-fault soak: the run of the network-fault test (test/fault-run.ts) at 10,000 recordings or more —
 * four operators record while the office syncs through the fault proxy (latency, resets, truncated answers,
 * refusing and blackholing partitions, clean spells between); then the network heals and the nodes drain.
 * Prints the lost, duplicated, mismatched and stuck counts (exit non-zero unless all are 0) and how long
 * records waited once the link was good again: for each record, from the later of "acknowledged" and "the
 * last fault before it was applied ended" to "applied at the centre", max and median.
 *
 *   npm run soak:faults                      # 10,000 recordings
 *   SOAK_OPS=20000 SOAK_SEED=42 npm run soak:faults
 */
import { allZero, convergenceCounts } from '../test/convergence.ts';
import { runFaults } from '../test/fault-run.ts';

// The nodes seal their private keys under a master key the operator supplies; like the test config, a soak
// brings a throwaway one of its own unless one is given. The nodes it spawns inherit it.
if (!process.env.TANGGUH_MASTER_KEY_FILE) process.env.TANGGUH_MASTER_KEY ??= 'tangguh-soak-master-key-not-for-production';

const OPERATIONS = Number(process.env.SOAK_OPS ?? 10_000);
const SEED = Number(process.env.SOAK_SEED ?? Date.now() % 1_000_000);

console.log(`[soak:faults] ${OPERATIONS} recordings, seed ${SEED} (SOAK_SEED=${SEED} replays the network schedule)`);
try {
  const run = await runFaults({ operations: OPERATIONS, seed: SEED, onLog: (line) => console.log(line) });
  const { report, outbox, ledger, waits } = run;
  const counts = convergenceCounts(report, run.missing);
  const gapFree = outbox.n === report.officeOutbox && outbox.lo === 1 && outbox.hi === report.officeOutbox;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    [
      `proxy: ${run.proxy.connections} connections, ${run.proxy.resets} resets, ${run.proxy.truncations} truncated answers, ` +
        `${run.proxy.refusedPeriods} refusing partitions, ${run.proxy.blackholedChunks} chunks held in blackholes, ${run.proxy.delayedChunks} delayed chunks`,
      `acknowledged ${ledger.acknowledged.size}; office records ${report.officeRecords}, outbox ${report.officeOutbox} (${gapFree ? 'gap-free' : 'WITH GAPS'}); ` +
        `centre enrollments ${report.centralEnrollments}, applied entries ${report.appliedEntries}, applied_seq ${report.appliedSeq}; statuses ${JSON.stringify(report.byStatus)}`,
      `unexpected answers: ${ledger.unexpected.length}${ledger.unexpected.length > 0 ? ` — ${ledger.unexpected.slice(0, 5).join('; ')}` : ''}`,
      `wait once the link was good again (n=${waits.n}): max ${s(waits.maxMs)}, median ${s(waits.medianMs)}`,
      `  counting good-link time only: max ${s(waits.goodLinkMaxMs)}, median ${s(waits.goodLinkMedianMs)}; after the final heal: max ${s(waits.afterFinalHealMaxMs)} (drained and settled in ${s(run.drainMs)})`,
      `lost ${counts.lost}, duplicated ${counts.duplicated}, mismatched ${counts.mismatched}, stuck ${counts.stuck} — recording ${run.recordingSeconds.toFixed(0)} s, all ${run.seconds.toFixed(0)} s`,
    ].join('\n'),
  );
  if (!run.settled || !allZero(counts) || !gapFree || ledger.unexpected.length > 0 || ledger.acknowledged.size !== OPERATIONS) process.exitCode = 1;
} catch (error) {
  console.error(`[soak:faults] did not converge: ${(error as Error).message}`);
  process.exitCode = 2;
}
