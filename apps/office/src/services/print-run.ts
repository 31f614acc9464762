import { isDomainError, zonedIsoDate, type Bilingual } from '@tangguh/domain';
import type { OpenedCardPackage } from '@tangguh/credential';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import type { CardPrinter, ChipEncoder, RenderCard } from '../printing/types.ts';
import { listPrinters, usePrinter, type PrinterRow } from '../repositories/print-plan.ts';
import {
  cardsOnDay,
  finishDoneBatches,
  firstPackageOf,
  jobsInState,
  lockPrintJobs,
  moveJob,
  nextQueuedJobs,
  replacementAnswerOf,
  startDueBatches,
  updateJobIn,
  type PrintJobRow,
} from '../repositories/print-jobs.ts';
import { consumeBlank } from './blank-stock.ts';
import { recordCardStatus } from './card-status.ts';
import { openPrintPackage } from './print-packages.ts';
import { queueReprint } from './print-jobs.ts';

/**
 * The print room's unattended work, one card at a time per printer. Each card goes through steps, and each
 * step is committed before the next begins, so a worker killed anywhere restarts where it was:
 *
 *   claim     one transaction: the job queued → printing, one blank taken through consumeBlank, the
 *             printer's consumables run down, the day's count against its capacity. A blank is therefore
 *             taken exactly once per claim, and a claim happens once (compare-and-set on the job's state).
 *   render    the card PDF from the stored package alone, and the chip written by the encoder (a retry
 *             writes the same blank with the same data: harmless).
 *   submit    `submitting_at` is recorded BEFORE the card goes to the printer, and the printer's job id
 *             after. A restart finding `submitting_at` without a job id cannot know whether the printer got
 *             the card: it never sends it again, it marks the job `uncertain` for a person to look at the
 *             printer (confirm it came out whole, or report it spoiled and it is reprinted on a new blank).
 *   finish    the printer's job state, once completed: printed + CARD_PRINTED in one transaction with its
 *             outbox event; failed: spoiled and reprinted on a new blank.
 *
 * A worker owns its printers: two workers must not drive one printer (a restart resumes that printer's
 * unfinished claim, which only its owner may do). Several workers on several printers share one database
 * safely: the ledger's lock and the unique serials keep every blank to one card.
 */

export interface PrintDevices {
  /** The driver of a printer row (CUPS queue or folder): `printerFor` of printing/index.ts in production. */
  printer(row: PrinterRow): CardPrinter | Promise<CardPrinter>;
  encoder: ChipEncoder;
  render: RenderCard;
  /** Between two looks at the printer's job state. */
  pollMs?: number;
  /** How long one pass waits for a card to come out before leaving it to the next pass. */
  waitMs?: number;
}

export type CardOutcome = 'printed' | 'spoiled' | 'uncertain' | 'pending' | 'blocked' | 'idle';

const problem = (messages: Bilingual) => JSON.stringify(messages);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Why a printer takes nothing now: stops the claim's transaction (it rolls back, nothing is taken). */
class Blocked extends Error {
  constructor(readonly reason: Bilingual) {
    super(reason.en);
  }
}
class Lost extends Error {}

/** The place printed above the holder's signature: the regency's name without "KABUPATEN"/"KOTA". */
function placeOf(ctx: OfficeContext): string {
  const name = ctx.regions.regency(ctx.office.regencyCode)?.name ?? ctx.office.name;
  return name.toLocaleUpperCase('id-ID').replace(/^(KABUPATEN|KAB\.|KOTA)\s+/, '');
}

/**
 * Jobs waiting for their package move on by themselves when it has arrived (the sync worker stores it):
 * queued when the package is ready, failed with the centre's reason when it refused.
 */
