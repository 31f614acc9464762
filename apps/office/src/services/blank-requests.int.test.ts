import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticResidents } from '@tangguh/capture';
import { buildCentralApp } from '@tangguh/central';
import type { CentralContext } from '@tangguh/central/context';
import { openCentral } from '@tangguh/central/provision';
import { blankRequestDraftSchema, blankRequestViewSchema, centralBlankRequestListSchema, centralBlankRequestSchema, errorBodySchema, headlineSchema, type BlankRequestView } from '@tangguh/protocol';
import { DIALECTS, freshLocation, setupOrFail } from '../../../../test/pg.ts';
import { login, type HttpClient } from '../../../../test/helpers.ts';
import { freePort, provisionStack } from '../../../cli/src/stack.ts';
import { syntheticRecording } from '../../../cli/src/seed.ts';
import { buildOfficeApp } from '../app.ts';
import type { OfficeContext } from '../context.ts';
import { upsertPrinter } from '../repositories/print-plan.ts';
import { getSyncNumber, setSyncValue } from '../repositories/sync-state.ts';
import { officeSessionStore } from '../repositories/users.ts';
import { openOffice } from '../runtime.ts';
import { recordBlankEntry } from './blank-stock.ts';
import { pullBlankAnswers } from './blank-requests.ts';
import { CentralClient, CentralUnavailable } from './central-client.ts';
import { forecastFor } from './print-forecast.ts';
import { recordResident } from './recording.ts';
import { pushOnce } from './sync.ts';

/**
 * The blank request between a real office and a real centre on loopback, both on the same dialect: made while
 * the centre is down, it waits in the outbox and reaches the centre once when it returns (a replayed batch
 * adds nothing); the centre's admin sees it with the office's figures and answers; the answer comes back in
 * the signed feed, becomes an expected delivery in the forecast, and the receipt recorded against it ends that.
 */
