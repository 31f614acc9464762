import { describe, expect, it } from 'vitest';
import { createRegionDirectory, isKota, parentRegionCode, villageKind } from './region.ts';
import { thrown } from './test-support.ts';

describe('region codes', () => {
  it('tells kelurahan (1xxx) from desa (2xxx)', () => {
    expect(villageKind('35.09.19.1004')).toBe('kelurahan');
    expect(villageKind('35.09.01.2001')).toBe('desa');
    expect(villageKind('2001')).toBe('desa');
    expect(thrown(() => villageKind('35.09.01.3001')).code).toBe('REGION_CODE_INVALID');
    expect(thrown(() => villageKind('35.09.01')).code).toBe('REGION_CODE_INVALID');
  });

  it('tells kota (71–99) from kabupaten (01–69)', () => {
    expect(isKota('35.09')).toBe(false);
    expect(isKota('35.69')).toBe(false);
    expect(isKota('35.71')).toBe(true);
    expect(isKota('78')).toBe(true);
    expect(thrown(() => isKota('35.9')).code).toBe('REGION_CODE_INVALID');
    expect(thrown(() => isKota('35.09.01')).code).toBe('REGION_CODE_INVALID');
  });

  it('finds the parent code', () => {
    expect(parentRegionCode('35.09.01.2001')).toBe('35.09.01');
    expect(parentRegionCode('35.09')).toBe('35');
    expect(parentRegionCode('35')).toBeUndefined();
  });
});

describe('createRegionDirectory', () => {
  const directory = createRegionDirectory({
    provinces: [{ code: '35', name: 'JAWA TIMUR' }],
    regencies: [{ code: '35.09', name: 'KABUPATEN JEMBER' }],
    districts: [
      { code: '35.09.20', name: 'Patrang' },
      { code: '35.09.19', name: 'Kaliwates' },
    ],
    villages: [
      { code: '35.09.19.1002', name: 'Sempusari' },
      { code: '35.09.19.1001', name: 'Mangli' },
    ],
  });

  it('looks up each level and groups children in code order by their code prefix', () => {
    expect(directory.regency('35.09')?.name).toBe('KABUPATEN JEMBER');
    expect(directory.districtsOf('35.09').map((d) => d.code)).toEqual(['35.09.19', '35.09.20']);
    expect(directory.villagesOf('35.09.19').map((v) => v.name)).toEqual(['Mangli', 'Sempusari']);
    expect(directory.villagesOf('35.09.20')).toEqual([]);
    expect(directory.village('35.09.19.1003')).toBeUndefined();
  });
});
