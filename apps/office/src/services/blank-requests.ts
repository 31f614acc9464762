import { randomUUID } from 'node:crypto';
import { DomainError, groupDigits } from '@tangguh/domain';
import { UNANSWERED_BLANK_REQUEST } from '@tangguh/platform';
import {
  BLANK_REQUEST_EVENT,
  blankRequestJustificationSchema,
  type BlankAnswerItem,
  type BlankRequestCreate,
  type BlankRequestJustification,
  type BlankRequestPayload,
  type BlankRequestState,
  type BlankRequestView,
} from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import { enqueueOfficeEvent, highestOutboxSeq } from '../repositories/outbox.ts';
import { findBlankRequest, insertBlankRequest, listBlankRequests, receivedTranchesAndRanges, storeBlankAnswer, type BlankRequestRow } from '../repositories/blank-requests.ts';
import { getSyncNumber, setSyncValue } from '../repositories/sync-state.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { isReceived } from './blank-deliveries.ts';
import type { CentralClient } from './central-client.ts';
import { feedSyncer, type FeedSyncer } from './feed-syncer.ts';
import { forecastSnapshot, headlineOf } from './print-forecast.ts';

/**
 * The blank request to the centre. The head or a supervisor names a quantity; the justification is the
 * forecast at that moment (waiting, stock, printers, working days to clear with and without the blanks,
 * records past or heading past the legal maximum, blanks already on their way), so the centre's admin reads
 * the same figures the office sees. The request and its outbox entry commit together: it is recorded during
 * an outage and reaches the centre exactly once when the link returns. The answer comes back in the
 * centre's signed feed of answers, pulled by the sync worker.
 */
export async function blankRequestJustification(ctx: OfficeContext, quantity?: number): Promise<{ suggestedQuantity: number; justification: BlankRequestJustification }> {
  const snapshot = await forecastSnapshot(ctx);
  const suggested = headlineOf(snapshot).extraBlanks;
  const asked = quantity ?? suggested;
  const h = headlineOf(snapshot, asked);
  const expected = snapshot.deliveries.reduce((sum, d) => sum + d.quantity, 0);
  const days = (d: number | null, lang: 'id' | 'en') => (d === null ? (lang === 'id' ? 'lebih dari 250 hari kerja' : 'more than 250 working days') : `${d} ${lang === 'id' ? 'hari kerja' : 'working days'}`);
  const text = {
    id:
      `${groupDigits(h.waiting, '.')} rekaman siap cetak menunggu, stok ${groupDigits(h.stock, '.')} blangko, ${h.printers} printer` +
      (expected > 0 ? `, ${groupDigits(expected, '.')} blangko dalam pengiriman` : '') +
      `: selesai dalam ${days(h.workingDaysToClear, 'id')}; dengan ${groupDigits(asked, '.')} blangko yang diminta: ${days(h.workingDaysWithExtra, 'id')}. ` +
      `${groupDigits(h.overdue, '.')} melewati batas 14 hari kerja, ${groupDigits(h.willExceed, '.')} akan melewatinya.`,
    en:
      `${groupDigits(h.waiting, ',')} Print Ready Records waiting, ${groupDigits(h.stock, ',')} blanks in stock, ${h.printers} printer${h.printers === 1 ? '' : 's'}` +
      (expected > 0 ? `, ${groupDigits(expected, ',')} blanks on their way` : '') +
      `: cleared in ${days(h.workingDaysToClear, 'en')}; with the ${groupDigits(asked, ',')} blanks asked for: ${days(h.workingDaysWithExtra, 'en')}. ` +
      `${groupDigits(h.overdue, ',')} past the 14-working-day maximum, ${groupDigits(h.willExceed, ',')} heading past it.`,
  };
  return {
    suggestedQuantity: suggested,
    justification: {
      date: h.today,
      waiting: h.waiting,
      stock: h.stock,
      printers: h.printers,
      workingDaysToClear: h.workingDaysToClear,
      workingDaysWithRequest: h.workingDaysWithExtra,
      overdue: h.overdue,
      willExceed: h.willExceed,
      expected,
      text,
    },
  };
}

