import { flattenNote, isRecordingEntry, type OutboxEntryWire, type RecordingPacket } from '@tangguh/protocol';
import type { Biodata } from '@tangguh/domain';
import type { OfficeContext } from '../context.ts';
import { getSyncNumber, setSyncValue } from '../repositories/sync-state.ts';
import { outboxEntriesAfter } from '../repositories/outbox.ts';
import { appendStatusEvents, existingRecordIds, setRecordsStatus } from '../repositories/records.ts';
import type { CentralClient } from './central-client.ts';
import { CentralUnavailable } from './central-client.ts';
import { revokeSuketsOfIssuedCards } from './suket.ts';

const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** Reads the next outbox entries after the acknowledged seq, with the immutable record each refers to. */
export async function nextOutboxBatch(ctx: OfficeContext, limit: number): Promise<OutboxEntryWire[]> {
  const acked = await getSyncNumber(ctx.db, 'acked_seq');
  const rows = await outboxEntriesAfter(ctx.db, acked, limit);
  return rows.map((row): OutboxEntryWire => {
    const seq = Number(row.seq);
    if (row.kind !== 'recording.created') {
      return { seq, kind: row.kind, occurredAt: row.created_at, subjectId: row.subject_id ?? '', payload: JSON.parse(row.payload ?? '{}') as Record<string, unknown> };
    }
    if (!row.id) throw new Error(`outbox entry ${seq} refers to a missing record`);
    const packet: RecordingPacket = {
      recordId: row.id,
      registrationNumber: row.registration_number!,
      siteId: row.site_id!,
      recordedAt: row.recorded_at!,
      biodata: JSON.parse(row.biodata!) as Biodata,
      photo: { mime: row.photo_mime!, data: toBase64(row.photo!) },
      signature: { mime: row.signature_mime!, data: toBase64(row.signature!) },
      sealedBiometrics: toBase64(row.sealed_biometrics!),
      exceptions: JSON.parse(row.exceptions!) as RecordingPacket['exceptions'],
    };
    return { seq, kind: 'recording.created', occurredAt: row.created_at, packet };
  });
}

/**
 * Sends one batch. The acknowledgement and the SENT_FOR_ENROLLMENT events commit together; if the
 * office dies before that, the batch is sent again and the centre acknowledges it as a replay.
 */
export async function pushOnce(ctx: OfficeContext, client: CentralClient, batchSize: number): Promise<number> {
  const entries = await nextOutboxBatch(ctx, batchSize);
  if (entries.length === 0) return 0;
  const sentAt = ctx.now().toISOString();
  let result;
  try {
    result = await client.push({ officeId: ctx.office.id, entries });
  } catch (error) {
    if (error instanceof CentralUnavailable && error.code === 'OUT_OF_ORDER') {
      // The centre has fewer entries than we believe (restored from a backup): resend from where it is.
      const applied = await client.appliedSeq();
      await setSyncValue(ctx.db, 'acked_seq', applied);
      return 0;
    }
    throw error;
  }
  const acknowledged = entries.filter((e) => e.seq <= result.appliedThrough).flatMap((e) => (isRecordingEntry(e) ? [e.packet.recordId] : []));
  await ctx.db.transaction().execute(async (trx) => {
    await setSyncValue(trx, 'acked_seq', Math.max(result.appliedThrough, await getSyncNumber(trx, 'acked_seq')));
    await setSyncValue(trx, 'last_push_at', sentAt);
    if (acknowledged.length === 0) return;
    const ids = [...(await existingRecordIds(trx, acknowledged, 'BIO_CAPTURED'))];
    if (ids.length === 0) return;
    await appendStatusEvents(trx, ids.map((id) => ({ record_id: id, status: 'SENT_FOR_ENROLLMENT', at: sentAt, source: 'office', note: null })));
    await setRecordsStatus(trx, ids, 'SENT_FOR_ENROLLMENT', sentAt);
  });
  return entries.filter((e) => e.seq <= result.appliedThrough).length;
}

/** Applies the centre's status changes after our cursor; the cursor moves in the same transaction. */
export async function pullOnce(ctx: OfficeContext, client: CentralClient, pageSize: number): Promise<{ applied: number; hasMore: boolean }> {
  const cursor = await getSyncNumber(ctx.db, 'pull_cursor');
  const page = await client.changes(cursor, pageSize);
  if (page.changes.length === 0) return { applied: 0, hasMore: false };
  const pulledAt = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const ids = [...new Set(page.changes.map((c) => c.recordId))];
    const known = await existingRecordIds(trx, ids);
    const changes = page.changes.filter((c) => known.has(c.recordId));
    if (changes.length > 0) {
      await appendStatusEvents(trx, changes.map((c) => ({ record_id: c.recordId, status: c.status, at: c.at, source: 'central', note: flattenNote(c.note) })));
      // The centre's feed is in order per record, so its latest change is the record's status.
      const latest = new Map(changes.map((c) => [c.recordId, c]));
      for (const change of latest.values()) {
        await setRecordsStatus(trx, [change.recordId], change.status, change.at);
      }
      await revokeSuketsOfIssuedCards(trx, changes);
    }
    await setSyncValue(trx, 'pull_cursor', page.nextCursor);
    await setSyncValue(trx, 'last_pull_at', pulledAt);
  });
  return { applied: page.changes.length, hasMore: page.hasMore };
}
