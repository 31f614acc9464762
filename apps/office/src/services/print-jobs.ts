import { randomUUID } from 'node:crypto';
import { DomainError, type Bilingual } from '@tangguh/domain';
import type { PrintJobView, PrintRoomQueue } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { listPrinters } from '../repositories/print-plan.ts';
import {
  findPrintBatch,
  findPrintJob,
  findPrintJobWithResident,
  firstPackageOf,
  insertPrintJob,
  listPrintJobs,
  moveJob,
  recordForPrint,
  recordsToRequeue,
  recordsWithReadyPackage,
  residentsOf,
  replacementAnswerOf,
  takePrintJobSeq,
  unfinishedJobFor,
  type PrintJobListRow,
  type PrintJobRow,
  type PrintJobState,
  lockPrintJobs,
} from '../repositories/print-jobs.ts';
import { siteExists } from '../repositories/blank-stock.ts';
import { recordCardStatus } from './card-status.ts';
import { printPlan } from './print-plan.ts';

const refuse = (code: string, messages: Bilingual, kind: 'conflict' | 'not_found' | 'invalid' = 'conflict') => new DomainError(code, messages, kind);
export const jobNotFound = () => refuse('PRINT_JOB_NOT_FOUND', { id: 'Pekerjaan cetak tidak ditemukan.', en: 'Print job not found.' }, 'not_found');

const parseBilingual = (text: string | null): Bilingual | null => (text ? (JSON.parse(text) as Bilingual) : null);

export function presentJob(row: PrintJobListRow): PrintJobView {
  return {
    id: row.id,
    seq: row.seq,
    card: row.card,
    recordId: row.record_id,
    requestId: row.request_id,
    packageId: row.package_id,
    batchId: row.batch_id,
    siteId: row.site_id,
    printerId: row.printer_id,
    state: row.state,
    blankSerial: row.blank_serial,
    claimedAt: row.claimed_at,
    printedAt: row.printed_at,
    problem: parseBilingual(row.problem),
    spoilageReason: row.spoilage_reason as PrintJobView['spoilageReason'],
    spoiledBy: row.spoiled_by,
    spoiledAt: row.spoiled_at,
    reprintOf: row.reprint_of,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    name: row.full_name ?? null,
    nik: row.nik ?? null,
    recordStatus: row.record_status ?? null,
  };
}

export interface Placement {
  siteId: string;
  printerId?: string | null;
  batchId?: string | null;
  by: string;
  at: string;
}

/** A site and printer that exist, the printer at that site: checked once before any job is made. */
export async function checkPlacement(db: OfficeDbOrTx, siteId: string, printerId: string | null | undefined): Promise<void> {
  if (!(await siteExists(db, siteId))) throw refuse('SITE_NOT_FOUND', { id: `Lokasi ${siteId} tidak ditemukan.`, en: `Site ${siteId} not found.` }, 'not_found');
  if (!printerId) return;
  const printer = (await listPrinters(db, siteId)).find((p) => p.id === printerId);
  if (!printer) throw refuse('PRINTER_NOT_AT_SITE', { id: `Printer ${printerId} tidak ada di lokasi ${siteId}.`, en: `Printer ${printerId} is not at site ${siteId}.` }, 'not_found');
}

/** A new job at its placement, not yet claimed, printed nor spoiled; the caller says which card it is and its state. */
export const baseJob = (p: Placement, seq: number): Omit<PrintJobRow, 'card' | 'record_id' | 'request_id' | 'package_id' | 'state' | 'active_key'> => ({
  id: randomUUID(),
  seq,
  batch_id: p.batchId ?? null,
  site_id: p.siteId,
  printer_id: p.printerId ?? null,
  blank_serial: null,
  print_day: null,
  claimed_at: null,
  claimed_by: null,
  submitting_at: null,
  external_job_id: null,
  printed_at: null,
  problem: null,
  spoilage_reason: null,
  spoiled_by: null,
  spoiled_at: null,
  reprint_of: null,
  created_by: p.by,
  created_at: p.at,
  updated_at: p.at,
});

