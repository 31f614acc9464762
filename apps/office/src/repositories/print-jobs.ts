import { sql, type Kysely } from 'kysely';
import type { OfficeDb, OfficeDbOrTx } from '../db/schema.ts';
import { PRINT_JOB_SEQ_COUNTER } from '../db/migrations/0009_print_jobs.ts';
import { printPackageDb } from '../db/print-package-tables.ts';

export type PrintJobState = 'waiting_package' | 'queued' | 'printing' | 'uncertain' | 'printed' | 'spoiled' | 'failed' | 'cancelled';
export type PrintBatchState = 'scheduled' | 'running' | 'paused' | 'cancelled' | 'done';
/** A job not yet finished: it holds its card's active_key. */
export const UNFINISHED: PrintJobState[] = ['waiting_package', 'queued', 'printing', 'uncertain'];

/** The print job tables (migration 0009). */
export type PrintJobTables = {
  print_batches: {
    id: string;
    site_id: string;
    printer_id: string | null;
    state: PrintBatchState;
    start_at: string | null;
    total: number;
    note: string | null;
    created_by: string;
    created_at: string;
    updated_at: string;
  };
  print_jobs: {
    id: string;
    seq: number;
    card: 'FIRST' | 'REPLACEMENT';
    record_id: string | null;
    request_id: string | null;
    package_id: string | null;
    batch_id: string | null;
    site_id: string;
    printer_id: string | null;
    state: PrintJobState;
    active_key: string | null;
    blank_serial: number | null;
    print_day: string | null;
    claimed_at: string | null;
    claimed_by: string | null;
    submitting_at: string | null;
    external_job_id: string | null;
    printed_at: string | null;
    problem: string | null;
    spoilage_reason: string | null;
    spoiled_by: string | null;
    spoiled_at: string | null;
    reprint_of: string | null;
    created_by: string;
    created_at: string;
    updated_at: string;
  };
};

export type PrintJobRow = PrintJobTables['print_jobs'];
export type PrintBatchRow = PrintJobTables['print_batches'];

const jobsDb = (db: OfficeDbOrTx): Kysely<OfficeDb & PrintJobTables> => (db as Kysely<OfficeDb>).withTables<PrintJobTables>();

const normalJob = (r: PrintJobRow): PrintJobRow => ({ ...r, seq: Number(r.seq), blank_serial: r.blank_serial === null ? null : Number(r.blank_serial) });
const normalBatch = (r: PrintBatchRow): PrintBatchRow => ({ ...r, total: Number(r.total) });

/**
 * Takes the print room's write lock for the rest of the caller's transaction (the job counter's row), as its
 * first statement: on PostgreSQL two transactions making or changing jobs take turns, so the second sees what
 * the first committed (one unfinished job per card, never a unique-key error); on SQLite the transaction
 * writes from its first statement, so it never has to upgrade a read it began before another writer.
 */
export async function lockPrintJobs(trx: OfficeDbOrTx): Promise<void> {
  const row = await trx
    .updateTable('counters')
    .set((eb) => ({ value: eb.ref('value') }))
    .where('name', '=', PRINT_JOB_SEQ_COUNTER)
    .returning('value')
    .executeTakeFirst();
  if (!row) throw new Error(`counters row ${PRINT_JOB_SEQ_COUNTER} is missing: the office database is not migrated`);
}

/** The next job seq, under the counter row's lock until the caller's transaction ends (as the outbox's). */
export async function takePrintJobSeq(trx: OfficeDbOrTx): Promise<number> {
  const row = await trx
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', PRINT_JOB_SEQ_COUNTER)
    .returning('value')
    .executeTakeFirst();
  if (!row) throw new Error(`counters row ${PRINT_JOB_SEQ_COUNTER} is missing: the office database is not migrated`);
  return Number(row.value);
}

export async function insertPrintJob(trx: OfficeDbOrTx, row: PrintJobRow): Promise<void> {
  await jobsDb(trx).insertInto('print_jobs').values(row).execute();
}

