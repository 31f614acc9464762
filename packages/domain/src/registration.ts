import { DomainError } from './errors.ts';
import { zonedDayKey } from './time-zones.ts';

/**
 * Nomor registrasi printed on the receipt: office code, the day in the office's zone (so numbers issued
 * just after local midnight belong to the new day whatever the server's clock zone), and the day's sequence.
 */
export function formatRegistrationNumber(officeCode: string, date: Date, seq: number, timeZone: string): string {
  if (!/^\d{4}$/.test(officeCode)) {
    throw new DomainError('REGISTRATION_OFFICE_INVALID', {
      id: 'Kode kantor harus 4 angka (kode kabupaten/kota).',
      en: 'The office code must be 4 digits (the regency code).',
    });
  }
  if (!Number.isInteger(seq) || seq < 1 || seq > 999_999) {
    throw new DomainError('REGISTRATION_SEQUENCE_INVALID', {
      id: 'Nomor urut registrasi harus 1–999999.',
      en: 'The registration sequence must be 1–999999.',
    });
  }
  if (Number.isNaN(date.getTime())) {
    throw new DomainError('REGISTRATION_DATE_INVALID', { id: 'Tanggal registrasi tidak valid.', en: 'The registration date is invalid.' });
  }
  return `${officeCode}-${zonedDayKey(date, timeZone)}-${String(seq).padStart(6, '0')}`;
}
