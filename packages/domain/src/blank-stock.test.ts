import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type BlankLedgerEntry, BlankStock, heldSerialRanges, holdsRange, validateLedgerEntry } from './blank-stock.ts';
import { DomainError } from './errors.ts';

const receipt: BlankLedgerEntry = { kind: 'receipt', siteId: 'dinas', tranche: 'T-2026-07', quantity: 5, serials: { from: 1000, to: 1004 } };
const codeOf = (fn: () => void): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a domain error';
  }
};

describe('blank stock ledger', () => {
  it('derives each site balance from receipts, transfers, loans, prints, spoilage and corrections', () => {
    const stock = BlankStock.from([
      receipt,
      { kind: 'transfer', fromSiteId: 'dinas', toSiteId: 'ambulu', quantity: 2 },
      { kind: 'consumption', siteId: 'ambulu', serial: 1000, recordId: 'r1' },
      { kind: 'spoilage', siteId: 'dinas', serial: 1001, reason: 'overheating' },
      { kind: 'loan_out', siteId: 'dinas', office: '3510', quantity: 1 },
      { kind: 'loan_in', siteId: 'dinas', office: '3511', quantity: 3 },
      { kind: 'correction', siteId: 'ambulu', delta: -1, reason: 'counted 0', recordedBy: 'op', approvedBy: 'sup', approverIsSupervisor: true },
    ]);
    expect(stock.balance('dinas')).toBe(5 - 2 - 1 - 1 + 3);
    expect(stock.balance('ambulu')).toBe(2 - 1 - 1);
    expect(stock.nextFreeSerial()).toBe(1002);
  });

  it('refuses what would make a site negative, a serial used twice or never received, and overlapping ranges', () => {
    const stock = BlankStock.from([receipt]);
    expect(codeOf(() => stock.apply({ kind: 'transfer', fromSiteId: 'dinas', toSiteId: 'ambulu', quantity: 6 }))).toBe('BLANK_STOCK_INSUFFICIENT');
    expect(codeOf(() => stock.apply({ kind: 'consumption', siteId: 'ambulu', serial: 1000, recordId: 'r' }))).toBe('BLANK_STOCK_INSUFFICIENT');
    stock.apply({ kind: 'consumption', siteId: 'dinas', serial: 1000, recordId: 'r1' });
    expect(codeOf(() => stock.apply({ kind: 'spoilage', siteId: 'dinas', serial: 1000, reason: 'misprint' }))).toBe('BLANK_SERIAL_USED');
    expect(codeOf(() => stock.apply({ kind: 'consumption', siteId: 'dinas', serial: 9999, recordId: 'r2' }))).toBe('BLANK_SERIAL_UNKNOWN');
    expect(codeOf(() => stock.apply({ ...receipt, quantity: 3, serials: { from: 1003, to: 1005 } }))).toBe('BLANK_RANGE_OVERLAP');
    expect(codeOf(() => stock.apply({ ...receipt, quantity: 4, serials: { from: 2000, to: 2004 } }))).toBe('BLANK_RECEIPT_RANGE');
    expect(stock.balance('dinas')).toBe(4);
  });

  it('takes a count correction only with the approval of another person who is a supervisor', () => {
    const stock = BlankStock.from([receipt]);
    const correction = { kind: 'correction', siteId: 'dinas', delta: -2, reason: 'stock opname', recordedBy: 'op', approvedBy: 'op', approverIsSupervisor: true } as const;
    expect(codeOf(() => stock.apply(correction))).toBe('BLANK_CORRECTION_NEEDS_SUPERVISOR');
    expect(codeOf(() => stock.apply({ ...correction, approvedBy: 'op2', approverIsSupervisor: false }))).toBe('BLANK_CORRECTION_NEEDS_SUPERVISOR');
    stock.apply({ ...correction, approvedBy: 'sup' });
    expect(stock.balance('dinas')).toBe(3);
  });

  it('whatever entries are tried, accepted ones keep every balance at or above zero and every serial used once (property)', () => {
    const site = fc.constantFrom('dinas', 'ambulu', 'puger');
    const entry: fc.Arbitrary<BlankLedgerEntry> = fc.oneof(
      fc.record({ kind: fc.constant('receipt'), siteId: site, tranche: fc.constant('T'), from: fc.integer({ min: 0, max: 200 }), quantity: fc.integer({ min: 1, max: 20 }) }).map(
        ({ from, quantity, ...r }) => ({ ...r, quantity, serials: { from, to: from + quantity - 1 } }),
      ),
      fc.record({ kind: fc.constant('transfer'), fromSiteId: site, toSiteId: site, quantity: fc.integer({ min: 1, max: 15 }) }),
      fc.record({ kind: fc.constant('consumption'), siteId: site, serial: fc.integer({ min: 0, max: 230 }), recordId: fc.constant('r') }),
      fc.record({ kind: fc.constant('spoilage'), siteId: site, serial: fc.integer({ min: 0, max: 230 }), reason: fc.constantFrom('misprint', 'overheating', 'damaged') }),
      fc.record({ kind: fc.constant('loan_out'), siteId: site, office: fc.constant('3510'), quantity: fc.integer({ min: 1, max: 10 }) }),
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 80 }), (entries) => {
        const stock = new BlankStock();
        const accepted: BlankLedgerEntry[] = [];
        for (const e of entries) {
          try {
            stock.apply(e);
            accepted.push(e);
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
          }
        }
        for (const balance of stock.allBalances().values()) expect(balance).toBeGreaterThanOrEqual(0);
        const serials = accepted.flatMap((e) => (e.kind === 'consumption' || e.kind === 'spoilage' ? [e.serial] : []));
        expect(new Set(serials).size).toBe(serials.length);
        // Replaying the accepted entries gives the same balances: the ledger alone is the truth.
        expect(BlankStock.from(accepted).allBalances()).toEqual(stock.allBalances());
      }),
    );
  });
});

describe('held serial ranges', () => {
  it('follows receipts, loans out and returns in ledger order, merging what touches', () => {
    expect(
      heldSerialRanges([
        { direction: 'in', range: { from: 1, to: 500 } },
        { direction: 'out', range: { from: 100, to: 149 } },
        { direction: 'in', range: { from: 9000, to: 9009 } },
      ]),
    ).toEqual([
      { from: 1, to: 99 },
      { from: 150, to: 500 },
      { from: 9000, to: 9009 },
    ]);
    expect(
      heldSerialRanges([
        { direction: 'in', range: { from: 1, to: 500 } },
        { direction: 'out', range: { from: 100, to: 149 } },
        { direction: 'in', range: { from: 100, to: 149 } },
        { direction: 'out', range: { from: 1, to: 1 } },
        { direction: 'out', range: { from: 500, to: 600 } },
      ]),
    ).toEqual([{ from: 2, to: 499 }]);
    expect(holdsRange([{ from: 2, to: 499 }], { from: 2, to: 10 })).toBe(true);
    expect(holdsRange([{ from: 2, to: 99 }, { from: 150, to: 200 }], { from: 90, to: 160 })).toBe(false);
  });

  it('a loan with serials must count as many blanks as its range', () => {
    expect(() => validateLedgerEntry({ kind: 'loan_in', siteId: 's', office: '3510', quantity: 3, serials: { from: 10, to: 11 } })).toThrow(expect.objectContaining({ code: 'BLANK_LOAN_RANGE' }));
    expect(() => validateLedgerEntry({ kind: 'loan_out', siteId: 's', office: '3510', quantity: 2, serials: { from: 10, to: 11 } })).not.toThrow();
  });
});
