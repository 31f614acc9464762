import { DomainError } from './errors.ts';

/** A Kemendagri administrative region: province 'PP', regency 'PP.KK', district 'PP.KK.CC', village 'PP.KK.CC.DDDD'. */
export interface Region {
  code: string;
  name: string;
}

export interface RegionDirectory {
  province(code: string): Region | undefined;
  regency(code: string): Region | undefined;
  district(code: string): Region | undefined;
  village(code: string): Region | undefined;
  districtsOf(regencyCode: string): Region[];
  villagesOf(districtCode: string): Region[];
}

export const REGION_CODE_PATTERNS = {
  province: /^\d{2}$/,
  regency: /^\d{2}\.\d{2}$/,
  district: /^\d{2}\.\d{2}\.\d{2}$/,
  village: /^\d{2}\.\d{2}\.\d{2}\.\d{4}$/,
} as const;

function invalidCode(code: string): DomainError {
  return new DomainError('REGION_CODE_INVALID', {
    id: `Kode wilayah "${code}" tidak berbentuk kode Kemendagri.`,
    en: `Region code "${code}" is not a Kemendagri code.`,
  });
}

/** Kelurahan (urban, headed by a civil servant) codes start with 1; desa (village government) with 2. */
export function villageKind(code: string): 'kelurahan' | 'desa' {
  const local = /(?:^|\.)(\d{4})$/.exec(code)?.[1];
  if (local?.startsWith('1')) return 'kelurahan';
  if (local?.startsWith('2')) return 'desa';
  throw invalidCode(code);
}

/** Kabupaten are numbered 01–69 and kota 71–99 within a province. Accepts 'PP.KK' or 'KK'. */
export function isKota(regencyCode: string): boolean {
  const local = /^(?:\d{2}\.)?(\d{2})$/.exec(regencyCode)?.[1];
  if (local === undefined) throw invalidCode(regencyCode);
  return Number(local) >= 71;
}

/** The code one level up: '35.09.01' → '35.09'; undefined for a province. */
export function parentRegionCode(code: string): string | undefined {
  const cut = code.lastIndexOf('.');
  return cut < 0 ? undefined : code.slice(0, cut);
}

function isSortedByCode(regions: readonly Region[]): boolean {
  for (let i = 1; i < regions.length; i++) if ((regions[i - 1]?.code ?? '') > (regions[i]?.code ?? '')) return false;
  return true;
}

export interface RegionLists {
  provinces: readonly Region[];
  regencies: readonly Region[];
  districts: readonly Region[];
  villages: readonly Region[];
}

/**
 * Builds an in-memory directory. Parents are taken from the code prefix, which is how Kemendagri
 * codes are built, so the lists need no separate parent column. Pure, so the browser can build one too.
 */
export function createRegionDirectory(lists: RegionLists): RegionDirectory {
  const byCode = (regions: readonly Region[]): Map<string, Region> => new Map(regions.map((r) => [r.code, r]));
  const byParent = (regions: readonly Region[]): Map<string, Region[]> => {
    const groups = new Map<string, Region[]>();
    for (const region of regions) {
      const parent = parentRegionCode(region.code) ?? '';
      const group = groups.get(parent);
      if (group) group.push(region);
      else groups.set(parent, [region]);
    }
    for (const group of groups.values()) {
      if (!isSortedByCode(group)) group.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    }
    return groups;
  };
  const provinces = byCode(lists.provinces);
  const regencies = byCode(lists.regencies);
  const districts = byCode(lists.districts);
  const villages = byCode(lists.villages);
  const districtGroups = byParent(lists.districts);
  const villageGroups = byParent(lists.villages);
  return {
    province: (code) => provinces.get(code),
    regency: (code) => regencies.get(code),
    district: (code) => districts.get(code),
    village: (code) => villages.get(code),
    // Copies, so a caller sorting or filtering its list cannot change the directory.
    districtsOf: (regencyCode) => [...(districtGroups.get(regencyCode) ?? [])],
    villagesOf: (districtCode) => [...(villageGroups.get(districtCode) ?? [])],
  };
}