export async function promoteWaitingJobs(ctx: OfficeContext): Promise<number> {
  let moved = 0;
  for (const job of await jobsInState(ctx.db, 'waiting_package', 500)) {
    const at = ctx.now().toISOString();
    if (job.card === 'FIRST' && job.record_id) {
      const pkg = await firstPackageOf(ctx.db, job.record_id);
      if (pkg?.status === 'READY') moved += Number(await moveJob(ctx.db, job.id, ['waiting_package'], { state: 'queued', package_id: pkg.package_id, updated_at: at }));
      if (pkg?.status === 'REFUSED') moved += Number(await moveJob(ctx.db, job.id, ['waiting_package'], { state: 'failed', active_key: null, problem: pkg.reason, updated_at: at }));
    } else if (job.card === 'REPLACEMENT' && job.request_id) {
      const answer = await replacementAnswerOf(ctx.db, job.request_id);
      if (answer?.status === 'READY' && answer.package_id && answer.record_id) {
        const recordId = answer.record_id;
        await ctx.db.transaction().execute(async (trx) => {
          await lockPrintJobs(trx);
          if (!(await moveJob(trx, job.id, ['waiting_package'], { state: 'queued', record_id: recordId, package_id: answer.package_id, updated_at: at }))) return;
          await recordCardStatus(trx, { recordId, status: 'SENT_FOR_CARD_PRINTING', at, by: job.created_by, card: 'REPLACEMENT', packageId: answer.package_id, detail: { jobId: job.id, requestId: job.request_id } });
          moved += 1;
        });
      }
      if (answer?.status === 'REFUSED') moved += Number(await moveJob(ctx.db, job.id, ['waiting_package'], { state: 'failed', active_key: null, problem: answer.refusal, updated_at: at }));
    }
  }
  return moved;
}

/** Opens a queued job's package; a package that is not genuine fails the job (it must never be printed). */
async function openForJob(ctx: OfficeContext, job: PrintJobRow): Promise<OpenedCardPackage | 'failed' | 'blocked'> {
  try {
    return await openPrintPackage(ctx, job.record_id!);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const at = ctx.now().toISOString();
    if (error.code === 'PRINT_PACKAGE_INVALID') {
      await moveJob(ctx.db, job.id, ['queued'], { state: 'failed', active_key: null, problem: problem(error.messages), updated_at: at });
      return 'failed';
    }
    await updateJobIn(ctx.db, job.id, 'queued', { problem: problem(error.messages), updated_at: at });
    return 'blocked';
  }
}

/** The claim: job → printing, one blank, one print of consumables, inside the printer's capacity for the day. */
async function claim(ctx: OfficeContext, printer: PrinterRow, job: PrintJobRow, opened: OpenedCardPackage, worker: string): Promise<PrintJobRow> {
  const at = ctx.now().toISOString();
  const day = zonedIsoDate(ctx.now(), ctx.office.timeZone);
  return ctx.db.transaction().execute(async (trx) => {
    // First: on PostgreSQL this locks the printer's row, so two claims on one printer count its day in turn.
    if (!(await usePrinter(trx, printer.id, 1, at))) {
      throw new Blocked({ id: `Printer ${printer.name} sedang diperbaiki atau pita/film habis.`, en: `Printer ${printer.name} is in repair or out of ribbon/film.` });
    }
    if ((await cardsOnDay(trx, printer.id, day)) >= printer.capacityPerDay) {
      throw new Blocked({ id: `Printer ${printer.name} sudah mencetak ${printer.capacityPerDay} kartu hari ini (kapasitasnya).`, en: `Printer ${printer.name} has printed its ${printer.capacityPerDay} cards for today (its capacity).` });
    }
    const set = { state: 'printing' as const, printer_id: printer.id, claimed_at: at, claimed_by: worker, print_day: day, package_id: opened.packageId, problem: null, updated_at: at };
    if (!(await moveJob(trx, job.id, ['queued'], set))) throw new Lost();
    const serial = await consumeBlank(trx, { siteId: printer.siteId, recordId: job.record_id!, by: worker, at });
    await updateJobIn(trx, job.id, 'printing', { blank_serial: serial });
    return { ...job, ...set, blank_serial: serial };
  });
}

