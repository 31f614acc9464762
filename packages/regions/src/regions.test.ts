import { describe, expect, it } from 'vitest';
import { isKota, villageKind } from '@tangguh/domain';
import { loadRegionDirectory } from './load.ts';
import { parseCsv } from './csv.ts';

describe('loadRegionDirectory on the idn-area-data list', () => {
  it('loads once, and quickly (this runs first, before anything is cached)', async () => {
    const started = performance.now();
    const first = loadRegionDirectory();
    expect(loadRegionDirectory()).toBe(first);
    await first;
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('knows Jember and its 31 kecamatan', async () => {
    const regions = await loadRegionDirectory();
    expect(regions.province('35')).toEqual({ code: '35', name: 'JAWA TIMUR' });
    expect(regions.regency('35.09')).toEqual({ code: '35.09', name: 'KABUPATEN JEMBER' });
    const districts = regions.districtsOf('35.09');
    expect(districts).toHaveLength(31);
    expect(districts[0]).toEqual({ code: '35.09.01', name: 'Jombang' });
    expect(districts.map((d) => d.name)).toContain('Kaliwates');
  });

  it('tells a kelurahan from a desa in real Jember codes', async () => {
    const regions = await loadRegionDirectory();
    const kaliwates = regions.village('35.09.19.1004');
    expect(kaliwates?.name).toBe('Kaliwates');
    expect(villageKind(kaliwates?.code ?? '')).toBe('kelurahan');
    const padomasan = regions.village('35.09.01.2001');
    expect(padomasan?.name).toBe('Padomasan');
    expect(villageKind(padomasan?.code ?? '')).toBe('desa');
    expect(regions.villagesOf('35.09.19').every((v) => villageKind(v.code) === 'kelurahan')).toBe(true);
  });

  it('has the national totals and answers undefined or [] for unknown codes', async () => {
    const regions = await loadRegionDirectory();
    expect(regions.province('00')).toBeUndefined();
    expect(regions.village('35.09.01.9999')).toBeUndefined();
    expect(regions.districtsOf('35.98')).toEqual([]);
    expect(regions.villagesOf('nonsense')).toEqual([]);
    expect(isKota('35.78')).toBe(true);
    expect(regions.regency('35.78')?.name).toBe('KOTA SURABAYA');
  });

  it('keeps the apostrophe that the CSV writes as a bare quote', async () => {
    const regions = await loadRegionDirectory();
    expect(regions.village('35.13.15.2017')?.name).toBe("Soka'an");
  });

  it('finds every village of a district by its own code, in code order, and none beyond it', async () => {
    const regions = await loadRegionDirectory();
    for (const district of regions.districtsOf('35.09')) {
      const villages = regions.villagesOf(district.code);
      expect(villages.length).toBeGreaterThan(0);
      expect(villages.map((v) => v.code)).toEqual(villages.map((v) => v.code).sort());
      for (const village of villages) {
        expect(village.code.startsWith(`${district.code}.`)).toBe(true);
        expect(regions.village(village.code)).toEqual(village);
      }
    }
    expect(regions.villagesOf('35.09.19').map((v) => v.name)).toContain('Kaliwates');
    // A local code that is only part of another's, or spans two lines of the compact table, is not a village.
    expect(regions.village('35.09.19.100')).toBeUndefined();
    expect(regions.village('35.09.19.')).toBeUndefined();
    expect(regions.village('35.09.19.1004\tKaliwates')).toBeUndefined();
    expect(regions.village('35.09.19')).toBeUndefined();
  });

  it('returns copies so callers cannot change the directory', async () => {
    const regions = await loadRegionDirectory();
    regions.districtsOf('35.09').pop();
    expect(regions.districtsOf('35.09')).toHaveLength(31);
  });
});

describe('parseCsv', () => {
  it('reads quoted fields with commas and doubled quotes', () => {
    expect(parseCsv('code,name\n"1","A, B"\n2,"say ""hi"""\r\n3,\n')).toEqual([
      ['code', 'name'],
      ['1', 'A, B'],
      ['2', 'say "hi"'],
      ['3', ''],
    ]);
  });
});
