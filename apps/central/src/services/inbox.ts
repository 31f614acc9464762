import { DomainError } from '@tangguh/domain';
import { isRecordingEntry, type OfficeEventEntryWire, type PushBatch, type PushEntryWire, type PushResult, type StatusChange } from '@tangguh/protocol';
import type { CentralContext } from '../context.ts';
import { lockOffice, recordAppliedEntries, setAppliedSeq } from '../repositories/offices.ts';
import { appendChanges } from '../repositories/changes.ts';
import { rememberRequestId } from '../repositories/request-ids.ts';
import { requestReplayed } from './replayed.ts';
import { enrollmentRows, insertEnrollmentRows } from '../repositories/enrollments.ts';
import type { EnrollmentsTable } from '../db/schema.ts';
import { applyOfficeEvents } from './office-events.ts';

export const outOfOrder = (expected: number, got: number) =>
  new DomainError(
    'OUT_OF_ORDER',
    { id: `Paket tidak berurutan: pusat menunggu nomor ${expected}, diterima ${got}.`, en: `Batch out of order: expected seq ${expected}, got ${got}.` },
    'conflict',
  );

/**
 * Applies an office's batch exactly once. Entries at or below the office's applied seq are replays:
 * acknowledged, not applied. The first new entry must be the next seq, so nothing is ever skipped.
 * Enrollments, the permanent (office, seq) record, the new applied seq and the change feed commit together.
 */
export async function applyPushBatch(ctx: CentralContext, officeId: string, batch: PushBatch): Promise<PushResult> {
  return (await applyPushBatchWithFeed(ctx, officeId, batch)).result;
}

/** `applyPushBatch`, and the change-feed entries it appended (see pushFeedResultSchema in @tangguh/protocol). */
export async function applyPushBatchWithFeed(
  ctx: CentralContext,
  officeId: string,
  batch: PushBatch,
  options: { requestId?: { officeId: string; requestId: string; expiresAt: string } } = {},
): Promise<{ result: PushResult; feed: StatusChange[] }> {
  const seqs = batch.entries.map((e) => e.seq);
  for (let i = 1; i < seqs.length; i++) {
    if (seqs[i] !== seqs[i - 1]! + 1) {
      throw new DomainError('BATCH_NOT_CONTIGUOUS', { id: 'Nomor urut paket tidak bersambung.', en: 'Batch entries are not contiguous.' });
    }
  }
  // The rows are made before the transaction (base64 and JSON are the costly part), so the office's row lock
  // and a database connection are held only for the writes.
  const now = ctx.now().toISOString();
  const rowOf = new Map<number, EnrollmentsTable>();
  const recordingEntries = batch.entries.filter(isRecordingEntry);
  enrollmentRows(officeId, recordingEntries.map((e) => e.packet), now).forEach((row, i) => rowOf.set(recordingEntries[i]!.seq, row));
  return ctx.db.transaction().execute(async (trx) => {
    // The request's id is remembered with what it applies; a twin that got here first makes this a replay.
    const id = options.requestId;
    if (id && !(await rememberRequestId(trx, id.officeId, id.requestId, id.expiresAt))) throw requestReplayed();
    const office = await lockOffice(trx, ctx.dialect, officeId);
    if (!office) throw new DomainError('OFFICE_UNKNOWN', { id: 'Kantor tidak terdaftar di pusat.', en: 'Office is not registered.' }, 'unauthenticated');
    const applied = Number(office.applied_seq);
    const firstSeq = seqs[0]!;
    if (firstSeq > applied + 1) throw outOfOrder(applied + 1, firstSeq);

    const fresh = batch.entries.filter((e) => e.seq > applied);
    if (fresh.length === 0) return { result: { appliedThrough: applied, applied: 0, replayed: batch.entries.length }, feed: [] };

    const recordings = fresh.filter(isRecordingEntry);
    const events = fresh.filter((e): e is OfficeEventEntryWire => !isRecordingEntry(e));
    await insertEnrollmentRows(trx, recordings.map((e) => rowOf.get(e.seq)!));
    await recordAppliedEntries(trx, fresh.map((e) => ({ office_id: officeId, seq: e.seq, record_id: subjectOf(e), applied_at: now })));
    // The feed entries this batch appends go back with the answer (see pushFeedResultSchema).
    const feed: StatusChange[] = [];
    if (recordings.length > 0) {
      const received = recordings.map((e) => ({ officeId, recordId: e.packet.recordId, status: 'RECEIVED_AT_CENTRAL' as const, at: now, note: null }));
      const cursors = await appendChanges(trx, received);
      received.forEach((c, i) => feed.push({ cursor: cursors[i]!, recordId: c.recordId, status: c.status, at: c.at, note: null }));
    }
    await applyOfficeEvents(trx, ctx, officeId, events, now);
    const appliedThrough = fresh[fresh.length - 1]!.seq;
    await setAppliedSeq(trx, officeId, appliedThrough);
    return { result: { appliedThrough, applied: fresh.length, replayed: batch.entries.length - fresh.length }, feed };
  });
}

const subjectOf = (entry: PushEntryWire) => (isRecordingEntry(entry) ? entry.packet.recordId : entry.subjectId);
