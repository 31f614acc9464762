import { DomainError } from './errors.ts';

/**
 * Blank KTP-el cards as an append-only ledger. Nothing is ever edited: a receipt of the centre's
 * allocation, a transfer between sites, a loan to or from another office, one consumption per printed
 * card, a spoiled blank, a counted correction — each is a new entry, and a site's balance is the sum of
 * its entries. The two rules that make the count trustworthy live here, for any store to apply:
 * a site's balance never goes below zero, and no blank serial is used (printed or spoiled) twice.
 */
export type SpoilageReason = 'misprint' | 'overheating' | 'damaged';

export interface SerialRange {
  from: number;
  to: number;
}

/** A loan between offices, or blanks going back against an earlier one (kept in the entry's reason). */
export type LoanPurpose = 'loan' | 'return';

export type BlankLedgerEntry =
  | { kind: 'receipt'; siteId: string; tranche: string; quantity: number; serials: SerialRange }
  | { kind: 'transfer'; fromSiteId: string; toSiteId: string; quantity: number }
  | { kind: 'loan_out'; siteId: string; office: string; quantity: number; purpose?: LoanPurpose; serials?: SerialRange }
  | { kind: 'loan_in'; siteId: string; office: string; quantity: number; purpose?: LoanPurpose; serials?: SerialRange }
  | { kind: 'consumption'; siteId: string; serial: number; recordId: string }
  | { kind: 'spoilage'; siteId: string; serial: number; reason: SpoilageReason }
  | { kind: 'correction'; siteId: string; delta: number; reason: string; recordedBy: string; approvedBy: string; approverIsSupervisor: boolean };

/** How an entry moves each site's balance; a transfer moves two. */
export function balanceChanges(entry: BlankLedgerEntry): { siteId: string; delta: number }[] {
  switch (entry.kind) {
    case 'receipt':
    case 'loan_in':
      return [{ siteId: entry.siteId, delta: entry.quantity }];
    case 'transfer':
      return [
        { siteId: entry.fromSiteId, delta: -entry.quantity },
        { siteId: entry.toSiteId, delta: entry.quantity },
      ];
    case 'loan_out':
      return [{ siteId: entry.siteId, delta: -entry.quantity }];
    case 'consumption':
    case 'spoilage':
      return [{ siteId: entry.siteId, delta: -1 }];
    case 'correction':
      return [{ siteId: entry.siteId, delta: entry.delta }];
  }
}

export function serialOf(entry: BlankLedgerEntry): number | undefined {
  return entry.kind === 'consumption' || entry.kind === 'spoilage' ? entry.serial : undefined;
}

/** Checks an entry on its own: quantities, ranges, the supervisor's approval of a correction. */
export function validateLedgerEntry(entry: BlankLedgerEntry): void {
  const positive = (q: number) => Number.isSafeInteger(q) && q > 0;
  switch (entry.kind) {
    case 'receipt':
      if (!positive(entry.quantity) || entry.serials.to - entry.serials.from + 1 !== entry.quantity || entry.serials.from < 0)
        throw stockError('BLANK_RECEIPT_RANGE', 'Jumlah blangko harus sama dengan rentang nomor seri.', "The quantity must match the serial range.");
      return;
    case 'transfer':
      if (entry.fromSiteId === entry.toSiteId) throw stockError('BLANK_TRANSFER_SAME_SITE', 'Pemindahan harus ke lokasi lain.', 'A transfer must go to another site.');
      if (!positive(entry.quantity)) throw quantityError();
      return;
    case 'loan_in':
    case 'loan_out':
      if (!positive(entry.quantity)) throw quantityError();
      if (entry.serials && (entry.serials.to - entry.serials.from + 1 !== entry.quantity || entry.serials.from < 0))
        throw stockError('BLANK_LOAN_RANGE', 'Jumlah blangko pinjaman harus sama dengan rentang nomor serinya.', "The number of blanks lent or borrowed must match their serial range.");
      return;
    case 'consumption':
    case 'spoilage':
      if (!Number.isSafeInteger(entry.serial) || entry.serial < 0) throw stockError('BLANK_SERIAL_INVALID', 'Nomor seri blangko tidak sah.', 'The blank serial is not valid.');
      return;
    case 'correction':
      if (!Number.isSafeInteger(entry.delta) || entry.delta === 0) throw quantityError();
      if (!entry.approverIsSupervisor || entry.approvedBy === entry.recordedBy)
        throw new DomainError(
          'BLANK_CORRECTION_NEEDS_SUPERVISOR',
          { id: 'Koreksi jumlah blangko harus disetujui supervisor lain.', en: 'A count correction must be approved by another person, a supervisor.' },
          'forbidden',
        );
      return;
  }
}

