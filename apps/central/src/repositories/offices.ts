import type { DialectName } from '@tangguh/platform';
import type { CentralDb, CentralDbOrTx, OfficesTable } from '../db/schema.ts';
import type { Transaction } from 'kysely';

export function findOffice(db: CentralDbOrTx, officeId: string): Promise<OfficesTable | undefined> {
  return db.selectFrom('offices').selectAll().where('office_id', '=', officeId).executeTakeFirst();
}

/**
 * Reads the office row inside a transaction, locked on PostgreSQL so two API processes cannot apply
 * the same office's batches at once (SQLite serialises writers already).
 */
export function lockOffice(trx: Transaction<CentralDb>, dialect: DialectName, officeId: string): Promise<OfficesTable | undefined> {
  const query = trx.selectFrom('offices').selectAll().where('office_id', '=', officeId);
  return (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
}

export async function upsertOffice(db: CentralDbOrTx, office: Pick<OfficesTable, 'office_id' | 'name' | 'regency_code' | 'public_key'>): Promise<void> {
  await db
    .insertInto('offices')
    .values({ ...office, applied_seq: 0, change_seq: 0, registered_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('office_id').doUpdateSet({ name: office.name, regency_code: office.regency_code, public_key: office.public_key }))
    .execute();
}

/** The permanent record of applied (office, seq): what makes a replay recognisable forever. */
export async function recordAppliedEntries(trx: CentralDbOrTx, rows: { office_id: string; seq: number; record_id: string; applied_at: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await trx.insertInto('applied_entries').values(rows).execute();
}

export async function setAppliedSeq(trx: CentralDbOrTx, officeId: string, seq: number): Promise<void> {
  await trx.updateTable('offices').set({ applied_seq: seq }).where('office_id', '=', officeId).execute();
}

/** Reserves `count` consecutive cursors in the office's change feed and returns the first. */
export async function reserveCursors(trx: Transaction<CentralDb>, officeId: string, count: number): Promise<number> {
  const row = await trx
    .updateTable('offices')
    .set((eb) => ({ change_seq: eb('change_seq', '+', count) }))
    .where('office_id', '=', officeId)
    .returning('change_seq')
    .executeTakeFirstOrThrow();
  return Number(row.change_seq) - count + 1;
}
