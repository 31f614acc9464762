import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { workCalendar, workingDaysFrom } from './calendar.ts';
import { forecastHeadline, forecastPrinting, type ForecastInput, type PlannedPrinter, simulatePrinting } from './print-forecast.ts';

const calendar = workCalendar('Asia/Jakarta', [{ date: '2026-12-24' }, { date: '2026-12-25' }, { date: '2027-01-01' }]);

/**
 * The worked example, checked by hand.
 *
 * Working days from Monday 21 Dec 2026 (24 Dec cuti bersama, 25 Dec Natal, 1 Jan Tahun Baru, weekends):
 *   d0 21-12, d1 22-12, d2 23-12, d3 28-12, d4 29-12, d5 30-12, d6 31-12, d7 04-01.
 * Stock 4 blanks; 6 more expected between 24-12 (→ first working day 28-12 = d3) and 29-12 (d4).
 * Printer A: 2 a day, ribbon for 3 more prints, 100 per set. Printer B: 1 a day, 10 left. C in repair.
 *
 * Earliest (delivery on d3, a printer out of ribbon refilled for the next working day):
 *   d0: A prints min(2, 3 left, 4 on hand) = 2 (A left 1), B 1 → 3 printed, 1 on hand.
 *   d1: A prints 1 (its last ribbon print; refilled for d2) → 4 printed, 0 on hand; B has no blank.
 *   d2: no blanks → 4.
 *   d3: +6 → A 2, B 1 → 7, 3 on hand.   d4: A 2, B 1 → 10.
 *   So r01–r03 on 21-12, r04 on 22-12, r05–r07 on 28-12, r08–r10 on 29-12.
 * Latest (delivery on d4, a new ribbon takes 2 working days: A out on d1 stands still d2, d3):
 *   d0: 3, d1: 4, d2: 4, d3: 4 (no blanks anyway), d4: +6 → A 2, B 1 → 7, d5: A 2, B 1 → 10.
 *   So r01–r03 21-12, r04 22-12, r05–r07 29-12, r08–r10 30-12.
 * Legal deadline, 14 working days after the day a record became print-ready:
 *   1 Dec (Tue) → day 14 is 21 Dec; 10 Dec → 10,11,14..18,21,22,23,28..31,4 Jan → 4 Jan 2027;
 *   1 Nov (Sunday) counts from Mon 2 Nov → 20 Nov, already past on 21 Dec: overdue.
 *   r04's latest (22-12) is after its deadline (21-12): will exceed. r01–r03 print on their last day: fine.
 * Headline: all 10 printed by the end of d4 → 5 working days. With 6 more blanks now (stock 10):
 *   d0: A 2, B 1 → 3; d1: A 1 (out, refilled for d2), B 1 → 5; d2: A 2, B 1 → 8; d3: A 2 → 10 → 4 days.
 */
const printers: PlannedPrinter[] = [
  { id: 'A', siteId: 'dinas', capacityPerDay: 2, state: 'ready', printsLeft: 3, printsPerSet: 100 },
  { id: 'B', siteId: 'dinas', capacityPerDay: 1, state: 'consumables_low', printsLeft: 10, printsPerSet: 10 },
  { id: 'C', siteId: 'ambulu', capacityPerDay: 5, state: 'in_repair', printsLeft: 100, printsPerSet: 100 },
];
const since = (id: number) => (id === 9 ? '2026-12-10T03:00:00Z' : id === 10 ? '2026-11-01T02:00:00Z' : '2026-12-01T02:00:00Z');
const example: ForecastInput = {
  queue: Array.from({ length: 10 }, (_, i) => ({ recordId: `r${String(i + 1).padStart(2, '0')}`, waitingSince: since(i + 1) })),
  stock: 4,
  deliveries: [{ quantity: 6, earliest: '2026-12-24', latest: '2026-12-29' }],
  printers,
  calendar,
  today: '2026-12-21',
  restockWorkingDays: 2,
};

