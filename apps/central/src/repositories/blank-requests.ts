import { sql, type Kysely } from 'kysely';
import { blankRequestNumbers, numberOrNull, type BlankRequestColumns } from '@tangguh/platform';
import type { CentralDb, CentralDbOrTx } from '../db/schema.ts';

/** Offices' blank requests and the admin's answers (migration 0007). */
export type BlankRequestTables = {
  blank_requests: BlankRequestColumns & {
    office_id: string;
    received_at: string;
    status: 'pending' | 'allocated' | 'refused';
    answer_cursor: number | null;
  };
};
export type CentralBlankRequestRow = BlankRequestTables['blank_requests'];

const tables = (db: CentralDbOrTx): Kysely<CentralDb & BlankRequestTables> => (db as Kysely<CentralDb>).withTables<BlankRequestTables>();

const normal = (r: CentralBlankRequestRow): CentralBlankRequestRow => ({ ...blankRequestNumbers(r), answer_cursor: numberOrNull(r.answer_cursor) });

/** Stores a request as it arrived; the same id twice keeps the first (the inbox applies each event once anyway). */
export async function insertCentralBlankRequest(trx: CentralDbOrTx, row: CentralBlankRequestRow): Promise<void> {
  await tables(trx).insertInto('blank_requests').values(row).onConflict((oc) => oc.column('id').doNothing()).execute();
}

export async function listCentralBlankRequests(db: CentralDbOrTx, status?: CentralBlankRequestRow['status'], limit = 500): Promise<(CentralBlankRequestRow & { office_name: string })[]> {
  let query = tables(db)
    .selectFrom('blank_requests')
    .leftJoin('offices', 'offices.office_id', 'blank_requests.office_id')
    .selectAll('blank_requests')
    .select((eb) => eb.fn.coalesce('offices.name', 'blank_requests.office_id').as('office_name'))
    .orderBy('blank_requests.received_at', 'desc')
    .orderBy('blank_requests.id')
    .limit(limit);
  if (status) query = query.where('blank_requests.status', '=', status);
  return (await query.execute()).map((r) => ({ ...normal(r), office_name: r.office_name }));
}

export async function findCentralBlankRequest(db: CentralDbOrTx, id: string): Promise<(CentralBlankRequestRow & { office_name: string }) | undefined> {
  const row = await tables(db)
    .selectFrom('blank_requests')
    .leftJoin('offices', 'offices.office_id', 'blank_requests.office_id')
    .selectAll('blank_requests')
    .select((eb) => eb.fn.coalesce('offices.name', 'blank_requests.office_id').as('office_name'))
    .where('blank_requests.id', '=', id)
    .executeTakeFirst();
  return row && { ...normal(row), office_name: row.office_name };
}

/**
 * Takes the allocation lock for the rest of the transaction: answers are given one at a time, so two
 * admins cannot answer one request twice nor hand out overlapping serial ranges.
 */
export async function lockBlankAllocations(trx: CentralDbOrTx): Promise<void> {
  await trx.insertInto('counters').values({ name: 'blank_allocations', value: 0 }).onConflict((oc) => oc.column('name').doNothing()).execute();
  await trx.updateTable('counters').set((eb) => ({ value: eb('value', '+', 1) })).where('name', '=', 'blank_allocations').execute();
}

/** Whether any allocation (any office) overlaps the serial range. */
export async function allocatedRangeOverlaps(db: CentralDbOrTx, from: number, to: number): Promise<boolean> {
  const row = await tables(db)
    .selectFrom('blank_requests')
    .select('id')
    .where('status', '=', 'allocated')
    .where('serial_from', '<=', to)
    .where('serial_to', '>=', from)
    .executeTakeFirst();
  return row !== undefined;
}

export async function allocationTotals(db: CentralDbOrTx): Promise<{ total: number; highest: number | null }> {
  const row = await tables(db)
    .selectFrom('blank_requests')
    .select([sql<string | number | null>`sum(allocated_quantity)`.as('total'), sql<string | number | null>`max(serial_to)`.as('highest')])
    .where('status', '=', 'allocated')
    .executeTakeFirst();
  return { total: Number(row?.total ?? 0), highest: row?.highest === null || row?.highest === undefined ? null : Number(row.highest) };
}

/** The next cursor of an office's answer feed, in the caller's transaction (its counter row stays locked until the commit). */
export async function takeAnswerCursor(trx: CentralDbOrTx, officeId: string): Promise<number> {
  const name = `blank_answers:${officeId}`;
  await trx.insertInto('counters').values({ name, value: 0 }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const row = await trx.updateTable('counters').set((eb) => ({ value: eb('value', '+', 1) })).where('name', '=', name).returning('value').executeTakeFirstOrThrow();
  return Number(row.value);
}

export async function storeCentralAnswer(
  trx: CentralDbOrTx,
  id: string,
  answer: Pick<CentralBlankRequestRow, 'status' | 'allocated_quantity' | 'tranche' | 'serial_from' | 'serial_to' | 'delivery_earliest' | 'delivery_latest' | 'refusal' | 'answered_by' | 'answered_at' | 'answer_cursor'>,
): Promise<boolean> {
  const result = await tables(trx).updateTable('blank_requests').set(answer).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function answersAfter(db: CentralDbOrTx, officeId: string, after: number, limit: number): Promise<CentralBlankRequestRow[]> {
  const rows = await tables(db)
    .selectFrom('blank_requests')
    .selectAll()
    .where('office_id', '=', officeId)
    .where('answer_cursor', '>', after)
    .orderBy('answer_cursor')
    .limit(limit)
    .execute();
  return rows.map(normal);
}
