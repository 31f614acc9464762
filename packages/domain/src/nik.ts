import { DomainError, type FieldIssue } from './errors.ts';
import { type CalendarDate, dateExists, parseIsoDate, toIsoDate } from './dates.ts';
import { DEFAULT_TIME_ZONE, zonedIsoDate } from './time-zones.ts';

/** Jenis kelamin as printed on the card: Laki-laki / Perempuan. */
export type Sex = 'L' | 'P';

export interface ParsedNik {
  nik: string;
  /** Kecamatan where the NIK was first issued, 'PP.KK.CC'. */
  districtCode: string;
  /** 'PP.KK' */
  regencyCode: string;
  provinceCode: string;
  sex: Sex;
  /** ISO dates the DDMMYY part can mean, 19xx first then 20xx; only real dates not after today. */
  birthDateCandidates: string[];
  serial: number;
}

/** Women's NIKs carry the day of birth plus 40. */
const FEMALE_DAY_OFFSET = 40;

const ISSUES = {
  NIK_FORMAT: { id: 'NIK harus 16 angka.', en: 'NIK must be 16 digits.' },
  NIK_DATE_INVALID: {
    id: 'Tanggal lahir di dalam NIK (digit 7–12) tidak ada di kalender atau belum terjadi.',
    en: 'The birth date inside the NIK (digits 7–12) does not exist or lies in the future.',
  },
  NIK_SERIAL_INVALID: {
    id: 'Nomor urut NIK (4 digit terakhir) tidak boleh 0000.',
    en: 'The NIK serial (last 4 digits) cannot be 0000.',
  },
  NIK_BIRTHDATE_MISMATCH: {
    id: 'Tanggal lahir tidak sesuai dengan NIK. Periksa kembali NIK atau tanggal lahir.',
    en: 'The birth date does not match the NIK. Check the NIK or the birth date again.',
  },
  NIK_SEX_MISMATCH: {
    id: 'Jenis kelamin tidak sesuai dengan NIK (perempuan: tanggal lahir di NIK ditambah 40).',
    en: 'The sex does not match the NIK (for women the day in the NIK has 40 added).',
  },
} as const;

type NikIssueCode = keyof typeof ISSUES;

function issue(field: string, code: NikIssueCode): FieldIssue {
  return { field, code, messages: { ...ISSUES[code] } };
}

interface NikInspection {
  parsed?: ParsedNik;
  issues: FieldIssue[];
}

/** Collects every problem with a NIK instead of stopping at the first, so a form can show them together. */
function inspectNik(nik: string, today: Date, timeZone: string): NikInspection {
  if (!/^\d{16}$/.test(nik)) return { issues: [issue('nik', 'NIK_FORMAT')] };
  const digits = (from: number, to: number): number => Number(nik.slice(from, to));
  const rawDay = digits(6, 8);
  const sex: Sex = rawDay > FEMALE_DAY_OFFSET ? 'P' : 'L';
  const day = sex === 'P' ? rawDay - FEMALE_DAY_OFFSET : rawDay;
  const month = digits(8, 10);
  const yy = digits(10, 12);
  const todayIso = zonedIsoDate(today, timeZone);
  const birthDateCandidates = [1900 + yy, 2000 + yy]
    .map((year): CalendarDate => ({ year, month, day }))
    .filter(dateExists)
    .map(toIsoDate)
    .filter((iso) => iso <= todayIso);
  const serial = digits(12, 16);
  const issues: FieldIssue[] = [];
  if (birthDateCandidates.length === 0) issues.push(issue('nik', 'NIK_DATE_INVALID'));
  if (serial === 0) issues.push(issue('nik', 'NIK_SERIAL_INVALID'));
  if (issues.length > 0) return { issues };
  const provinceCode = nik.slice(0, 2);
  const regencyCode = `${provinceCode}.${nik.slice(2, 4)}`;
  return {
    issues,
    parsed: { nik, districtCode: `${regencyCode}.${nik.slice(4, 6)}`, regencyCode, provinceCode, sex, birthDateCandidates, serial },
  };
}

/**
 * Reads the parts of a NIK; throws DomainError NIK_FORMAT, NIK_DATE_INVALID or NIK_SERIAL_INVALID.
 * `today` is read in `timeZone` (the office's): a birth date may not lie after it.
 */
export function parseNik(nik: string, today: Date = new Date(), timeZone: string = DEFAULT_TIME_ZONE): ParsedNik {
  const { parsed, issues } = inspectNik(nik, today, timeZone);
  const first = issues[0];
  if (first) throw new DomainError(first.code, first.messages, 'invalid', issues);
  if (!parsed) throw new Error('unreachable: a NIK without issues is parsed');
  return parsed;
}

/**
 * Checks a NIK against the birth date and sex declared for the same person. The DDMMYY part is
 * compared digit for digit rather than against the century candidates, so the check does not
 * depend on which century the two-digit year is read in.
 */
export function checkNikMatches(
  nik: string,
  facts: { birthDate: string; sex: Sex },
  today: Date = new Date(),
  timeZone: string = DEFAULT_TIME_ZONE,
): FieldIssue[] {
  const { parsed, issues } = inspectNik(nik, today, timeZone);
  if (!parsed) return issues;
  const result: FieldIssue[] = [];
  const birth = parseIsoDate(facts.birthDate);
  if (!birth || nikDatePart(birth, 'L') !== nikDatePart(nikDate(nik), 'L')) {
    result.push(issue('birthDate', 'NIK_BIRTHDATE_MISMATCH'));
  }
  if (parsed.sex !== facts.sex) result.push(issue('sex', 'NIK_SEX_MISMATCH'));
  return result;
}

/** Builds a NIK, for synthetic data and tests. Years outside 1900–2099 cannot be written in DDMMYY. */
export function composeNik(districtCode: string, birthDate: string, sex: Sex, serial: number): string {
  const area = /^(\d{2})\.(\d{2})\.(\d{2})$/.exec(districtCode);
  if (!area) {
    throw new DomainError('NIK_FORMAT', {
      id: 'Kode kecamatan harus berbentuk PP.KK.CC.',
      en: 'The district code must look like PP.KK.CC.',
    });
  }
  const birth = parseIsoDate(birthDate);
  if (!birth || birth.year < 1900 || birth.year > 2099) throw new DomainError('NIK_DATE_INVALID', { ...ISSUES.NIK_DATE_INVALID });
  if (!Number.isInteger(serial) || serial < 1 || serial > 9999) {
    throw new DomainError('NIK_SERIAL_INVALID', { id: 'Nomor urut NIK harus 1–9999.', en: 'The NIK serial must be 1–9999.' });
  }
  return `${area[1]}${area[2]}${area[3]}${nikDatePart(birth, sex)}${String(serial).padStart(4, '0')}`;
}

function nikDatePart(date: CalendarDate, sex: Sex): string {
  const day = sex === 'P' ? date.day + FEMALE_DAY_OFFSET : date.day;
  return [day, date.month, date.year % 100].map((n) => String(n).padStart(2, '0')).join('');
}

/** The DDMMYY of a well-formed NIK with the women's offset removed; the year is only kept modulo 100. */
function nikDate(nik: string): CalendarDate {
  const rawDay = Number(nik.slice(6, 8));
  return {
    day: rawDay > FEMALE_DAY_OFFSET ? rawDay - FEMALE_DAY_OFFSET : rawDay,
    month: Number(nik.slice(8, 10)),
    year: Number(nik.slice(10, 12)),
  };
}
