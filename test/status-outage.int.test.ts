/**
 * The status page during a real central outage, with real processes: the office's worker checks the centre
 * every 300 ms and needs 3 failed checks to call it down and 2 good ones to call it back. The centre is
 * stopped: printing and e-signing flip, recording and Suket stay normal (they work offline), one incident
 * opens, and a client on the event stream sees it; the centre is started again: the incident resolves by
 * itself and the stream says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventSource } from 'undici';
import { publicStatusSchema, type PublicStatus } from '@tangguh/protocol';
import { TestStack, waitFor } from './helpers.ts';
import { SplitStack } from './split-stack.ts';

const INTERVAL_MS = 300;
let stack: TestStack;

beforeAll(async () => {
  stack = await TestStack.create({
    officeArgs: ['--backoff-cap-ms', '500', '--idle-ms', '200', '--status-interval-ms', String(INTERVAL_MS), '--status-fail-after', '3', '--status-recover-after', '2'],
  });
  await stack.startCentral();
  await stack.startOffice();
});

afterAll(async () => {
  await stack?.dispose();
});

const stateOf = (status: PublicStatus, siteId: string, service: string) => status.sites.find((s) => s.siteId === siteId)?.services.find((s) => s.service === service)?.state;
const fetchStatus = async () => publicStatusSchema.parse(await (await fetch(`${stack.officeUrl}/api/status`)).json());

describe('status page during a central outage', () => {
  it('flips the services that need the centre after the configured checks, opens one incident, and resolves it when the centre is back', async () => {
    const events: PublicStatus[] = [];
    const source = new EventSource(`${stack.officeUrl}/api/status/stream`);
    source.addEventListener('status', (e) => events.push(JSON.parse((e as MessageEvent<string>).data) as PublicStatus));
    try {
      // The worker has checked the centre and found it there.
      await waitFor(async () => (await fetchStatus()).checkedAt !== null, { timeoutMs: 20_000 });
      const before = await fetchStatus();
      expect(stateOf(before, 'dinas', 'cetak')).toBe('normal');
      expect(before.incidents.filter((i) => i.resolvedAt === null)).toHaveLength(0);

      const stoppedAt = Date.now();
      await stack.stopCentral('SIGTERM');
      const down = await waitFor(async () => {
        const s = await fetchStatus();
        return stateOf(s, 'dinas', 'cetak') === 'terganggu' ? s : undefined;
      }, { timeoutMs: 30_000 });
      // At least three checks (two intervals apart from the first failure) before the flip.
      expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(2 * INTERVAL_MS);
      expect(stateOf(down, 'dinas', 'perekaman')).toBe('normal');
      expect(stateOf(down, 'dinas', 'suket')).toBe('normal');
      expect(stateOf(down, 'dinas', 'tte_dokumen')).toBe('gangguan');
      const open = down.incidents.filter((i) => i.resolvedAt === null);
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({ capability: 'central_sync', status: 'investigating' });
      await waitFor(() => events.some((e) => stateOf(e, 'dinas', 'cetak') === 'terganggu'), { timeoutMs: 5_000 });

      await stack.startCentral();
      const back = await waitFor(async () => {
        const s = await fetchStatus();
        return stateOf(s, 'dinas', 'cetak') === 'normal' ? s : undefined;
      }, { timeoutMs: 60_000 });
      const incident = back.incidents.find((i) => i.id === open[0]!.id)!;
      expect(incident.resolvedAt).not.toBeNull();
      expect(incident.updates.map((u) => u.status)).toEqual(['investigating', 'resolved']);
      expect(back.incidents.filter((i) => i.capability === 'central_sync')).toHaveLength(1);
      await waitFor(() => events.some((e) => e.incidents.some((i) => i.id === incident.id && i.resolvedAt !== null)), { timeoutMs: 5_000 });
    } finally {
      source.close();
    }
  });

  it('split into an API and a worker process, the API’s stream clients learn what the worker found within 5 s', async () => {
    const split = await SplitStack.create({ central: 'sqlite', officeWorkerArgs: ['--backoff-cap-ms', '500', '--idle-ms', '200', '--status-interval-ms', String(INTERVAL_MS), '--status-fail-after', '3', '--status-recover-after', '2'] });
    const arrivals: { at: number; status: PublicStatus }[] = [];
    let source: EventSource | undefined;
    try {
      await split.startCentral();
      await split.startOffice();
      const api = split.url('officeApi');
      source = new EventSource(`${api}/api/status/stream`);
      source.addEventListener('status', (e) => arrivals.push({ at: Date.now(), status: JSON.parse((e as MessageEvent<string>).data) as PublicStatus }));
      await waitFor(() => arrivals.some((a) => a.status.checkedAt !== null), { timeoutMs: 30_000 });
      await split.stopCentral();
      const seen = await waitFor(() => arrivals.find((a) => a.status.incidents.some((i) => i.resolvedAt === null && i.capability === 'central_sync')), { timeoutMs: 30_000 });
      const incident = seen.status.incidents.find((i) => i.resolvedAt === null)!;
      // Opened in the worker process (its time is in the row), seen by a client of the API process.
      expect(seen.at - Date.parse(incident.openedAt)).toBeLessThan(5_000);
      expect(stateOf(seen.status, 'dinas', 'cetak')).toBe('terganggu');
    } finally {
      source?.close();
      await split.dispose();
    }
  });
});
