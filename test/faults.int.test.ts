/**
 * A bad network between the office and the centre, with real processes: the office's sync worker reaches
 * the centre only through the fault proxy (latency, resets, truncated answers, refusing and blackholing
 * partitions that come and go) while four operators record 2,000 residents through the office's HTTP API.
 * Then the network heals and, with nobody touching anything, the two nodes must converge: every acknowledged
 * recording at the centre exactly once, the applied seq equal to the office's last seq, no stuck outbox, the
 * same statuses on both sides. `npm run soak:faults` runs the same for 10,000 recordings or more.
 *
 * FAULT_OPS (default 2000) sets the number of recordings; FAULT_SEED replays a run's network schedule.
 */
import { describe, expect, it } from 'vitest';
import { convergenceCounts, expectConverged } from './convergence.ts';
import { runFaults } from './fault-run.ts';

const OPERATIONS = Number(process.env.FAULT_OPS ?? 2000);
const SEED = Number(process.env.FAULT_SEED ?? Date.now() % 1_000_000);

describe(`office and centre over a faulty network (${OPERATIONS} recordings, seed ${SEED})`, () => {
  it('acknowledges every recording at once, then converges with nothing lost, nothing duplicated and no stuck outbox once the network heals', { timeout: 300_000 }, async () => {
    const lines: string[] = [];
    // Two rounds of the deck of network conditions at least: each kind of fault comes up twice.
    const run = await runFaults({ operations: OPERATIONS, seed: SEED, minSpells: 26, onLog: (line) => lines.push(line) });
    const { report, waits } = run;
    const faultKinds = ['latency', 'resets', 'truncated', 'mixed', 'refuse', 'blackhole'];
    console.log(
      [
        `[faults] seed ${SEED}: ${OPERATIONS} recordings in ${run.seconds.toFixed(1)} s`,
        ...lines,
        `proxy: ${JSON.stringify(run.proxy)}`,
        `wait once the link was good again: max ${waits.maxMs} ms, median ${waits.medianMs} ms (good-link time only: max ${waits.goodLinkMaxMs} ms, median ${waits.goodLinkMedianMs} ms; after the final heal: max ${waits.afterFinalHealMaxMs} ms)`,
        `counts: ${JSON.stringify(convergenceCounts(report, run.missing))}`,
      ].join('\n'),
    );

    expect(run.settled).toBe(true);
    // Every operator request was answered 2xx: the office does not wait on the centre.
    expect(run.ledger.unexpected).toEqual([]);
    expect(run.ledger.acknowledged.size).toBe(OPERATIONS);
    // The faults really happened, every kind of them, while the worker was syncing.
    expect(faultKinds.filter((kind) => !run.spells[kind])).toEqual([]);
    expect(run.proxy.resets).toBeGreaterThan(0);
    expect(run.proxy.truncations).toBeGreaterThan(0);
    expect(run.proxy.refusedPeriods).toBeGreaterThan(0);
    expect(run.proxy.blackholedChunks).toBeGreaterThan(0);
    expect(run.proxy.delayedChunks).toBeGreaterThan(0);
    expectConverged(report, run.outbox, { acknowledgedMissing: run.missing, records: OPERATIONS });
    expect(waits.n).toBe(OPERATIONS);
  });
});
