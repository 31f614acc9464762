import type { OfficeDbOrTx } from '../db/schema.ts';

/** The record's status as this office holds it, or undefined for a record it does not hold. */
export async function recordStatusOf(db: OfficeDbOrTx, recordId: string): Promise<string | undefined> {
  const row = await db.selectFrom('records').select('status').where('id', '=', recordId).executeTakeFirst();
  return row?.status;
}

/**
 * Moves a record from `from` to `to` only if it is still in `from` (compare-and-set): of two transactions that
 * read the same status, one moves it and the other sees 0 rows and looks again. Returns whether it moved.
 */
export async function moveRecordStatus(db: OfficeDbOrTx, recordId: string, from: string, to: string, at: string): Promise<boolean> {
  const result = await db.updateTable('records').set({ status: to, status_at: at }).where('id', '=', recordId).where('status', '=', from).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
