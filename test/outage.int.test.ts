/**
 * A central outage, with real processes: the centre stops in the middle of a stream of recordings; the
 * office keeps answering 201 at once (local first), shows the link as down and the backlog growing, and
 * once the centre is back it drains and converges by itself, without any operator action.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HttpClient,
  TestStack,
  convergenceReport,
  loginOperator,
  residentRequests,
  waitFor,
  type RecordingCreated,
  type SyncStatusBody,
} from './helpers.ts';
import { expectConverged, outboxSpan } from './convergence.ts';

const TOTAL = 60;
const STOP_AFTER = 15;

let stack: TestStack;
let operator: HttpClient;
let residents: Awaited<ReturnType<typeof residentRequests>>;

beforeAll(async () => {
  residents = await residentRequests(TOTAL, 7201);
  stack = await TestStack.create({ officeArgs: ['--backoff-cap-ms', '1000', '--idle-ms', '200'] });
  await stack.startCentral();
  await stack.startOffice();
  operator = await loginOperator(stack.officeUrl);
});

afterAll(async () => {
  await stack?.dispose();
});

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

describe('central outage', () => {
  it('keeps recording while the centre is down, then drains and converges by itself', async () => {
    const created: RecordingCreated[] = [];
    const latency = { before: [] as number[], during: [] as number[] };
    let phase: 'before' | 'during' = 'before';
    let stopping: Promise<void> | undefined;

    // One operator recording one resident after another; the centre is stopped mid-stream.
    for (let i = 0; i < TOTAL; i++) {
      if (i === STOP_AFTER) {
        stopping = stack.stopCentral('SIGTERM');
        phase = 'during';
      }
      const response = await operator.post<RecordingCreated>('/api/recordings', residents[i]!.request, { timeoutMs: 10_000 });
      expect(response.status, `recording ${i}: ${JSON.stringify(response.body)}`).toBe(201);
      created.push(response.body);
      latency[phase].push(response.ms);
      if (i === STOP_AFTER + 10) {
        // By now the centre is gone: the office must say so and show the backlog.
        await stopping;
        const status = await waitFor(
          async () => {
            const s = (await operator.get<SyncStatusBody>('/api/sync/status')).body;
            return s.central.reachable === false && s.outbox.pending > 0 ? s : undefined;
          },
          { timeoutMs: 15_000, message: 'sync status to show the centre unreachable with a backlog' },
        );
        expect(status.central.lastError).toBeTruthy();
        expect(status.outbox.oldestPendingAt).toBeTruthy();
      }
    }
    await stopping;
    expect(new Set(created.map((c) => c.record.registrationNumber)).size).toBe(TOTAL);

    console.log(
      `[outage] POST /api/recordings latency — centre up: p50 ${fmt(quantile(latency.before, 0.5))}, max ${fmt(Math.max(...latency.before))}; ` +
        `centre down: p50 ${fmt(quantile(latency.during, 0.5))}, p95 ${fmt(quantile(latency.during, 0.95))}, max ${fmt(Math.max(...latency.during))} (n=${latency.during.length})`,
    );

    // Still down: nothing can have moved past BIO_CAPTURED for the recordings made after the stop.
    const down = (await operator.get<SyncStatusBody>('/api/sync/status')).body;
    expect(down.central.reachable).toBe(false);
    expect(down.outbox.pending).toBeGreaterThanOrEqual(TOTAL - STOP_AFTER - 1);
    const summary = (await operator.get<{ byStatus: Record<string, number>; total: number }>('/api/recordings/summary')).body;
    expect(summary.total).toBe(TOTAL);
    expect(summary.byStatus.BIO_CAPTURED ?? 0).toBe(down.outbox.pending);

    // The centre comes back on the same database; nobody touches the office.
    const restartedAt = Date.now();
    await stack.startCentral();
    await waitFor(
      async () => {
        const s = (await operator.get<SyncStatusBody>('/api/sync/status')).body;
        return s.outbox.pending === 0 && s.central.reachable === true;
      },
      { timeoutMs: 60_000, message: 'the outbox to drain after the centre returns' },
    );
    const drainedMs = Date.now() - restartedAt;
    await waitFor(
      async () => {
        const s = (await operator.get<{ byStatus: Record<string, number>; total: number }>('/api/recordings/summary')).body;
        return s.byStatus.PRINT_READY_RECORD === TOTAL;
      },
      { timeoutMs: 60_000, message: `all ${TOTAL} records to reach PRINT_READY_RECORD` },
    );
    console.log(`[outage] backlog of ${down.outbox.pending} drained ${drainedMs} ms after the centre restarted; all ${TOTAL} PRINT_READY after ${Date.now() - restartedAt} ms`);

    const sync = (await operator.get<SyncStatusBody>('/api/sync/status')).body;
    expect(sync.central.lastError).toBeNull();

    expectConverged(convergenceReport(stack.paths), outboxSpan(stack.paths), { records: TOTAL });
  });
});