/**
 * Queues a record's first card, in the caller's transaction: the job (waiting for its package, or queued
 * when the package is here) and SENT_FOR_CARD_PRINTING with its outbox event commit together. A record
 * already printed, or already in an unfinished job, is refused with the reason.
 */
export async function queueFirstCard(trx: OfficeDbOrTx, recordId: string, p: Placement): Promise<PrintJobRow> {
  const record = await recordForPrint(trx, recordId);
  if (!record) throw refuse('RECORD_NOT_FOUND', { id: 'Rekaman tidak ditemukan.', en: 'Record not found.' }, 'not_found');
  if (record.status !== 'PRINT_READY_RECORD' && record.status !== 'SENT_FOR_CARD_PRINTING') {
    throw refuse('RECORD_NOT_PRINTABLE', {
      id: `Rekaman ${recordId} tidak menunggu cetak (status ${record.status}); kartu pengganti diminta lewat penggantian KTP-el.`,
      en: `Record ${recordId} is not waiting for its card (status ${record.status}); a new card is a replacement request.`,
    });
  }
  const key = `F:${recordId}`;
  if (await unfinishedJobFor(trx, key)) throw refuse('PRINT_JOB_EXISTS', { id: `Rekaman ${recordId} sudah dalam antrean cetak.`, en: `Record ${recordId} is already in the print queue.` });
  const pkg = await firstPackageOf(trx, recordId);
  if (pkg?.status === 'REFUSED') {
    const why = parseBilingual(pkg.reason) ?? { id: 'tanpa alasan', en: 'no reason given' };
    throw refuse('PRINT_PACKAGE_REFUSED', { id: `Pusat tidak membuat paket cetak rekaman ini: ${why.id}`, en: `The centre did not build this record's print package: ${why.en}` });
  }
  const row: PrintJobRow = {
    ...baseJob(p, await takePrintJobSeq(trx)),
    card: 'FIRST',
    record_id: recordId,
    request_id: null,
    package_id: pkg?.package_id ?? null,
    state: pkg ? 'queued' : 'waiting_package',
    active_key: key,
  };
  await insertPrintJob(trx, row);
  await recordCardStatus(trx, { recordId, status: 'SENT_FOR_CARD_PRINTING', at: p.at, by: p.by, packageId: row.package_id, detail: { jobId: row.id, siteId: p.siteId } });
  return row;
}

/** Queues a replacement card: it waits for the centre's answer, or is queued when the package is here. */
export async function queueReplacementCard(trx: OfficeDbOrTx, requestId: string, p: Placement): Promise<PrintJobRow> {
  const answer = await replacementAnswerOf(trx, requestId);
  if (!answer) throw refuse('CARD_REPLACEMENT_NOT_FOUND', { id: 'Permintaan penggantian KTP-el tidak ditemukan.', en: 'Card replacement request not found.' }, 'not_found');
  if (answer.status === 'REFUSED') {
    const why = parseBilingual(answer.refusal) ?? { id: 'tanpa alasan', en: 'no reason given' };
    throw refuse('PRINT_PACKAGE_REFUSED', { id: `Pusat menolak penggantian ini: ${why.id}`, en: `The centre refused this replacement: ${why.en}` });
  }
  const key = `R:${requestId}`;
  if (await unfinishedJobFor(trx, key)) throw refuse('PRINT_JOB_EXISTS', { id: 'Penggantian ini sudah dalam antrean cetak.', en: 'This replacement is already in the print queue.' });
  const ready = answer.status === 'READY' && answer.package_id !== null;
  const row: PrintJobRow = {
    ...baseJob(p, await takePrintJobSeq(trx)),
    card: 'REPLACEMENT',
    record_id: answer.record_id,
    request_id: requestId,
    package_id: ready ? answer.package_id : null,
    state: ready ? 'queued' : 'waiting_package',
    active_key: key,
  };
  await insertPrintJob(trx, row);
  if (row.record_id) await recordCardStatus(trx, { recordId: row.record_id, status: 'SENT_FOR_CARD_PRINTING', at: p.at, by: p.by, card: 'REPLACEMENT', packageId: row.package_id, detail: { jobId: row.id, requestId } });
  return row;
}

