import type { OfficeEventEntryWire } from '@tangguh/protocol';
import type { CentralDbOrTx } from '../db/schema.ts';

/** Keeps every office event as sent, projected or not, so a kind the centre learns later is never lost. */
export async function logOfficeEvents(trx: CentralDbOrTx, officeId: string, events: OfficeEventEntryWire[], appliedAt: string): Promise<void> {
  if (events.length === 0) return;
  await trx
    .insertInto('office_events')
    .values(events.map((e) => ({ office_id: officeId, seq: e.seq, kind: e.kind, subject_id: e.subjectId, payload: JSON.stringify(e.payload), occurred_at: e.occurredAt, applied_at: appliedAt })))
    .execute();
}
