import { describe, expect, it } from 'vitest';
import {
  OFFICE_TIME_ZONES,
  formatZoned,
  formatZonedDate,
  isValidTimeZone,
  startOfZonedDay,
  timeZoneOfProvince,
  zonedDayKey,
  zonedIsoDate,
  zonedParts,
} from './time-zones.ts';

const at = (iso: string) => new Date(iso);

describe('time zones of Indonesian offices', () => {
  it('puts one instant on different days in Jakarta, Makassar and Jayapura', () => {
    const instant = at('2026-11-28T16:30:00Z');
    expect(zonedDayKey(instant, 'Asia/Jakarta')).toBe('20261128');
    expect(zonedDayKey(instant, 'Asia/Makassar')).toBe('20261129');
    expect(zonedDayKey(instant, 'Asia/Jayapura')).toBe('20261129');
    expect(zonedIsoDate(at('2026-11-28T15:59:59Z'), 'Asia/Makassar')).toBe('2026-11-28');
  });

  it('turns the day over at each zone’s own midnight (UTC 17:00, 16:00 and 15:00)', () => {
    const midnights = { 'Asia/Jakarta': '2026-12-31T17:00:00Z', 'Asia/Makassar': '2026-12-31T16:00:00Z', 'Asia/Jayapura': '2026-12-31T15:00:00Z' };
    for (const zone of OFFICE_TIME_ZONES) {
      const midnight = at(midnights[zone]);
      expect(zonedDayKey(new Date(midnight.getTime() - 1000), zone)).toBe('20261231');
      expect(zonedDayKey(midnight, zone)).toBe('20270101');
      expect(startOfZonedDay(at('2027-01-01T12:00:00Z'), zone).toISOString()).toBe(midnight.toISOString());
      expect(startOfZonedDay(midnight, zone).toISOString()).toBe(midnight.toISOString());
    }
  });

  it('reads the wall clock and weekday in the zone', () => {
    // Friday 27 Nov 2026 23:30 in Jakarta is already Saturday 01:30 in Jayapura.
    expect(zonedParts(at('2026-11-27T16:30:00Z'), 'Asia/Jakarta')).toEqual({ year: 2026, month: 11, day: 27, hour: 23, minute: 30, second: 0, weekday: 5 });
    expect(zonedParts(at('2026-11-27T16:30:00Z'), 'Asia/Jayapura')).toEqual({ year: 2026, month: 11, day: 28, hour: 1, minute: 30, second: 0, weekday: 6 });
    expect(zonedParts(at('2026-11-27T16:00:00Z'), 'Asia/Makassar').hour).toBe(0);
  });

  it('formats times for people with the zone’s name, in Indonesian and English', () => {
    const instant = at('2026-11-23T17:05:00Z');
    expect(formatZoned(instant, 'Asia/Jakarta', 'id')).toBe('24 Nov 2026 00.05 WIB');
    expect(formatZoned(instant, 'Asia/Jakarta', 'en')).toBe('24 Nov 2026 00:05 WIB');
    expect(formatZoned(instant, 'Asia/Makassar', 'id')).toBe('24 Nov 2026 01.05 WITA');
    expect(formatZoned('2026-08-10T00:00:00Z', 'Asia/Jayapura', 'id')).toBe('10 Agu 2026 09.00 WIT');
    expect(formatZoned('not a time', 'Asia/Jakarta', 'en')).toBe('not a time');
    expect(formatZonedDate(at('2026-11-28T16:30:00Z'), 'Asia/Jayapura', 'id')).toBe('29 November 2026');
    expect(formatZonedDate(at('2026-11-28T16:30:00Z'), 'Asia/Jakarta', 'en')).toBe('28 November 2026');
  });

  it('derives an office’s zone from its province code, and nothing from a code that is not a province', () => {
    expect(timeZoneOfProvince('35')).toBe('Asia/Jakarta'); // Jawa Timur
    expect(timeZoneOfProvince('61.71')).toBe('Asia/Jakarta'); // Kalimantan Barat
    expect(timeZoneOfProvince('51')).toBe('Asia/Makassar'); // Bali
    expect(timeZoneOfProvince('64')).toBe('Asia/Makassar'); // Kalimantan Timur
    expect(timeZoneOfProvince('73.71')).toBe('Asia/Makassar'); // Makassar
    expect(timeZoneOfProvince('81')).toBe('Asia/Jayapura'); // Maluku
    expect(timeZoneOfProvince('91.71')).toBe('Asia/Jayapura'); // Kota Jayapura
    expect(timeZoneOfProvince('96')).toBe('Asia/Jayapura'); // Papua Barat Daya
    expect(timeZoneOfProvince('99')).toBeUndefined();
    expect(timeZoneOfProvince('x1')).toBeUndefined();
  });

  it('accepts only zones Intl knows', () => {
    expect(isValidTimeZone('Asia/Jayapura')).toBe(true);
    expect(isValidTimeZone('Asia/Atlantis')).toBe(false);
  });
});
