/**
 * A bad network between the office and the centre (ARCHITECTURE.md principle 7), as a run the network-fault
 * test and `npm run soak:faults` both drive. The office's sync worker reaches the centre only through the
 * fault proxy, whose faults change on a seeded schedule — latency, resets, truncated answers, refusing and
 * blackholing partitions, mixtures, and clean spells in between — while operators record concurrently
 * through the office's own HTTP API (which stays reachable: the office is local-first). When the operators
 * are done the network heals, the office drains by itself, and the caller checks convergence.
 */
import { FaultProxy, type FaultSettings, type FaultStats } from './fault-proxy.ts';
import { TestStack, convergenceReport, loginOperator, seededRandom, sleep, withReadonly, type ConvergenceReport } from './helpers.ts';
import { isSettled, outboxSpan, summarize, type OutboxSpan } from './convergence.ts';
import { AckLedger, RequestPool } from './recording-load.ts';

export interface FaultRunOptions {
  /** Recordings to make in all. */
  operations: number;
  seed: number;
  concurrency?: number;
  /** Shortest and longest spell of one network condition. */
  spellMs?: [number, number];
  /** How long the nodes get to settle after the heal (default 120 s + 60 ms per recording). */
  settleMs?: number;
  /** Keep the faults coming after the operators are done until this many spells ran (default: one of each). */
  minSpells?: number;
  onLog?: (line: string) => void;
}

/** One spell of a bad network: [start, end) in ms since the epoch. */
export interface FaultWindow {
  kind: string;
  start: number;
  end: number;
}

export interface WaitFigures {
  /** Records measured (every office record the centre applied). */
  n: number;
  /** From max(acknowledged, end of the last fault before it was applied) to applied at the centre. */
  maxMs: number;
  medianMs: number;
  /** The same, counting only time the link was good (spells of faults in between subtracted). */
  goodLinkMaxMs: number;
  goodLinkMedianMs: number;
  /** For records still unapplied when the network healed for good: the longest time from that heal. */
  afterFinalHealMaxMs: number;
}

export interface FaultRunResult {
  /** Whether everything drained and reached a final status within the settle time. */
  settled: boolean;
  ledger: AckLedger;
  missing: string[];
  report: ConvergenceReport;
  outbox: OutboxSpan;
  proxy: FaultStats;
  windows: FaultWindow[];
  /** How many spells of each kind of fault ran. */
  spells: Record<string, number>;
  waits: WaitFigures;
  recordingSeconds: number;
  drainMs: number;
  seconds: number;
}

/** The conditions a spell can have; 'clean' is a good link. Partitions stay short of the client's 30 s timeout. */
const CONDITIONS: { kind: string; weight: number; minMs?: number; settings: (r: ReturnType<typeof seededRandom>) => FaultSettings }[] = [
  { kind: 'clean', weight: 3, settings: () => ({}) },
  { kind: 'latency', weight: 2, settings: (r) => ({ latencyMs: r.int(20, 250), jitterMs: r.int(0, 150) }) },
  { kind: 'resets', weight: 2, settings: (r) => ({ resetRate: r.int(20, 80) / 100 }) },
  { kind: 'truncated', weight: 2, settings: (r) => ({ truncateRate: r.int(20, 80) / 100 }) },
  { kind: 'mixed', weight: 2, settings: (r) => ({ latencyMs: r.int(10, 200), jitterMs: r.int(0, 100), resetRate: 0.25, truncateRate: 0.25 }) },
  // Partitions last longer than the worker's longest backoff (1 s here), so the worker meets each one.
  { kind: 'refuse', weight: 1, minMs: 1500, settings: () => ({ partition: 'refuse' }) },
  { kind: 'blackhole', weight: 1, minMs: 1500, settings: () => ({ partition: 'blackhole' }) },
];

/**
 * Spells are dealt from a shuffled deck holding each condition `weight` times, so every kind of fault comes
 * up within any 13 spells however the seed falls.
 */
