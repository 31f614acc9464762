import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addWorkingDays, isWorkingDay, officeDate, OfficeDates, workCalendar, workingDaysBetween, workingDaysFrom } from './calendar.ts';

const calendar = workCalendar('Asia/Jakarta', [
  { date: '2026-12-24', kind: 'cuti_bersama', name: { id: 'Cuti bersama Natal', en: 'Christmas collective leave' } },
  { date: '2026-12-25', kind: 'libur_nasional', name: { id: 'Hari Raya Natal', en: 'Christmas Day' } },
  { date: '2027-01-01', kind: 'libur_nasional', name: { id: 'Tahun Baru', en: "New Year's Day" } },
]);

describe('working days', () => {
  it('closes on weekends, national holidays and cuti bersama', () => {
    expect(isWorkingDay('2026-12-23', calendar)).toBe(true); // Wednesday
    expect(isWorkingDay('2026-12-24', calendar)).toBe(false); // cuti bersama
    expect(isWorkingDay('2026-12-25', calendar)).toBe(false); // Natal
    expect(isWorkingDay('2026-12-26', calendar)).toBe(false); // Saturday
    expect(isWorkingDay('2026-12-27', calendar)).toBe(false); // Sunday
    expect(isWorkingDay('2026-12-28', calendar)).toBe(true);
  });

  it('counts working days across the year-end holidays', () => {
    expect(addWorkingDays('2026-12-23', 1, calendar)).toBe('2026-12-28');
    expect(addWorkingDays('2026-12-26', 0, calendar)).toBe('2026-12-28');
    expect(addWorkingDays('2026-12-31', 1, calendar)).toBe('2027-01-04');
    expect(workingDaysBetween('2026-12-21', '2027-01-04', calendar)).toBe(7);
    expect(workingDaysFrom('2026-12-24', 3, calendar)).toEqual(['2026-12-28', '2026-12-29', '2026-12-30']);
  });

  it("takes 'today' from the office's zone, not from UTC", () => {
    const justAfterMidnightInJakarta = new Date('2026-12-31T17:30:00Z');
    expect(officeDate(justAfterMidnightInJakarta, calendar)).toBe('2027-01-01');
    expect(officeDate(justAfterMidnightInJakarta, workCalendar('UTC', []))).toBe('2026-12-31');
    expect(new OfficeDates('Asia/Jayapura').of('2026-12-31T15:00:00Z')).toBe('2027-01-01');
  });

  it('adding n working days then counting them back gives n (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 40 }), (offset, n) => {
        const from = new Date(Date.UTC(2025, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
        const start = addWorkingDays(from, 0, calendar);
        const end = addWorkingDays(start, n, calendar);
        expect(isWorkingDay(end, calendar)).toBe(true);
        expect(workingDaysBetween(start, end, calendar)).toBe(n);
      }),
    );
  });

  it('agrees with Intl for every quarter hour it caches (property)', () => {
    const dates = new OfficeDates('Asia/Makassar');
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), (ms) => {
        expect(dates.of(ms)).toBe(officeDate(new Date(ms), workCalendar('Asia/Makassar', [])));
      }),
    );
  });
});
