import { afterAll, describe, expect, it } from 'vitest';
import { syntheticResidents } from '@tangguh/capture';
import { compareExplanationParts } from '@tangguh/domain';
import { blankMovementResponseSchema, errorBodySchema, headlineSchema, printHistorySchema, printQueueResponseSchema, recordForecastSchema } from '@tangguh/protocol';
import { DIALECTS, setupOrFail } from '../../../../test/pg.ts';
import { syntheticRecording } from '../../../cli/src/seed.ts';
import { insertBlankRequest, storeBlankAnswer } from '../repositories/blank-requests.ts';
import { savePriorityPolicy, setHoliday, upsertPrinter } from '../repositories/print-plan.ts';
import { officeSessionStore } from '../repositories/users.ts';
import { recordBlankEntry } from '../services/blank-stock.ts';
import { forecastSnapshot } from '../services/print-forecast.ts';
import { printPlan } from '../services/print-plan.ts';
import { recordResident } from '../services/recording.ts';
import { KALIWATES, startTestOffice, type TestOfficeApi } from './test-office.ts';
import { sessionCookies } from './office-http-harness.ts';

/**
 * The forecast routes on the domain's worked example (packages/domain/src/print-forecast.test.ts), set up in a
 * real office database and read over HTTP. Ten Print Ready Records, first in first out (the admin's policy
 * gives no class priority and no fair share), so the queue is: the record print-ready on 1 Nov, the eight of
 * 1 Dec, the one of 10 Dec. Today is Monday 21 Dec 2026; 24 and 25 Dec and 1 Jan are holidays; 4 blanks in
 * stock and 6 allocated by the centre, expected between 24 and 29 Dec. Printer A: 2 a day, ribbon for 3 more
 * prints; B: 1 a day, 10 left; C in repair.
 *
 * Print dates depend only on the position, so they are the worked example's: positions 1–3 on 21 Dec, 4 on
 * 22 Dec, 5–7 between 28 and 29 Dec, 8–10 between 29 and 30 Dec. Legal flags by hand: position 1 (1 Nov,
 * deadline 20 Nov) is overdue; positions 2–9 (1 Dec, deadline 21 Dec): 2–3 print on 21 Dec (fine), 4–9 after
 * it (will exceed); position 10 (10 Dec, deadline 4 Jan) prints by 30 Dec (fine).
 */
