import { DomainError, type Holiday, type PrintPriorityPolicy } from '@tangguh/domain';
import type { OfficeContext } from '../context.ts';
import { siteExists } from '../repositories/blank-stock.ts';
import { currentPriorityPolicy, listPrinters, removeHoliday, savePriorityPolicy, setHoliday, upsertPrinter, type PrinterInput, type PrinterRow } from '../repositories/print-plan.ts';

/** What an admin keeps for the print plan: the priority policy, the holiday calendar, the printers. */
export async function setPriorityPolicy(ctx: OfficeContext, policy: PrintPriorityPolicy, by: string) {
  await savePriorityPolicy(ctx.db, policy, by, ctx.now().toISOString());
  return currentPriorityPolicy(ctx.db);
}

export async function markHoliday(ctx: OfficeContext, holiday: Holiday, by: string): Promise<Holiday> {
  await setHoliday(ctx.db, holiday, by, ctx.now().toISOString());
  return holiday;
}

export async function unmarkHoliday(ctx: OfficeContext, date: string): Promise<void> {
  if (!(await removeHoliday(ctx.db, date)))
    throw new DomainError('HOLIDAY_NOT_FOUND', { id: `Tanggal ${date} bukan hari libur di kalender.`, en: `${date} is not a holiday in the calendar.` }, 'not_found');
}

const sameConnection = (a: PrinterInput['connection'], b: PrinterInput['connection']) => (a?.driver ?? null) === (b?.driver ?? null) && (a?.target ?? null) === (b?.target ?? null);

/**
 * Adds or updates a printer. Its connection (a CUPS queue or a folder on the server's disk) changes only by
 * an admin's hand: a folder is where the office writes residents' cards. A supervisor may resend the stored
 * connection unchanged (a form that shows it) or leave it out; anything else is refused with 403.
 */
export async function savePrinter(ctx: OfficeContext, printer: Omit<PrinterInput, 'updatedAt'>, by?: { role: string }): Promise<PrinterRow> {
  if (!(await siteExists(ctx.db, printer.siteId)))
    throw new DomainError('SITE_NOT_FOUND', { id: `Lokasi ${printer.siteId} tidak ditemukan.`, en: `Site ${printer.siteId} not found.` }, 'not_found');
  const row = { ...printer, updatedAt: ctx.now().toISOString() };
  // Read and write in one transaction: the connection a supervisor resends is the one still stored.
  const stored = await ctx.db.transaction().execute(async (trx) => {
    const current = (await listPrinters(trx)).find((p) => p.id === printer.id);
    if (printer.connection !== undefined && by && by.role !== 'admin' && !sameConnection(printer.connection, current?.connection ?? null))
      throw new DomainError(
        'PRINTER_CONNECTION_ADMIN_ONLY',
        { id: 'Hanya admin yang boleh mengubah sambungan printer (antrean CUPS atau folder).', en: 'Only an admin may change how a printer is connected (CUPS queue or folder).' },
        'forbidden',
      );
    await upsertPrinter(trx, row);
    return current;
  });
  return { ...row, connection: printer.connection === undefined ? (stored?.connection ?? null) : printer.connection };
}

export { currentPriorityPolicy, listPrinters };