async function presentJobs(db: OfficeDbOrTx, ids: string[]): Promise<PrintJobView[]> {
  const out: PrintJobView[] = [];
  for (const id of ids) out.push(await printJob(db, id));
  return out;
}

/** Operators print: the chosen records and replacements become jobs, all or none. */
export async function createPrintJobs(ctx: OfficeContext, input: { recordIds: string[]; replacementRequestIds: string[]; siteId: string; printerId?: string; by: string }): Promise<PrintJobView[]> {
  const at = ctx.now().toISOString();
  const placement: Placement = { siteId: input.siteId, printerId: input.printerId ?? null, by: input.by, at };
  const ids = await ctx.db.transaction().execute(async (trx) => {
    await lockPrintJobs(trx);
    await checkPlacement(trx, input.siteId, input.printerId);
    const made: string[] = [];
    for (const recordId of input.recordIds) made.push((await queueFirstCard(trx, recordId, placement)).id);
    for (const requestId of input.replacementRequestIds) made.push((await queueReplacementCard(trx, requestId, placement)).id);
    return made;
  });
  return presentJobs(ctx.db, ids);
}

export async function printJob(db: OfficeDbOrTx, id: string): Promise<PrintJobView> {
  const row = await findPrintJobWithResident(db, id);
  if (!row) throw jobNotFound();
  return presentJob(row);
}

export async function printJobs(db: OfficeDbOrTx, filter: { state?: PrintJobState[]; batchId?: string; recordId?: string; siteId?: string; limit: number }): Promise<PrintJobView[]> {
  return (await listPrintJobs(db, { ...filter, states: filter.state })).map(presentJob);
}

/** A supervisor cancels a job that has not started printing. */
export async function cancelPrintJob(ctx: OfficeContext, id: string): Promise<PrintJobView> {
  const at = ctx.now().toISOString();
  const moved = await moveJob(ctx.db, id, ['waiting_package', 'queued'], { state: 'cancelled', active_key: null, updated_at: at });
  if (!moved) {
    const job = await findPrintJob(ctx.db, id);
    if (!job) throw jobNotFound();
    throw refuse('PRINT_JOB_NOT_CANCELLABLE', { id: `Pekerjaan cetak ini sudah ${job.state}: tidak dapat dibatalkan.`, en: `This print job is already ${job.state}: it cannot be cancelled.` });
  }
  return printJob(ctx.db, id);
}

/**
 * A printed card found spoiled (misprint, overheating, damaged) — or a card whose printing was interrupted
 * and did not come out whole: the job is marked spoiled with the reason, keeping the blank serial it used,
 * and a new job for the same card is queued; it takes a new blank when it prints.
 *
 * The blank itself stays in the ledger as the consumption it was when the card was printed: the ledger
 * allows one row per serial (its last guard against a blank used twice), so a second, "spoilage" row for
 * the same serial is refused there. The spoilage and its reason are kept on the job (and listed per batch).
 */
export async function reportSpoiledCard(ctx: OfficeContext, id: string, input: { reason: 'misprint' | 'overheating' | 'damaged'; by: string }): Promise<{ spoiled: PrintJobView; reprint: PrintJobView }> {
  const at = ctx.now().toISOString();
  const reprintId = await ctx.db.transaction().execute(async (trx) => {
    await lockPrintJobs(trx);
    const job = await findPrintJob(trx, id);
    if (!job) throw jobNotFound();
    const moved = await moveJob(trx, id, ['printed', 'uncertain'], { state: 'spoiled', active_key: null, spoilage_reason: input.reason, spoiled_by: input.by, spoiled_at: at, updated_at: at });
    if (!moved) throw refuse('PRINT_JOB_NOT_PRINTED', { id: `Hanya kartu yang sudah dicetak yang dapat dilaporkan rusak (status ${job.state}).`, en: `Only a printed card can be reported spoiled (state ${job.state}).` });
    return (await queueReprint(trx, job, input.by, at)).id;
  });
  return { spoiled: await printJob(ctx.db, id), reprint: await printJob(ctx.db, reprintId) };
}

