import { sql, type Kysely } from 'kysely';
import type { OfficeDb, OfficeDbOrTx } from '../db/schema.ts';
import type { BlankStockTables } from './blank-stock.ts';

const ledger = (db: OfficeDbOrTx): Kysely<OfficeDb & BlankStockTables> => (db as Kysely<OfficeDb>).withTables<BlankStockTables>();

export interface LoanBalance {
  officeId: string;
  /** Blanks lent to that office and not yet returned by it. */
  lentOut: number;
  /** Blanks borrowed from that office and not yet given back. */
  borrowed: number;
}

/**
 * What is outstanding with each other office, from the loan rows of the ledger: a loan entry's reason is
 * 'loan' or 'return' (rows of older releases have none and count as loans).
 */
export async function loanBalances(db: OfficeDbOrTx, officeId?: string): Promise<LoanBalance[]> {
  let query = ledger(db)
    .selectFrom('blank_ledger')
    .select(['counterpart', 'kind', 'reason', sql<string | number>`sum(quantity)`.as('total')])
    .where('kind', 'in', ['loan_out', 'loan_in'])
    .groupBy(['counterpart', 'kind', 'reason']);
  if (officeId) query = query.where('counterpart', '=', officeId);
  const byOffice = new Map<string, LoanBalance>();
  for (const row of await query.execute()) {
    if (!row.counterpart) continue;
    const b = byOffice.get(row.counterpart) ?? { officeId: row.counterpart, lentOut: 0, borrowed: 0 };
    const total = Math.abs(Number(row.total));
    const isReturn = row.reason === 'return';
    if (row.kind === 'loan_out') {
      if (isReturn) b.borrowed -= total;
      else b.lentOut += total;
    } else if (isReturn) b.lentOut -= total;
    else b.borrowed += total;
    byOffice.set(row.counterpart, b);
  }
  return [...byOffice.values()].sort((a, b) => a.officeId.localeCompare(b.officeId));
}
