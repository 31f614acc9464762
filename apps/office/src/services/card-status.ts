import { DomainError, STATUS_LABELS, canTransition, isRecordStatus, lifecycleRank } from '@tangguh/domain';
import { CARD_STATUS_EVENT, cardStatusPayloadSchema, type CardStatus, type CardStatusPayload } from '@tangguh/protocol';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { moveRecordStatus, recordStatusOf } from '../repositories/card-status.ts';
import { enqueueOfficeEvent } from '../repositories/outbox.ts';
import { appendStatusEvents } from '../repositories/records.ts';

export interface CardStatusProps {
  recordId: string;
  status: CardStatus;
  /** ISO instant of the change (the caller's ctx.now()). */
  at: string;
  /** Username, or `system:<worker>` for unattended work. */
  by: string;
  /** FIRST (default) moves the record; REPLACEMENT only logs (the record went through the lifecycle before). */
  card?: 'FIRST' | 'REPLACEMENT';
  packageId?: string | null;
  /** Facts kept with the status at the centre (blank serial, printer, manifest, pickup point …). */
  detail?: CardStatusPayload['detail'];
  /** The timeline's note at this office; defaults to none. */
  note?: string | null;
}

export const cardStatusNotAllowed = (from: string, to: CardStatus) => {
  const label = (s: string) => (isRecordStatus(s) ? STATUS_LABELS[s] : { id: s, en: s });
  return new DomainError(
    'CARD_STATUS_NOT_ALLOWED',
    { id: `Status tidak dapat berpindah dari "${label(from).id}" ke "${label(to).id}".`, en: `The status cannot move from "${label(from).en}" to "${label(to).en}".` },
    'conflict',
  );
};

export const cardRecordUnknown = () =>
  new DomainError('CARD_RECORD_UNKNOWN', { id: 'Rekaman tidak ada di kantor ini.', en: 'This office does not hold the record.' }, 'not_found');

/** The record is at `status` or past it on the card's path (CARD_ISSUED is past CARD_SHIPPED and CARD_PRINTED). */
const alreadyThere = (from: string, status: CardStatus) =>
  from === status || (isRecordStatus(from) && lifecycleRank(from) > lifecycleRank('PRINT_READY_RECORD') && lifecycleRank(from) >= lifecycleRank(status));

/**
 * Moves a card along SENT_FOR_CARD_PRINTING → CARD_PRINTED → CARD_SHIPPED → CARD_ISSUED inside the caller's
 * transaction: the record's status, its timeline and the `card.status` outbox event commit together with
 * whatever caused the change (a print job, a manifest, a handover), so the centre hears of it exactly once.
 *
 * Idempotent: a record already at or past `status` is left alone and false is returned (a print worker that
 * restarts, a double click). A move the lifecycle forbids throws CARD_STATUS_NOT_ALLOWED (409).
 * A REPLACEMENT card does not move the record (it went through the lifecycle with its first card, perhaps at
 * another office); its statuses are written to the timeline, when the record is held here, and sent to the centre.
 */
export async function recordCardStatus(trx: OfficeDbOrTx, props: CardStatusProps): Promise<boolean> {
  const card = props.card ?? 'FIRST';
  const payload = cardStatusPayloadSchema.parse({
    recordId: props.recordId,
    status: props.status,
    at: props.at,
    by: props.by,
    card,
    packageId: props.packageId ?? null,
    detail: props.detail ?? {},
  });
  const current = await recordStatusOf(trx, props.recordId);
  if (card === 'FIRST') {
    if (current === undefined) throw cardRecordUnknown();
    // Two tries: a concurrent writer may move the record between the read and the compare-and-set.
    let from: string = current;
    for (let attempt = 0; ; attempt++) {
      if (alreadyThere(from, props.status)) return false;
      if (!isRecordStatus(from) || !canTransition(from, props.status)) throw cardStatusNotAllowed(from, props.status);
      if (await moveRecordStatus(trx, props.recordId, from, props.status, props.at)) break;
      const again = await recordStatusOf(trx, props.recordId);
      if (again === undefined || attempt > 0) throw cardStatusNotAllowed(again ?? from, props.status);
      from = again;
    }
  }
  if (current !== undefined) {
    const note = props.note ?? (card === 'REPLACEMENT' ? 'Kartu pengganti / Replacement card' : null);
    await appendStatusEvents(trx, [{ record_id: props.recordId, status: props.status, at: props.at, source: 'office', note }]);
  }
  await enqueueOfficeEvent(trx, { kind: CARD_STATUS_EVENT, subjectId: props.recordId, payload, at: props.at });
  return true;
}
