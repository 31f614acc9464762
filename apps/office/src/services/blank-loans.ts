import { type BlankLedgerEntry, DomainError } from '@tangguh/domain';
import type { BlankLedgerEntryView, BlankLoanRequest } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import { loanBalances, type LoanBalance } from '../repositories/blank-loans.ts';
import { lockBlankLedger } from '../repositories/blank-stock.ts';
import { recordBlankEntry } from './blank-stock.ts';

/**
 * Loans of blanks between offices, as ledger entries naming the other office. Blanks that leave ('out') are a
 * loan to that office or the return of blanks borrowed from it; blanks that arrive ('in') are a loan from it
 * or the return of blanks lent to it. The ledger's rules hold as for every entry (never below zero, under
 * its lock), and a return never exceeds what is outstanding with that office, checked under the same lock.
 */
export async function recordBlankLoan(ctx: OfficeContext, direction: 'out' | 'in', input: BlankLoanRequest, by: string): Promise<BlankLedgerEntryView[]> {
  if (input.officeId === ctx.office.id)
    throw new DomainError('BLANK_LOAN_SAME_OFFICE', { id: 'Pinjaman blangko harus dengan kantor lain.', en: 'A blank loan must be with another office.' }, 'invalid');
  const serials = input.serialFrom !== undefined && input.serialTo !== undefined ? { from: input.serialFrom, to: input.serialTo } : undefined;
  const entry: BlankLedgerEntry =
    direction === 'out'
      ? { kind: 'loan_out', siteId: input.siteId, office: input.officeId, quantity: input.quantity, purpose: input.purpose, serials }
      : { kind: 'loan_in', siteId: input.siteId, office: input.officeId, quantity: input.quantity, purpose: input.purpose, serials };
  const at = ctx.now().toISOString();
  return ctx.db.transaction().execute(async (tx) => {
    await lockBlankLedger(tx);
    if (input.purpose === 'return') {
      const outstanding = (await loanBalances(tx, input.officeId))[0] ?? { officeId: input.officeId, lentOut: 0, borrowed: 0 };
      // Giving back what we borrowed, or taking back what we lent: never more than is outstanding.
      const owed = direction === 'out' ? outstanding.borrowed : outstanding.lentOut;
      if (input.quantity > owed)
        throw new DomainError(
          'BLANK_LOAN_RETURN_EXCEEDS',
          {
            id: `Pengembalian ${input.quantity} blangko melebihi pinjaman yang belum kembali dengan kantor ${input.officeId} (${owed}).`,
            en: `Returning ${input.quantity} blanks exceeds what is outstanding with office ${input.officeId} (${owed}).`,
          },
          'conflict',
        );
    }
    return recordBlankEntry(tx, entry, by, at);
  });
}

export async function blankLoanBalances(ctx: OfficeContext): Promise<LoanBalance[]> {
  return loanBalances(ctx.db);
}