describe.each(DIALECTS)('a blank request from an office to the centre on %s', (dialect) => {
  let dir: string;
  let office: OfficeContext;
  let central: CentralContext;
  let officeApp: FastifyInstance;
  let centralApp: FastifyInstance | undefined;
  let centralPort: number;
  let client: CentralClient;
  let kepala: HttpClient;
  let supervisor: HttpClient;
  let operator: HttpClient;
  const records: string[] = [];
  const closers: (() => Promise<void>)[] = [];

  const startCentral = async () => {
    centralApp = await buildCentralApp(central, { serveWeb: false });
    await centralApp.listen({ port: centralPort, host: '127.0.0.1' });
  };
  const centralRows = async () => Number((await central.db.selectFrom('blank_requests' as never).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  setupOrFail(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tangguh-blank-request-'));
    const officeStore = await freshLocation(dialect, dir, 'office');
    const centralStore = await freshLocation(dialect, dir, 'central');
    closers.push(officeStore.drop, centralStore.drop);
    const paths = await provisionStack(dir, { officeDb: officeStore.location, centralDb: centralStore.location });
    const c = await openCentral(paths.centralDb);
    central = c.ctx;
    closers.unshift(() => c.handle.close());
    const o = await openOffice(paths.officeDb);
    office = o.ctx;
    closers.unshift(() => o.handle.close());
    // Today Monday 7 Dec 2026, 10:00 WIB. Three Print Ready Records, 1 blank, one printer of 1 a day.
    office.now = () => new Date('2026-12-07T03:00:00.000Z');
    const op = (await officeSessionStore(office.db).findLogin('operator'))!.user;
    for (const person of syntheticResidents(3, { seed: 5150, regencyCode: '35.09', regions: office.regions })) {
      const { record } = await recordResident(office, { request: await syntheticRecording(person, `blank-${person.nik}`), operator: op });
      records.push(record.id);
    }
    for (const [i, id] of records.entries()) {
      await office.db.updateTable('records').set({ status: 'PRINT_READY_RECORD', status_at: `2026-12-0${i + 1}T02:00:00.000Z` }).where('id', '=', id).execute();
    }
    await recordBlankEntry(office.db, { kind: 'receipt', siteId: 'dinas', tranche: 'T0', quantity: 1, serials: { from: 1, to: 1 } }, 'admin', '2026-12-01T02:00:00.000Z');
    await upsertPrinter(office.db, { id: 'p1', siteId: 'dinas', name: 'Printer 1', capacityPerDay: 1, state: 'ready', ribbonLeft: 500, filmLeft: 500, printsPerRibbon: 500, printsPerFilm: 500, updatedAt: '2026-12-01T02:00:00.000Z' });
    officeApp = await buildOfficeApp(office, { serveWeb: false });
    const officeUrl = await officeApp.listen({ port: 0, host: '127.0.0.1' });
    closers.unshift(() => officeApp.close());
    kepala = await login(officeUrl, 'kepala', 'kepala-jember');
    supervisor = await login(officeUrl, 'supervisor', 'supervisor-jember');
    operator = await login(officeUrl, 'operator', 'operator-jember');
    // The centre is down: nothing listens on its port yet.
    centralPort = await freePort();
    client = new CentralClient({ baseUrl: `http://127.0.0.1:${centralPort}`, officeId: office.office.id, signingPrivateKey: office.signingPrivateKey, timeoutMs: 5_000 });
  });

  afterAll(async () => {
    await centralApp?.close();
    for (const close of closers) await close();
    rmSync(dir, { recursive: true, force: true });
  });

  let first: BlankRequestView;
  let second: BlankRequestView;

  it('takes a request while the centre is down, with the forecast as its justification, and keeps it queued', async () => {
    const draft = blankRequestDraftSchema.parse((await kepala.get('/api/blank-requests/draft?quantity=5')).body);
    expect(draft.suggestedQuantity).toBe(1000);
    expect(draft.justification).toMatchObject({ date: '2026-12-07', waiting: 3, stock: 1, printers: 1, workingDaysToClear: null, workingDaysWithRequest: 3, expected: 0 });
    expect((await operator.post('/api/blank-requests', { quantity: 5 })).status).toBe(403);
    const made = await kepala.post<{ request: BlankRequestView }>('/api/blank-requests', { quantity: 5, note: 'Stok habis minggu ini' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    first = blankRequestViewSchema.parse(made.body.request);
    expect(first).toMatchObject({ quantity: 5, state: 'queued', requestedBy: 'kepala', allocation: null });
    expect(first.justification.text.id).toMatch(/^3 rekaman siap cetak menunggu, stok 1 blangko, 1 printer: selesai dalam lebih dari 250 hari kerja; dengan 5 blangko yang diminta: 3 hari kerja\./);
    await expect(pushOnce(office, client, 50)).rejects.toBeInstanceOf(CentralUnavailable);
    expect((await operator.get<{ request: BlankRequestView }>(`/api/blank-requests/${first.id}`)).body.request.state).toBe('queued');
  });

  it('reaches the centre exactly once when it returns, a replayed batch adding nothing', async () => {
    await startCentral();
    const acked = await getSyncNumber(office.db, 'acked_seq');
    expect(await pushOnce(office, client, 50)).toBeGreaterThan(0);
    expect(await centralRows()).toBe(1);
    // The office lost its acknowledgement (a crash before storing it): the same entries go again.
    await setSyncValue(office.db, 'acked_seq', acked);
    await pushOnce(office, client, 50);
    expect(await centralRows()).toBe(1);
    expect((await operator.get<{ request: BlankRequestView }>(`/api/blank-requests/${first.id}`)).body.request.state).toBe('at_centre');
  });

  it("shows the centre's admin every request with the office's justification, and refuses a second answer", async () => {
    const admin = await login(`http://127.0.0.1:${centralPort}`, 'admin', 'admin-pusat');
    const adjudicator = await login(`http://127.0.0.1:${centralPort}`, 'adjudikator', 'adjudikator-pusat');
    expect((await adjudicator.get('/api/admin/blank-requests')).status).toBe(403);
    const list = centralBlankRequestListSchema.parse((await admin.get('/api/admin/blank-requests?status=pending')).body);
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ id: first.id, officeId: office.office.id, quantity: 5, note: 'Stok habis minggu ini', status: 'pending', justification: first.justification });
    const allocation = { quantity: 5, tranche: 'T-2026-12', serialFrom: 1001, serialTo: 1005, deliveryEarliest: '2026-12-08', deliveryLatest: '2026-12-10' };
    const bad = await admin.post(`/api/admin/blank-requests/${first.id}/allocation`, { ...allocation, quantity: 4 });
    expect(bad.status).toBe(400);
    const given = await admin.post(`/api/admin/blank-requests/${first.id}/allocation`, allocation);
    expect(given.status, JSON.stringify(given.body)).toBe(200);
    expect(centralBlankRequestSchema.parse((given.body as { request: unknown }).request)).toMatchObject({ status: 'allocated', allocation, answeredBy: 'admin' });
    const again = await admin.post(`/api/admin/blank-requests/${first.id}/refusal`, { reason: 'Tidak ada stok' });
    expect(again.status).toBe(409);
    expect(errorBodySchema.parse(again.body).error.code).toBe('BLANK_REQUEST_ANSWERED');
    expect((await admin.post('/api/admin/blank-requests/00000000-0000-4000-8000-000000000000/refusal', { reason: 'Tidak ada' })).status).toBe(404);
  });

  it('brings the allocation back to the office, where it dates records the stock could not reach', async () => {
    const forecasts = await Promise.all(records.map((id) => forecastFor(office, id)));
    const last = forecasts.find((f) => f?.parts.position === 3)!.recordId;
    expect(await forecastFor(office, last)).toMatchObject({ earliest: null, latest: null });
    expect(await pullBlankAnswers(office, client)).toEqual({ stored: 1, hasMore: false });
    expect(await pullBlankAnswers(office, client)).toEqual({ stored: 0, hasMore: false });
    const answered = blankRequestViewSchema.parse((await operator.get<{ request: unknown }>(`/api/blank-requests/${first.id}`)).body.request);
    expect(answered).toMatchObject({ state: 'allocated', allocation: { tranche: 'T-2026-12', serialFrom: 1001, serialTo: 1005 }, answeredBy: 'admin' });
    const headline = headlineSchema.parse((await kepala.get('/api/print-plan/headline')).body);
    expect(headline.expectedDeliveries).toEqual([{ quantity: 5, earliest: '2026-12-08', latest: '2026-12-10', tranche: 'T-2026-12' }]);
    // Blank 1 prints today; the delivery brings the next two: 8 and 9 Dec at the earliest, 10 and 11 Dec at the latest.
    const third = await forecastFor(office, last);
    expect(third).toMatchObject({ earliest: '2026-12-09', latest: '2026-12-11' });
  });

  it('ends the expected delivery when the receipt of its serial range is recorded', async () => {
    const receipt = await supervisor.post('/api/stok-blangko/penerimaan', { siteId: 'dinas', tranche: 'T-2026-12', quantity: 5, serialFrom: 1001, serialTo: 1005 });
    expect(receipt.status, JSON.stringify(receipt.body)).toBe(201);
    expect((await operator.get<{ request: BlankRequestView }>(`/api/blank-requests/${first.id}`)).body.request.state).toBe('received');
    const headline = headlineSchema.parse((await kepala.get('/api/print-plan/headline')).body);
    expect(headline).toMatchObject({ stock: 6, expectedDeliveries: [], workingDaysToClear: 3 });
  });

  it('carries a refusal and its reason back, and refuses an allocation overlapping one already made', async () => {
    second = (await kepala.post<{ request: BlankRequestView }>('/api/blank-requests', { quantity: 2000 })).body.request;
    const third = (await supervisor.post<{ request: BlankRequestView }>('/api/blank-requests', { quantity: 10 })).body.request;
    expect(await pushOnce(office, client, 50)).toBe(2);
    const admin = await login(`http://127.0.0.1:${centralPort}`, 'admin', 'admin-pusat');
    const overlap = await admin.post(`/api/admin/blank-requests/${third.id}/allocation`, { quantity: 10, tranche: 'T-X', serialFrom: 1000, serialTo: 1009, deliveryEarliest: '2026-12-14', deliveryLatest: '2026-12-18' });
    expect(overlap.status).toBe(409);
    expect(errorBodySchema.parse(overlap.body).error.code).toBe('BLANK_RANGE_OVERLAP');
    expect((await admin.post(`/api/admin/blank-requests/${second.id}/refusal`, { reason: 'Alokasi triwulan ini sudah habis.' })).status).toBe(200);
    expect((await pullBlankAnswers(office, client)).stored).toBe(1);
    const refused = (await operator.get<{ request: BlankRequestView }>(`/api/blank-requests/${second.id}`)).body.request;
    expect(refused).toMatchObject({ state: 'refused', refusal: 'Alokasi triwulan ini sudah habis.', allocation: null });
    const list = (await operator.get<{ items: BlankRequestView[] }>('/api/blank-requests')).body.items;
    expect(list.map((r) => [r.id, r.state])).toEqual(
      expect.arrayContaining([
        [first.id, 'received'],
        [second.id, 'refused'],
        [third.id, 'at_centre'],
      ]),
    );
  });
});
