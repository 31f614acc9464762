import { randomUUID } from 'node:crypto';
import { DomainError, type Bilingual } from '@tangguh/domain';
import type { CreatePrintBatch, PrintBatchView } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import {
  batchJobCounts,
  cancelWaitingJobsOfBatch,
  findPrintBatch,
  insertPrintBatch,
  listPrintBatches,
  listPrintJobs,
  moveBatch,
  type PrintBatchRow,
  type PrintJobState,
  lockPrintJobs,
} from '../repositories/print-jobs.ts';
import { checkPlacement, queueFirstCard, type Placement } from './print-jobs.ts';
import { printPlan } from './print-plan.ts';

/**
 * Night batches: a supervisor queues many cards at once to print unattended, from a start time or at once;
 * the print worker runs a batch only while it is running, so pausing holds its jobs and cancelling ends
 * those not started. Progress is counted from the batch's jobs, problems are listed with their reasons.
 */

const refuse = (code: string, messages: Bilingual, kind: 'conflict' | 'not_found' = 'conflict') => new DomainError(code, messages, kind);
export const batchNotFound = () => refuse('PRINT_BATCH_NOT_FOUND', { id: 'Batch cetak tidak ditemukan.', en: 'Print batch not found.' }, 'not_found');
const parseBilingual = (text: string | null): Bilingual | null => (text ? (JSON.parse(text) as Bilingual) : null);


export async function presentBatches(db: OfficeDbOrTx, rows: PrintBatchRow[]): Promise<PrintBatchView[]> {
  const counts = await batchJobCounts(db, rows.map((r) => r.id));
  const out: PrintBatchView[] = [];
  for (const row of rows) {
    const c = counts.get(row.id) ?? new Map<PrintJobState, number>();
    const n = (s: PrintJobState) => c.get(s) ?? 0;
    const jobs = await listPrintJobs(db, { batchId: row.id, limit: 5000 });
    const problems = jobs
      .filter((j) => j.problem !== null && ['spoiled', 'failed', 'queued', 'waiting_package', 'uncertain', 'printing'].includes(j.state))
      .slice(0, 50)
      .map((j) => ({ jobId: j.id, recordId: j.record_id, state: j.state, problem: parseBilingual(j.problem)! }));
    out.push({
      id: row.id,
      siteId: row.site_id,
      printerId: row.printer_id,
      state: row.state,
      startAt: row.start_at,
      note: row.note,
      createdBy: row.created_by,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      progress: {
        // Reprints are jobs of the batch too: the total is the cards the batch was asked for.
        total: row.total,
        printed: n('printed'),
        waitingPackage: n('waiting_package'),
        queued: n('queued'),
        printing: n('printing'),
        uncertain: n('uncertain'),
        spoiled: n('spoiled'),
        failed: n('failed'),
        cancelled: n('cancelled'),
      },
      problems,
    });
  }
  return out;
}

export async function printBatch(db: OfficeDbOrTx, id: string): Promise<PrintBatchView> {
  const row = await findPrintBatch(db, id);
  if (!row) throw batchNotFound();
  return (await presentBatches(db, [row]))[0]!;
}

export async function printBatches(db: OfficeDbOrTx, limit = 50): Promise<PrintBatchView[]> {
  return presentBatches(db, await listPrintBatches(db, limit));
}

/**
 * A supervisor queues a batch: the next `count` records of the print plan (in its order), or chosen records,
 * for a site (and printer), from a start time or at once. Records whose package has not arrived are queued
 * too and wait for it: a night batch prints them when they come. All jobs or none are made.
 */
export async function createPrintBatch(ctx: OfficeContext, input: CreatePrintBatch & { by: string }): Promise<PrintBatchView> {
  const now = ctx.now();
  const at = now.toISOString();
  const startAt = input.startAt ? new Date(input.startAt).toISOString() : null;
  const recordIds = input.recordIds ?? (await printPlan(ctx)).queue.slice(0, input.count).map((e) => e.recordId);
  if (recordIds.length === 0) throw refuse('PRINT_QUEUE_EMPTY', { id: 'Tidak ada rekaman yang menunggu cetak.', en: 'No record is waiting for its card.' });
  const batch: PrintBatchRow = {
    id: randomUUID(),
    site_id: input.siteId,
    printer_id: input.printerId ?? null,
    state: startAt && startAt > at ? 'scheduled' : 'running',
    start_at: startAt,
    total: recordIds.length,
    note: input.note ?? null,
    created_by: input.by,
    created_at: at,
    updated_at: at,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await lockPrintJobs(trx);
    await checkPlacement(trx, input.siteId, input.printerId);
    await insertPrintBatch(trx, batch);
    const placement: Placement = { siteId: input.siteId, printerId: input.printerId ?? null, batchId: batch.id, by: input.by, at };
    for (const recordId of recordIds) await queueFirstCard(trx, recordId, placement);
  });
  return printBatch(ctx.db, batch.id);
}

const batchRefused = (state: string, action: Bilingual) =>
  refuse('PRINT_BATCH_STATE', { id: `Batch berstatus ${state} tidak dapat ${action.id}.`, en: `A batch that is ${state} cannot be ${action.en}.` });

export async function pausePrintBatch(ctx: OfficeContext, id: string): Promise<PrintBatchView> {
  const at = ctx.now().toISOString();
  if (!(await moveBatch(ctx.db, id, ['scheduled', 'running'], 'paused', at))) {
    const row = await findPrintBatch(ctx.db, id);
    if (!row) throw batchNotFound();
    throw batchRefused(row.state, { id: 'dijeda', en: 'paused' });
  }
  return printBatch(ctx.db, id);
}

/** Resumes a paused batch: it runs, or waits again for a start time still ahead. */
export async function resumePrintBatch(ctx: OfficeContext, id: string): Promise<PrintBatchView> {
  const at = ctx.now().toISOString();
  const row = await findPrintBatch(ctx.db, id);
  if (!row) throw batchNotFound();
  const to = row.start_at && row.start_at > at ? 'scheduled' : 'running';
  if (!(await moveBatch(ctx.db, id, ['paused'], to, at))) throw batchRefused(row.state, { id: 'dilanjutkan', en: 'resumed' });
  return printBatch(ctx.db, id);
}

/** Cancels a batch: its jobs not yet started are cancelled in the same transaction; cards printing finish. */
export async function cancelPrintBatch(ctx: OfficeContext, id: string): Promise<PrintBatchView> {
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await lockPrintJobs(trx);
    if (!(await moveBatch(trx, id, ['scheduled', 'running', 'paused'], 'cancelled', at))) {
      const row = await findPrintBatch(trx, id);
      if (!row) throw batchNotFound();
      throw batchRefused(row.state, { id: 'dibatalkan', en: 'cancelled' });
    }
    await cancelWaitingJobsOfBatch(trx, id, at);
  });
  return printBatch(ctx.db, id);
}