describe('print forecast', () => {
  it('matches the worked example checked by hand', () => {
    const forecast = forecastPrinting(example);
    expect(forecast.map((f) => [f.recordId, f.earliest, f.latest])).toEqual([
      ['r01', '2026-12-21', '2026-12-21'],
      ['r02', '2026-12-21', '2026-12-21'],
      ['r03', '2026-12-21', '2026-12-21'],
      ['r04', '2026-12-22', '2026-12-22'],
      ['r05', '2026-12-28', '2026-12-29'],
      ['r06', '2026-12-28', '2026-12-29'],
      ['r07', '2026-12-28', '2026-12-29'],
      ['r08', '2026-12-29', '2026-12-30'],
      ['r09', '2026-12-29', '2026-12-30'],
      ['r10', '2026-12-29', '2026-12-30'],
    ]);
    expect(forecast.map((f) => f.legalDeadline)).toEqual([...Array(8).fill('2026-12-21'), '2027-01-04', '2026-11-20']);
    expect(forecast.map((f) => f.flag)).toEqual([null, null, null, 'will_exceed', 'will_exceed', 'will_exceed', 'will_exceed', 'will_exceed', null, 'overdue']);
  });

  it('heads the forecast with the figures a head of office reads, in both languages', () => {
    expect(forecastHeadline(example).text).toEqual({ id: '10 menunggu, 4 blangko, 2 printer: 5 hari kerja', en: '10 waiting, 4 blanks, 2 printers: 5 working days' });
    expect(forecastHeadline(example, 6).text).toEqual({
      id: '10 menunggu, 4 blangko, 2 printer: 5 hari kerja; dengan 6 blangko lagi: 4 hari',
      en: '10 waiting, 4 blanks, 2 printers: 5 working days; with 6 more blanks: 4 days',
    });
  });

  it('gives no date to records the blanks will not reach, and proposes the blanks they lack', () => {
    const big = { ...example, queue: Array.from({ length: 2500 }, (_, i) => ({ recordId: `q${i}`, waitingSince: '2026-12-01T02:00:00Z' })), horizonWorkingDays: 40 };
    const forecast = forecastPrinting(big);
    expect(forecast[9]?.latest).toBe('2026-12-30');
    expect(forecast[10]).toMatchObject({ earliest: null, latest: null, flag: 'will_exceed' });
    const headline = forecastHeadline(big);
    expect(headline.extraBlanks).toBe(3000);
    expect(headline.workingDaysToClear).toBeNull();
    expect(headline.text.id).toBe('2.500 menunggu, 4 blangko, 2 printer: lebih dari 40 hari kerja; dengan 3.000 blangko lagi: lebih dari 40 hari kerja');
  });

  it('never plans a printer beyond its capacity of the day or its consumables, nor a blank it does not have (property)', () => {
    const printer = fc.record({
      id: fc.string(),
      siteId: fc.constant('s'),
      capacityPerDay: fc.integer({ min: 0, max: 50 }),
      state: fc.constantFrom('ready', 'consumables_low', 'in_repair'),
      printsLeft: fc.integer({ min: 0, max: 200 }),
      printsPerSet: fc.integer({ min: 1, max: 200 }),
    }) as fc.Arbitrary<PlannedPrinter>;
    const days = workingDaysFrom('2026-12-21', 30, calendar);
    fc.assert(
      fc.property(fc.nat(3000), fc.nat(500), fc.array(printer, { maxLength: 5 }), fc.array(fc.record({ quantity: fc.nat(300), day: fc.nat(29) }), { maxLength: 3 }), fc.nat(5), (waiting, stock, ps, ds, restock) => {
        const deliveries = ds.map((d) => ({ quantity: d.quantity, on: days[d.day]! }));
        const cumulative = simulatePrinting(waiting, stock, deliveries, ps, days, restock);
        const capacity = ps.filter((p) => p.state !== 'in_repair').reduce((sum, p) => sum + p.capacityPerDay, 0);
        let previous = 0;
        cumulative.forEach((printed, d) => {
          const arrived = deliveries.filter((x) => days.indexOf(x.on) <= d).reduce((sum, x) => sum + x.quantity, 0);
          expect(printed - previous).toBeLessThanOrEqual(capacity);
          expect(printed).toBeLessThanOrEqual(Math.min(waiting, stock + arrived));
          previous = printed;
        });
        const firstSet = ps.filter((p) => p.state !== 'in_repair').reduce((sum, p) => sum + Math.min(p.printsLeft, p.capacityPerDay), 0);
        expect(cumulative[0] ?? 0).toBeLessThanOrEqual(firstSet);
      }),
    );
  });
});