/** After the printer has the card: printed (CARD_PRINTED with it) or, when the printer failed it, spoiled and reprinted. */
async function settle(ctx: OfficeContext, job: PrintJobRow, outcome: 'completed' | 'failed', worker: string): Promise<CardOutcome> {
  const at = ctx.now().toISOString();
  return ctx.db.transaction().execute(async (trx: OfficeDbOrTx) => {
    await lockPrintJobs(trx);
    if (outcome === 'completed') {
      if (!(await moveJob(trx, job.id, ['printing'], { state: 'printed', printed_at: at, active_key: null, problem: null, updated_at: at }))) return 'pending';
      const detail = { jobId: job.id, blankSerial: job.blank_serial, printerId: job.printer_id, siteId: job.site_id };
      await recordCardStatus(trx, { recordId: job.record_id!, status: 'CARD_PRINTED', at, by: worker, card: job.card, packageId: job.package_id, detail });
      return 'printed';
    }
    const why = { id: 'Printer melaporkan pekerjaan cetak gagal.', en: 'The printer reported the print job failed.' };
    if (!(await moveJob(trx, job.id, ['printing'], { state: 'spoiled', active_key: null, spoilage_reason: 'misprint', spoiled_by: worker, spoiled_at: at, problem: problem(why), updated_at: at }))) return 'pending';
    await queueReprint(trx, job, worker, at);
    return 'spoiled';
  });
}

/** Waits (up to waitMs) for the printer to finish a submitted card, then settles it. */
async function follow(ctx: OfficeContext, devices: PrintDevices, printer: CardPrinter, job: PrintJobRow, worker: string): Promise<CardOutcome> {
  const until = Date.now() + (devices.waitMs ?? 60_000);
  for (;;) {
    const state = await printer.jobState(job.external_job_id!);
    if (state === 'completed' || state === 'failed') return settle(ctx, job, state, worker);
    if (Date.now() >= until) return 'pending';
    await sleep(devices.pollMs ?? 250);
  }
}

/** Takes a claimed job (fresh, or found after a restart) as far as it can go. */
export async function carryOn(ctx: OfficeContext, devices: PrintDevices, printer: CardPrinter, job: PrintJobRow, worker: string, opened?: OpenedCardPackage): Promise<CardOutcome> {
  if (job.external_job_id) return follow(ctx, devices, printer, job, worker);
  if (job.submitting_at) {
    const why = {
      id: 'Pencetakan terputus saat kartu dikirim ke printer: periksa printer, lalu konfirmasi kartu tercetak baik atau laporkan rusak.',
      en: 'Printing was interrupted while the card was sent to the printer: check the printer, then confirm the card came out whole or report it spoiled.',
    };
    await moveJob(ctx.db, job.id, ['printing'], { state: 'uncertain', problem: problem(why), updated_at: ctx.now().toISOString() });
    return 'uncertain';
  }
  const pkg = opened ?? (await openPrintPackage(ctx, job.record_id!));
  const serial = job.blank_serial!;
  const pdf = await devices.render(pkg, { blankSerial: serial, place: placeOf(ctx), date: job.print_day ?? zonedIsoDate(ctx.now(), ctx.office.timeZone) });
  await devices.encoder.write(serial, pkg.chip);
  const submittingAt = ctx.now().toISOString();
  if (!(await updateJobIn(ctx.db, job.id, 'printing', { submitting_at: submittingAt }))) return 'pending';
  // The title shows the job and the blank in the printer's own queue, never the resident's name.
  const { externalJobId } = await printer.submit({ title: `KTP-el ${job.id} blangko ${serial}`, pdf });
  await updateJobIn(ctx.db, job.id, 'printing', { external_job_id: externalJobId, updated_at: ctx.now().toISOString() });
  return follow(ctx, devices, printer, { ...job, submitting_at: submittingAt, external_job_id: externalJobId }, worker);
}

/** Prints the next card a printer may take; says why when it takes none. */
export async function printNextCard(ctx: OfficeContext, devices: PrintDevices, printer: PrinterRow, worker: string): Promise<CardOutcome> {
  if (printer.state === 'in_repair') return 'blocked';
  const candidates = await nextQueuedJobs(ctx.db, printer, 10);
  if (candidates.length === 0) return 'idle';
  if ((await cardsOnDay(ctx.db, printer.id, zonedIsoDate(ctx.now(), ctx.office.timeZone))) >= printer.capacityPerDay) return 'blocked';
  // Asked only when there is a card to print: a CUPS printer answers through lpstat, not free every pass.
  const driver = await devices.printer(printer);
  const health = await driver.health();
  if (health.state === 'offline' || health.state === 'error') {
    const why = { id: `Printer ${printer.name} tidak siap: ${health.detail ?? health.state}.`, en: `Printer ${printer.name} is not ready: ${health.detail ?? health.state}.` };
    for (const job of candidates) await updateJobIn(ctx.db, job.id, 'queued', { problem: problem(why) });
    return 'blocked';
  }
  for (const job of candidates) {
    const opened = await openForJob(ctx, job);
    if (opened === 'failed') continue;
    if (opened === 'blocked') return 'blocked';
    let claimed: PrintJobRow;
    try {
      claimed = await claim(ctx, printer, job, opened, worker);
    } catch (error) {
      if (error instanceof Lost) continue;
      const reason = error instanceof Blocked ? error.reason : isDomainError(error) ? error.messages : undefined;
      if (!reason) throw error;
      // No blank at the site, no ribbon, capacity reached: the job waits in the queue and says why.
      await updateJobIn(ctx.db, job.id, 'queued', { problem: problem(reason), updated_at: ctx.now().toISOString() });
      return 'blocked';
    }
    return carryOn(ctx, devices, driver, claimed, worker, opened);
  }
  return 'idle';
}