function conditionDeck(random: ReturnType<typeof seededRandom>): () => (typeof CONDITIONS)[number] {
  let deck: (typeof CONDITIONS)[number][] = [];
  return () => {
    if (deck.length === 0) {
      deck = CONDITIONS.flatMap((c) => Array.from({ length: c.weight }, () => c));
      for (let i = deck.length - 1; i > 0; i--) {
        const j = random.int(0, i);
        [deck[i], deck[j]] = [deck[j]!, deck[i]!];
      }
    }
    return deck.pop()!;
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor((sorted.length - 1) / 2)]!;
};

/** Time in [from, to) not covered by any fault window. */
function goodTime(from: number, to: number, windows: FaultWindow[]): number {
  let covered = 0;
  for (const w of windows) covered += Math.max(0, Math.min(to, w.end) - Math.max(from, w.start));
  return Math.max(0, to - from - covered);
}

function waitFigures(ledger: AckLedger, applied: Map<string, number>, windows: FaultWindow[], finalHeal: number): WaitFigures {
  const ends = windows.map((w) => w.end).sort((a, b) => a - b);
  const literal: number[] = [];
  const good: number[] = [];
  let afterFinalHealMaxMs = 0;
  for (const ack of ledger.acknowledged.values()) {
    const at = applied.get(ack.id);
    if (at === undefined) continue;
    // The link was last good again at the end of the last fault that had ended before the record was applied.
    const healed = ends.filter((end) => end <= at).pop() ?? 0;
    literal.push(Math.max(0, at - Math.max(ack.at, healed)));
    good.push(goodTime(ack.at, at, windows));
    if (at > finalHeal) afterFinalHealMaxMs = Math.max(afterFinalHealMaxMs, at - Math.max(ack.at, finalHeal));
  }
  return {
    n: literal.length,
    maxMs: Math.max(0, ...literal),
    medianMs: median(literal),
    goodLinkMaxMs: Math.max(0, ...good),
    goodLinkMedianMs: median(good),
    afterFinalHealMaxMs,
  };
}

