import type { Transaction } from 'kysely';
import { canTransition, isRecordStatus, lifecycleRank } from '@tangguh/domain';
import { cardStatusPayloadSchema, type OfficeEventEntryWire } from '@tangguh/protocol';
import type { CentralContext } from '../context.ts';
import type { CentralDb } from '../db/schema.ts';
import { enrollmentStatus, moveEnrollmentStatus } from '../repositories/card-status.ts';

/**
 * card.status → the enrollment moves to the card status the office reports (SENT_FOR_CARD_PRINTING,
 * CARD_PRINTED, CARD_SHIPPED, CARD_ISSUED), when the lifecycle allows that move from where the centre has it.
 *
 * - The office's own record only: an office cannot move another office's resident.
 * - A status the enrollment already has or has passed changes nothing (replays are stopped by the inbox
 *   already; this also covers an office restored from a backup that reports a status again).
 * - A replacement card is kept in office_events only: the record went through the lifecycle with its first card.
 * - Nothing is appended to the office's change feed: the office made the change and holds it already, and a
 *   copy pulled back later could move its record backwards (a card shipped since).
 * An unusable payload is logged and ignored: throwing would stall the office's whole queue behind it.
 */
export async function applyCardStatus(trx: Transaction<CentralDb>, _ctx: CentralContext, officeId: string, event: OfficeEventEntryWire): Promise<void> {
  const parsed = cardStatusPayloadSchema.safeParse(event.payload);
  const ignore = (why: string) => console.warn(`[pusat] ${event.kind} ${officeId}#${event.seq} ignored (${why}); kept in office_events`);
  if (!parsed.success) return ignore(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const { recordId, status, at, card } = parsed.data;
  if (card === 'REPLACEMENT') return;
  const enrollment = await enrollmentStatus(trx, recordId);
  if (!enrollment) return ignore(`record ${recordId} unknown`);
  if (enrollment.office_id !== officeId) return ignore(`record ${recordId} belongs to office ${enrollment.office_id}`);
  const from = enrollment.status;
  if (!isRecordStatus(from)) return ignore(`record ${recordId} in unknown status ${from}`);
  if (from === status || (lifecycleRank(from) > lifecycleRank('PRINT_READY_RECORD') && lifecycleRank(from) >= lifecycleRank(status))) return;
  if (!canTransition(from, status)) return ignore(`${from} → ${status} is not a lifecycle move`);
  await moveEnrollmentStatus(trx, recordId, from, status, at);
}
