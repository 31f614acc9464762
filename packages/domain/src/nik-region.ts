import { invalidInput, isDomainError, type FieldIssue } from './errors.ts';
import { parseNik, type ParsedNik } from './nik.ts';
import type { RegionDirectory } from './region.ts';

/**
 * The region part of a NIK (digits 1–6, PP.KK.CC). The NIK keeps the codes of the kecamatan where it was
 * first issued; kabupaten and kecamatan have been split and renumbered since (DOMAIN.md), so a valid old
 * NIK can name a regency or district the current list no longer has. Only the province is stable enough
 * to require, and a regency or district of 00 never existed.
 */
export function nikRegionIssues(nik: string, regions: RegionDirectory, field = 'nik'): FieldIssue[] {
  if (!/^\d{16}$/.test(nik)) return [];
  const province = nik.slice(0, 2);
  const regency = nik.slice(2, 4);
  const district = nik.slice(4, 6);
  if (regions.province(province) && regency !== '00' && district !== '00') return [];
  return [
    {
      field,
      code: 'NIK_REGION_UNKNOWN',
      messages: {
        id: `Kode wilayah di NIK (${province}.${regency}.${district}) tidak dikenal.`,
        en: `The region code in the NIK (${province}.${regency}.${district}) is unknown.`,
      },
    },
  ];
}

/**
 * A NIK accepted anywhere else than in a full recording (documents, searches by NIK): its shape, birth
 * date and serial (parseNik) and its region. Throws one invalid-input error naming `field`.
 */
export function acceptNik(nik: string, regions: RegionDirectory, today: Date, timeZone: string, field = 'nik'): ParsedNik {
  let parsed: ParsedNik;
  try {
    parsed = parseNik(nik, today, timeZone);
  } catch (error) {
    if (!isDomainError(error) || field === 'nik') throw error;
    throw invalidInput(error.issues.map((issue) => ({ ...issue, field })));
  }
  const issues = nikRegionIssues(nik, regions, field);
  if (issues.length > 0) throw invalidInput(issues);
  return parsed;
}
