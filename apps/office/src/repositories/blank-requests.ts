import type { Kysely } from 'kysely';
import { blankRequestNumbers, type BlankRequestColumns } from '@tangguh/platform';
import type { OfficeDb, OfficeDbOrTx } from '../db/schema.ts';
import type { BlankStockTables } from './blank-stock.ts';

/** The office's blank requests to the centre and their answers (migration 0011). */
export type BlankRequestTables = {
  blank_requests: BlankRequestColumns & {
    outbox_seq: number;
    decision: 'allocated' | 'refused' | null;
    answer_received_at: string | null;
  };
};

export type BlankRequestRow = BlankRequestTables['blank_requests'];

const requests = (db: OfficeDbOrTx): Kysely<OfficeDb & BlankRequestTables> => (db as Kysely<OfficeDb>).withTables<BlankRequestTables>();

const normal = (r: BlankRequestRow): BlankRequestRow => ({ ...blankRequestNumbers(r), outbox_seq: Number(r.outbox_seq) });

export async function insertBlankRequest(trx: OfficeDbOrTx, row: BlankRequestRow): Promise<void> {
  await requests(trx).insertInto('blank_requests').values(row).execute();
}

export async function listBlankRequests(db: OfficeDbOrTx, limit = 200): Promise<BlankRequestRow[]> {
  return (await requests(db).selectFrom('blank_requests').selectAll().orderBy('requested_at', 'desc').orderBy('id').limit(limit).execute()).map(normal);
}

export async function findBlankRequest(db: OfficeDbOrTx, id: string): Promise<BlankRequestRow | undefined> {
  const row = await requests(db).selectFrom('blank_requests').selectAll().where('id', '=', id).executeTakeFirst();
  return row && normal(row);
}

/** Allocations the centre made: the candidates for expected deliveries (the caller leaves out those received). */
export async function allocatedBlankRequests(db: OfficeDbOrTx): Promise<BlankRequestRow[]> {
  return (await requests(db).selectFrom('blank_requests').selectAll().where('decision', '=', 'allocated').orderBy('delivery_earliest').execute()).map(normal);
}

/**
 * Stores the centre's answer once: a request already answered keeps its first answer (a page fetched again
 * after a crash changes nothing). Returns false when there is no such request or it was answered before.
 */
export async function storeBlankAnswer(
  trx: OfficeDbOrTx,
  answer: Pick<BlankRequestRow, 'id' | 'decision' | 'allocated_quantity' | 'tranche' | 'serial_from' | 'serial_to' | 'delivery_earliest' | 'delivery_latest' | 'refusal' | 'answered_by' | 'answered_at' | 'answer_received_at'>,
): Promise<boolean> {
  const { id, ...set } = answer;
  const result = await requests(trx).updateTable('blank_requests').set(set).where('id', '=', id).where('decision', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A cheap mark of the requests' state, for the forecast's snapshot: it changes when a request is made or answered. */
export async function blankRequestsMark(db: OfficeDbOrTx): Promise<string> {
  const row = await requests(db)
    .selectFrom('blank_requests')
    .select((eb) => [eb.fn.countAll<string | number>().as('n'), eb.fn.max('answer_received_at').as('answered')])
    .executeTakeFirst();
  return `${Number(row?.n ?? 0)}:${row?.answered ?? ''}`;
}

/** Every receipt's tranche and serial range: to tell which of the centre's allocations have arrived. */
export async function receivedTranchesAndRanges(db: OfficeDbOrTx): Promise<{ tranche: string | null; from: number; to: number }[]> {
  const rows = await (db as Kysely<OfficeDb>).withTables<BlankStockTables>().selectFrom('blank_ledger').select(['tranche', 'serial_from', 'serial_to']).where('kind', '=', 'receipt').execute();
  return rows.flatMap((r) => (r.serial_from === null || r.serial_to === null ? [] : [{ tranche: r.tranche, from: Number(r.serial_from), to: Number(r.serial_to) }]));
}
