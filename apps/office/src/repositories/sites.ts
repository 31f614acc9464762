import type { OfficeDbOrTx } from '../db/schema.ts';

/** The office's service points (the Dinas, kecamatan offices, pickup points), by id. */
export function listSites(db: OfficeDbOrTx): Promise<{ id: string; name: string; kind: string }[]> {
  return db.selectFrom('sites').select(['id', 'name', 'kind']).orderBy('id').execute();
}
