import { DomainError } from './errors.ts';
import { type CalendarDate, dateExists, parseIsoDate, toIsoDate } from './dates.ts';
import { DEFAULT_TIME_ZONE, zonedIsoDate } from './time-zones.ts';

/** Nomor Kartu Keluarga: 6-digit area code, recording date DDMMYY (no +40), 4-digit serial. */
export interface ParsedKk {
  /** 'PP.KK.CC' */
  areaCode: string;
  /** ISO date the family card was recorded. */
  recordedOn: string;
  serial: number;
}

const KK_FORMAT = {
  id: 'Nomor KK harus 16 angka dengan nomor urut (4 digit terakhir) mulai 0001.',
  en: 'The KK number must be 16 digits with a serial (last 4 digits) from 0001.',
};
const KK_DATE_INVALID = {
  id: 'Tanggal di dalam nomor KK (digit 7–12) tidak ada di kalender atau belum terjadi.',
  en: 'The date inside the KK number (digits 7–12) does not exist or lies in the future.',
};

/**
 * Reads a KK number. A recording date is read as 20xx unless that lies in the future, because
 * family cards are re-issued whenever a household changes and most in use today date from the
 * 2000s; only a 20xx date in the future must be an old 19xx card. "Today" is the date in `timeZone`.
 */
export function parseKk(kk: string, today: Date = new Date(), timeZone: string = DEFAULT_TIME_ZONE): ParsedKk {
  if (!/^\d{16}$/.test(kk)) throw new DomainError('KK_FORMAT', { ...KK_FORMAT });
  const serial = Number(kk.slice(12, 16));
  if (serial === 0) throw new DomainError('KK_FORMAT', { ...KK_FORMAT });
  const day = Number(kk.slice(6, 8));
  const month = Number(kk.slice(8, 10));
  const yy = Number(kk.slice(10, 12));
  const todayIso = zonedIsoDate(today, timeZone);
  const recordedOn = [2000 + yy, 1900 + yy]
    .map((year): CalendarDate => ({ year, month, day }))
    .filter(dateExists)
    .map(toIsoDate)
    .find((iso) => iso <= todayIso);
  if (!recordedOn) throw new DomainError('KK_DATE_INVALID', { ...KK_DATE_INVALID });
  return { areaCode: `${kk.slice(0, 2)}.${kk.slice(2, 4)}.${kk.slice(4, 6)}`, recordedOn, serial };
}

/** Builds a KK number, for synthetic data and tests. */
export function composeKk(areaCode: string, recordedOn: string, serial: number): string {
  const area = /^(\d{2})\.(\d{2})\.(\d{2})$/.exec(areaCode);
  if (!area) {
    throw new DomainError('KK_FORMAT', { id: 'Kode wilayah KK harus berbentuk PP.KK.CC.', en: 'The KK area code must look like PP.KK.CC.' });
  }
  if (!Number.isInteger(serial) || serial < 1 || serial > 9999) throw new DomainError('KK_FORMAT', { ...KK_FORMAT });
  const date = parseIsoDate(recordedOn);
  if (!date || date.year < 1900 || date.year > 2099) throw new DomainError('KK_DATE_INVALID', { ...KK_DATE_INVALID });
  const ddmmyy = [date.day, date.month, date.year % 100].map((n) => String(n).padStart(2, '0')).join('');
  return `${area[1]}${area[2]}${area[3]}${ddmmyy}${String(serial).padStart(4, '0')}`;
}
