import { randomUUID } from 'node:crypto';
import {
  balanceChanges,
  type BlankLedgerEntry,
  DomainError,
  heldSerialRanges,
  holdsRange,
  insufficientStock,
  serialOf,
  serialUsed,
  validateLedgerEntry,
  zonedIsoDate,
} from '@tangguh/domain';
import type { BlankLedgerEntryView, BlankMovementResponse, PublicBlankStock } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import {
  appendBlankLedger,
  blankBalances,
  blankLedgerEntries,
  type BlankLedgerRow,
  highestUsedSerialIn,
  isBlankSerialUsed,
  lockBlankLedger,
  receivedSerialRanges,
  roleOfUser,
  serialRangeMoves,
  usedSerialsIn,
  siteExists,
} from '../repositories/blank-stock.ts';
import { listSites } from '../repositories/sites.ts';

/**
 * Every change to blank-card stock goes through `recordBlankEntry`: under the ledger's lock it applies
 * the domain's rules (blank-stock.ts) to the balances and serials the database holds at that moment, then
 * appends. Several print stations, API processes or workers can therefore write at once and the stock
 * still never goes negative and no serial is used twice; the unique index on serials stands behind it.
 */
export async function recordBlankEntry(db: OfficeDbOrTx, entry: BlankLedgerEntry, recordedBy: string, at: string): Promise<BlankLedgerEntryView[]> {
  validateLedgerEntry(entry);
  return inTransaction(db, async (tx) => {
    await lockBlankLedger(tx);
    await checkAgainstStore(tx, entry);
    return appendBlankLedger(tx, rowsOf(entry, recordedBy, at));
  });
}

/**
 * One blank for one printed card. A station that scanned the blank gives its serial; otherwise the next
 * serial after the highest used in the lowest range that still has one is taken (gaps left by scanned
 * serials are not filled: a blank skipped by hand is counted by the next stock count, not guessed at).
 */
export async function consumeBlank(db: OfficeDbOrTx, input: { siteId: string; recordId: string; serial?: number; by: string; at: string }): Promise<number> {
  return inTransaction(db, async (tx) => {
    await lockBlankLedger(tx);
    let serial = input.serial;
    if (serial === undefined) {
      for (const range of heldSerialRanges(await serialRangeMoves(tx))) {
        const next = ((await highestUsedSerialIn(tx, range)) ?? range.from - 1) + 1;
        if (next <= range.to) {
          serial = next;
          break;
        }
      }
      if (serial === undefined) throw insufficientStock(input.siteId);
    }
    const entry: BlankLedgerEntry = { kind: 'consumption', siteId: input.siteId, serial, recordId: input.recordId };
    validateLedgerEntry(entry);
    await checkAgainstStore(tx, entry);
    await appendBlankLedger(tx, rowsOf(entry, input.by, input.at));
    return serial;
  });
}

async function inTransaction<T>(db: OfficeDbOrTx, work: (tx: OfficeDbOrTx) => Promise<T>): Promise<T> {
  // Already inside the caller's transaction (printing a card stores its status in the same one): join it.
  if (db.isTransaction) return work(db);
  return db.transaction().execute(work);
}

async function checkAgainstStore(tx: OfficeDbOrTx, entry: BlankLedgerEntry): Promise<void> {
  const changes = balanceChanges(entry);
  for (const c of changes) if (!(await siteExists(tx, c.siteId))) throw siteNotFound(c.siteId);
  const balances = await blankBalances(tx, changes.map((c) => c.siteId));
  for (const c of changes) if ((balances.get(c.siteId) ?? 0) + c.delta < 0) throw insufficientStock(c.siteId);
  const serial = serialOf(entry);
  if (serial !== undefined) {
    if (await isBlankSerialUsed(tx, serial)) throw serialUsed(serial);
    const held = heldSerialRanges(await serialRangeMoves(tx));
    if (!held.some((r) => serial >= r.from && serial <= r.to)) {
      const ever = [...(await receivedSerialRanges(tx)), ...(await serialRangeMoves(tx)).map((m) => m.range)];
      if (ever.some((r) => serial >= r.from && serial <= r.to))
        throw new DomainError('BLANK_SERIAL_NOT_HELD', { id: 'Blangko dengan nomor seri ini sudah dipinjamkan atau dikembalikan ke kantor lain.', en: 'The blank with this serial was lent or returned to another office.' }, 'conflict');
      throw new DomainError('BLANK_SERIAL_UNKNOWN', { id: 'Nomor seri blangko tidak pernah diterima kantor ini.', en: 'This blank serial was never received by this office.' }, 'conflict');
    }
  }
  if (entry.kind === 'receipt') {
    const { from, to } = entry.serials;
    if ((await receivedSerialRanges(tx)).some((r) => r.from <= to && from <= r.to))
      throw new DomainError('BLANK_RANGE_OVERLAP', { id: 'Rentang nomor seri sudah pernah diterima.', en: 'This serial range overlaps one already received.' }, 'conflict');
  }
  if ((entry.kind === 'loan_in' || entry.kind === 'loan_out') && entry.serials) {
    const held = heldSerialRanges(await serialRangeMoves(tx));
    if (entry.kind === 'loan_in' && held.some((r) => r.from <= entry.serials!.to && entry.serials!.from <= r.to))
      throw new DomainError('BLANK_RANGE_OVERLAP', { id: 'Sebagian nomor seri ini sudah ada di kantor ini.', en: 'Some of these serials are already held by this office.' }, 'conflict');
    if (entry.kind === 'loan_out' && (!holdsRange(held, entry.serials) || (await usedSerialsIn(tx, entry.serials)) > 0))
      throw new DomainError(
        'BLANK_LOAN_RANGE_NOT_HELD',
        { id: 'Hanya blangko kosong yang ada di kantor ini yang dapat dipinjamkan: sebagian nomor seri ini tidak ada atau sudah terpakai.', en: 'Only blank cards this office holds unused can leave: some of these serials are not here or already used.' },
        'conflict',
      );
  }
}

