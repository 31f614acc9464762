import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { errorBodySchema, printBatchSchema, printJobSchema, printJobsResponseSchema, printRoomQueueSchema, spoilageResponseSchema } from '@tangguh/protocol';
import { setupOrFail } from '../../../../test/pg.ts';
import { buildOfficeApp } from '../app.ts';
import { printRoomPass } from '../services/print-run.ts';
import { startPrintRoom, type PrintRoomHarness } from '../services/print-room-harness.ts';
import { sessionCookies } from './office-http-harness.ts';

// The print room over real HTTP on loopback, with the centre stopped for the whole file: nothing on these
// routes needs it. The worker's passes are run by the test, between requests, as the worker would run them.
describe('the print room over HTTP, the centre down', () => {
  let room: PrintRoomHarness;
  let app: FastifyInstance;
  let base: string;
  let ids: string[];
  const cookies: Record<string, string> = {};

  setupOrFail(async () => {
    room = await startPrintRoom('sqlite');
    ids = await room.printReady(4, 7070);
    await room.deliverPackages();
    await room.centralDown();
    app = await buildOfficeApp(room.office, { serveWeb: false });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    Object.assign(cookies, await sessionCookies(base, [['operator', 'operator-jember'], ['supervisor', 'supervisor-jember'], ['kepala', 'kepala-jember']] as const));
  });
  afterAll(async () => {
    await app?.close();
    await room?.close();
  });

  async function call(method: string, path: string, who: string, body?: unknown) {
    const headers: Record<string, string> = { cookie: cookies[who]! };
    // State-changing routes read JSON only: a POST without a body sends `{}`, as the web does.
    if (method === 'POST' && body === undefined) body = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as unknown };
  }
  function expectRefusal(response: { status: number; body: unknown }, status: number, code: string) {
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    const { error } = errorBodySchema.parse(response.body);
    expect(error.code).toBe(code);
    expect(error.messages.id).not.toBe(error.messages.en);
  }
  const pass = () => printRoomPass(room.office, room.devices, { worker: 'system:test' });

  it('lists the waiting records in the plan’s order with their reasons, and prints the ones an operator picks', async () => {
    const queue = printRoomQueueSchema.parse((await call('GET', '/api/cetak/antrean', 'operator')).body);
    expect(queue.total).toBe(4);
    expect(queue.items.map((i) => i.position)).toEqual([1, 2, 3, 4]);
    expect(queue.items.every((i) => i.packageReady && i.explanation.id.includes(' dari 4') && i.name.length > 0)).toBe(true);
    const first = queue.items[0]!.recordId;
    const created = await call('POST', '/api/cetak/pekerjaan', 'operator', { recordIds: [first], siteId: 'dinas', printerId: 'p1' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const [job] = printJobsResponseSchema.parse(created.body).items;
    expect(job).toMatchObject({ state: 'queued', recordStatus: 'SENT_FOR_CARD_PRINTING', createdBy: 'operator' });
    expect((await pass()).printed).toBe(1);
    const seen = printJobSchema.parse((await call('GET', `/api/cetak/pekerjaan/${job!.id}`, 'kepala')).body);
    expect(seen).toMatchObject({ state: 'printed', blankSerial: 1000, recordStatus: 'CARD_PRINTED' });
    const listed = printJobsResponseSchema.parse((await call('GET', '/api/cetak/pekerjaan?state=printed,spoiled', 'operator')).body);
    expect(listed.items.map((j) => j.id)).toEqual([job!.id]);
  });

  it('refuses in both languages: a record printed already, a batch with both a count and records, cancelling a printed job', async () => {
    const printed = printJobsResponseSchema.parse((await call('GET', '/api/cetak/pekerjaan?state=printed', 'operator')).body).items[0]!;
    expectRefusal(await call('POST', '/api/cetak/pekerjaan', 'operator', { recordIds: [printed.recordId], siteId: 'dinas' }), 409, 'RECORD_NOT_PRINTABLE');
    const both = await call('POST', '/api/cetak/batch', 'supervisor', { siteId: 'dinas', count: 2, recordIds: [ids[0]] });
    expect(both.status).toBe(400);
    expectRefusal(await call('POST', `/api/cetak/pekerjaan/${printed.id}/batal`, 'supervisor'), 409, 'PRINT_JOB_NOT_CANCELLABLE');
    expectRefusal(await call('POST', '/api/cetak/batch/00000000-0000-4000-8000-000000000000/jeda', 'supervisor'), 404, 'PRINT_BATCH_NOT_FOUND');
  });

  it('runs a night batch from its start time; pausing holds it, resuming lets it print; progress shows the count', async () => {
    const now = room.office.now;
    const start = new Date(Date.now() + 3_600_000);
    const created = await call('POST', '/api/cetak/batch', 'supervisor', { siteId: 'dinas', printerId: 'p1', count: 2, startAt: start.toISOString().replace('Z', '+00:00'), note: 'malam' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const batch = printBatchSchema.parse(created.body);
    expect(batch).toMatchObject({ state: 'scheduled', progress: { total: 2, queued: 2 } });
    expect((await pass()).printed).toBe(0);
    expect(printBatchSchema.parse((await call('POST', `/api/cetak/batch/${batch.id}/jeda`, 'supervisor')).body).state).toBe('paused');
    room.office.now = () => new Date(start.getTime() + 60_000);
    try {
      expect((await pass()).printed).toBe(0);
      expect(printBatchSchema.parse((await call('POST', `/api/cetak/batch/${batch.id}/lanjut`, 'supervisor')).body).state).toBe('running');
      expect((await pass()).printed).toBe(2);
    } finally {
      room.office.now = now;
    }
    const done = printBatchSchema.parse((await call('GET', `/api/cetak/batch/${batch.id}`, 'operator')).body);
    expect(done).toMatchObject({ state: 'done', progress: { total: 2, printed: 2, queued: 0 } });
    expectRefusal(await call('POST', `/api/cetak/batch/${batch.id}/batal`, 'supervisor'), 409, 'PRINT_BATCH_STATE');
  });

  it('a supervisor reports a printed card spoiled; the reprint takes a new blank; cancelling a batch ends the jobs not started', async () => {
    const printed = printJobsResponseSchema.parse((await call('GET', '/api/cetak/pekerjaan?state=printed', 'operator')).body).items[0]!;
    expectRefusal(await call('POST', `/api/cetak/pekerjaan/${printed.id}/rusak`, 'operator', { reason: 'misprint' }), 403, 'FORBIDDEN');
    const spoiled = await call('POST', `/api/cetak/pekerjaan/${printed.id}/rusak`, 'supervisor', { reason: 'misprint' });
    expect(spoiled.status, JSON.stringify(spoiled.body)).toBe(201);
    const { reprint } = spoilageResponseSchema.parse(spoiled.body);
    expect((await pass()).printed).toBe(1);
    const again = printJobSchema.parse((await call('GET', `/api/cetak/pekerjaan/${reprint.id}`, 'operator')).body);
    expect(again.state).toBe('printed');
    expect(again.blankSerial).not.toBe(printed.blankSerial);

    const last = printRoomQueueSchema.parse((await call('GET', '/api/cetak/antrean', 'operator')).body).items.map((i) => i.recordId);
    expect(last).toHaveLength(1);
    const batch = printBatchSchema.parse((await call('POST', '/api/cetak/batch', 'supervisor', { siteId: 'dinas', recordIds: last })).body);
    const cancelled = printBatchSchema.parse((await call('POST', `/api/cetak/batch/${batch.id}/batal`, 'supervisor')).body);
    expect(cancelled).toMatchObject({ state: 'cancelled', progress: { cancelled: 1, queued: 0 } });
    expect((await pass()).printed).toBe(0);
  });

  it('documents every print room route in the API description', async () => {
    const docs = (await fetch(`${base}/api/docs/json`).then((r) => r.json())) as { paths: Record<string, unknown> };
    for (const path of ['/api/cetak/antrean', '/api/cetak/pekerjaan', '/api/cetak/pekerjaan/{id}/rusak', '/api/cetak/batch', '/api/cetak/batch/{id}/jeda']) expect(Object.keys(docs.paths)).toContain(path);
  });
});
