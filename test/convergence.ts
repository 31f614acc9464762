/**
 * "Converged", said once for every test and soak that breaks the sync on purpose (crash, outage, network
 * faults): every acknowledged recording is at the office exactly as acknowledged, the centre holds every
 * office record once and nothing else, the centre's applied seq and the office's acknowledged seq equal the
 * office's last seq (no stuck outbox), and both sides show the same final status. The soaks print the
 * counts; the tests assert with `expectConverged`, which names what differs.
 */
import { expect } from 'vitest';
import type { StackPaths } from '../apps/cli/src/stack.ts';
import { withReadonly, type ConvergenceReport } from './helpers.ts';

/** What the soaks print; all must be 0. */
export interface ConvergenceCounts {
  /** Acknowledged recordings gone or changed at the office, plus office records the centre does not hold. */
  lost: number;
  /** Recordings applied more than once, timeline events told twice, centre records the office never made. */
  duplicated: number;
  /** Status differing between the nodes, not final, or an applied seq whose subject is not the office's. */
  mismatched: number;
  /** Outbox entries the centre has not applied or the office has not seen acknowledged. */
  stuck: number;
}

export function convergenceCounts(report: ConvergenceReport, acknowledgedMissing: readonly string[] = []): ConvergenceCounts {
  return {
    lost: acknowledgedMissing.length + report.missingAtCentre.length,
    duplicated:
      report.appliedTwice.length +
      report.appliedTwiceAnyKind.length +
      report.repeatedEvents.length +
      report.unknownAtCentre.length +
      Math.max(0, report.appliedEntries - report.officeOutbox) +
      Math.max(0, report.officeRecordingEntries - report.officeRecords),
    mismatched: report.statusMismatch.length + report.notFinal.length + report.seqMismatch,
    stuck: Math.max(0, report.maxOutboxSeq - report.appliedSeq) + Math.max(0, report.maxOutboxSeq - report.ackedSeq),
  };
}

export const allZero = (counts: ConvergenceCounts) => Object.values(counts).every((n) => n === 0);

/** The drain is over: everything sent and acknowledged, every record final and agreed, one enrollment per record. */
export const isSettled = (r: ConvergenceReport) =>
  r.ackedSeq === r.maxOutboxSeq && r.appliedSeq === r.maxOutboxSeq && r.notFinal.length === 0 && r.statusMismatch.length === 0 && r.centralEnrollments === r.officeRecords;

/** A report without its long lists, for a failure message or a soak's log. */
export const summarize = (r: ConvergenceReport | undefined) =>
  r && {
    ...r,
    missingAtCentre: r.missingAtCentre.length,
    unknownAtCentre: r.unknownAtCentre.length,
    statusMismatch: r.statusMismatch.slice(0, 5),
    notFinal: r.notFinal.slice(0, 5),
    notFinalCount: r.notFinal.length,
  };

/** The office's outbox: how many entries and their lowest and highest seq (gap-free means n = hi, lo = 1). */
export const outboxSpan = (paths: StackPaths) =>
  withReadonly(paths.officeDb, (db) => db.prepare('select count(*) as n, min(seq) as lo, max(seq) as hi from outbox').get()) as { n: number; lo: number; hi: number };

export interface ExpectConvergedOptions {
  /** Acknowledged recordings not found at the office as acknowledged (from the test's ledger). */
  acknowledgedMissing?: readonly string[];
  /** How many office records there must be, when the test knows. */
  records?: number;
  /** Every subject a different person: all must end PRINT_READY_RECORD (the default). */
  allPrintReady?: boolean;
}

export type OutboxSpan = ReturnType<typeof outboxSpan>;

/** `outbox` is `outboxSpan(paths)`, read before the data folder goes. */
export function expectConverged(report: ConvergenceReport, outbox: OutboxSpan, options: ExpectConvergedOptions = {}): void {
  if (options.records !== undefined) expect(report.officeRecords).toBe(options.records);
  // 1. No acknowledged write is lost.
  expect(options.acknowledgedMissing ?? []).toEqual([]);
  // Each record has exactly one outbox entry; the outbox is numbered without gaps (a gap would stall the centre).
  expect(report.officeRecordingEntries).toBe(report.officeRecords);
  expect(outbox).toEqual({ n: report.officeOutbox, lo: report.officeOutbox > 0 ? 1 : null, hi: report.officeOutbox > 0 ? report.officeOutbox : null });
  // 2. The centre holds exactly the office's committed records, each applied once.
  expect(report.centralEnrollments).toBe(report.officeRecords);
  expect(report.missingAtCentre).toEqual([]);
  expect(report.unknownAtCentre).toEqual([]);
  expect(report.appliedEntries).toBe(report.officeOutbox);
  expect(report.appliedTwice).toEqual([]);
  expect(report.appliedTwiceAnyKind).toEqual([]);
  expect(report.seqMismatch).toBe(0);
  // 3. No stuck outbox: the centre applied, and the office knows it applied, up to the last seq.
  expect(report.appliedSeq).toBe(report.maxOutboxSeq);
  expect(report.ackedSeq).toBe(report.maxOutboxSeq);
  // 4. Every record reached its final deduplication status, the same on both sides, told once.
  expect(report.notFinal).toEqual([]);
  expect(report.statusMismatch).toEqual([]);
  expect(report.repeatedEvents).toEqual([]);
  if (options.allPrintReady ?? true) expect(report.byStatus).toEqual({ PRINT_READY_RECORD: report.officeRecords });
  expect(convergenceCounts(report, options.acknowledgedMissing)).toEqual({ lost: 0, duplicated: 0, mismatched: 0, stuck: 0 });
}
