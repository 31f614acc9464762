import { beforeAll, describe, expect, it } from 'vitest';
import { loadRegionDirectory } from '@tangguh/regions';
import { acceptNik, nikRegionIssues } from './nik-region.ts';
import type { RegionDirectory } from './region.ts';
import { isDomainError } from './errors.ts';

let regions: RegionDirectory;
beforeAll(async () => {
  regions = await loadRegionDirectory();
});

const TODAY = new Date('2026-03-02T03:00:00Z');

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the region part of a NIK', () => {
  it('accepts a NIK of an existing province, even of a kecamatan renumbered since', () => {
    expect(nikRegionIssues('3509124507900003', regions)).toEqual([]);
    expect(acceptNik('3599124507900003', regions, TODAY, 'Asia/Jakarta').provinceCode).toBe('35');
  });

  it('refuses a province that does not exist, and a regency or district 00, with a bilingual field issue', () => {
    for (const nik of ['9909124507900003', '3500124507900003', '3509004507900003']) {
      const error = refusal(() => acceptNik(nik, regions, TODAY, 'Asia/Jakarta'));
      expect(error.code).toBe('NIK_REGION_UNKNOWN');
      expect(error.issues[0]).toMatchObject({ field: 'nik', code: 'NIK_REGION_UNKNOWN' });
      expect(error.messages.id).toContain('tidak dikenal');
      expect(error.messages.en).toContain('unknown');
    }
  });

  it('names the field it was given, for a search box as much as for a form field', () => {
    expect(refusal(() => acceptNik('9909124507900003', regions, TODAY, 'Asia/Jakarta', 'q')).issues[0]?.field).toBe('q');
    expect(refusal(() => acceptNik('3509129907900003', regions, TODAY, 'Asia/Jakarta', 'q')).issues[0]).toMatchObject({ field: 'q', code: 'NIK_DATE_INVALID' });
  });
});
