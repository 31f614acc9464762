import type { Generated, Kysely } from 'kysely';
import { DEFAULT_PRINT_PRIORITY_POLICY, type Holiday, type HolidayKind, type PlannedPrinter, type PrinterState, type PrintPriorityPolicy } from '@tangguh/domain';
import { printPriorityPolicySchema, type PrinterConnection } from '@tangguh/protocol';
import type { OfficeDb, OfficeDbOrTx } from '../db/schema.ts';
import { withSuketTables } from '../db/migrations-suket.ts';

/** Printers, the holiday calendar and the priority policy (migration 0007): what the print plan reads. */
export type PrintPlanTables = {
  printers: {
    id: string;
    site_id: string;
    name: string;
    capacity_per_day: number;
    state: PrinterState;
    ribbon_left: number;
    film_left: number;
    prints_per_ribbon: number;
    prints_per_film: number;
    updated_at: string;
    /** Migration 0008: 'cups' | 'folder', and the queue name or folder; both null when not connected. */
    driver: PrinterConnection['driver'] | null;
    target: string | null;
  };
  work_calendar: { date: string; kind: HolidayKind; name_id: string; name_en: string; set_by: string; set_at: string };
  print_priority_policies: { id: Generated<number>; policy: string; set_by: string; set_at: string };
};

const plan = (db: OfficeDbOrTx): Kysely<OfficeDb & PrintPlanTables> => (db as Kysely<OfficeDb>).withTables<PrintPlanTables>();

export interface PrinterRow {
  id: string;
  siteId: string;
  name: string;
  capacityPerDay: number;
  state: PrinterState;
  ribbonLeft: number;
  filmLeft: number;
  printsPerRibbon: number;
  printsPerFilm: number;
  updatedAt: string;
  /** How the office reaches it (migration 0008); null: not connected, nothing is sent to it. */
  connection: PrinterConnection | null;
}

/** A printer as saved: its connection left out keeps the stored one. */
export type PrinterInput = Omit<PrinterRow, 'connection'> & { connection?: PrinterConnection | null };

const connectionOf = (driver: string | null, target: string | null): PrinterConnection | null =>
  (driver === 'cups' || driver === 'folder') && target ? { driver, target } : null;

export async function upsertPrinter(db: OfficeDbOrTx, p: PrinterInput): Promise<void> {
  const row = {
    id: p.id,
    site_id: p.siteId,
    name: p.name,
    capacity_per_day: p.capacityPerDay,
    state: p.state,
    ribbon_left: p.ribbonLeft,
    film_left: p.filmLeft,
    prints_per_ribbon: p.printsPerRibbon,
    prints_per_film: p.printsPerFilm,
    updated_at: p.updatedAt,
    ...(p.connection === undefined ? {} : { driver: p.connection?.driver ?? null, target: p.connection?.target ?? null }),
  };
  await plan(db)
    .insertInto('printers')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({ ...row, id: undefined }))
    .execute();
}

export async function listPrinters(db: OfficeDbOrTx, siteId?: string): Promise<PrinterRow[]> {
  let query = plan(db).selectFrom('printers').selectAll().orderBy('id');
  if (siteId) query = query.where('site_id', '=', siteId);
  return (await query.execute()).map((r) => ({
    id: r.id,
    siteId: r.site_id,
    name: r.name,
    capacityPerDay: Number(r.capacity_per_day),
    state: r.state,
    ribbonLeft: Number(r.ribbon_left),
    filmLeft: Number(r.film_left),
    printsPerRibbon: Number(r.prints_per_ribbon),
    printsPerFilm: Number(r.prints_per_film),
    updatedAt: r.updated_at,
    connection: connectionOf(r.driver, r.target),
  }));
}

/** What the forecast needs of a printer: the lower of ribbon and film decides how many prints are left. */
export function plannedPrinter(p: PrinterRow): PlannedPrinter {
  return { id: p.id, siteId: p.siteId, capacityPerDay: p.capacityPerDay, state: p.state, printsLeft: Math.min(p.ribbonLeft, p.filmLeft), printsPerSet: Math.min(p.printsPerRibbon, p.printsPerFilm) };
}

/** Below a tenth of a set left (kept in whole numbers: left × 10 < per set), a ready printer reads "consumables low". */
const LOW_TENTHS = 10;