export async function findPrintJob(db: OfficeDbOrTx, id: string): Promise<PrintJobRow | undefined> {
  const row = await jobsDb(db).selectFrom('print_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return row && normalJob(row);
}

/** The unfinished job holding this card's key (F:<record> or R:<request>), if any. */
export async function unfinishedJobFor(db: OfficeDbOrTx, activeKey: string): Promise<PrintJobRow | undefined> {
  const row = await jobsDb(db).selectFrom('print_jobs').selectAll().where('active_key', '=', activeKey).executeTakeFirst();
  return row && normalJob(row);
}

/**
 * Moves a job on only if it is still in one of `from` (compare-and-set): of two workers that read the same
 * queued job, one takes it. Returns whether this caller moved it.
 */
export async function moveJob(db: OfficeDbOrTx, id: string, from: PrintJobState[], set: Partial<Omit<PrintJobRow, 'id' | 'seq'>>): Promise<boolean> {
  const result = await jobsDb(db).updateTable('print_jobs').set(set).where('id', '=', id).where('state', 'in', from).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Sets fields of a job in a given state without moving it (a problem met, the printer's job id). */
export async function updateJobIn(db: OfficeDbOrTx, id: string, state: PrintJobState, set: Partial<Omit<PrintJobRow, 'id' | 'seq' | 'state'>>): Promise<boolean> {
  const result = await jobsDb(db).updateTable('print_jobs').set(set).where('id', '=', id).where('state', '=', state).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface JobFilter {
  states?: PrintJobState[];
  batchId?: string;
  recordId?: string;
  siteId?: string;
  limit: number;
}

const jobsWithResident = (db: OfficeDbOrTx) =>
  jobsDb(db)
    .selectFrom('print_jobs')
    .leftJoin('records', 'records.id', 'print_jobs.record_id')
    .selectAll('print_jobs')
    .select(['records.full_name', 'records.nik', 'records.status as record_status']);

type ResidentFields = { full_name: string | null; nik: string | null; record_status: string | null };
const withResident = (r: PrintJobRow & { [K in keyof ResidentFields]?: string | null }): PrintJobRow & ResidentFields => ({
  ...normalJob(r),
  full_name: r.full_name ?? null,
  nik: r.nik ?? null,
  record_status: r.record_status ?? null,
});

/** Jobs with what the screen shows of the resident (name and NIK when the record is held here), newest first. */
export async function listPrintJobs(db: OfficeDbOrTx, filter: JobFilter) {
  let query = jobsWithResident(db).orderBy('print_jobs.seq', 'desc').limit(filter.limit);
  if (filter.states?.length) query = query.where('print_jobs.state', 'in', filter.states);
  if (filter.batchId) query = query.where('print_jobs.batch_id', '=', filter.batchId);
  if (filter.recordId) query = query.where('print_jobs.record_id', '=', filter.recordId);
  if (filter.siteId) query = query.where('print_jobs.site_id', '=', filter.siteId);
  return (await query.execute()).map(withResident);
}

/** One job with the resident's name and NIK. */
export async function findPrintJobWithResident(db: OfficeDbOrTx, id: string) {
  const row = await jobsWithResident(db).where('print_jobs.id', '=', id).executeTakeFirst();
  return row && withResident(row);
}
export type PrintJobListRow = Awaited<ReturnType<typeof listPrintJobs>>[number];

/** Jobs in a state, oldest first (the worker's to-do lists). */
export async function jobsInState(db: OfficeDbOrTx, state: PrintJobState, limit: number, printerIds?: string[]): Promise<PrintJobRow[]> {
  let query = jobsDb(db).selectFrom('print_jobs').selectAll().where('state', '=', state).orderBy('seq').limit(limit);
  if (printerIds) query = query.where('printer_id', 'in', printerIds.length ? printerIds : ['']);
  return (await query.execute()).map(normalJob);
}

/**
 * The next queued jobs a printer may take, in order: of its site, for it or for any printer of the site,
 * and either outside a batch or in a running one (a scheduled batch waits for its start, a paused one waits).
 */
export async function nextQueuedJobs(db: OfficeDbOrTx, printer: { id: string; siteId: string }, limit: number): Promise<PrintJobRow[]> {
  const rows = await jobsDb(db)
    .selectFrom('print_jobs')
    .leftJoin('print_batches', 'print_batches.id', 'print_jobs.batch_id')
    .selectAll('print_jobs')
    .where('print_jobs.state', '=', 'queued')
    .where('print_jobs.site_id', '=', printer.siteId)
    .where((eb) => eb.or([eb('print_jobs.printer_id', 'is', null), eb('print_jobs.printer_id', '=', printer.id)]))
    .where((eb) => eb.or([eb('print_jobs.batch_id', 'is', null), eb('print_batches.state', '=', 'running')]))
    .orderBy('print_jobs.seq')
    .limit(limit)
    .execute();
  return rows.map(normalJob);
}

/** Blanks a printer has taken on an office date: what its capacity per day is measured against. */
export async function cardsOnDay(db: OfficeDbOrTx, printerId: string, day: string): Promise<number> {
  const row = await jobsDb(db)
    .selectFrom('print_jobs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('printer_id', '=', printerId)
    .where('print_day', '=', day)
    .where('blank_serial', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The package that has arrived for a record's first card (READY or REFUSED), if any. */
export async function firstPackageOf(db: OfficeDbOrTx, recordId: string) {
  return printPackageDb(db)
    .selectFrom('print_packages')
    .select(['package_id', 'status', 'reason'])
    .where('record_id', '=', recordId)
    .where('kind', '=', 'FIRST')
    .orderBy('cursor', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The centre's answer to a replacement request, with the package it built. */
export async function replacementAnswerOf(db: OfficeDbOrTx, requestId: string) {
  return printPackageDb(db)
    .selectFrom('card_replacements')
    .leftJoin('print_packages', 'print_packages.request_id', 'card_replacements.request_id')
    .select(['card_replacements.status', 'card_replacements.record_id', 'card_replacements.refusal', 'print_packages.package_id'])
    .where('card_replacements.request_id', '=', requestId)
    .executeTakeFirst();
}

/** Which of these records have a package ready to print (for the screen's "package here" mark). */
export async function recordsWithReadyPackage(db: OfficeDbOrTx, recordIds: string[]): Promise<Set<string>> {
  if (recordIds.length === 0) return new Set();
  const rows = await printPackageDb(db).selectFrom('print_packages').select('record_id').where('record_id', 'in', recordIds).where('status', '=', 'READY').execute();
  return new Set(rows.flatMap((r) => (r.record_id ? [r.record_id] : [])));
}

export async function insertPrintBatch(trx: OfficeDbOrTx, row: PrintBatchRow): Promise<void> {
  await jobsDb(trx).insertInto('print_batches').values(row).execute();
}

export async function findPrintBatch(db: OfficeDbOrTx, id: string): Promise<PrintBatchRow | undefined> {
  const row = await jobsDb(db).selectFrom('print_batches').selectAll().where('id', '=', id).executeTakeFirst();
  return row && normalBatch(row);
}

export async function listPrintBatches(db: OfficeDbOrTx, limit: number): Promise<PrintBatchRow[]> {
  return (await jobsDb(db).selectFrom('print_batches').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(limit).execute()).map(normalBatch);
}

/** Moves a batch only if it is in one of `from`; returns whether it moved. */
export async function moveBatch(db: OfficeDbOrTx, id: string, from: PrintBatchState[], to: PrintBatchState, at: string): Promise<boolean> {
  const result = await jobsDb(db).updateTable('print_batches').set({ state: to, updated_at: at }).where('id', '=', id).where('state', 'in', from).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Scheduled batches whose start has come begin running; returns how many did. */
export async function startDueBatches(db: OfficeDbOrTx, now: string): Promise<number> {
  // Looked for first: the worker asks every pass, and an UPDATE that finds nothing still takes SQLite's write lock.
  const due = await jobsDb(db).selectFrom('print_batches').select('id').where('state', '=', 'scheduled').where('start_at', '<=', now).limit(1).executeTakeFirst();
  if (!due) return 0;
  const result = await jobsDb(db).updateTable('print_batches').set({ state: 'running', updated_at: now }).where('state', '=', 'scheduled').where('start_at', '<=', now).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Running batches with no unfinished job left are done. */
export async function finishDoneBatches(db: OfficeDbOrTx, now: string): Promise<number> {
  const running = await jobsDb(db).selectFrom('print_batches').select('id').where('state', '=', 'running').limit(1).executeTakeFirst();
  if (!running) return 0;
  const result = await jobsDb(db)
    .updateTable('print_batches')
    .set({ state: 'done', updated_at: now })
    .where('state', '=', 'running')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('print_jobs').select(sql`1`.as('one')).whereRef('print_jobs.batch_id', '=', 'print_batches.id').where('print_jobs.state', 'in', UNFINISHED))),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Cancels a batch's jobs that have not started; those printing finish. Returns how many were cancelled. */
export async function cancelWaitingJobsOfBatch(trx: OfficeDbOrTx, batchId: string, at: string): Promise<number> {
  const result = await jobsDb(trx)
    .updateTable('print_jobs')
    .set({ state: 'cancelled', active_key: null, updated_at: at })
    .where('batch_id', '=', batchId)
    .where('state', 'in', ['waiting_package', 'queued'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Per batch: how many of its jobs are in each state. */
export async function batchJobCounts(db: OfficeDbOrTx, batchIds: string[]): Promise<Map<string, Map<PrintJobState, number>>> {
  const out = new Map<string, Map<PrintJobState, number>>();
  if (batchIds.length === 0) return out;
  const rows = await jobsDb(db)
    .selectFrom('print_jobs')
    .select(['batch_id', 'state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('batch_id', 'in', batchIds)
    .groupBy(['batch_id', 'state'])
    .execute();
  for (const r of rows) {
    if (!r.batch_id) continue;
    const counts = out.get(r.batch_id) ?? new Map<PrintJobState, number>();
    counts.set(r.state, Number(r.n));
    out.set(r.batch_id, counts);
  }
  return out;
}

/** The record's status and site, for queueing checks. */
export function recordForPrint(db: OfficeDbOrTx, recordId: string) {
  return db.selectFrom('records').select(['id', 'status', 'site_id']).where('id', '=', recordId).executeTakeFirst();
}

/** Names and NIKs of records held here, for the print room's list. */
export async function residentsOf(db: OfficeDbOrTx, recordIds: string[]): Promise<Map<string, { name: string; nik: string }>> {
  if (recordIds.length === 0) return new Map();
  const rows = await db.selectFrom('records').select(['id', 'full_name', 'nik']).where('id', 'in', recordIds).execute();
  return new Map(rows.map((r) => [r.id, { name: r.full_name, nik: r.nik }]));
}

/**
 * Records sent for printing whose job ended without a card (cancelled, or failed): they left the print
 * plan's queue (which holds Print Ready Records) but still wait for their card, so the print room lists them.
 */
export async function recordsToRequeue(db: OfficeDbOrTx, limit: number): Promise<{ id: string; name: string; nik: string; statusAt: string }[]> {
  const rows = await jobsDb(db)
    .selectFrom('records')
    .select(['records.id', 'records.full_name', 'records.nik', 'records.status_at'])
    .where('records.status', '=', 'SENT_FOR_CARD_PRINTING')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('print_jobs').select(sql`1`.as('one')).whereRef('print_jobs.record_id', '=', 'records.id').where('print_jobs.active_key', 'is not', null))),
    )
    .orderBy('records.status_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.full_name, nik: r.nik, statusAt: r.status_at }));
}
