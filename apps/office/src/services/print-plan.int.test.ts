import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS, setupOrFail } from '../../../../test/pg.ts';
import { startTestOffice, type TestOfficeApi } from '../api/test-office.ts';
import { setHoliday, upsertPrinter } from '../repositories/print-plan.ts';
import { recordBlankEntry } from './blank-stock.ts';
import { printPlan } from './print-plan.ts';

// The plan read from a real office database: records recorded and given a Suket by the services, then
// marked print-ready as the centre's changes would mark them.
describe.each(DIALECTS)('the print plan of an office on %s', (dialect) => {
  let office: TestOfficeApi;

  setupOrFail(async () => {
    office = await startTestOffice(dialect);
  });
  afterAll(async () => {
    await office?.close();
  });

  it('queues the Print Ready Records with their reasons and dates them from stock, printers and holidays', async () => {
    const { ctx, residents } = office;
    const ready = [residents.kaliwatesResident.recordId, residents.elsewhere.recordId];
    await ctx.db.updateTable('records').set({ status: 'PRINT_READY_RECORD', status_at: '2026-12-01T02:00:00.000Z' }).where('id', 'in', ready).execute();
    await recordBlankEntry(ctx.db, { kind: 'receipt', siteId: 'dinas', tranche: 'T1', quantity: 1, serials: { from: 1, to: 1 } }, 'admin', '2026-12-01T02:00:00.000Z');
    await upsertPrinter(ctx.db, { id: 'p1', siteId: 'dinas', name: 'Printer 1', capacityPerDay: 1, state: 'ready', ribbonLeft: 100, filmLeft: 100, printsPerRibbon: 500, printsPerFilm: 500, updatedAt: '2026-12-01T02:00:00.000Z' });
    for (const date of ['2026-12-24', '2026-12-25']) await setHoliday(ctx.db, { date, kind: 'cuti_bersama', name: { id: 'Libur', en: 'Holiday' } }, 'admin', '2026-12-01T02:00:00.000Z');
    const now = ctx.now;
    ctx.now = () => new Date('2026-12-23T03:00:00.000Z'); // Wednesday, 10:00 WIB
    try {
      const plan = await printPlan(ctx, { deliveries: [{ quantity: 5, earliest: '2026-12-24', latest: '2026-12-30' }] });
      expect(plan.today).toBe('2026-12-23');
      expect(plan.queue.map((e) => e.recordId).sort()).toEqual([...ready].sort());
      const kaliwates = plan.queue.find((e) => e.recordId === residents.kaliwatesResident.recordId)!;
      expect(kaliwates.parts.kecamatan.name).toMatch(/kaliwates/i);
      expect(kaliwates.text.id).toMatch(/ dari 2: .*jatah kecamatan /);
      expect(plan.queue.map((e) => e.parts.withinStock)).toEqual([true, false]);
      // One blank today; the second waits for the delivery: on the first working day after 24 Dec
      // (24 and 25 off, then the weekend) at the earliest, on 30 Dec at the latest.
      expect(plan.forecast.map((f) => [f.earliest, f.latest])).toEqual([
        ['2026-12-23', '2026-12-23'],
        ['2026-12-28', '2026-12-30'],
      ]);
      // Print-ready on 1 Dec: 14 working days end on 21 Dec, before today.
      expect(plan.forecast.map((f) => f.flag)).toEqual(['overdue', 'overdue']);
      // Both printed by the end of the second working day (23 and 28 Dec) when the delivery comes early.
      expect(plan.headline.text).toEqual({ id: '2 menunggu, 1 blangko, 1 printer: 2 hari kerja', en: '2 waiting, 1 blank, 1 printer: 2 working days' });
    } finally {
      ctx.now = now;
    }
  });
});