export async function createBlankRequest(ctx: OfficeContext, input: BlankRequestCreate, by: OfficeUser): Promise<BlankRequestView> {
  const { justification } = await blankRequestJustification(ctx, input.quantity);
  const requestedAt = ctx.now().toISOString();
  const id = randomUUID();
  const payload: BlankRequestPayload = { requestId: id, quantity: input.quantity, note: input.note || null, justification, requestedBy: by.username, requestedAt };
  const row = await ctx.db.transaction().execute(async (trx) => {
    await enqueueOfficeEvent(trx, { kind: BLANK_REQUEST_EVENT, subjectId: id, payload, at: requestedAt });
    // The counter row stays locked by this transaction: the highest seq is the one just taken.
    const seq = await highestOutboxSeq(trx);
    const row: BlankRequestRow = {
      id,
      quantity: input.quantity,
      note: payload.note,
      justification: JSON.stringify(justification),
      requested_by: by.username,
      requested_at: requestedAt,
      outbox_seq: seq,
      decision: null,
      ...UNANSWERED_BLANK_REQUEST,
      answer_received_at: null,
    };
    await insertBlankRequest(trx, row);
    return row;
  });
  return (await present(ctx, [row]))[0]!;
}

async function present(ctx: OfficeContext, rows: BlankRequestRow[]): Promise<BlankRequestView[]> {
  if (rows.length === 0) return [];
  const [acked, receipts] = await Promise.all([getSyncNumber(ctx.db, 'acked_seq'), receivedTranchesAndRanges(ctx.db)]);
  return rows.map((row) => {
    const state: BlankRequestState =
      row.decision === 'refused' ? 'refused' : row.decision === 'allocated' ? (isReceived(row, receipts) ? 'received' : 'allocated') : row.outbox_seq <= acked ? 'at_centre' : 'queued';
    const allocation =
      row.decision === 'allocated'
        ? { quantity: row.allocated_quantity!, tranche: row.tranche!, serialFrom: row.serial_from!, serialTo: row.serial_to!, deliveryEarliest: row.delivery_earliest!, deliveryLatest: row.delivery_latest! }
        : null;
    return {
      id: row.id,
      quantity: row.quantity,
      note: row.note,
      justification: blankRequestJustificationSchema.parse(JSON.parse(row.justification)),
      requestedBy: row.requested_by,
      requestedAt: row.requested_at,
      state,
      allocation,
      refusal: row.refusal,
      answeredBy: row.answered_by,
      answeredAt: row.answered_at,
      answerReceivedAt: row.answer_received_at,
    };
  });
}

export async function blankRequests(ctx: OfficeContext): Promise<BlankRequestView[]> {
  return present(ctx, await listBlankRequests(ctx.db));
}

export async function blankRequest(ctx: OfficeContext, id: string): Promise<BlankRequestView> {
  const row = await findBlankRequest(ctx.db, id);
  if (!row) throw new DomainError('BLANK_REQUEST_NOT_FOUND', { id: 'Permintaan blangko tidak ditemukan.', en: 'Blank request not found.' }, 'not_found');
  return (await present(ctx, [row]))[0]!;
}

/**
 * One page of the centre's answers, stored with the cursor in one transaction: a crash before the commit
 * fetches the page again, and an answer already stored keeps its first form.
 */
export async function pullBlankAnswers(ctx: OfficeContext, client: CentralClient, pageSize = 100): Promise<{ stored: number; hasMore: boolean }> {
  const cursor = await getSyncNumber(ctx.db, 'blank_answer_cursor');
  const page = await client.blankAnswers(cursor, pageSize);
  if (page.items.length === 0) return { stored: 0, hasMore: false };
  const receivedAt = ctx.now().toISOString();
  const stored = await ctx.db.transaction().execute(async (trx) => {
    let count = 0;
    for (const item of page.items) if (await storeBlankAnswer(trx, answerRow(item, receivedAt))) count++;
    await setSyncValue(trx, 'blank_answer_cursor', page.nextCursor);
    return count;
  });
  return { stored, hasMore: page.hasMore };
}

function answerRow(item: BlankAnswerItem, receivedAt: string) {
  const a = item.allocation;
  return {
    id: item.requestId,
    decision: item.decision,
    allocated_quantity: a?.quantity ?? null,
    tranche: a?.tranche ?? null,
    serial_from: a?.serialFrom ?? null,
    serial_to: a?.serialTo ?? null,
    delivery_earliest: a?.deliveryEarliest ?? null,
    delivery_latest: a?.deliveryLatest ?? null,
    refusal: item.refusal,
    answered_by: item.answeredBy,
    answered_at: item.answeredAt,
    answer_received_at: receivedAt,
  };
}

/**
 * The sync worker's step for answers: drains the feed; only an unreachable centre fails the cycle. A centre
 * of an older release has no feed (404): said once, and nothing else slows.
 */
export function blankAnswerSyncer(ctx: OfficeContext, client: CentralClient): FeedSyncer {
  return feedSyncer(ctx, 'jawaban permintaan blangko belum diterima / blank request answers not taken', () => pullBlankAnswers(ctx, client));
}
