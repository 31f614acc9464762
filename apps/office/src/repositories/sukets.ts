import type { OfficeDbOrTx } from '../db/schema.ts';
import { withSuketTables, type SuketTables } from '../db/migrations-suket.ts';

/** The Sukets this office issued, and their revocations. */

export type SuketRow = SuketTables['sukets'];

export function findSuketRow(db: OfficeDbOrTx, serial: string): Promise<SuketRow | undefined> {
  return withSuketTables(db).selectFrom('sukets').selectAll().where('serial', '=', serial).executeTakeFirst();
}

export function activeSuketsOfRecord(db: OfficeDbOrTx, recordId: string): Promise<SuketRow[]> {
  return withSuketTables(db).selectFrom('sukets').selectAll().where('record_id', '=', recordId).where('status', '=', 'ACTIVE').execute();
}

/** Every Suket of a record, newest first. */
export function suketRowsOfRecord(db: OfficeDbOrTx, recordId: string): Promise<SuketRow[]> {
  return withSuketTables(db).selectFrom('sukets').selectAll().where('record_id', '=', recordId).orderBy('issued_at', 'desc').orderBy('serial', 'desc').execute();
}

export async function insertSuket(db: OfficeDbOrTx, row: SuketRow): Promise<void> {
  await withSuketTables(db).insertInto('sukets').values(row).execute();
}

export async function markSuketRevoked(db: OfficeDbOrTx, serial: string, change: { at: string; reason: string; by: string; supersededBy: string | null }): Promise<void> {
  await withSuketTables(db)
    .updateTable('sukets')
    .set({ status: 'REVOKED', revoked_at: change.at, revoke_reason: change.reason, revoked_by: change.by, superseded_by: change.supersededBy })
    .where('serial', '=', serial)
    .execute();
}

/** Revoked Sukets, by serial: what the office's own signed revocation list carries. */
export function revokedSuketRows(db: OfficeDbOrTx): Promise<Pick<SuketRow, 'serial' | 'revoked_at' | 'revoke_reason' | 'superseded_by'>[]> {
  return withSuketTables(db).selectFrom('sukets').select(['serial', 'revoked_at', 'revoke_reason', 'superseded_by']).where('status', '=', 'REVOKED').orderBy('serial').execute();
}
