import type { OfficeDbOrTx } from '../db/schema.ts';
import { OUTBOX_SEQ_COUNTER } from '../db/migrations/0002_outbox_seq_counter.ts';

/**
 * Locks the outbox counter row for the rest of the caller's transaction without taking a seq (an update
 * that changes nothing still locks the row on PostgreSQL; on SQLite it starts the single write). A
 * transaction that may end without an outbox entry (a replayed request, a refused NIK) locks first and
 * takes its seq later, so it checks against everything committed before it and leaves no gap.
 */
export async function lockOutbox(trx: OfficeDbOrTx): Promise<void> {
  const row = await trx
    .updateTable('counters')
    .set((eb) => ({ value: eb.ref('value') }))
    .where('name', '=', OUTBOX_SEQ_COUNTER)
    .returning('value')
    .executeTakeFirst();
  if (!row) throw new Error(`counters row ${OUTBOX_SEQ_COUNTER} is missing: the office database is not migrated`);
}

/**
 * Takes the next outbox seq inside the caller's transaction. The update locks the counter row until the
 * transaction ends, so on PostgreSQL as on SQLite seqs are gap-free (a rollback gives the number back)
 * and in commit order (the next writer waits here for the lock, then reads the committed value) — the
 * centre refuses a gap. A database sequence would give neither. Call it before any check whose answer
 * must not change before the commit (the NIK check): from here on, writers of the outbox take turns.
 */
export async function takeOutboxSeq(trx: OfficeDbOrTx): Promise<number> {
  const row = await trx
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', OUTBOX_SEQ_COUNTER)
    .returning('value')
    .executeTakeFirst();
  if (!row) throw new Error(`counters row ${OUTBOX_SEQ_COUNTER} is missing: the office database is not migrated`);
  return Number(row.value);
}

/** Queues a recording for the centre under a seq from takeOutboxSeq, in the same transaction as the record. */
export async function enqueueRecording(trx: OfficeDbOrTx, entry: { seq: number; recordId: string; at: string }): Promise<void> {
  await trx
    .insertInto('outbox')
    .values({ seq: entry.seq, kind: 'recording.created', record_id: entry.recordId, subject_id: entry.recordId, payload: null, created_at: entry.at })
    .execute();
}

/**
 * Queues an office event for the centre, in the caller's transaction, so the change and the news of it
 * commit together. `subjectId` names what the event is about (a Suket serial, a document id).
 */
export async function enqueueOfficeEvent(trx: OfficeDbOrTx, event: { kind: string; subjectId: string; payload: Record<string, unknown>; at: string }): Promise<void> {
  const seq = await takeOutboxSeq(trx);
  await trx
    .insertInto('outbox')
    .values({ seq, kind: event.kind, record_id: null, subject_id: event.subjectId, payload: JSON.stringify(event.payload), created_at: event.at })
    .execute();
}

/** The outbox entries after `acked`, in seq order, each with the (immutable) record a recording entry points at. */
export function outboxEntriesAfter(db: OfficeDbOrTx, acked: number, limit: number) {
  return db
    .selectFrom('outbox')
    .leftJoin('records', 'records.id', 'outbox.record_id')
    .select([
      'outbox.seq', 'outbox.kind', 'outbox.subject_id', 'outbox.payload', 'outbox.created_at', 'records.id', 'records.registration_number', 'records.site_id', 'records.recorded_at',
      'records.biodata', 'records.photo', 'records.photo_mime', 'records.signature', 'records.signature_mime',
      'records.sealed_biometrics', 'records.exceptions',
    ])
    .where('outbox.seq', '>', acked)
    .orderBy('outbox.seq')
    .limit(limit)
    .execute();
}

/** The highest seq the outbox counter has handed out. */
export async function highestOutboxSeq(trx: OfficeDbOrTx): Promise<number> {
  const counter = await trx.selectFrom('counters').select('value').where('name', '=', OUTBOX_SEQ_COUNTER).executeTakeFirstOrThrow();
  return Number(counter.value);
}

/** Moves the outbox counter on to `seq`, so the next entry is numbered after it (a restore behind the centre). */
export async function advanceOutboxSeq(trx: OfficeDbOrTx, seq: number): Promise<void> {
  await trx.updateTable('counters').set({ value: seq }).where('name', '=', OUTBOX_SEQ_COUNTER).execute();
}
