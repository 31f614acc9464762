import type { OfficeDb, OfficeDbOrTx } from '../db/schema.ts';
import { recordVisible, type Visibility } from './visibility.ts';

export interface RecordSummary {
  id: string;
  registrationNumber: string;
  nik: string;
  fullName: string;
  status: string;
  recordedAt: string;
  updatedAt: string;
  siteName: string;
}

function summaryQuery(db: OfficeDbOrTx) {
  return db
    .selectFrom('records')
    .innerJoin('sites', 'sites.id', 'records.site_id')
    .select(['records.id', 'records.registration_number', 'records.nik', 'records.full_name', 'records.status', 'records.recorded_at', 'records.status_at', 'sites.name as site_name']);
}

type SummaryRow = { id: string; registration_number: string; nik: string; full_name: string; status: string; recorded_at: string; status_at: string; site_name: string };

export const toSummary = (r: SummaryRow): RecordSummary => ({
  id: r.id,
  registrationNumber: r.registration_number,
  nik: r.nik,
  fullName: r.full_name,
  status: r.status,
  recordedAt: r.recorded_at,
  updatedAt: r.status_at,
  siteName: r.site_name,
});

/** `visibility`, when given, hides what that person may not see (repositories/visibility.ts). */
export async function findSummary(db: OfficeDbOrTx, id: string, visibility: Visibility = { scope: 'all' }): Promise<RecordSummary | undefined> {
  const row = await summaryQuery(db).where('records.id', '=', id).where((eb) => recordVisible(eb, visibility)).executeTakeFirst();
  return row && toSummary(row);
}

export async function searchRecords(db: OfficeDbOrTx, filter: { q?: string; status?: string; limit: number }, visibility: Visibility = { scope: 'all' }): Promise<RecordSummary[]> {
  let query = summaryQuery(db).orderBy('records.recorded_at', 'desc').orderBy('records.id').limit(filter.limit);
  if (visibility.scope !== 'all') query = query.where((eb) => recordVisible(eb, visibility));
  if (filter.status) query = query.where('records.status', '=', filter.status);
  const q = filter.q?.trim();
  if (q) {
    query = /^\d{16}$/.test(q)
      ? query.where('records.nik', '=', q)
      : query.where((eb) => eb.or([eb('records.registration_number', '=', q), eb('records.full_name', 'like', `%${q.replace(/[%_]/g, '')}%`)]));
  }
  return (await query.execute()).map(toSummary);
}

export async function countRecordsByStatus(db: OfficeDbOrTx): Promise<Record<string, number>> {
  const rows = await db.selectFrom('records').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export function findRecordRow(db: OfficeDbOrTx, id: string, visibility: Visibility = { scope: 'all' }) {
  return db.selectFrom('records').selectAll().where('id', '=', id).where((eb) => recordVisible(eb, visibility)).executeTakeFirst();
}

/** Just who a record is about (no photo or biodata), when `visibility` may see it. */
export function findRecordRef(db: OfficeDbOrTx, id: string, visibility: Visibility) {
  return db.selectFrom('records').select(['id', 'nik']).where('id', '=', id).where((eb) => recordVisible(eb, visibility)).executeTakeFirst();
}

export function timelineOf(db: OfficeDbOrTx, recordId: string) {
  return db.selectFrom('status_events').select(['status', 'at', 'source', 'note']).where('record_id', '=', recordId).orderBy('id').execute();
}

/** Statuses in which a NIK may be recorded again (the earlier attempt did not lead to a card). */
/** What issuing a Suket needs of a record: who it is about and where it stands (no photo). */
export function findRecordForSuket(db: OfficeDbOrTx, id: string) {
  return db.selectFrom('records').select(['id', 'nik', 'status', 'biodata']).where('id', '=', id).executeTakeFirst();
}

export const RERECORDABLE = ['DUPLICATE_RECORD', 'ENROLL_FAILURE_AT_REGIONAL', 'ENROLL_FAILURE_AT_CENTRAL'];

export function activeRecordForNik(db: OfficeDbOrTx, nik: string) {
  return db
    .selectFrom('records')
    .select(['id', 'registration_number', 'status'])
    .where('nik', '=', nik)
    .where('status', 'not in', RERECORDABLE)
    .executeTakeFirst();
}

/** The record an earlier attempt of the same form submission made, if any. */
export async function recordIdForClientRequest(db: OfficeDbOrTx, clientRequestId: string): Promise<string | undefined> {
  return (await db.selectFrom('records').select('id').where('client_request_id', '=', clientRequestId).executeTakeFirst())?.id;
}

export async function insertRecord(db: OfficeDbOrTx, row: OfficeDb['records']): Promise<void> {
  await db.insertInto('records').values(row).execute();
}

export type NewStatusEvent = Omit<OfficeDb['status_events'], 'id'>;

/** Appends to the records' timelines. */
/** Rows per INSERT: 5 parameters a row, well under SQLite's and PostgreSQL's bound-parameter limits. */
const EVENTS_PER_INSERT = 1000;

export async function appendStatusEvents(db: OfficeDbOrTx, events: NewStatusEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += EVENTS_PER_INSERT) await db.insertInto('status_events').values(events.slice(i, i + EVENTS_PER_INSERT)).execute();
}

export async function setRecordsStatus(db: OfficeDbOrTx, ids: string[], status: string, at: string): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('records').set({ status, status_at: at }).where('id', 'in', ids).execute();
}

/**
 * Which of these ids are records this office holds (in `status`, when given). The status is compared here,
 * not in SQL: with `status = ?` in the query SQLite searched the records_status index and walked every
 * record in that status (all of a 70,000 backlog still BIO_CAPTURED) instead of looking up the ids — half
 * the office's time in the drain, growing with the backlog.
 */
export async function existingRecordIds(db: OfficeDbOrTx, ids: string[], status?: string): Promise<Set<string>> {
  const statuses = await recordStatuses(db, ids);
  return new Set([...statuses].filter(([, s]) => status === undefined || s === status).map(([id]) => id));
}

/** The status of each of these ids that is a record this office holds (by primary key, as existingRecordIds). */
export async function recordStatuses(db: OfficeDbOrTx, ids: string[]): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 1000) {
    for (const r of await db.selectFrom('records').select(['id', 'status']).where('id', 'in', ids.slice(i, i + 1000)).execute()) statuses.set(r.id, r.status);
  }
  return statuses;
}

export async function countRecords(db: OfficeDbOrTx): Promise<number> {
  return Number((await db.selectFrom('records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}