function rowsOf(entry: BlankLedgerEntry, recordedBy: string, at: string): BlankLedgerRow[] {
  const base = { at, movement_id: randomUUID(), counterpart: null, tranche: null, serial_from: null, serial_to: null, serial: null, record_id: null, reason: null, recorded_by: recordedBy, approved_by: null };
  switch (entry.kind) {
    case 'receipt':
      return [{ ...base, kind: 'receipt', site_id: entry.siteId, quantity: entry.quantity, tranche: entry.tranche, serial_from: entry.serials.from, serial_to: entry.serials.to }];
    case 'transfer':
      return [
        { ...base, kind: 'transfer_out', site_id: entry.fromSiteId, quantity: -entry.quantity, counterpart: entry.toSiteId },
        { ...base, kind: 'transfer_in', site_id: entry.toSiteId, quantity: entry.quantity, counterpart: entry.fromSiteId },
      ];
    case 'loan_out':
      return [{ ...base, kind: 'loan_out', site_id: entry.siteId, quantity: -entry.quantity, counterpart: entry.office, reason: entry.purpose ?? 'loan', serial_from: entry.serials?.from ?? null, serial_to: entry.serials?.to ?? null }];
    case 'loan_in':
      return [{ ...base, kind: 'loan_in', site_id: entry.siteId, quantity: entry.quantity, counterpart: entry.office, reason: entry.purpose ?? 'loan', serial_from: entry.serials?.from ?? null, serial_to: entry.serials?.to ?? null }];
    case 'consumption':
      return [{ ...base, kind: 'consumption', site_id: entry.siteId, quantity: -1, serial: entry.serial, record_id: entry.recordId }];
    case 'spoilage':
      return [{ ...base, kind: 'spoilage', site_id: entry.siteId, quantity: -1, serial: entry.serial, reason: entry.reason }];
    case 'correction':
      return [{ ...base, kind: 'correction', site_id: entry.siteId, quantity: entry.delta, reason: entry.reason, recorded_by: entry.recordedBy, approved_by: entry.approvedBy }];
  }
}

/** The ledger's newest entries, of one site or all: what the stock screen lists. */
export function blankLedger(ctx: OfficeContext, query: { siteId?: string; limit: number }): Promise<BlankLedgerEntryView[]> {
  return blankLedgerEntries(ctx.db, query);
}

/** A correction: `countedBy` made the count, the session's supervisor approves it. */
export async function correctBlankCount(
  ctx: OfficeContext,
  input: { siteId: string; delta: number; reason: string; countedBy: string; supervisor: { username: string; role: string } },
): Promise<BlankLedgerEntryView[]> {
  if ((await roleOfUser(ctx.db, input.countedBy)) === undefined)
    throw new DomainError('BLANK_COUNTER_UNKNOWN', { id: 'Petugas penghitung tidak dikenal.', en: 'The person who counted is not a known user.' }, 'invalid');
  const entry: BlankLedgerEntry = {
    kind: 'correction',
    siteId: input.siteId,
    delta: input.delta,
    reason: input.reason,
    recordedBy: input.countedBy,
    approvedBy: input.supervisor.username,
    approverIsSupervisor: input.supervisor.role === 'supervisor',
  };
  return recordBlankEntry(ctx.db, entry, input.countedBy, ctx.now().toISOString());
}

/** The answer to a movement: its rows, the balances it touched, and a sentence for the screen. */
export async function movementResponse(ctx: OfficeContext, entries: BlankLedgerEntryView[]): Promise<BlankMovementResponse> {
  const ids = [...new Set(entries.map((e) => e.siteId))];
  const balances = await blankBalances(ctx.db, ids);
  const names = new Map((await listSites(ctx.db)).map((s) => [s.id, s.name]));
  const sites = ids.map((id) => ({ siteId: id, siteName: names.get(id) ?? id, balance: balances.get(id) ?? 0 }));
  const summary = sites.map((s) => `${s.siteName} ${s.balance}`).join(', ');
  return { entries, balances: sites, message: { id: `Tercatat. Stok blangko: ${summary}.`, en: `Recorded. Blank stock: ${summary}.` } };
}

/** Today's stock per site, for anyone: every site is listed, also those with no blanks. */
export async function publicBlankStock(ctx: OfficeContext): Promise<PublicBlankStock> {
  const now = ctx.now();
  const balances = await blankBalances(ctx.db);
  const sites = (await listSites(ctx.db)).map((s) => ({ siteId: s.id, siteName: s.name, balance: balances.get(s.id) ?? 0 }));
  return {
    date: zonedIsoDate(now, ctx.office.timeZone),
    timeZone: ctx.office.timeZone,
    asOf: now.toISOString(),
    total: sites.reduce((sum, s) => sum + s.balance, 0),
    sites,
  };
}

const siteNotFound = (siteId: string) =>
  new DomainError('SITE_NOT_FOUND', { id: `Lokasi ${siteId} tidak ditemukan.`, en: `Site ${siteId} not found.` }, 'not_found');
