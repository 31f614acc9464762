import type { Kysely } from 'kysely';
import type { OfficeDb, OfficeDbOrTx } from '../db/schema.ts';
import { withSuketTables } from '../db/migrations-suket.ts';
import { docs } from './documents.ts';
import { tablesOf } from './citizen-check.ts';

/**
 * What the office did in a window [from, to] (ISO UTC strings, compared as text), for the reconciliation
 * report after an outage (services/reconciliation.ts). Each list is bounded: a window of a month at a
 * busy office stays a report, not a dump.
 */
export const RECONCILIATION_ROWS_MAX = 20_000;

/** Recordings made in the window, each with the outbox seq that carries it to the centre. */
export function recordingsInWindow(db: OfficeDbOrTx, from: string, to: string) {
  return db
    .selectFrom('records')
    .innerJoin('sites', 'sites.id', 'records.site_id')
    .leftJoin('outbox', (join) => join.onRef('outbox.record_id', '=', 'records.id').on('outbox.kind', '=', 'recording.created'))
    .select(['records.id', 'records.registration_number', 'records.recorded_at', 'records.status', 'sites.name as site_name', 'outbox.seq'])
    .where('records.recorded_at', '>=', from)
    .where('records.recorded_at', '<=', to)
    .orderBy('records.recorded_at')
    .orderBy('records.id')
    .limit(RECONCILIATION_ROWS_MAX)
    .execute();
}

/** Sukets issued in the window, each with the seq of its `suket.issued` outbox entry. */
export function suketsInWindow(db: OfficeDbOrTx, from: string, to: string) {
  return withSuketTables(db)
    .selectFrom('sukets')
    .leftJoin('outbox', (join) => join.onRef('outbox.subject_id', '=', 'sukets.serial').on('outbox.kind', '=', 'suket.issued'))
    .select(['sukets.serial', 'sukets.record_id', 'sukets.issued_at', 'sukets.issued_by', 'sukets.status', 'outbox.seq'])
    .where('sukets.issued_at', '>=', from)
    .where('sukets.issued_at', '<=', to)
    .orderBy('sukets.issued_at')
    .limit(RECONCILIATION_ROWS_MAX)
    .execute();
}

/** Documents that waited for a signature at some time in the window: made before its end, not signed before its start. */
export function documentsWaitingInWindow(db: OfficeDbOrTx, from: string, to: string) {
  return docs(db)
    .selectFrom('documents')
    .select(['id', 'serial', 'type', 'created_at', 'status', 'signature_kind', 'signed_at'])
    .where('created_at', '<=', to)
    .where((eb) => eb.or([eb('signed_at', '>=', from), eb.and([eb('signed_at', 'is', null), eb('status', '=', 'AWAITING_SIGNATURE')])]))
    .orderBy('created_at')
    .limit(RECONCILIATION_ROWS_MAX)
    .execute();
}

/** Print-ready records that were waiting for a card during the window: ready before its end, not printed before its start. */
export function printsWaitingInWindow(db: OfficeDbOrTx, from: string, to: string) {
  return db
    .selectFrom('records')
    .innerJoin(
      (eb) => eb.selectFrom('status_events').select(['record_id', (e) => e.fn.min('at').as('ready_at')]).where('status', '=', 'PRINT_READY_RECORD').groupBy('record_id').as('ready'),
      (join) => join.onRef('ready.record_id', '=', 'records.id'),
    )
    .leftJoin(
      (eb) => eb.selectFrom('status_events').select(['record_id', (e) => e.fn.min('at').as('printed_at')]).where('status', '=', 'CARD_PRINTED').groupBy('record_id').as('printed'),
      (join) => join.onRef('printed.record_id', '=', 'records.id'),
    )
    .select(['records.id', 'records.registration_number', 'records.status', 'ready.ready_at', 'printed.printed_at'])
    .where('ready.ready_at', '<=', to)
    .where((eb) => eb.or([eb('printed.printed_at', 'is', null), eb('printed.printed_at', '>=', from)]))
    .orderBy('ready.ready_at')
    .limit(RECONCILIATION_ROWS_MAX)
    .execute();
}