/** A new job for a spoiled card, queued in the same batch, site and printer: it takes a new blank when it prints. */
export async function queueReprint(trx: OfficeDbOrTx, job: PrintJobRow, by: string, at: string): Promise<PrintJobRow> {
  // A batch already finished (or cancelled) would never run the reprint: it is then a job of its own.
  const batch = job.batch_id ? await findPrintBatch(trx, job.batch_id) : undefined;
  const batchId = batch && ['scheduled', 'running', 'paused'].includes(batch.state) ? batch.id : null;
  const row: PrintJobRow = {
    ...baseJob({ siteId: job.site_id, printerId: job.printer_id, batchId, by, at }, await takePrintJobSeq(trx)),
    card: job.card,
    record_id: job.record_id,
    request_id: job.request_id,
    package_id: job.package_id,
    state: 'queued',
    active_key: job.card === 'FIRST' ? `F:${job.record_id}` : `R:${job.request_id}`,
    reprint_of: job.id,
  };
  await insertPrintJob(trx, row);
  return row;
}

/**
 * A supervisor looked at the printer after an interrupted print and the card came out whole: the job is
 * printed, and CARD_PRINTED goes out with it. (Not whole: report it spoiled, and it is reprinted.)
 */
export async function confirmPrintedCard(ctx: OfficeContext, id: string, by: string): Promise<PrintJobView> {
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await lockPrintJobs(trx);
    const job = await findPrintJob(trx, id);
    if (!job) throw jobNotFound();
    if (!(await moveJob(trx, id, ['uncertain'], { state: 'printed', printed_at: at, active_key: null, problem: null, updated_at: at }))) {
      throw refuse('PRINT_JOB_NOT_UNCERTAIN', { id: `Hanya pencetakan yang terputus yang dikonfirmasi (status ${job.state}).`, en: `Only an interrupted print is confirmed (state ${job.state}).` });
    }
    await recordCardStatus(trx, { recordId: job.record_id!, status: 'CARD_PRINTED', at, by, card: job.card, packageId: job.package_id, detail: { jobId: id, blankSerial: job.blank_serial, printerId: job.printer_id, confirmedBy: by } });
  });
  return printJob(ctx.db, id);
}

/**
 * The print room's list: the records waiting for their card in the print plan's order, each with the plan's
 * explanation of its place and whether its package has arrived. Read from this office's database alone.
 */
export async function printRoomQueue(ctx: OfficeContext, limit: number): Promise<PrintRoomQueue> {
  const [plan, requeue] = await Promise.all([printPlan(ctx), recordsToRequeue(ctx.db, limit)]);
  const top = plan.queue.slice(0, limit);
  const ids = [...top.map((e) => e.recordId), ...requeue.map((r) => r.id)];
  const [ready, residents] = await Promise.all([recordsWithReadyPackage(ctx.db, ids), residentsOf(ctx.db, ids)]);
  const total = plan.queue.length + requeue.length;
  const planned = top.map((e) => ({
    recordId: e.recordId,
    position: e.parts.position,
    total,
    explanation: e.text,
    priorityClass: e.parts.priorityClass,
    withinStock: e.parts.withinStock,
    packageReady: ready.has(e.recordId),
    name: residents.get(e.recordId)?.name ?? '',
    nik: residents.get(e.recordId)?.nik ?? '',
  }));
  // After the plan's queue: records whose print job was cancelled or failed, oldest first, to be printed again.
  const again = requeue.slice(0, Math.max(0, limit - planned.length)).map((r, i) => ({
    recordId: r.id,
    position: plan.queue.length + i + 1,
    total,
    explanation: { id: 'Pekerjaan cetaknya dibatalkan atau gagal; dapat dicetak lagi.', en: 'Its print job was cancelled or failed; it can be printed again.' },
    priorityClass: 'requeue',
    withinStock: false,
    packageReady: ready.has(r.id),
    name: r.name,
    nik: r.nik,
  }));
  return { total, items: [...planned, ...again] };
}
