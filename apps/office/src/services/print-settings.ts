import { DomainError, type Holiday, type PrintPriorityPolicy } from '@tangguh/domain';
import type { OfficeContext } from '../context.ts';
import { siteExists } from '../repositories/blank-stock.ts';
import { currentPriorityPolicy, listPrinters, removeHoliday, savePriorityPolicy, setHoliday, upsertPrinter, type PrinterRow } from '../repositories/print-plan.ts';

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

export async function savePrinter(ctx: OfficeContext, printer: Omit<PrinterRow, 'updatedAt'>): Promise<PrinterRow> {
  if (!(await siteExists(ctx.db, printer.siteId)))
    throw new DomainError('SITE_NOT_FOUND', { id: `Lokasi ${printer.siteId} tidak ditemukan.`, en: `Site ${printer.siteId} not found.` }, 'not_found');
  const row = { ...printer, updatedAt: ctx.now().toISOString() };
  await upsertPrinter(ctx.db, row);
  return row;
}

export { currentPriorityPolicy, listPrinters };