/** The office's own events (not recordings) queued in the window: what the centre should have logged. */
export function officeEventsInWindow(db: OfficeDbOrTx, from: string, to: string) {
  return db
    .selectFrom('outbox')
    .select(['seq', 'kind', 'subject_id', 'created_at'])
    .where('kind', '!=', 'recording.created')
    .where('created_at', '>=', from)
    .where('created_at', '<=', to)
    .orderBy('seq')
    .limit(RECONCILIATION_ROWS_MAX)
    .execute();
}

/** Outbox entries under these seqs (to tell the centre's events the office has no trace of). */
export async function outboxEntriesBySeq(db: OfficeDbOrTx, seqs: number[]): Promise<Map<number, { kind: string; subjectId: string | null }>> {
  const found = new Map<number, { kind: string; subjectId: string | null }>();
  for (let i = 0; i < seqs.length; i += 500) {
    const rows = await db.selectFrom('outbox').select(['seq', 'kind', 'subject_id']).where('seq', 'in', seqs.slice(i, i + 500)).execute();
    for (const r of rows) found.set(Number(r.seq), { kind: r.kind, subjectId: r.subject_id });
  }
  return found;
}

/** Which of these record ids the office holds at all (recorded in any window). */
export async function heldRecordIds(db: OfficeDbOrTx, ids: string[]): Promise<Set<string>> {
  const held = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.selectFrom('records').select('id').where('id', 'in', ids.slice(i, i + 500)).execute();
    for (const r of rows) held.add(r.id);
  }
  return held;
}

type PrintJobs = { print_jobs: { id: string; record_id: string | null; site_id: string; state: string; created_at: string; printed_at: string | null; problem: string | null } };

/** Print jobs (migration 0009) open at some time in the window: made before its end, not printed (or ended) before its start. */
export function printJobsInWindow(db: OfficeDbOrTx, from: string, to: string) {
  return (db as Kysely<OfficeDb>)
    .withTables<PrintJobs>()
    .selectFrom('print_jobs')
    .leftJoin('records', 'records.id', 'print_jobs.record_id')
    .select(['print_jobs.id', 'print_jobs.record_id', 'records.registration_number', 'print_jobs.site_id', 'print_jobs.state', 'print_jobs.created_at', 'print_jobs.printed_at', 'print_jobs.problem'])
    .where('print_jobs.created_at', '<=', to)
    .where((eb) => eb.or([eb('print_jobs.printed_at', 'is', null), eb('print_jobs.printed_at', '>=', from)]))
    .where('print_jobs.state', '!=', 'cancelled')
    .orderBy('print_jobs.created_at')
    .limit(RECONCILIATION_ROWS_MAX)
    .execute();
}

type NotifyOutbox = { notify_outbox: { status: string; created_at: string; cause: string | null } };

/** Messages queued for one cause (e.g. `incident:<id>`), by delivery status; undefined without a notifications log. */
export async function notificationsForCause(db: Kysely<OfficeDb>, cause: string): Promise<Map<string, number> | undefined> {
  if (!(await tablesOf(db)).has('notify_outbox')) return undefined;
  const rows = await db
    .withTables<NotifyOutbox>()
    .selectFrom('notify_outbox')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('cause', '=', cause)
    .groupBy('status')
    .execute();
  return new Map(rows.map((r) => [r.status, Number(r.n)]));
}

/** Messages queued to people in the window, by delivery status; undefined when this office keeps no notifications log. */
export async function notificationsInWindow(db: Kysely<OfficeDb>, from: string, to: string): Promise<Map<string, number> | undefined> {
  if (!(await tablesOf(db)).has('notify_outbox')) return undefined;
  const rows = await db
    .withTables<NotifyOutbox>()
    .selectFrom('notify_outbox')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('created_at', '>=', from)
    .where('created_at', '<=', to)
    .groupBy('status')
    .execute();
  return new Map(rows.map((r) => [r.status, Number(r.n)]));
}

export { findIncident, incidentsBetween, type IncidentRow } from './service-status.ts';
