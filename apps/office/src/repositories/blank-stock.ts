import { sql, type Generated, type Kysely } from 'kysely';
import type { SerialRangeMove } from '@tangguh/domain';
import type { BlankLedgerEntryView } from '@tangguh/protocol';
import type { OfficeDb, OfficeDbOrTx } from '../db/schema.ts';

/** The blank-card ledger (migration 0007). Rows are only ever inserted: the database refuses the rest. */
export type BlankStockTables = {
  blank_ledger: {
    id: Generated<number>;
    at: string;
    kind: BlankLedgerEntryView['kind'];
    site_id: string;
    quantity: number;
    movement_id: string;
    counterpart: string | null;
    tranche: string | null;
    serial_from: number | null;
    serial_to: number | null;
    serial: number | null;
    record_id: string | null;
    reason: string | null;
    recorded_by: string;
    approved_by: string | null;
  };
  blank_ledger_lock: { name: string; version: number };
};

export type BlankLedgerRow = Omit<BlankStockTables['blank_ledger'], 'id'>;

const ledger = (db: OfficeDbOrTx): Kysely<OfficeDb & BlankStockTables> => (db as Kysely<OfficeDb>).withTables<BlankStockTables>();

/**
 * Takes the ledger's write lock for the rest of the transaction: every writer updates the one lock row
 * first. PostgreSQL queues the others on the row lock; SQLite's first write takes the file's write lock
 * (the others wait out busy_timeout). After it, what the transaction reads is what it may append to.
 */
export async function lockBlankLedger(tx: OfficeDbOrTx): Promise<void> {
  await ledger(tx)
    .updateTable('blank_ledger_lock')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('name', '=', 'ledger')
    .execute();
}

export async function appendBlankLedger(tx: OfficeDbOrTx, rows: BlankLedgerRow[]): Promise<BlankLedgerEntryView[]> {
  if (rows.length === 0) return [];
  const inserted = await ledger(tx).insertInto('blank_ledger').values(rows).returningAll().execute();
  return inserted.map(toView);
}

/** Balance per site: the sum of its ledger rows. PostgreSQL returns sums and bigints as strings. */
export async function blankBalances(db: OfficeDbOrTx, siteIds?: string[]): Promise<Map<string, number>> {
  let query = ledger(db)
    .selectFrom('blank_ledger')
    .select(['site_id', sql<string | number>`sum(quantity)`.as('balance')])
    .groupBy('site_id');
  if (siteIds) {
    if (siteIds.length === 0) return new Map();
    query = query.where('site_id', 'in', siteIds);
  }
  const rows = await query.execute();
  return new Map(rows.map((r) => [r.site_id, Number(r.balance)]));
}

/** The serial ranges received from the centre, lowest first. */
export async function receivedSerialRanges(db: OfficeDbOrTx): Promise<{ from: number; to: number }[]> {
  const rows = await ledger(db)
    .selectFrom('blank_ledger')
    .select(['serial_from', 'serial_to'])
    .where('kind', '=', 'receipt')
    .orderBy('serial_from')
    .execute();
  return rows.flatMap((r) => (r.serial_from === null || r.serial_to === null ? [] : [{ from: Number(r.serial_from), to: Number(r.serial_to) }]));
}

/** Every serial range that arrived (receipts, loans in) or left (loans out), in ledger order. */
export async function serialRangeMoves(db: OfficeDbOrTx): Promise<SerialRangeMove[]> {
  const rows = await ledger(db)
    .selectFrom('blank_ledger')
    .select(['kind', 'serial_from', 'serial_to'])
    .where('kind', 'in', ['receipt', 'loan_in', 'loan_out'])
    .where('serial_from', 'is not', null)
    .where('serial_to', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ direction: r.kind === 'loan_out' ? 'out' : 'in', range: { from: Number(r.serial_from), to: Number(r.serial_to) } }));
}

/** How many serials of a range were printed or spoiled. */
export async function usedSerialsIn(db: OfficeDbOrTx, range: { from: number; to: number }): Promise<number> {
  const row = await ledger(db)
    .selectFrom('blank_ledger')
    .select(sql<string | number>`count(*)`.as('used'))
    .where('serial', '>=', range.from)
    .where('serial', '<=', range.to)
    .executeTakeFirst();
  return Number(row?.used ?? 0);
}

export async function isBlankSerialUsed(db: OfficeDbOrTx, serial: number): Promise<boolean> {
  const row = await ledger(db).selectFrom('blank_ledger').select('id').where('serial', '=', serial).executeTakeFirst();
  return row !== undefined;
}

/** The highest serial printed or spoiled inside a range, or undefined when none is. */
export async function highestUsedSerialIn(db: OfficeDbOrTx, range: { from: number; to: number }): Promise<number | undefined> {
  const row = await ledger(db)
    .selectFrom('blank_ledger')
    .select(sql<string | number | null>`max(serial)`.as('top'))
    .where('serial', '>=', range.from)
    .where('serial', '<=', range.to)
    .executeTakeFirst();
  return row?.top === null || row?.top === undefined ? undefined : Number(row.top);
}

export async function blankLedgerEntries(db: OfficeDbOrTx, opts: { siteId?: string; limit?: number } = {}): Promise<BlankLedgerEntryView[]> {
  let query = ledger(db).selectFrom('blank_ledger').selectAll().orderBy('id', 'desc').limit(opts.limit ?? 200);
  if (opts.siteId) query = query.where('site_id', '=', opts.siteId);
  return (await query.execute()).map(toView);
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

function toView(r: Omit<BlankStockTables['blank_ledger'], 'id'> & { id: number | string }): BlankLedgerEntryView {
  return {
    id: Number(r.id),
    at: r.at,
    kind: r.kind,
    siteId: r.site_id,
    quantity: Number(r.quantity),
    movementId: r.movement_id,
    counterpart: r.counterpart,
    tranche: r.tranche,
    serialFrom: num(r.serial_from),
    serialTo: num(r.serial_to),
    serial: num(r.serial),
    recordId: r.record_id,
    reason: r.reason,
    recordedBy: r.recorded_by,
    approvedBy: r.approved_by,
  };
}

/** A user's role by username, for the supervisor's approval of someone else's count. */
export async function roleOfUser(db: OfficeDbOrTx, username: string): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('role').where('username', '=', username).executeTakeFirst();
  return row?.role;
}

export async function siteExists(db: OfficeDbOrTx, siteId: string): Promise<boolean> {
  return (await db.selectFrom('sites').select('id').where('id', '=', siteId).executeTakeFirst()) !== undefined;
}
