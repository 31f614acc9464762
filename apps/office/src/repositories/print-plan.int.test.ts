import { describe, expect, it } from 'vitest';
import { DEFAULT_PRINT_PRIORITY_POLICY, forecastPrinting, workCalendar } from '@tangguh/domain';
import { DIALECTS } from '../../../../test/pg.ts';
import { migratedOfficeDatabase } from '../db/test-database.ts';
import { currentPriorityPolicy, listHolidays, listPrinters, plannedPrinter, removeHoliday, savePriorityPolicy, setHoliday, upsertPrinter, usePrinter } from './print-plan.ts';

const at = '2026-12-01T02:00:00.000Z';

describe.each(DIALECTS)('printers, calendar and priority policy on %s', (dialect) => {
  const database = migratedOfficeDatabase(dialect, 'tangguh-print-plan-');

  it('runs consumables down with each print, reads "consumables low" near the end of a set, and never below zero', async () => {
    await upsertPrinter(database().db, { id: 'p1', siteId: 'dinas', name: 'Evolis Primacy 2', capacityPerDay: 300, state: 'ready', ribbonLeft: 120, filmLeft: 500, printsPerRibbon: 500, printsPerFilm: 1000, updatedAt: at });
    expect(await usePrinter(database().db, 'p1', 100, at)).toBe(true);
    const [printer] = await listPrinters(database().db);
    expect(printer).toMatchObject({ ribbonLeft: 20, filmLeft: 400, state: 'consumables_low' });
    expect(plannedPrinter(printer!)).toMatchObject({ printsLeft: 20, printsPerSet: 500 });
    expect(await usePrinter(database().db, 'p1', 21, at)).toBe(false);
    expect((await listPrinters(database().db))[0]?.ribbonLeft).toBe(20);
    await upsertPrinter(database().db, { ...printer!, state: 'in_repair', updatedAt: at });
    expect(await usePrinter(database().db, 'p1', 1, at)).toBe(false);
  });

  it('keeps the holiday calendar an admin edits, and the forecast skips its days', async () => {
    await setHoliday(database().db, { date: '2026-12-25', kind: 'libur_nasional', name: { id: 'Hari Raya Natal', en: 'Christmas Day' } }, 'admin', at);
    await setHoliday(database().db, { date: '2026-12-24', kind: 'cuti_bersama', name: { id: 'Cuti bersama', en: 'Collective leave' } }, 'admin', at);
    await setHoliday(database().db, { date: '2026-12-31', kind: 'cuti_bersama', name: { id: 'salah', en: 'wrong' } }, 'admin', at);
    expect(await removeHoliday(database().db, '2026-12-31')).toBe(true);
    const holidays = await listHolidays(database().db, '2026-12-01', '2026-12-31');
    expect(holidays.map((h) => [h.date, h.kind])).toEqual([
      ['2026-12-24', 'cuti_bersama'],
      ['2026-12-25', 'libur_nasional'],
    ]);
    // One printer, 1 a day, from Wednesday 23 Dec: the second card waits past the holidays and the weekend.
    const printer = { id: 'p', siteId: 'dinas', capacityPerDay: 1, state: 'ready' as const, printsLeft: 10, printsPerSet: 10 };
    const calendar = workCalendar('Asia/Jakarta', holidays);
    const forecast = forecastPrinting({ queue: [{ recordId: 'a', waitingSince: at }, { recordId: 'b', waitingSince: at }], stock: 2, deliveries: [], printers: [printer], calendar, today: '2026-12-23' });
    expect(forecast.map((f) => f.earliest)).toEqual(['2026-12-23', '2026-12-28']);
  });

  it("keeps every version of the priority policy, the newest applying, and DOMAIN.md's default before any", async () => {
    expect(await currentPriorityPolicy(database().db)).toEqual({ ...DEFAULT_PRINT_PRIORITY_POLICY, setBy: null, setAt: null });
    await savePriorityPolicy(database().db, { order: ['disaster', 'first_time'], fairShareAcrossKecamatan: false }, 'admin', at);
    await savePriorityPolicy(database().db, { order: ['disaster', 'suket', 'first_time'], fairShareAcrossKecamatan: true }, 'admin', '2026-12-02T02:00:00.000Z');
    expect(await currentPriorityPolicy(database().db)).toEqual({ order: ['disaster', 'suket', 'first_time'], fairShareAcrossKecamatan: true, setBy: 'admin', setAt: '2026-12-02T02:00:00.000Z' });
    await expect(savePriorityPolicy(database().db, { order: ['suket', 'suket'], fairShareAcrossKecamatan: true }, 'admin', at)).rejects.toThrow();
  });
});
