import { describe, expect, it } from 'vitest';
import { ageOn, isIsoDate, parseIsoDate } from './dates.ts';

describe('dates', () => {
  it('parses only real ISO dates', () => {
    expect(parseIsoDate('2000-02-29')).toEqual({ year: 2000, month: 2, day: 29 });
    expect(isIsoDate('1900-02-29')).toBe(false);
    expect(isIsoDate('2026-1-05')).toBe(false);
    expect(isIsoDate('2026-04-31')).toBe(false);
  });

  it('counts completed years, a leap-day birthday turning over on 1 March', () => {
    const leap = { year: 2008, month: 2, day: 29 };
    expect(ageOn(leap, { year: 2025, month: 2, day: 28 })).toBe(16);
    expect(ageOn(leap, { year: 2025, month: 3, day: 1 })).toBe(17);
    expect(ageOn({ year: 2009, month: 11, day: 24 }, { year: 2026, month: 11, day: 23 })).toBe(16);
    expect(ageOn({ year: 2009, month: 11, day: 23 }, { year: 2026, month: 11, day: 23 })).toBe(17);
  });

});