describe.each(DIALECTS)('the forecast routes of an office on %s', (dialect) => {
  let office: TestOfficeApi;
  const cookies: Record<string, string> = {};
  const order: string[] = [];

  async function call<T = unknown>(who: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { cookie: cookies[who]! };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${office.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as T };
  }

  setupOrFail(async () => {
    office = await startTestOffice(dialect);
    const { ctx } = office;
    const operator = (await officeSessionStore(ctx.db).findLogin('operator'))!.user;
    const now = ctx.now;
    ctx.now = () => new Date('2026-10-15T03:00:00.000Z');
    const people = syntheticResidents(7, { seed: 4242, regencyCode: '35.09', regions: ctx.regions });
    for (const person of people) await recordResident(ctx, { request: await syntheticRecording(person, `forecast-${person.nik}`), operator });
    ctx.now = now;
    const ids = (await ctx.db.selectFrom('records').select('id').orderBy('id').execute()).map((r) => r.id);
    expect(ids).toHaveLength(10);
    // Queue order under FIFO: the 1 Nov record, then the 1 Dec ones by id, then the 10 Dec one.
    const since = (i: number) => (i === 0 ? '2026-11-01T02:00:00.000Z' : i === 9 ? '2026-12-10T03:00:00.000Z' : '2026-12-01T02:00:00.000Z');
    for (const [i, id] of ids.entries()) {
      await ctx.db.updateTable('records').set({ status: 'PRINT_READY_RECORD', status_at: since(i) }).where('id', '=', id).execute();
      await ctx.db.insertInto('status_events').values({ record_id: id, status: 'PRINT_READY_RECORD', at: since(i), source: 'central', note: null }).execute();
    }
    order.push(ids[0]!, ...ids.slice(1, 9).sort(), ids[9]!);
    const at = '2026-12-01T02:00:00.000Z';
    await savePriorityPolicy(ctx.db, { order: [], fairShareAcrossKecamatan: false }, 'admin', at);
    for (const date of ['2026-12-24', '2026-12-25', '2027-01-01']) await setHoliday(ctx.db, { date, kind: 'cuti_bersama', name: { id: 'Libur', en: 'Holiday' } }, 'admin', at);
    const printer = { siteId: 'dinas', name: 'Printer', filmLeft: 1000, printsPerRibbon: 100, printsPerFilm: 100, updatedAt: at };
    await upsertPrinter(ctx.db, { ...printer, id: 'A', capacityPerDay: 2, state: 'ready', ribbonLeft: 3 });
    await upsertPrinter(ctx.db, { ...printer, id: 'B', capacityPerDay: 1, state: 'consumables_low', ribbonLeft: 10, filmLeft: 10, printsPerRibbon: 10, printsPerFilm: 10 });
    await upsertPrinter(ctx.db, { ...printer, id: 'C', capacityPerDay: 5, state: 'in_repair', ribbonLeft: 100 });
    await recordBlankEntry(ctx.db, { kind: 'receipt', siteId: 'dinas', tranche: 'T0', quantity: 4, serials: { from: 1, to: 4 } }, 'admin', at);
    // The centre's allocation of 6 blanks, answered and not yet received: an expected delivery.
    await insertBlankRequest(ctx.db, {
      id: '11111111-1111-4111-8111-111111111111', quantity: 6, note: null, justification: '{}', requested_by: 'kepala', requested_at: at, outbox_seq: 999,
      decision: null, allocated_quantity: null, tranche: null, serial_from: null, serial_to: null, delivery_earliest: null, delivery_latest: null, refusal: null, answered_by: null, answered_at: null, answer_received_at: null,
    });
    await storeBlankAnswer(ctx.db, {
      id: '11111111-1111-4111-8111-111111111111', decision: 'allocated', allocated_quantity: 6, tranche: 'T1', serial_from: 101, serial_to: 106,
      delivery_earliest: '2026-12-24', delivery_latest: '2026-12-29', refusal: null, answered_by: 'admin', answered_at: at, answer_received_at: at,
    });
    ctx.now = () => new Date('2026-12-21T03:00:00.000Z'); // Monday, 10:00 WIB
    Object.assign(cookies, await sessionCookies(office.url, [['operator', 'operator-jember'], ['supervisor', 'supervisor-jember'], ['kepala', 'kepala-jember'], ['operator.kaliwates', 'operator-jember']] as const));
  });

  afterAll(async () => {
    await office?.close();
  });

  it('serves the worked example: each position its range, its legal flag and its reasons', async () => {
    const answer = await call('operator', 'GET', '/api/print-plan/queue?pageSize=200');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const page = printQueueResponseSchema.parse(answer.body);
    expect(page.matching).toBe(10);
    expect(page.items.map((i) => i.recordId)).toEqual(order);
    expect(page.items.map((i) => [i.parts.position, i.earliest, i.latest])).toEqual([
      [1, '2026-12-21', '2026-12-21'],
      [2, '2026-12-21', '2026-12-21'],
      [3, '2026-12-21', '2026-12-21'],
      [4, '2026-12-22', '2026-12-22'],
      [5, '2026-12-28', '2026-12-29'],
      [6, '2026-12-28', '2026-12-29'],
      [7, '2026-12-28', '2026-12-29'],
      [8, '2026-12-29', '2026-12-30'],
      [9, '2026-12-29', '2026-12-30'],
      [10, '2026-12-29', '2026-12-30'],
    ]);
    expect(page.items.map((i) => i.flag)).toEqual(['overdue', null, null, 'will_exceed', 'will_exceed', 'will_exceed', 'will_exceed', 'will_exceed', 'will_exceed', null]);
    expect(page.items.map((i) => i.legalDeadline)).toEqual(['2026-11-20', ...Array(8).fill('2026-12-21'), '2027-01-04']);
    expect(page.items[0]!.explanation.en).toBe('1st of 10: regular queue print-ready since 1 November 2026');
    expect(page.items[9]!.explanation.id).toBe('10 dari 10: antrean biasa siap cetak sejak 10 Desember 2026; menunggu blangko');
    expect(page.items[9]!.estimate).toEqual({ id: 'Perkiraan dicetak antara 29 Desember 2026 dan 30 Desember 2026.', en: 'Expected to be printed between 29 December 2026 and 30 December 2026.' });
    // Sorting by the parts of the explanations gives the queue back.
    const resorted = [...page.items].sort((a, b) => compareExplanationParts({ ...a.parts, recordId: a.recordId }, { ...b.parts, recordId: b.recordId }));
    expect(resorted.map((i) => i.recordId)).toEqual(order);
    expect(page.items.map((i) => i.parts.withinStock)).toEqual([true, true, true, true, false, false, false, false, false, false]);
    // The same queue, reasons and dates as the print plan computed directly from the database.
    const plan = await printPlan(office.ctx, { deliveries: [{ quantity: 6, earliest: '2026-12-24', latest: '2026-12-29' }] });
    expect(page.items.map((i) => [i.recordId, i.explanation, i.earliest, i.latest, i.flag])).toEqual(plan.queue.map((e, n) => [e.recordId, e.text, plan.forecast[n]!.earliest, plan.forecast[n]!.latest, plan.forecast[n]!.flag]));
  });

  it('heads the forecast as the worked example does, counts the flags, and answers the what-if for more blanks', async () => {
    const headline = headlineSchema.parse((await call('kepala', 'GET', '/api/print-plan/headline')).body);
    expect(headline).toMatchObject({ today: '2026-12-21', waiting: 10, stock: 4, printers: 2, workingDaysToClear: 5, extraBlanks: 0, overdue: 1, willExceed: 6 });
    expect(headline.expectedDeliveries).toEqual([{ quantity: 6, earliest: '2026-12-24', latest: '2026-12-29', tranche: 'T1' }]);
    expect(headline.text).toEqual({ id: '10 menunggu, 4 blangko, 2 printer: 5 hari kerja', en: '10 waiting, 4 blanks, 2 printers: 5 working days' });
    const whatIf = headlineSchema.parse((await call('kepala', 'GET', '/api/print-plan/headline?extraBlanks=6')).body);
    expect(whatIf.text).toEqual({ id: '10 menunggu, 4 blangko, 2 printer: 5 hari kerja; dengan 6 blangko lagi: 4 hari', en: '10 waiting, 4 blanks, 2 printers: 5 working days; with 6 more blanks: 4 days' });
    expect((await call('kepala', 'GET', '/api/print-plan/headline?extraBlanks=-1')).status).toBe(400);
  });

  it('pages and filters the queue, keeping positions in the whole queue', async () => {
    const second = printQueueResponseSchema.parse((await call('operator', 'GET', '/api/print-plan/queue?page=2&pageSize=4')).body);
    expect(second.items.map((i) => i.parts.position)).toEqual([5, 6, 7, 8]);
    const overdue = printQueueResponseSchema.parse((await call('operator', 'GET', '/api/print-plan/queue?flag=overdue')).body);
    expect(overdue.items.map((i) => i.recordId)).toEqual([order[0]]);
    const flagged = printQueueResponseSchema.parse((await call('operator', 'GET', '/api/print-plan/queue?flag=any')).body);
    expect(flagged.matching).toBe(7);
    const kec = second.items[0]!.parts.kecamatan.code;
    const ofKec = printQueueResponseSchema.parse((await call('operator', 'GET', `/api/print-plan/queue?kecamatan=${kec}`)).body);
    expect(ofKec.items.length).toBeGreaterThan(0);
    expect(ofKec.items.every((i) => i.parts.kecamatan.code === kec)).toBe(true);
    const atKaliwates = printQueueResponseSchema.parse((await call('operator', 'GET', '/api/print-plan/queue?siteId=kec-35.09.19')).body);
    expect(atKaliwates.items.map((i) => i.recordId)).toEqual([office.residents.recordedAtKaliwates.recordId]);
    expect((await call('operator', 'GET', '/api/print-plan/queue?priorityClass=suket')).body).toMatchObject({ matching: 0 });
    expect((await call('operator', 'GET', '/api/print-plan/queue?pageSize=1000')).status).toBe(400);
  });

  it('shows kecamatan staff only the waiting records they may see, at their positions in the whole queue', async () => {
    const { ctx } = office;
    const visible = await ctx.db
      .selectFrom('records')
      .select('id')
      .where('status', '=', 'PRINT_READY_RECORD')
      .where((eb) => eb.or([eb('site_id', '=', 'kec-35.09.19'), eb('village_code', 'like', `${KALIWATES}.%`)]))
      .execute();
    const seen = printQueueResponseSchema.parse((await call('operator.kaliwates', 'GET', '/api/print-plan/queue?pageSize=200')).body);
    expect(seen.items.map((i) => i.recordId).sort()).toEqual(visible.map((r) => r.id).sort());
    expect(seen.items.every((i) => i.parts.total === 10)).toBe(true);
    const hidden = order.find((id) => !visible.some((v) => v.id === id))!;
    expect((await call('operator.kaliwates', 'GET', `/api/print-plan/records/${hidden}`)).status).toBe(404);
  });

  it("answers one record's forecast, and 404 for a record not waiting", async () => {
    const last = recordForecastSchema.parse((await call('operator', 'GET', `/api/print-plan/records/${order[9]}`)).body);
    expect(last).toMatchObject({ earliest: '2026-12-29', latest: '2026-12-30', flag: null, legalDeadline: '2027-01-04' });
    expect(last.parts.position).toBe(10);
    const none = await call('operator', 'GET', '/api/print-plan/records/00000000-0000-4000-8000-000000000000');
    expect(none.status).toBe(404);
    expect(errorBodySchema.parse(none.body).error.code).toBe('RECORD_NOT_WAITING');
  });

  it('draws backlog against stock per day and the funnel from the stored history', async () => {
    // The last record went to the printer on 15 Dec: it leaves the backlog that day.
    await office.ctx.db.updateTable('records').set({ status: 'SENT_FOR_CARD_PRINTING', status_at: '2026-12-15T03:00:00.000Z' }).where('id', '=', order[9]!).execute();
    await office.ctx.db.insertInto('status_events').values({ record_id: order[9]!, status: 'SENT_FOR_CARD_PRINTING', at: '2026-12-15T03:00:00.000Z', source: 'office', note: null }).execute();
    const history = printHistorySchema.parse((await call('kepala', 'GET', '/api/print-plan/history?days=30')).body);
    expect(history).toMatchObject({ from: '2026-11-22', to: '2026-12-21', timeZone: 'Asia/Jakarta' });
    expect(history.backlog).toHaveLength(30);
    const on = (date: string) => history.backlog.find((b) => b.date === date)!;
    expect(on('2026-11-22')).toEqual({ date: '2026-11-22', waiting: 1, stock: 0 });
    expect(on('2026-11-30')).toEqual({ date: '2026-11-30', waiting: 1, stock: 0 });
    expect(on('2026-12-01')).toEqual({ date: '2026-12-01', waiting: 9, stock: 4 });
    expect(on('2026-12-10')).toEqual({ date: '2026-12-10', waiting: 10, stock: 4 });
    expect(on('2026-12-14')).toEqual({ date: '2026-12-14', waiting: 10, stock: 4 });
    expect(on('2026-12-15')).toEqual({ date: '2026-12-15', waiting: 9, stock: 4 });
    expect(on('2026-12-21')).toEqual({ date: '2026-12-21', waiting: 9, stock: 4 });
    const day = (date: string) => history.funnelByDay.find((d) => d.date === date)!;
    expect(day('2026-12-01').printReady).toBe(8);
    expect(day('2026-12-10').printReady).toBe(1);
    expect(day('2026-12-15').sent).toBe(1);
    const totals = history.funnelByKecamatan.reduce((sum, k) => ({ recorded: sum.recorded + k.recorded, printReady: sum.printReady + k.printReady, sent: sum.sent + k.sent, issued: sum.issued + k.issued }), { recorded: 0, printReady: 0, sent: 0, issued: 0 });
    expect(totals).toEqual({ recorded: 10, printReady: 10, sent: 1, issued: 0 });
    expect(history.funnelByKecamatan.find((k) => k.kecamatan.code === KALIWATES)?.kecamatan.name).toMatch(/kaliwates/i);
  });

  it('lends blanks to another office and takes them back, never more than lent nor below zero, and the forecast follows', async () => {
    const lent = await call('supervisor', 'POST', '/api/stok-blangko/pinjaman-keluar', { siteId: 'dinas', officeId: '3510', quantity: 3 });
    expect(lent.status, JSON.stringify(lent.body)).toBe(201);
    expect(blankMovementResponseSchema.parse(lent.body).entries).toMatchObject([{ kind: 'loan_out', counterpart: '3510', quantity: -3, reason: 'loan' }]);
    expect(headlineSchema.parse((await call('kepala', 'GET', '/api/print-plan/headline')).body).stock).toBe(1);
    const tooMany = await call('supervisor', 'POST', '/api/stok-blangko/pinjaman-keluar', { siteId: 'dinas', officeId: '3510', quantity: 2 });
    expect(tooMany.status).toBe(409);
    expect(errorBodySchema.parse(tooMany.body).error.code).toBe('BLANK_STOCK_INSUFFICIENT');
    const overReturn = await call('supervisor', 'POST', '/api/stok-blangko/pinjaman-masuk', { siteId: 'dinas', officeId: '3510', quantity: 4, purpose: 'return' });
    expect(overReturn.status).toBe(409);
    expect(errorBodySchema.parse(overReturn.body).error.code).toBe('BLANK_LOAN_RETURN_EXCEEDS');
    const self = await call('supervisor', 'POST', '/api/stok-blangko/pinjaman-keluar', { siteId: 'dinas', officeId: office.ctx.office.id, quantity: 1 });
    expect(self.status).toBe(400);
    expect((await call('operator', 'POST', '/api/stok-blangko/pinjaman-keluar', { siteId: 'dinas', officeId: '3510', quantity: 1 })).status).toBe(403);
    expect((await call('supervisor', 'POST', '/api/stok-blangko/pinjaman-masuk', { siteId: 'dinas', officeId: '3510', quantity: 3, purpose: 'return' })).status).toBe(201);
    expect((await call('supervisor', 'POST', '/api/stok-blangko/pinjaman-masuk', { siteId: 'dinas', officeId: '3511', quantity: 5 })).status).toBe(201);
    // Giving back what was borrowed: not more than borrowed from that office.
    expect((await call('supervisor', 'POST', '/api/stok-blangko/pinjaman-keluar', { siteId: 'dinas', officeId: '3511', quantity: 6, purpose: 'return' })).status).toBe(409);
    expect((await call('supervisor', 'POST', '/api/stok-blangko/pinjaman-keluar', { siteId: 'dinas', officeId: '3511', quantity: 2, purpose: 'return' })).status).toBe(201);
    expect((await call('operator', 'GET', '/api/stok-blangko/pinjaman')).body).toEqual({
      items: [
        { officeId: '3510', lentOut: 0, borrowed: 0 },
        { officeId: '3511', lentOut: 0, borrowed: 3 },
      ],
    });
    const headline = headlineSchema.parse((await call('kepala', 'GET', '/api/print-plan/headline')).body);
    expect(headline.stock).toBe(7);
    expect(headline.workingDaysToClear).toBeLessThan(5);
  });

  it('keeps the plan while nothing it reads changes, and plans again after a change', async () => {
    const { ctx } = office;
    const kept = await forecastSnapshot(ctx);
    expect(await forecastSnapshot(ctx)).toBe(kept);
    await upsertPrinter(ctx.db, { id: 'C', siteId: 'dinas', name: 'Printer', capacityPerDay: 5, state: 'ready', ribbonLeft: 100, filmLeft: 100, printsPerRibbon: 100, printsPerFilm: 100, updatedAt: '2026-12-21T03:00:00.000Z' });
    const afterPrinter = await forecastSnapshot(ctx);
    expect(afterPrinter).not.toBe(kept);
    expect(afterPrinter.plan.headline.printers).toBe(3);
    await ctx.db.updateTable('records').set({ status: 'SENT_FOR_CARD_PRINTING' }).where('id', '=', order[0]!).execute();
    const afterStatus = await forecastSnapshot(ctx);
    expect(afterStatus).not.toBe(afterPrinter);
    expect(afterStatus.plan.queue).toHaveLength(8);
    const tomorrow = ctx.now;
    ctx.now = () => new Date('2026-12-22T03:00:00.000Z');
    expect((await forecastSnapshot(ctx)).plan.today).toBe('2026-12-22');
    ctx.now = tomorrow;
  });
});
