/**
 * The blank request with real processes: an office and a centre each in its own process, the office's sync
 * worker doing the carrying. The head asks while the centre is stopped; the request waits in the outbox,
 * reaches the centre once it is started, the centre's admin allocates, and the office's worker brings the
 * allocation back into the forecast with no one at the office doing anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlankRequestView, CentralBlankRequest, PrintHeadline } from '@tangguh/protocol';
import { login, scalar, TestStack, waitFor, type HttpClient } from './helpers.ts';

let stack: TestStack;
let kepala: HttpClient;

beforeAll(async () => {
  stack = await TestStack.create({ officeArgs: ['--backoff-cap-ms', '1000', '--idle-ms', '200'] });
  await stack.startOffice();
  kepala = await login(stack.officeUrl, 'kepala', 'kepala-jember');
});

afterAll(async () => {
  await stack?.dispose();
});

describe('a blank request between real processes', () => {
  let request: BlankRequestView;

  it('is taken while the centre is down and waits in the outbox', async () => {
    const made = await kepala.post<{ request: BlankRequestView }>('/api/blank-requests', { quantity: 250, note: 'Antrean cetak menumpuk' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    request = made.body.request;
    expect(request.state).toBe('queued');
    expect(stack.officeDb((db) => scalar(db, `select count(*) from outbox where kind = 'blank.requested'`))).toBe(1);
  });

  it('reaches the centre once when it starts, and the allocation comes back as an expected delivery', async () => {
    await stack.startCentral();
    await waitFor(() => stack.centralDb((db) => scalar(db, 'select count(*) from blank_requests')) === 1, { timeoutMs: 60_000 });
    const admin = await login(stack.centralUrl, 'admin', 'admin-pusat');
    const listed = await admin.get<{ items: CentralBlankRequest[] }>('/api/admin/blank-requests');
    expect(listed.body.items.map((r) => [r.id, r.quantity, r.note])).toEqual([[request.id, 250, 'Antrean cetak menumpuk']]);
    // A month or so ahead of whatever day the test runs on (a past date would be counted from today).
    const ahead = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    const allocation = { quantity: 250, tranche: 'JTM-2027-01', serialFrom: 500_001, serialTo: 500_250, deliveryEarliest: ahead(30), deliveryLatest: ahead(35) };
    expect((await admin.post(`/api/admin/blank-requests/${request.id}/allocation`, allocation)).status).toBe(200);
    const answered = await waitFor(
      async () => {
        const seen = await kepala.get<{ request: BlankRequestView }>(`/api/blank-requests/${request.id}`);
        return seen.body.request.state === 'allocated' ? seen.body.request : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(answered.allocation).toEqual(allocation);
    const headline = await kepala.get<PrintHeadline>('/api/print-plan/headline');
    expect(headline.body.expectedDeliveries).toEqual([{ quantity: 250, earliest: ahead(30), latest: ahead(35), tranche: 'JTM-2027-01' }]);
    expect(stack.centralDb((db) => scalar(db, 'select count(*) from blank_requests'))).toBe(1);
  });
});