/**
 * Runs consumables down by `prints` in one statement that refuses to go below zero (false: the printer
 * has not that many prints left, or is in repair), and sets "consumables low" when a set nears its end.
 */
export async function usePrinter(db: OfficeDbOrTx, printerId: string, prints: number, at: string): Promise<boolean> {
  const result = await plan(db)
    .updateTable('printers')
    .set((eb) => ({ ribbon_left: eb('ribbon_left', '-', prints), film_left: eb('film_left', '-', prints), updated_at: at }))
    .where('id', '=', printerId)
    .where('state', '!=', 'in_repair')
    .where('ribbon_left', '>=', prints)
    .where('film_left', '>=', prints)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return false;
  await plan(db)
    .updateTable('printers')
    .set({ state: 'consumables_low' })
    .where('id', '=', printerId)
    .where('state', '=', 'ready')
    .where((eb) => eb.or([eb(eb('ribbon_left', '*', LOW_TENTHS), '<', eb.ref('prints_per_ribbon')), eb(eb('film_left', '*', LOW_TENTHS), '<', eb.ref('prints_per_film'))]))
    .execute();
  return true;
}

export async function setHoliday(db: OfficeDbOrTx, holiday: Holiday, by: string, at: string): Promise<void> {
  const row = { date: holiday.date, kind: holiday.kind, name_id: holiday.name.id, name_en: holiday.name.en, set_by: by, set_at: at };
  await plan(db)
    .insertInto('work_calendar')
    .values(row)
    .onConflict((oc) => oc.column('date').doUpdateSet({ kind: row.kind, name_id: row.name_id, name_en: row.name_en, set_by: by, set_at: at }))
    .execute();
}

export async function removeHoliday(db: OfficeDbOrTx, date: string): Promise<boolean> {
  const result = await plan(db).deleteFrom('work_calendar').where('date', '=', date).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Holidays between two dates inclusive ('YYYY-MM-DD' compares as text). */
export async function listHolidays(db: OfficeDbOrTx, from: string, to: string): Promise<Holiday[]> {
  const rows = await plan(db).selectFrom('work_calendar').selectAll().where('date', '>=', from).where('date', '<=', to).orderBy('date').execute();
  return rows.map((r) => ({ date: r.date, kind: r.kind, name: { id: r.name_id, en: r.name_en } }));
}

export async function savePriorityPolicy(db: OfficeDbOrTx, policy: PrintPriorityPolicy, by: string, at: string): Promise<void> {
  await plan(db)
    .insertInto('print_priority_policies')
    .values({ policy: JSON.stringify(printPriorityPolicySchema.parse(policy)), set_by: by, set_at: at })
    .execute();
}

/** The newest policy, or DOMAIN.md's default when an admin has set none. */
export async function currentPriorityPolicy(db: OfficeDbOrTx): Promise<PrintPriorityPolicy & { setBy: string | null; setAt: string | null }> {
  const row = await plan(db).selectFrom('print_priority_policies').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!row) return { ...DEFAULT_PRINT_PRIORITY_POLICY, setBy: null, setAt: null };
  return { ...printPriorityPolicySchema.parse(JSON.parse(row.policy)), setBy: row.set_by, setAt: row.set_at };
}

/** A record waiting for its card, with what the priority policy reads of it. */
export interface WaitingRow {
  id: string;
  /** The site where the record was made. */
  siteId: string;
  villageCode: string;
  birthDate: string;
  printReadyAt: string;
  /** The first Suket issued for the record, if any. */
  suketIssuedAt: string | null;
}

/** Every Print Ready Record not yet printed, with its first Suket, in one query. */
export async function waitingForPrint(db: OfficeDbOrTx): Promise<WaitingRow[]> {
  const rows = await withSuketTables(db)
    .selectFrom('records')
    .leftJoin('sukets', 'sukets.record_id', 'records.id')
    .select(['records.id', 'records.site_id', 'records.village_code', 'records.birth_date', 'records.status_at', (eb) => eb.fn.min('sukets.issued_at').as('suket_at')])
    .where('records.status', '=', 'PRINT_READY_RECORD')
    .groupBy(['records.id', 'records.site_id', 'records.village_code', 'records.birth_date', 'records.status_at'])
    .execute();
  return rows.map((r) => ({ id: r.id, siteId: r.site_id, villageCode: r.village_code, birthDate: r.birth_date, printReadyAt: r.status_at, suketIssuedAt: r.suket_at ?? null }));
}