/**
 * Every job of these printers left in `printing` is carried on from its last recorded step (never sent to the
 * printer twice): after a restart, and at the start of each pass (a card the printer had not finished, or one
 * whose render or chip failed). Safe because a worker owns its printers and its passes never overlap. A
 * refusal with a reason (a chip that will not take the data) is kept on the job for the screen.
 */
export async function resumeUnfinished(ctx: OfficeContext, devices: PrintDevices, printers: PrinterRow[], worker: string): Promise<number> {
  let settled = 0;
  const byId = new Map(printers.map((p) => [p.id, p]));
  for (const job of await jobsInState(ctx.db, 'printing', 500, [...byId.keys()])) {
    try {
      // A card already with the printer is only looked at; one not yet sent waits for its printer as a new one does.
      const outcome = await carryOn(ctx, { ...devices, waitMs: job.external_job_id ? 0 : devices.waitMs }, await devices.printer(byId.get(job.printer_id!)!), job, worker);
      if (outcome !== 'pending') settled += 1;
    } catch (error) {
      if (!isDomainError(error)) throw error;
      await updateJobIn(ctx.db, job.id, 'printing', { problem: problem(error.messages), updated_at: ctx.now().toISOString() });
    }
  }
  return settled;
}

/** The printers a worker drives: the given ids, or every printer of the office. */
export async function printersOf(ctx: OfficeContext, ids?: string[]): Promise<PrinterRow[]> {
  const all = await listPrinters(ctx.db);
  return ids ? all.filter((p) => ids.includes(p.id)) : all;
}

/**
 * One pass of the print room: scheduled batches whose time has come start, jobs whose package arrived are
 * queued, cards the printers were still making are settled, then each printer prints until it has nothing it
 * may print (or `maxCards` were printed). Returns the outcomes for the log and the tests.
 */
export async function printRoomPass(ctx: OfficeContext, devices: PrintDevices, opts: { worker: string; printerIds?: string[]; maxCards?: number; running?: () => boolean }): Promise<Record<CardOutcome, number>> {
  const counts: Record<CardOutcome, number> = { printed: 0, spoiled: 0, uncertain: 0, pending: 0, blocked: 0, idle: 0 };
  const now = ctx.now().toISOString();
  await startDueBatches(ctx.db, now);
  await promoteWaitingJobs(ctx);
  const printers = await printersOf(ctx, opts.printerIds);
  await resumeUnfinished(ctx, devices, printers, opts.worker);
  let budget = opts.maxCards ?? Number.POSITIVE_INFINITY;
  for (const printer of printers) {
    try {
      while (budget > 0 && (opts.running?.() ?? true)) {
        const outcome = await printNextCard(ctx, devices, (await printersOf(ctx, [printer.id]))[0] ?? printer, opts.worker);
        counts[outcome] += 1;
        if (outcome === 'idle' || outcome === 'blocked' || outcome === 'pending') break;
        budget -= 1;
      }
    } catch (error) {
      // A printer that refuses with a reason (not connected, a driver's refusal) must not stop the others.
      if (!isDomainError(error)) throw error;
      console.error(`[kantor ${ctx.office.id}] printer ${printer.id}: ${error.messages.id} / ${error.messages.en}`);
      counts.blocked += 1;
    }
  }
  await finishDoneBatches(ctx.db, ctx.now().toISOString());
  return counts;
}
