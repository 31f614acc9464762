import type { OfficeDbOrTx } from '../db/schema.ts';

/** The office's service points (the Dinas, kecamatan offices, pickup points), by id. */
export function listSites(db: OfficeDbOrTx): Promise<{ id: string; name: string; kind: string }[]> {
  return db.selectFrom('sites').select(['id', 'name', 'kind']).orderBy('id').execute();
}

export async function insertSites(db: OfficeDbOrTx, sites: { id: string; name: string; kind: string; district_code: string | null }[]): Promise<void> {
  if (sites.length === 0) return;
  await db.insertInto('sites').values(sites).execute();
}
