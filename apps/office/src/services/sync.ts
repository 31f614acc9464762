import { flattenNote, isRecordingEntry, type OfficeEventEntryWire, type OutboxEntryWire, type PushEntryWire, type PushFeedResult, type RecordingPacket, type StatusChange } from '@tangguh/protocol';
import type { Biodata } from '@tangguh/domain';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { getSyncNumber, setSyncValue } from '../repositories/sync-state.ts';
import { outboxEntriesAfter } from '../repositories/outbox.ts';
import { appendStatusEvents, existingRecordIds, setRecordsStatus } from '../repositories/records.ts';
import type { CentralClient } from './central-client.ts';
import { CentralUnavailable } from './central-client.ts';
import { revokeSuketsOfIssuedCards } from './suket.ts';

const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** Reads the next outbox entries after the acknowledged seq, with the immutable record each refers to. */
export async function nextOutboxBatch(ctx: OfficeContext, limit: number): Promise<OutboxEntryWire[]> {
  return (await outboxBatchAfter(ctx, await getSyncNumber(ctx.db, 'acked_seq'), limit)).map((entry) =>
    isRecordingEntry(entry)
      ? {
          ...entry,
          packet: {
            ...entry.packet,
            photo: { ...entry.packet.photo, data: toBase64(entry.packet.photo.data) },
            signature: { ...entry.packet.signature, data: toBase64(entry.packet.signature.data) },
            sealedBiometrics: toBase64(entry.packet.sealedBiometrics),
          },
        }
      : entry,
  );
}

/** A recording entry as the office pushes it: its images and sealed templates as the bytes stored. */
type PushRecordingEntry = Extract<PushEntryWire, { kind: 'recording.created' }> & { packet: { photo: { data: Uint8Array }; signature: { data: Uint8Array }; sealedBiometrics: Uint8Array } };

