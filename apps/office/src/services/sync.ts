import { flattenNote, isRecordingEntry, type OutboxEntryWire, type PushResult, type RecordingPacket } from '@tangguh/protocol';
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
  return outboxBatchAfter(ctx, await getSyncNumber(ctx.db, 'acked_seq'), limit);
}

/** The outbox entries after `after` as they go on the wire. */
async function outboxBatchAfter(ctx: OfficeContext, after: number, limit: number): Promise<OutboxEntryWire[]> {
  const rows = await outboxEntriesAfter(ctx.db, after, limit);
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
  const result = await sendBatch(ctx, client, entries);
  if (!result) return 0;
  await commitAcknowledgement(ctx, entries, result.appliedThrough, sentAt);
  return entries.filter((e) => e.seq <= result.appliedThrough).length;
}

/**
 * Drains a backlog as a two-stage pipeline: while the centre applies batch k+1, the office commits the
 * acknowledgement of batch k and reads the next one. A batch is sent only once the one before it is
 * applied at the centre (its answer is in), so the centre sees the seqs in order exactly as with
 * `pushOnce`; what overlaps is only the office's own work. An acknowledgement not yet committed when the
 * office dies is the same case as in `pushOnce`: the batch goes again and the centre answers it as a
 * replay. Stops after `budgetMs` (the caller pulls the centre's news in between), at the end of the
 * outbox, or when the centre acknowledges less than it was sent. Returns the entries acknowledged.
 */
export async function pushBacklog(ctx: OfficeContext, client: CentralClient, batchSize: number, options: { budgetMs: number; running?: () => boolean }): Promise<number> {
  const deadline = Date.now() + options.budgetMs;
  let entries = await nextOutboxBatch(ctx, batchSize);
  let acknowledged = 0;
  let committing: Promise<void> = Promise.resolve();
  try {
    while (entries.length > 0) {
      const sentAt = ctx.now().toISOString();
      const sending = sendBatch(ctx, client, entries);
      // Nobody may be left holding a rejection while the work below runs; it is awaited just after.
      sending.catch(() => undefined);
      await committing;
      const last = entries[entries.length - 1]!.seq;
      const more = entries.length === batchSize && (options.running?.() ?? true) && Date.now() < deadline;
      const next = more ? await outboxBatchAfter(ctx, last, batchSize) : [];
      const result = await sending;
      if (!result) break;
      const sent = entries;
      committing = commitAcknowledgement(ctx, sent, result.appliedThrough, sentAt);
      committing.catch(() => undefined);
      acknowledged += sent.filter((e) => e.seq <= result.appliedThrough).length;
      if (result.appliedThrough < last) break;
      entries = next;
    }
  } finally {
    await committing;
  }
  return acknowledged;
}

/** Pushes a batch; undefined when the centre is behind the office (restored from a backup) and acked_seq was moved back. */
async function sendBatch(ctx: OfficeContext, client: CentralClient, entries: OutboxEntryWire[]): Promise<PushResult | undefined> {
  try {
    return await client.push({ officeId: ctx.office.id, entries });
  } catch (error) {
    if (error instanceof CentralUnavailable && error.code === 'OUT_OF_ORDER') {
      // The centre has fewer entries than we believe (restored from a backup): resend from where it is.
      const applied = await client.appliedSeq();
      await setSyncValue(ctx.db, 'acked_seq', applied);
      return undefined;
    }
    throw error;
  }
}

/** The centre applied everything through `appliedThrough`: acked_seq moves on and its recordings become SENT_FOR_ENROLLMENT, in one transaction. */
async function commitAcknowledgement(ctx: OfficeContext, entries: OutboxEntryWire[], appliedThrough: number, sentAt: string): Promise<void> {
  const acknowledged = entries.filter((e) => e.seq <= appliedThrough).flatMap((e) => (isRecordingEntry(e) ? [e.packet.recordId] : []));
  await ctx.db.transaction().execute(async (trx) => {
    await setSyncValue(trx, 'acked_seq', Math.max(appliedThrough, await getSyncNumber(trx, 'acked_seq')));
    await setSyncValue(trx, 'last_push_at', sentAt);
    if (acknowledged.length === 0) return;
    const ids = [...(await existingRecordIds(trx, acknowledged, 'BIO_CAPTURED'))];
    if (ids.length === 0) return;
    await appendStatusEvents(trx, ids.map((id) => ({ record_id: id, status: 'SENT_FOR_ENROLLMENT', at: sentAt, source: 'office', note: null })));
    await setRecordsStatus(trx, ids, 'SENT_FOR_ENROLLMENT', sentAt);
  });
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
      // One update per (status, time) rather than per record: a page of 500 RECEIVED_AT_CENTRAL from one
      // batch is one statement.
      const latest = new Map(changes.map((c) => [c.recordId, c]));
      const groups = new Map<string, { status: string; at: string; ids: string[] }>();
      for (const change of latest.values()) {
        const key = `${change.status}\u0000${change.at}`;
        const group = groups.get(key) ?? groups.set(key, { status: change.status, at: change.at, ids: [] }).get(key)!;
        group.ids.push(change.recordId);
      }
      for (const group of groups.values()) {
        for (let i = 0; i < group.ids.length; i += 500) await setRecordsStatus(trx, group.ids.slice(i, i + 500), group.status, group.at);
      }
      await revokeSuketsOfIssuedCards(trx, changes);
    }
    await setSyncValue(trx, 'pull_cursor', page.nextCursor);
    await setSyncValue(trx, 'last_pull_at', pulledAt);
  });
  return { applied: page.changes.length, hasMore: page.hasMore };
}
