import type { CentralDbOrTx } from '../db/schema.ts';

/** The office and status of an enrollment, or undefined for a record the centre does not hold. */
export function enrollmentStatus(db: CentralDbOrTx, recordId: string) {
  return db.selectFrom('enrollments').select(['office_id', 'status']).where('record_id', '=', recordId).executeTakeFirst();
}

/** Moves an enrollment from `from` to `to` only if it is still in `from`; returns whether it moved. */
export async function moveEnrollmentStatus(db: CentralDbOrTx, recordId: string, from: string, to: string, at: string): Promise<boolean> {
  const result = await db.updateTable('enrollments').set({ status: to, status_at: at }).where('record_id', '=', recordId).where('status', '=', from).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