/** A serial range arriving (a receipt, blanks borrowed or given back) or leaving (blanks lent or returned). */
export interface SerialRangeMove {
  direction: 'in' | 'out';
  range: SerialRange;
}

/**
 * The serials this office holds, as sorted disjoint ranges, from every range that arrived or left in ledger
 * order: received 1–500, lent 100–149, given back 100–149 → 1–500. A serial printed or spoiled must be in
 * one of them, and the next free serial is looked for only there, so a blank lent away is never printed
 * here and a borrowed one can be.
 */
export function heldSerialRanges(moves: Iterable<SerialRangeMove>): SerialRange[] {
  let held: SerialRange[] = [];
  for (const { direction, range } of moves) {
    const rest: SerialRange[] = [];
    for (const r of held) {
      if (r.to < range.from || range.to < r.from) rest.push(r);
      else {
        if (r.from < range.from) rest.push({ from: r.from, to: range.from - 1 });
        if (range.to < r.to) rest.push({ from: range.to + 1, to: r.to });
      }
    }
    if (direction === 'in') rest.push({ ...range });
    rest.sort((a, b) => a.from - b.from);
    held = [];
    for (const r of rest) {
      const last = held[held.length - 1];
      if (last && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
      else held.push({ ...r });
    }
  }
  return held;
}

/** Whether every serial of `range` is among the held ranges. */
export function holdsRange(held: readonly SerialRange[], range: SerialRange): boolean {
  return held.some((r) => r.from <= range.from && range.to <= r.to);
}

/** The state a store needs to accept the next entry: balances per site, serials received and used. */
export class BlankStock {
  private readonly balances = new Map<string, number>();
  private readonly used = new Set<number>();
  private readonly ranges: SerialRange[] = [];

  static from(entries: Iterable<BlankLedgerEntry>): BlankStock {
    const stock = new BlankStock();
    for (const e of entries) stock.apply(e);
    return stock;
  }

  balance(siteId: string): number {
    return this.balances.get(siteId) ?? 0;
  }

  allBalances(): Map<string, number> {
    return new Map(this.balances);
  }

  /** Applies an entry, or throws (and changes nothing) when it would break a rule. */
  apply(entry: BlankLedgerEntry): void {
    validateLedgerEntry(entry);
    const serial = serialOf(entry);
    if (serial !== undefined) {
      if (this.used.has(serial)) throw serialUsed(serial);
      if (!this.ranges.some((r) => serial >= r.from && serial <= r.to)) throw stockError('BLANK_SERIAL_UNKNOWN', 'Nomor seri blangko tidak pernah diterima kantor ini.', 'This blank serial was never received by this office.', 'conflict');
    }
    if (entry.kind === 'receipt' && this.ranges.some((r) => r.from <= entry.serials.to && entry.serials.from <= r.to))
      throw stockError('BLANK_RANGE_OVERLAP', 'Rentang nomor seri sudah pernah diterima.', 'This serial range overlaps one already received.', 'conflict');
    const changes = balanceChanges(entry);
    for (const c of changes) if (this.balance(c.siteId) + c.delta < 0) throw insufficientStock(c.siteId);
    for (const c of changes) this.balances.set(c.siteId, this.balance(c.siteId) + c.delta);
    if (serial !== undefined) this.used.add(serial);
    if (entry.kind === 'receipt') this.ranges.push(entry.serials);
  }

  /** The lowest received serial not yet used, or undefined when every received blank is used. */
  nextFreeSerial(): number | undefined {
    for (const r of [...this.ranges].sort((a, b) => a.from - b.from)) for (let s = r.from; s <= r.to; s++) if (!this.used.has(s)) return s;
    return undefined;
  }
}

function stockError(code: string, id: string, en: string, kind: 'invalid' | 'conflict' = 'invalid'): DomainError {
  return new DomainError(code, { id, en }, kind);
}

const quantityError = () => stockError('BLANK_QUANTITY_INVALID', 'Jumlah blangko harus bilangan bulat positif.', 'The number of blanks must be a positive whole number.');

export function insufficientStock(siteId: string): DomainError {
  return stockError('BLANK_STOCK_INSUFFICIENT', `Stok blangko di lokasi ${siteId} tidak cukup.`, `Not enough blank cards at site ${siteId}.`, 'conflict');
}

export function serialUsed(serial: number): DomainError {
  return stockError('BLANK_SERIAL_USED', `Blangko nomor seri ${serial} sudah terpakai.`, `Blank serial ${serial} has already been used.`, 'conflict');
}
