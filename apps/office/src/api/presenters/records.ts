import type { RecordDetail } from '@tangguh/protocol';
import type { RegionDirectory } from '@tangguh/domain';
import type { RecordSummary } from '../../repositories/records.ts';

/** The stored parts of a record the detail view needs (biodata and exceptions are kept as JSON text). */
interface StoredRecord {
  village_code: string;
  biodata: string;
  exceptions: string;
}

/** A record as the API shows it: the summary, its biodata and exceptions, and its region names for people. */
export function presentRecordDetail(summary: RecordSummary, row: StoredRecord, regions: Pick<RegionDirectory, 'village' | 'district'>): RecordDetail {
  return {
    ...summary,
    biodata: JSON.parse(row.biodata) as RecordDetail['biodata'],
    villageName: regions.village(row.village_code)?.name ?? null,
    districtName: regions.district(row.village_code.slice(0, 8))?.name ?? null,
    exceptions: JSON.parse(row.exceptions) as RecordDetail['exceptions'],
  };
}
