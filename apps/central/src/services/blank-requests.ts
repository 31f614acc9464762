import type { Transaction } from 'kysely';
import { DomainError } from '@tangguh/domain';
import { UNANSWERED_BLANK_REQUEST } from '@tangguh/platform';
import {
  blankRequestJustificationSchema,
  blankRequestPayloadSchema,
  type BlankAllocation,
  type BlankAnswersResponse,
  type CentralBlankRequest,
  type OfficeEventEntryWire,
} from '@tangguh/protocol';
import type { CentralContext } from '../context.ts';
import type { CentralDb } from '../db/schema.ts';
import {
  allocatedRangeOverlaps,
  allocationTotals,
  answersAfter,
  type CentralBlankRequestRow,
  findCentralBlankRequest,
  insertCentralBlankRequest,
  listCentralBlankRequests,
  lockBlankAllocations,
  storeCentralAnswer,
  takeAnswerCursor,
} from '../repositories/blank-requests.ts';

/**
 * Blank-card requests at the centre. An office's request arrives as its `blank.requested` outbox event,
 * applied exactly once by the inbox in the batch's transaction; the admin sees every office's requests with
 * the office's own figures and answers each once, with an allocation or a refusal; the answer takes the
 * next cursor of that office's answer feed, which the office pulls over the signed channel.
 */
export async function applyBlankRequest(trx: Transaction<CentralDb>, ctx: CentralContext, officeId: string, event: OfficeEventEntryWire): Promise<void> {
  const parsed = blankRequestPayloadSchema.safeParse(event.payload);
  // An unreadable request stays in office_events as sent; there is nothing an admin could answer.
  if (!parsed.success) return;
  const p = parsed.data;
  await insertCentralBlankRequest(trx, {
    id: p.requestId,
    office_id: officeId,
    quantity: p.quantity,
    note: p.note,
    justification: JSON.stringify(p.justification),
    requested_by: p.requestedBy,
    requested_at: p.requestedAt,
    received_at: ctx.now().toISOString(),
    status: 'pending',
    ...UNANSWERED_BLANK_REQUEST,
    answer_cursor: null,
  });
}

function allocationOf(r: CentralBlankRequestRow): BlankAllocation | null {
  if (r.status !== 'allocated') return null;
  return { quantity: r.allocated_quantity!, tranche: r.tranche!, serialFrom: r.serial_from!, serialTo: r.serial_to!, deliveryEarliest: r.delivery_earliest!, deliveryLatest: r.delivery_latest! };
}

function present(r: CentralBlankRequestRow & { office_name: string }): CentralBlankRequest {
  return {
    id: r.id,
    officeId: r.office_id,
    officeName: r.office_name,
    quantity: r.quantity,
    note: r.note,
    justification: blankRequestJustificationSchema.parse(JSON.parse(r.justification)),
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    receivedAt: r.received_at,
    status: r.status,
    allocation: allocationOf(r),
    refusal: r.refusal,
    answeredBy: r.answered_by,
    answeredAt: r.answered_at,
  };
}

export async function centralBlankRequests(ctx: CentralContext, status: 'pending' | 'allocated' | 'refused' | 'all') {
  const [rows, totals] = await Promise.all([listCentralBlankRequests(ctx.db, status === 'all' ? undefined : status), allocationTotals(ctx.db)]);
  return { items: rows.map(present), allocatedTotal: totals.total, highestSerial: totals.highest };
}

const notFound = () => new DomainError('BLANK_REQUEST_NOT_FOUND', { id: 'Permintaan blangko tidak ditemukan.', en: 'Blank request not found.' }, 'not_found');
const answered = () =>
  new DomainError('BLANK_REQUEST_ANSWERED', { id: 'Permintaan blangko ini sudah dijawab.', en: 'This blank request has already been answered.' }, 'conflict');

type Answer = { kind: 'allocate'; allocation: BlankAllocation } | { kind: 'refuse'; reason: string };

/** Answers a pending request once; an allocation's serial range must not overlap one already allocated to any office. */
export async function answerBlankRequest(ctx: CentralContext, id: string, answer: Answer, by: string): Promise<CentralBlankRequest> {
  await ctx.db.transaction().execute(async (trx) => {
    await lockBlankAllocations(trx);
    const row = await findCentralBlankRequest(trx, id);
    if (!row) throw notFound();
    if (row.status !== 'pending') throw answered();
    const at = ctx.now().toISOString();
    const none = { allocated_quantity: null, tranche: null, serial_from: null, serial_to: null, delivery_earliest: null, delivery_latest: null, refusal: null };
    let fields: Omit<Parameters<typeof storeCentralAnswer>[2], 'answer_cursor' | 'answered_by' | 'answered_at'>;
    if (answer.kind === 'allocate') {
      const a = answer.allocation;
      if (await allocatedRangeOverlaps(trx, a.serialFrom, a.serialTo))
        throw new DomainError('BLANK_RANGE_OVERLAP', { id: 'Rentang nomor seri sudah dialokasikan ke kantor lain atau permintaan lain.', en: 'This serial range overlaps one already allocated.' }, 'conflict');
      fields = { ...none, status: 'allocated', allocated_quantity: a.quantity, tranche: a.tranche, serial_from: a.serialFrom, serial_to: a.serialTo, delivery_earliest: a.deliveryEarliest, delivery_latest: a.deliveryLatest };
    } else {
      fields = { ...none, status: 'refused', refusal: answer.reason };
    }
    const cursor = await takeAnswerCursor(trx, row.office_id);
    if (!(await storeCentralAnswer(trx, id, { ...fields, answered_by: by, answered_at: at, answer_cursor: cursor }))) throw answered();
  });
  return present((await findCentralBlankRequest(ctx.db, id))!);
}

/** A page of one office's answer feed after a cursor. */
export async function blankAnswerFeed(ctx: CentralContext, officeId: string, after: number, limit: number): Promise<BlankAnswersResponse> {
  const rows = await answersAfter(ctx.db, officeId, after, limit + 1);
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({
      cursor: r.answer_cursor!,
      requestId: r.id,
      decision: r.status === 'allocated' ? ('allocated' as const) : ('refused' as const),
      allocation: allocationOf(r),
      refusal: r.refusal,
      answeredBy: r.answered_by ?? '',
      answeredAt: r.answered_at ?? '',
    })),
    nextCursor: page.length > 0 ? page[page.length - 1]!.answer_cursor! : after,
    hasMore: rows.length > limit,
  };
}