/** The outbox entries after `after` as a push carries them (bytes as bytes; the client encodes the body). */
async function outboxBatchAfter(ctx: OfficeContext, after: number, limit: number): Promise<(PushRecordingEntry | OfficeEventEntryWire)[]> {
  const rows = await outboxEntriesAfter(ctx.db, after, limit);
  return rows.map((row): PushRecordingEntry | OfficeEventEntryWire => {
    const seq = Number(row.seq);
    if (row.kind !== 'recording.created') {
      return { seq, kind: row.kind, occurredAt: row.created_at, subjectId: row.subject_id ?? '', payload: JSON.parse(row.payload ?? '{}') as Record<string, unknown> };
    }
    if (!row.id) throw new Error(`outbox entry ${seq} refers to a missing record`);
    const packet: PushRecordingEntry['packet'] = {
      recordId: row.id,
      registrationNumber: row.registration_number!,
      siteId: row.site_id!,
      recordedAt: row.recorded_at!,
      biodata: JSON.parse(row.biodata!) as Biodata,
      photo: { mime: row.photo_mime!, data: row.photo! },
      signature: { mime: row.signature_mime!, data: row.signature! },
      sealedBiometrics: row.sealed_biometrics!,
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

/** How many acknowledged entries the drain commits in one transaction (one fsync for several batches). */
const ACK_GROUP_ENTRIES = 1000;

/**
 * Drains a backlog as a two-stage pipeline: while the centre applies batch k+1, the office commits the
 * acknowledgements before it and reads the next batch. A batch is sent only once the one before it is
 * applied at the centre (its answer is in), so the centre sees the seqs in order exactly as with
 * `pushOnce`; what overlaps is only the office's own work. Acknowledgements are committed a few batches
 * together (ACK_GROUP_ENTRIES) and always before this returns or throws: one durable write for several
 * batches. An acknowledgement not yet committed when the office dies is the same case as in `pushOnce`: the
 * batch goes again and the centre answers it as a replay. Stops after `budgetMs` (the caller pulls the
 * centre's news in between), at the end of the outbox, or when the centre acknowledges less than it was
 * sent. Returns the entries acknowledged.
 */
export async function pushBacklog(ctx: OfficeContext, client: CentralClient, batchSize: number, options: { budgetMs: number; running?: () => boolean }): Promise<number> {
  const deadline = Date.now() + options.budgetMs;
  let entries: PushEntryWire[] = await outboxBatchAfter(ctx, await getSyncNumber(ctx.db, 'acked_seq'), batchSize);
  let acknowledged = 0;
  let committing: Promise<void> = Promise.resolve();
  let pending: Acknowledgement[] = [];
  const commitPending = () => {
    const group = pending;
    pending = [];
    // Started a turn later: the next batch, just handed to the connection, goes out first, and the centre
    // applies it while this commit (synchronous SQLite, with its fsync) holds the office's thread.
    committing = committing.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(() => commitAcknowledgements(ctx, group));
    committing.catch(() => undefined);
  };
  const prepare = (batch: PushEntryWire[]) => client.preparePush({ officeId: ctx.office.id, entries: batch });
  let prepared = entries.length > 0 ? prepare(entries) : undefined;
  try {
    while (entries.length > 0 && prepared) {
      const sentAt = ctx.now().toISOString();
      const sending = sendBatch(ctx, client, prepared);
      // Nobody may be left holding a rejection while the work below runs; it is awaited just after.
      sending.catch(() => undefined);
      await committing;
      const last = entries[entries.length - 1]!.seq;
      const more = entries.length === batchSize && (options.running?.() ?? true) && Date.now() < deadline;
      const next = more ? await outboxBatchAfter(ctx, last, batchSize) : [];
      // Encoded and signed while the centre applies this batch; sent as soon as its answer is in.
      const nextPrepared = next.length > 0 ? prepare(next) : undefined;
      const result = await sending;
      // The centre is behind (restored from a backup) and acked_seq was moved back to it: what is not yet
      // committed here is not at the centre any more either, and goes again.
      if (!result) {
        pending = [];
        break;
      }
      pending.push({ entries, appliedThrough: result.appliedThrough, sentAt, feed: result.feed ?? [] });
      acknowledged += entries.filter((e) => e.seq <= result.appliedThrough).length;
      if (pending.reduce((sum, a) => sum + a.entries.length, 0) >= ACK_GROUP_ENTRIES) commitPending();
      if (result.appliedThrough < last) break;
      entries = next;
      prepared = nextPrepared;
    }
  } finally {
    if (pending.length > 0) commitPending();
    await committing;
  }
  return acknowledged;
}

/**
 * Pushes a batch (`entries`, or a push prepared by `client.preparePush`, which asks for the change-feed entries
 * the batch appends: see commitAcknowledgements); undefined when the centre is behind the office (restored
 * from a backup) and acked_seq was moved back.
 */
async function sendBatch(ctx: OfficeContext, client: CentralClient, batch: PushEntryWire[] | (() => Promise<PushFeedResult>)): Promise<PushFeedResult | undefined> {
  try {
    return await (typeof batch === 'function' ? batch() : client.push({ officeId: ctx.office.id, entries: batch }));
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

/** What the centre answered to one batch, to be committed at the office. */
interface Acknowledgement {
  entries: PushEntryWire[];
  appliedThrough: number;
  sentAt: string;
  feed: readonly StatusChange[];
}

/** The centre applied everything through `appliedThrough`: acked_seq moves on and its recordings become SENT_FOR_ENROLLMENT, in one transaction. */
function commitAcknowledgement(ctx: OfficeContext, entries: OutboxEntryWire[], appliedThrough: number, sentAt: string): Promise<void> {
  return commitAcknowledgements(ctx, [{ entries, appliedThrough, sentAt, feed: [] }]);
}

/**
 * Commits the centre's answers to one or more batches in one transaction: acked_seq moves on and each batch's
 * recordings become SENT_FOR_ENROLLMENT at the time it was sent. When the answers carried the feed entries the
 * batches appended (RECEIVED_AT_CENTRAL for each recording), those that follow the office's pull cursor without
 * a gap are applied here as well, as the next pull would apply them, and the pull cursor moves past them: the
 * records' timelines are the same (SENT_FOR_ENROLLMENT, then RECEIVED_AT_CENTRAL), but each record row is
 * written once instead of twice and the pull has those left to do no more. The rest the next pull brings.
 */
async function commitAcknowledgements(ctx: OfficeContext, acks: readonly Acknowledgement[]): Promise<void> {
  if (acks.length === 0) return;
  const appliedThrough = Math.max(...acks.map((a) => a.appliedThrough));
  const sent = acks.flatMap((a) => a.entries.filter((e) => e.seq <= a.appliedThrough).flatMap((e) => (isRecordingEntry(e) ? [{ id: e.packet.recordId, at: a.sentAt }] : [])));
  const feed = acks.flatMap((a) => a.feed);
  await ctx.db.transaction().execute(async (trx) => {
    await setSyncValue(trx, 'acked_seq', Math.max(appliedThrough, await getSyncNumber(trx, 'acked_seq')));
    await setSyncValue(trx, 'last_push_at', acks[acks.length - 1]!.sentAt);
    const following = feed.length > 0 ? feed.slice(0, followingCount(feed, await getSyncNumber(trx, 'pull_cursor'))) : [];
    if (sent.length === 0 && following.length === 0) return;
    const waiting = sent.length === 0 ? new Set<string>() : await existingRecordIds(trx, sent.map((r) => r.id), 'BIO_CAPTURED');
    const statuses = new Map(sent.filter((r) => waiting.has(r.id)).map((r) => [r.id, { status: 'SENT_FOR_ENROLLMENT', at: r.at }]));
    if (statuses.size > 0) await appendStatusEvents(trx, [...statuses].map(([id, s]) => ({ record_id: id, status: s.status, at: s.at, source: 'office', note: null })));
    await applyStatusChanges(trx, following, statuses);
    if (following.length > 0) {
      await setSyncValue(trx, 'pull_cursor', following[following.length - 1]!.cursor);
      await setSyncValue(trx, 'last_pull_at', ctx.now().toISOString());
    }
  });
}

/** How many of `changes`, from the first, are the feed entries right after `cursor`, one after another. */
function followingCount(changes: readonly StatusChange[], cursor: number): number {
  let n = 0;
  while (n < changes.length && changes[n]!.cursor === cursor + 1 + n) n++;
  return n;
}

/**
 * Writes the centre's status changes (in feed order) into the timelines and statuses of the records this office
 * holds, in the caller's transaction; `before` holds statuses set earlier in the same transaction, so each
 * record is written once, with its latest status. Returns nothing; the caller moves the cursor.
 */
async function applyStatusChanges(trx: OfficeDbOrTx, page: readonly StatusChange[], before: ReadonlyMap<string, { status: string; at: string }> = new Map()): Promise<void> {
  const known = await existingRecordIds(trx, [...new Set(page.map((c) => c.recordId))]);
  const changes = page.filter((c) => known.has(c.recordId));
  if (changes.length > 0) {
    await appendStatusEvents(trx, changes.map((c) => ({ record_id: c.recordId, status: c.status, at: c.at, source: 'central', note: flattenNote(c.note) })));
  }
  // The centre's feed is in order per record, so its latest change is the record's status.
  // One update per (status, time) rather than per record: a page of 500 RECEIVED_AT_CENTRAL from one
  // batch is one statement.
  const latest = new Map<string, { status: string; at: string }>(before);
  for (const change of changes) latest.set(change.recordId, { status: change.status, at: change.at });
  const groups = new Map<string, { status: string; at: string; ids: string[] }>();
  for (const [id, change] of latest) {
    const key = `${change.status}\u0000${change.at}`;
    const group = groups.get(key) ?? groups.set(key, { status: change.status, at: change.at, ids: [] }).get(key)!;
    group.ids.push(id);
  }
  for (const group of groups.values()) {
    for (let i = 0; i < group.ids.length; i += 500) await setRecordsStatus(trx, group.ids.slice(i, i + 500), group.status, group.at);
  }
  if (changes.length > 0) await revokeSuketsOfIssuedCards(trx, changes);
}

/** Applies the centre's status changes after our cursor; the cursor moves in the same transaction. */
export async function pullOnce(ctx: OfficeContext, client: CentralClient, pageSize: number): Promise<{ applied: number; hasMore: boolean }> {
  const cursor = await getSyncNumber(ctx.db, 'pull_cursor');
  const page = await client.changes(cursor, pageSize);
  if (page.changes.length === 0) return { applied: 0, hasMore: false };
  const pulledAt = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await applyStatusChanges(trx, page.changes);
    await setSyncValue(trx, 'pull_cursor', page.nextCursor);
    await setSyncValue(trx, 'last_pull_at', pulledAt);
  });
  return { applied: page.changes.length, hasMore: page.hasMore };
}
