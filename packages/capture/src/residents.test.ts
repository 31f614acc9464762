import { beforeAll, describe, expect, it } from 'vitest';
import { loadRegionDirectory } from '@tangguh/regions';
import { ageOn, checkRecording, parseIsoDate, parseKk, parseNik, zonedDate, type RegionDirectory } from '@tangguh/domain';
import { syntheticResidents } from './residents.ts';
import { SyntheticCaptureDevice, type CaptureResult } from './device.ts';

const TODAY = new Date('2026-11-23T05:00:00Z');
const ZONE = 'Asia/Jakarta';
let regions: RegionDirectory;
let someCapture: CaptureResult;
beforeAll(async () => {
  regions = await loadRegionDirectory();
  someCapture = await new SyntheticCaptureDevice().capture({ subjectKey: 'anyone' });
});

describe('syntheticResidents', () => {
  it('produces residents of Jember that all pass checkRecording', async () => {
    const device = new SyntheticCaptureDevice();
    const residents = syntheticResidents(300, { seed: 1, regencyCode: '35.09', regions, today: TODAY });
    expect(residents).toHaveLength(300);
    for (const biodata of residents) {
      const capture = await device.capture({ subjectKey: biodata.nik });
      const issues = checkRecording({ biodata, ...capture }, regions, TODAY, ZONE);
      expect(issues, `${biodata.nik} ${biodata.fullName}`).toEqual([]);
    }
  });

  it('keeps NIK, KK and address consistent with the regency', () => {
    const residents = syntheticResidents(500, { seed: 2, regencyCode: '35.09', regions, today: TODAY });
    expect(new Set(residents.map((r) => r.nik)).size).toBe(500);
    const today = zonedDate(TODAY, ZONE);
    for (const r of residents) {
      expect(parseNik(r.nik, TODAY).regencyCode).toBe('35.09');
      expect(parseKk(r.kkNumber, TODAY).areaCode.startsWith('35.09.')).toBe(true);
      expect(r.address.villageCode.startsWith('35.09.')).toBe(true);
      const birth = parseIsoDate(r.birthDate);
      if (!birth) throw new Error(`bad birth date ${r.birthDate}`);
      const age = ageOn(birth, today);
      expect(age).toBeGreaterThanOrEqual(17);
      expect(age).toBeLessThanOrEqual(80);
    }
    // Households share a family card.
    expect(new Set(residents.map((r) => r.kkNumber)).size).toBeLessThan(400);
    expect(residents.filter((r) => r.religion === 'ISLAM').length).toBeGreaterThan(450);
    expect(new Set(residents.map((r) => r.occupation)).size).toBeGreaterThan(8);
    expect(residents.some((r) => r.sex === 'L') && residents.some((r) => r.sex === 'P')).toBe(true);
  });

  it('is deterministic for a seed and different across seeds', () => {
    const options = { regencyCode: '35.09', regions, today: TODAY };
    const a = syntheticResidents(50, { seed: 9, ...options });
    expect(syntheticResidents(50, { seed: 9, ...options })).toEqual(a);
    expect(syntheticResidents(50, { seed: 10, ...options })).not.toEqual(a);
    expect(syntheticResidents(20, { seed: 9, ...options })).toEqual(a.slice(0, 20));
  });

  it('works for a kota and refuses a regency without kecamatan', () => {
    const surabaya = syntheticResidents(30, { seed: 3, regencyCode: '35.78', regions, today: TODAY });
    expect(surabaya.filter((r) => r.birthPlace === 'SURABAYA').length).toBeGreaterThan(15);
    // Surabaya has only kelurahan, which have named streets rather than dusun.
    expect(surabaya.every((r) => r.address.street.startsWith('JL. '))).toBe(true);
    for (const biodata of surabaya) expect(checkRecording({ biodata, ...someCapture }, regions, TODAY, ZONE)).toEqual([]);
    expect(() => syntheticResidents(1, { seed: 1, regencyCode: '35.98', regions, today: TODAY })).toThrow(RangeError);
  });
});

