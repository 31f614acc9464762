import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { composeKk, parseKk } from './kk.ts';
import { thrown } from './test-support.ts';

const TODAY = new Date('2026-11-23T05:00:00Z');

describe('parseKk', () => {
  it('reads area, recording date and serial', () => {
    expect(parseKk('3509012311150042', TODAY)).toEqual({ areaCode: '35.09.01', recordedOn: '2015-11-23', serial: 42 });
  });

  it('reads a year that would be in the future as 19xx', () => {
    expect(parseKk('3509010112990001', TODAY).recordedOn).toBe('1999-12-01');
    expect(parseKk('3509010112270001', TODAY).recordedOn).toBe('1927-12-01');
    expect(parseKk('3509012311260001', TODAY).recordedOn).toBe('2026-11-23');
  });

  it('does not add 40 to the day as a NIK does', () => {
    expect(thrown(() => parseKk('3509015708150001', TODAY)).code).toBe('KK_DATE_INVALID');
  });

  it.each(['3509013102150001', '3509012902190001', '3509010013150001', '3509010010150001'])('rejects the impossible date in %s', (kk) => {
    expect(thrown(() => parseKk(kk, TODAY)).code).toBe('KK_DATE_INVALID');
  });

  it.each(['', '35090123111500', '350901231115004x', '3509012311150000'])('rejects %j as malformed', (kk) => {
    const error = thrown(() => parseKk(kk, TODAY));
    expect(error.code).toBe('KK_FORMAT');
    expect(error.messages.id).toMatch(/Nomor KK/);
  });
});

describe('composeKk', () => {
  it('round-trips through parseKk for dates of this century (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2026-11-22T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 9999 }),
        (date, serial) => {
          const recordedOn = date.toISOString().slice(0, 10);
          expect(parseKk(composeKk('35.09.19', recordedOn, serial), TODAY)).toEqual({ areaCode: '35.09.19', recordedOn, serial });
        },
      ),
    );
  });

  it('refuses a bad area, date or serial', () => {
    expect(thrown(() => composeKk('35.09', '2015-01-01', 1)).code).toBe('KK_FORMAT');
    expect(thrown(() => composeKk('35.09.01', '2015-02-29', 1)).code).toBe('KK_DATE_INVALID');
    expect(thrown(() => composeKk('35.09.01', '2015-01-01', 0)).code).toBe('KK_FORMAT');
  });
});