/** Runs the operators under the fault schedule on a fresh stack, heals, drains; the stack is disposed of. */
export async function runFaults(options: FaultRunOptions): Promise<FaultRunResult> {
  const { operations, seed } = options;
  const concurrency = options.concurrency ?? 4;
  const [spellMin, spellMax] = options.spellMs ?? [300, 2500];
  const random = seededRandom(seed);
  const say = (line: string) => options.onLog?.(line);
  const started = Date.now();
  const pool = new RequestPool(operations, seed, 'faults');
  const ledger = new AckLedger();
  await pool.init();
  const stack = await TestStack.create({ officeArgs: ['--batch-size', '25', '--backoff-cap-ms', '1000', '--idle-ms', '100'] });
  const proxy = await FaultProxy.start({ port: stack.centralPort }, { seed });
  stack.officeCentralUrl = proxy.url;
  try {
    await stack.startCentral();
    await stack.startOffice();
    const client = await loginOperator(stack.officeUrl);
    await pool.topUp(Math.min(operations, 200));

    // The network's schedule: one spell after another until the operators are done — and, on a machine fast
    // enough that they finish before every kind of fault came up, on into the drain until it has.
    const windows: FaultWindow[] = [];
    const spells: Record<string, number> = {};
    let recording = true;
    const nextCondition = conditionDeck(random);
    const minSpells = options.minSpells ?? CONDITIONS.reduce((sum, c) => sum + c.weight, 0);
    let spellCount = 0;
    // A spell that met no traffic (the worker was between attempts, say) proves nothing about that fault: deal
    // more spells, up to a bound, until the proxy has seen every kind of fault touch the sync's bytes.
    const untouched = () => {
      const s = proxy.stats;
      return s.resets === 0 || s.truncations === 0 || s.refusedPeriods === 0 || s.blackholedChunks === 0 || s.delayedChunks === 0;
    };
    const maxSpells = minSpells + 3 * CONDITIONS.reduce((sum, c) => sum + c.weight, 0);
    const more = () => recording || spellCount < minSpells || (untouched() && spellCount < maxSpells);
    const network = (async () => {
      while (more()) {
        spellCount += 1;
        const condition = nextCondition();
        const spellStart = Date.now();
        await proxy.set(condition.settings(random));
        spells[condition.kind] = (spells[condition.kind] ?? 0) + 1;
        const length = Math.max(condition.minMs ?? 0, random.int(spellMin, spellMax));
        while (more() && Date.now() - spellStart < length) await sleep(Math.min(100, length));
        if (condition.kind !== 'clean') windows.push({ kind: condition.kind, start: spellStart, end: Date.now() });
      }
    })();

    const recordingStarted = Date.now();
    let done = 0;
    const operators = Array.from({ length: concurrency }, async () => {
      for (let pending = await pool.take(); pending; pending = await pool.take()) {
        const outcome = await ledger.submit(client, pending, windows.length);
        // The office is on this side of the faults: an operator's request must never fail.
        if (outcome === 'lost') ledger.unexpected.push(`operator request ${pending.clientRequestId} failed`);
        if (++done % 1000 === 0) say(`${done} recordings acknowledged after ${((Date.now() - recordingStarted) / 1000).toFixed(1)} s; ${windows.length} fault spells so far`);
      }
    });
    await Promise.all(operators);
    const recordingSeconds = (Date.now() - recordingStarted) / 1000;
    recording = false;
    await network;
    await proxy.heal();
    const finalHeal = Date.now();
    const atHeal = convergenceReport(stack.paths);
    say(
      `recorded ${ledger.acknowledged.size} in ${recordingSeconds.toFixed(1)} s under ${windows.length} fault spells ${JSON.stringify(spells)}; ` +
        `network healed with ${atHeal.maxOutboxSeq - atHeal.appliedSeq} outbox entries not yet applied at the centre`,
    );

    // The drain, watched: every 30 s the applied seq, and how long the centre takes to answer /health
    // directly (not through the proxy) — a slow answer means its event loop is busy, not the link stuck.
    const settleMs = options.settleMs ?? 120_000 + operations * 60;
    let report = convergenceReport(stack.paths);
    let settled = isSettled(report);
    for (let lastSaid = Date.now(); !settled && Date.now() - finalHeal < settleMs; ) {
      await sleep(1000);
      report = convergenceReport(stack.paths);
      settled = isSettled(report);
      if (Date.now() - lastSaid >= 30_000) {
        lastSaid = Date.now();
        const probe = performance.now();
        const health = await fetch(new URL('/health', stack.centralUrl), { signal: AbortSignal.timeout(30_000) }).then((r) => r.status, () => 'no answer');
        say(
          `  ${((Date.now() - finalHeal) / 1000).toFixed(0)} s after the heal: centre applied ${report.appliedSeq} of ${report.maxOutboxSeq}, ` +
            `${report.notFinal.length} not final; centre /health ${health} in ${(performance.now() - probe).toFixed(0)} ms`,
        );
      }
    }
    const drainMs = Date.now() - finalHeal;
    say(settled ? `drained and settled ${drainMs} ms after the heal: ${JSON.stringify(report.byStatus)}` : `NOT settled ${drainMs} ms after the heal: ${JSON.stringify(summarize(report))}`);
    await stack.stopOffice('SIGTERM');
    await stack.stopCentral('SIGTERM');

    const applied = withReadonly(stack.paths.centralDb, (db) => {
      const rows = db.prepare("select record_id, applied_at from applied_entries where office_id = '3509'").all() as { record_id: string; applied_at: string }[];
      return new Map(rows.map((r) => [r.record_id, Date.parse(r.applied_at)]));
    });
    return {
      settled,
      ledger,
      missing: ledger.missingAt(stack.paths.officeDb),
      report: convergenceReport(stack.paths),
      outbox: outboxSpan(stack.paths),
      proxy: { ...proxy.stats },
      windows,
      spells,
      waits: waitFigures(ledger, applied, windows, finalHeal),
      recordingSeconds,
      drainMs,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await proxy.close();
    await stack.dispose();
  }
}
