import type { Kysely } from 'kysely';
import type { DialectName } from '@tangguh/platform';

/**
 * Print jobs and night batches. A job is one card: a record's first card or a replacement, printed on one
 * blank. Its row is the worker's memory across a crash: the blank is taken, the chip written and the card
 * handed to the printer in steps, and each step is recorded before the next starts (claimed_at,
 * submitting_at, external_job_id), so a restarted worker knows which step it was at and never prints twice.
 *
 * `active_key` is the record's (F:<record>) or the replacement request's (R:<request>) key while the job
 * is not finished, and NULL after: a unique index on it allows one unfinished job per card, on both
 * dialects (NULLs never collide), without a partial index. `blank_serial` is unique as in the ledger.
 */
export const PRINT_JOB_SEQ_COUNTER = 'print_job_seq';

export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('print_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull())
    // NULL: any ready printer of the site.
    .addColumn('printer_id', 'text')
    // scheduled | running | paused | cancelled | done
    .addColumn('state', 'text', (c) => c.notNull())
    // When the worker may start (an instant); NULL: at once.
    .addColumn('start_at', 'text')
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('print_batches_created').on('print_batches').column('created_at').execute();

  await db.schema
    .createTable('print_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Order of printing: the plan's order when the job was made (a batch keeps it), then creation.
    // Taken from the counters row below under its lock, like the outbox's seq.
    .addColumn('seq', 'bigint', (c) => c.notNull().unique())
    .addColumn('card', 'text', (c) => c.notNull())
    // NULL for a replacement whose package has not arrived (the centre names the record in its answer).
    .addColumn('record_id', 'text')
    .addColumn('request_id', 'text')
    .addColumn('package_id', 'text')
    .addColumn('batch_id', 'text')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('printer_id', 'text')
    // waiting_package | queued | printing | uncertain | printed | spoiled | failed | cancelled
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('active_key', 'text', (c) => c.unique())
    .addColumn('blank_serial', 'bigint', (c) => c.unique())
    // The office date the blank was taken on: what a printer's capacity per day counts.
    .addColumn('print_day', 'text')
    .addColumn('claimed_at', 'text')
    .addColumn('claimed_by', 'text')
    .addColumn('submitting_at', 'text')
    .addColumn('external_job_id', 'text')
    .addColumn('printed_at', 'text')
    // JSON {id, en}: why the job waits, failed or was spoiled (a problem the worker met, kept for the screen).
    .addColumn('problem', 'text')
    .addColumn('spoilage_reason', 'text')
    .addColumn('spoiled_by', 'text')
    .addColumn('spoiled_at', 'text')
    .addColumn('reprint_of', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await (db as Kysely<{ counters: { name: string; value: number } }>).insertInto('counters').values({ name: PRINT_JOB_SEQ_COUNTER, value: 0 }).execute();
  await db.schema.createIndex('print_jobs_state_seq').on('print_jobs').columns(['state', 'seq']).execute();
  await db.schema.createIndex('print_jobs_batch').on('print_jobs').columns(['batch_id', 'state']).execute();
  await db.schema.createIndex('print_jobs_record').on('print_jobs').column('record_id').execute();
  await db.schema.createIndex('print_jobs_printer_day').on('print_jobs').columns(['printer_id', 'print_day']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await (db as Kysely<{ counters: { name: string; value: number } }>).deleteFrom('counters').where('name', '=', PRINT_JOB_SEQ_COUNTER).execute();
  await db.schema.dropTable('print_jobs').execute();
  await db.schema.dropTable('print_batches').execute();
}
