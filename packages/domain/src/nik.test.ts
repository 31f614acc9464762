import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkNikMatches, composeNik, parseNik } from './nik.ts';
import { DomainError } from './errors.ts';
import { thrown } from './test-support.ts';

const TODAY = new Date('2026-11-23T05:00:00Z');

const codeOf = (action: () => unknown): string => thrown(action).code;

describe('parseNik', () => {
  it('reads region, birth date, sex and serial of a man', () => {
    expect(parseNik('3509011708450001', TODAY)).toEqual({
      nik: '3509011708450001',
      districtCode: '35.09.01',
      regencyCode: '35.09',
      provinceCode: '35',
      sex: 'L',
      birthDateCandidates: ['1945-08-17'],
      serial: 1,
    });
  });

  it('reads a woman from the day plus 40', () => {
    const parsed = parseNik('3509195708450123', TODAY);
    expect(parsed.sex).toBe('P');
    expect(parsed.birthDateCandidates).toEqual(['1945-08-17']);
    expect(parsed.serial).toBe(123);
  });

  it('keeps both centuries when both are possible, 19xx first', () => {
    expect(parseNik('3509011203100003', TODAY).birthDateCandidates).toEqual(['1910-03-12', '2010-03-12']);
  });

  it('drops the 20xx reading when it lies in the future', () => {
    expect(parseNik('3509012512260001', TODAY).birthDateCandidates).toEqual(['1926-12-25']);
    expect(parseNik('3509012311260001', TODAY).birthDateCandidates).toEqual(['1926-11-23', '2026-11-23']);
  });

  it('accepts 29 February 2000 but not 1900, and only once 2000 has happened', () => {
    expect(parseNik('3509012902000001', TODAY).birthDateCandidates).toEqual(['2000-02-29']);
    expect(parseNik('3509016902000001', TODAY).birthDateCandidates).toEqual(['2000-02-29']);
    expect(codeOf(() => parseNik('3509012902000001', new Date('1999-06-01T00:00:00Z')))).toBe('NIK_DATE_INVALID');
    // 1901 and 2001 are both common years.
    expect(codeOf(() => parseNik('3509012902010001', TODAY))).toBe('NIK_DATE_INVALID');
  });

  it('counts "today" in Jakarta time', () => {
    const justAfterMidnightWib = new Date('2026-11-23T17:30:00Z');
    expect(parseNik('3509012411260001', justAfterMidnightWib).birthDateCandidates).toEqual(['1926-11-24', '2026-11-24']);
    expect(parseNik('3509012411260001', TODAY).birthDateCandidates).toEqual(['1926-11-24']);
  });

  it.each([
    ['day 32', '3509013201900001'],
    ['day 40 (neither a man nor a woman)', '3509014001900001'],
    ['day 00', '3509010001900001'],
    ['day 72 (woman, 32nd)', '3509017201900001'],
    ['month 13', '3509011013900001'],
    ['month 00', '3509011000900001'],
    ['31 April for a woman', '3509017104900001'],
  ])('rejects a birth date that does not exist: %s', (_label, nik) => {
    expect(codeOf(() => parseNik(nik, TODAY))).toBe('NIK_DATE_INVALID');
  });

  it('rejects serial 0000', () => {
    expect(codeOf(() => parseNik('3509011708450000', TODAY))).toBe('NIK_SERIAL_INVALID');
  });

  it.each(['', '350901170845000', '35090117084500011', '3509O11708450001', '3509 01170845001', '٣٥٠٩٠١١٧٠٨٤٥٠٠٠١'])(
    'rejects %j as not 16 digits, with an operator-facing message',
    (nik) => {
      expect(thrown(() => parseNik(nik, TODAY))).toMatchObject({
        code: 'NIK_FORMAT',
        messages: { id: 'NIK harus 16 angka.', en: 'NIK must be 16 digits.' },
      });
    },
  );

  it('reports date and serial problems together on the error', () => {
    const error = thrown(() => parseNik('3509013201900000', TODAY));
    expect(error.code).toBe('NIK_DATE_INVALID');
    expect(error.issues.map((i) => i.code)).toEqual(['NIK_DATE_INVALID', 'NIK_SERIAL_INVALID']);
  });
});

