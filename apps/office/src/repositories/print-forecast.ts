import { sql, type Kysely } from 'kysely';
import type { OfficeDb, OfficeDbOrTx } from '../db/schema.ts';
import { withSuketTables } from '../db/migrations-suket.ts';
import type { BlankStockTables } from './blank-stock.ts';
import type { PrintPlanTables } from './print-plan.ts';

type Tables = OfficeDb & BlankStockTables & PrintPlanTables;
const all = (db: OfficeDbOrTx): Kysely<Tables> => (db as Kysely<OfficeDb>).withTables<BlankStockTables & PrintPlanTables>();

/**
 * A mark of everything the print plan reads, from indexed aggregates (a few milliseconds on 100,000
 * records): statuses (events and the count of Print Ready Records), the ledger, printers, policy, holiday
 * calendar and Sukets. Equal marks mean the plan computed before is still the plan.
 */
export async function printPlanMark(db: OfficeDbOrTx): Promise<string> {
  const t = all(db);
  const [events, ready, ledger, printers, policy, calendar, sukets] = await Promise.all([
    t.selectFrom('status_events').select((eb) => eb.fn.max('id').as('v')).executeTakeFirst(),
    t.selectFrom('records').select((eb) => eb.fn.countAll<string | number>().as('v')).where('status', '=', 'PRINT_READY_RECORD').executeTakeFirst(),
    t.selectFrom('blank_ledger').select((eb) => eb.fn.max('id').as('v')).executeTakeFirst(),
    t.selectFrom('printers').select((eb) => [eb.fn.countAll<string | number>().as('n'), eb.fn.max('updated_at').as('v')]).executeTakeFirst(),
    t.selectFrom('print_priority_policies').select((eb) => eb.fn.max('id').as('v')).executeTakeFirst(),
    t.selectFrom('work_calendar').select((eb) => [eb.fn.countAll<string | number>().as('n'), eb.fn.max('set_at').as('v')]).executeTakeFirst(),
    withSuketTables(db).selectFrom('sukets').select((eb) => [eb.fn.countAll<string | number>().as('n'), eb.fn.max('issued_at').as('v')]).executeTakeFirst(),
  ]);
  return [events?.v, ready?.v, ledger?.v, printers?.n, printers?.v, policy?.v, calendar?.n, calendar?.v, sukets?.n, sukets?.v].map((v) => String(v ?? '')).join('|');
}

/** The ledger's total before an instant, and its rows from then on (instant and change), for stock per day. */
export async function ledgerSince(db: OfficeDbOrTx, from: string): Promise<{ before: number; rows: { at: string; quantity: number }[] }> {
  const t = all(db);
  const before = await t.selectFrom('blank_ledger').select(sql<string | number | null>`sum(quantity)`.as('v')).where('at', '<', from).executeTakeFirst();
  const rows = await t.selectFrom('blank_ledger').select(['at', 'quantity']).where('at', '>=', from).orderBy('at').execute();
  return { before: Number(before?.v ?? 0), rows: rows.map((r) => ({ at: r.at, quantity: Number(r.quantity) })) };
}

const kecamatanOf = (villageCode: string) => villageCode.slice(0, 8);

/**
 * The print-ready events and the events that end a wait (`ending`) of every record that was ever print-ready
 * (of one kecamatan, when given), in order per record: enough to say on which days each record was waiting.
 * A record marked print-ready without an event (data of an older release) is given one at its status time.
 */
export async function printReadyTimelines(db: OfficeDbOrTx, ending: readonly string[], kecamatan?: string): Promise<{ recordId: string; status: string; at: string }[]> {
  let everReady = db
    .selectFrom('status_events')
    .innerJoin('records', 'records.id', 'status_events.record_id')
    .select(['status_events.record_id as recordId', 'status_events.status', 'status_events.at', 'status_events.id'])
    .where('status_events.status', 'in', ['PRINT_READY_RECORD', ...ending])
    .where('status_events.record_id', 'in', (eb) => eb.selectFrom('status_events').select('record_id').where('status', '=', 'PRINT_READY_RECORD'));
  if (kecamatan) everReady = everReady.where('records.village_code', 'like', `${kecamatan}.%`);
  // In the order the office learned them (its own ids): the order its current status was set in.
  const events = await everReady.orderBy('status_events.record_id').orderBy('status_events.id').execute();
  let bare = db
    .selectFrom('records')
    .select(['id', 'status_at'])
    .where('status', '=', 'PRINT_READY_RECORD')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('status_events').select('status_events.id').whereRef('status_events.record_id', '=', 'records.id').where('status_events.status', '=', 'PRINT_READY_RECORD'))));
  if (kecamatan) bare = bare.where('village_code', 'like', `${kecamatan}.%`);
  const extra = (await bare.execute()).map((r) => ({ recordId: r.id, status: 'PRINT_READY_RECORD', at: r.status_at }));
  return [...events.map((e) => ({ recordId: e.recordId, status: e.status, at: e.at })), ...extra];
}

/** Records recorded, and events of the card's stages, from an instant on (of one kecamatan, when given). */
export async function funnelEventsSince(db: OfficeDbOrTx, from: string, statuses: readonly string[], kecamatan?: string): Promise<{ status: string; at: string }[]> {
  let recorded = db.selectFrom('records').select(['recorded_at as at']).where('recorded_at', '>=', from);
  if (kecamatan) recorded = recorded.where('village_code', 'like', `${kecamatan}.%`);
  let events = db
    .selectFrom('status_events')
    .innerJoin('records', 'records.id', 'status_events.record_id')
    .select(['status_events.status', 'status_events.at'])
    .where('status_events.at', '>=', from)
    .where('status_events.status', 'in', [...statuses]);
  if (kecamatan) events = events.where('records.village_code', 'like', `${kecamatan}.%`);
  const [r, e] = await Promise.all([recorded.execute(), events.execute()]);
  return [...r.map((x) => ({ status: 'RECORDED', at: x.at })), ...e];
}

/** Records per kecamatan of residence and current status. */
export async function countsByKecamatanAndStatus(db: OfficeDbOrTx): Promise<{ kecamatan: string; status: string; count: number }[]> {
  const kec = sql<string>`substr(village_code, 1, 8)`;
  const rows = await db.selectFrom('records').select([kec.as('kecamatan'), 'status', (eb) => eb.fn.countAll<string | number>().as('n')]).groupBy([kec, 'status']).execute();
  return rows.map((r) => ({ kecamatan: kecamatanOf(r.kecamatan), status: r.status, count: Number(r.n) }));
}
