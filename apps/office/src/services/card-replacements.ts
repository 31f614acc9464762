import { randomUUID } from 'node:crypto';
import { DomainError } from '@tangguh/domain';
import { CARD_REPLACEMENT_EVENT, type CardReplacementPayload, type CardReplacementRequest, type CardReplacementView } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { enqueueOfficeEvent } from '../repositories/outbox.ts';
import { findCardReplacement, insertCardReplacement, listCardReplacements, type CardReplacementRow } from '../repositories/print-packages.ts';
import type { OfficeUser } from '../repositories/users.ts';

function present(row: CardReplacementRow): CardReplacementView {
  return {
    requestId: row.request_id,
    nik: row.nik,
    reason: row.reason as CardReplacementView['reason'],
    note: row.note,
    status: row.status,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    answeredAt: row.answered_at,
    recordId: row.record_id,
    refusal: row.refusal ? (JSON.parse(row.refusal) as { id: string; en: string }) : null,
  };
}

export const replacementNotFound = () =>
  new DomainError('CARD_REPLACEMENT_NOT_FOUND', { id: 'Permintaan penggantian KTP-el tidak ditemukan.', en: 'Card replacement request not found.' }, 'not_found');

/**
 * Asks the centre for a replacement card package: the request and its outbox event commit together, so it
 * is recorded at once (also during an outage) and reaches the centre exactly once. The resident may have
 * been recorded at another office; the centre finds them by NIK and answers in this office's package feed.
 */
export async function requestCardReplacement(ctx: OfficeContext, props: CardReplacementRequest & { operator: OfficeUser }): Promise<CardReplacementView> {
  const row: CardReplacementRow = {
    request_id: randomUUID(),
    nik: props.nik,
    reason: props.reason,
    note: props.note ?? null,
    status: 'REQUESTED',
    requested_by: props.operator.username,
    requested_at: ctx.now().toISOString(),
    answered_at: null,
    record_id: null,
    refusal: null,
  };
  const payload: CardReplacementPayload = { requestId: row.request_id, nik: row.nik, reason: props.reason, requestedBy: row.requested_by };
  await ctx.db.transaction().execute(async (trx) => {
    await insertCardReplacement(trx, row);
    await enqueueOfficeEvent(trx, { kind: CARD_REPLACEMENT_EVENT, subjectId: row.request_id, payload, at: row.requested_at });
  });
  return present(row);
}

export async function cardReplacement(db: OfficeDbOrTx, requestId: string): Promise<CardReplacementView> {
  const row = await findCardReplacement(db, requestId);
  if (!row) throw replacementNotFound();
  return present(row);
}

export async function cardReplacements(db: OfficeDbOrTx): Promise<CardReplacementView[]> {
  return (await listCardReplacements(db)).map(present);
}
