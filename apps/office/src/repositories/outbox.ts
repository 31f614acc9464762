import type { OfficeDbOrTx } from '../db/schema.ts';

/**
 * Queues an office event for the centre, in the caller's transaction, so the change and the news of it
 * commit together. `subjectId` names what the event is about (a Suket serial, a document id).
 */
export async function enqueueOfficeEvent(trx: OfficeDbOrTx, event: { kind: string; subjectId: string; payload: Record<string, unknown>; at: string }): Promise<void> {
  await trx
    .insertInto('outbox')
    .values({ kind: event.kind, record_id: null, subject_id: event.subjectId, payload: JSON.stringify(event.payload), created_at: event.at })
    .execute();
}