describe('checkNikMatches', () => {
  it('is empty when NIK, birth date and sex agree', () => {
    expect(checkNikMatches('3509195708450123', { birthDate: '1945-08-17', sex: 'P' }, TODAY)).toEqual([]);
    expect(checkNikMatches('3509011203100003', { birthDate: '2010-03-12', sex: 'L' }, TODAY)).toEqual([]);
  });

  it('flags a birth date that contradicts the NIK', () => {
    const issues = checkNikMatches('3509011708450001', { birthDate: '1945-08-18', sex: 'L' }, TODAY);
    expect(issues).toEqual([expect.objectContaining({ field: 'birthDate', code: 'NIK_BIRTHDATE_MISMATCH' })]);
    expect(checkNikMatches('3509011708450001', { birthDate: '1946-08-17', sex: 'L' }, TODAY)[0]?.code).toBe('NIK_BIRTHDATE_MISMATCH');
    expect(checkNikMatches('3509011708450001', { birthDate: 'not a date', sex: 'L' }, TODAY)[0]?.code).toBe('NIK_BIRTHDATE_MISMATCH');
  });

  it('flags a sex that contradicts the NIK, and both at once', () => {
    expect(checkNikMatches('3509011708450001', { birthDate: '1945-08-17', sex: 'P' }, TODAY)).toEqual([
      expect.objectContaining({ field: 'sex', code: 'NIK_SEX_MISMATCH' }),
    ]);
    // A woman's NIK compared with a man's facts: the day differs by 40 and the sex differs.
    expect(checkNikMatches('3509015708450001', { birthDate: '1945-08-17', sex: 'L' }, TODAY).map((i) => i.code)).toEqual([
      'NIK_SEX_MISMATCH',
    ]);
    expect(checkNikMatches('3509015708450001', { birthDate: '1945-08-18', sex: 'L' }, TODAY).map((i) => i.code)).toEqual([
      'NIK_BIRTHDATE_MISMATCH',
      'NIK_SEX_MISMATCH',
    ]);
  });

  it('reports only the NIK itself when it is malformed', () => {
    expect(checkNikMatches('12345', { birthDate: '1945-08-17', sex: 'L' }, TODAY)).toEqual([
      expect.objectContaining({ field: 'nik', code: 'NIK_FORMAT' }),
    ]);
    expect(checkNikMatches('3509011708450000', { birthDate: '1945-08-17', sex: 'L' }, TODAY)[0]?.code).toBe('NIK_SERIAL_INVALID');
  });
});

describe('composeNik', () => {
  it('writes the women’s +40 and pads the serial', () => {
    expect(composeNik('35.09.01', '2000-02-29', 'P', 7)).toBe('3509016902000007');
    expect(composeNik('35.09.31', '1999-12-01', 'L', 9999)).toBe('3509310112999999');
  });

  it('refuses what a NIK cannot hold', () => {
    expect(codeOf(() => composeNik('3509', '2000-01-01', 'L', 1))).toBe('NIK_FORMAT');
    expect(codeOf(() => composeNik('35.09.01', '1899-12-31', 'L', 1))).toBe('NIK_DATE_INVALID');
    expect(codeOf(() => composeNik('35.09.01', '2001-02-29', 'L', 1))).toBe('NIK_DATE_INVALID');
    expect(codeOf(() => composeNik('35.09.01', '2000-01-01', 'L', 0))).toBe('NIK_SERIAL_INVALID');
    expect(codeOf(() => composeNik('35.09.01', '2000-01-01', 'L', 10000))).toBe('NIK_SERIAL_INVALID');
  });

  it('round-trips through parseNik (property)', () => {
    const code = fc.integer({ min: 1, max: 99 }).map((n) => String(n).padStart(2, '0'));
    fc.assert(
      fc.property(
        fc.tuple(code, code, code),
        fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-11-22T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom('L' as const, 'P' as const),
        fc.integer({ min: 1, max: 9999 }),
        ([pp, kk, cc], date, sex, serial) => {
          const birthDate = date.toISOString().slice(0, 10);
          const nik = composeNik(`${pp}.${kk}.${cc}`, birthDate, sex, serial);
          const parsed = parseNik(nik, TODAY);
          expect(parsed.districtCode).toBe(`${pp}.${kk}.${cc}`);
          expect(parsed.sex).toBe(sex);
          expect(parsed.serial).toBe(serial);
          expect(parsed.birthDateCandidates).toContain(birthDate);
          expect(checkNikMatches(nik, { birthDate, sex }, TODAY)).toEqual([]);
        },
      ),
    );
  });

  it('parseNik throws nothing but DomainError on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\d{16}$/)), (nik) => {
        try {
          parseNik(nik, TODAY);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
        }
      }),
    );
  });
});
