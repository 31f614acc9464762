import type { OfficeDbOrTx } from '../db/schema.ts';
import { withSuketTables, type SuketTables, type TrustListName } from '../db/migrations-suket.ts';

/** The signed lists fetched from the centre (trust list, revocation list), as received. */

export type TrustCacheRow = SuketTables['trust_cache'];

export function findCachedList(db: OfficeDbOrTx, name: TrustListName): Promise<TrustCacheRow | undefined> {
  return withSuketTables(db).selectFrom('trust_cache').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function storeCachedList(db: OfficeDbOrTx, row: TrustCacheRow): Promise<void> {
  await withSuketTables(db)
    .insertInto('trust_cache')
    .values(row)
    .onConflict((oc) => oc.column('name').doUpdateSet({ signed: row.signed, sequence: row.sequence, issued_at: row.issued_at, fetched_at: row.fetched_at }))
    .execute();
}

export async function touchCachedList(db: OfficeDbOrTx, name: TrustListName, fetchedAt: string): Promise<void> {
  await withSuketTables(db).updateTable('trust_cache').set({ fetched_at: fetchedAt }).where('name', '=', name).execute();
}
