import { flattenNote, isRecordingEntry, type OfficeEventEntryWire, type OutboxEntryWire, type PushEntryWire, type PushFeedResult, type RecordingPacket, type StatusChange } from '@tangguh/protocol';
import type { Biodata } from '@tangguh/domain';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { getSyncNumber, setSyncValue } from '../repositories/sync-state.ts';
import { outboxEntriesAfter } from '../repositories/outbox.ts';
import { appendStatusEvents, existingRecordIds, recordStatuses, setRecordsStatus, type NewStatusEvent } from '../repositories/records.ts';
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
const ACK_GROUP_ENTRIES = 2500;

/** A batch on its way: sent, its answer (or its failure) not yet looked at. */
interface InFlight {
  entries: PushEntryWire[];
  /** Sent while the batch before it was still on the wire. */
  pipelined: boolean;
  sentAt: string;
  outcome: Promise<{ ok: true; result: PushFeedResult } | { ok: false; error: unknown }>;
}

/**
 * Drains a backlog with two batches on the wire: while the centre applies batch k, batch k+1 is already
 * there (sent marked as pipelined, so the centre waits for k rather than refusing a gap: see
 * apps/central/src/services/push-order.ts), and the office reads, encodes and signs k+2 and commits the
 * acknowledgements before k — so neither side waits for the other's turn. The centre still applies the seqs
 * in order, each batch once, exactly as with `pushOnce`. Acknowledgements are committed a few batches
 * together (ACK_GROUP_ENTRIES), in order, and always before this returns or throws: one durable write for
 * several batches. An acknowledgement not yet committed when the office dies is the same case as in
 * `pushOnce`: the batch goes again and the centre answers it as a replay. Stops after `budgetMs` (the caller
 * pulls the centre's news in between), at the end of the outbox, when the centre acknowledges less than it
 * was sent, or at the first batch that fails — the one behind it is then only awaited, never acknowledged, so
 * a failure leaves acked_seq where the last success put it. A pipelined batch refused as a gap (a centre from
 * before pipelining, or its predecessor lost on the way) ends the call without an error and turns pipelining
 * off for a while (`client.stopPipelining`). Returns the entries acknowledged.
 */
export async function pushBacklog(ctx: OfficeContext, client: CentralClient, batchSize: number, options: { budgetMs: number; running?: () => boolean }): Promise<number> {
  const deadline = Date.now() + options.budgetMs;
  let acknowledged = 0;
  let committing: Promise<void> = Promise.resolve();
  let pending: Acknowledgement[] = [];
  let commitFailure: { error: unknown } | undefined;
  const commitPending = () => {
    const group = pending;
    pending = [];
    // Started a turn later: the batch just handed to the connection goes out first, and the centre applies
    // it while this commit (synchronous SQLite, with its fsync) holds the office's thread.
    committing = committing.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(() => commitAcknowledgements(ctx, group));
    committing.catch((error: unknown) => (commitFailure ??= { error }));
  };
  const inFlight: InFlight[] = [];
  let after = await getSyncNumber(ctx.db, 'acked_seq');
  let outboxEnd = false;
  let sent = 0;
  /** Reads, encodes, signs and sends the batch after `after`; false when there is nothing (more) to send. */
  const sendNext = async (): Promise<boolean> => {
    // The first batch goes whatever the budget: a spent budget still moves the outbox on.
    if (outboxEnd || !(options.running?.() ?? true) || (sent > 0 && Date.now() >= deadline)) return false;
    const entries: PushEntryWire[] = await outboxBatchAfter(ctx, after, batchSize);
    if (entries.length < batchSize) outboxEnd = true;
    if (entries.length === 0) return false;
    after = entries[entries.length - 1]!.seq;
    sent += 1;
    const pipelined = inFlight.length > 0;
    const send = client.preparePush({ officeId: ctx.office.id, entries }, { pipelined });
    const outcome = send().then(
      (result) => ({ ok: true as const, result }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    inFlight.push({ entries, pipelined, sentAt: ctx.now().toISOString(), outcome });
    return true;
  };
  try {
    if ((await sendNext()) && client.pipelines) await sendNext();
    for (let head = inFlight.shift(); head; head = inFlight.shift()) {
      const outcome = await head.outcome;
      if (!outcome.ok) {
        if (isOutOfOrder(outcome.error) && head.pipelined) {
          // The centre did not hold it for the batch before (a centre from before pipelining, or that batch
          // lost on the way): one batch at a time for a while, and this one goes again next cycle.
          client.stopPipelining();
          break;
        }
        // The oldest batch on the wire found the centre behind the office (restored from a backup).
        if (isOutOfOrder(outcome.error) && acknowledged === 0 && pending.length === 0) {
          await catchUpWithCentre(ctx, client);
          break;
        }
        throw outcome.error;
      }
      // A group that could not be committed (a full disk) stops the drain: nothing after it may be committed.
      if (commitFailure) throw commitFailure.error;
      const { result } = outcome;
      const last = head.entries[head.entries.length - 1]!.seq;
      pending.push({ entries: head.entries, appliedThrough: result.appliedThrough, sentAt: head.sentAt, feed: result.feed ?? [] });
      acknowledged += head.entries.filter((e) => e.seq <= result.appliedThrough).length;
      // The centre is behind what it was sent (it acknowledged less): what follows is not sent again here.
      if (result.appliedThrough < last) break;
      await sendNext();
      if (pending.reduce((sum, a) => sum + a.entries.length, 0) >= ACK_GROUP_ENTRIES) commitPending();
    }
  } finally {
    // A batch still on the wire is awaited (never left to reject unheard) but not acknowledged: the next
    // cycle starts after the last acknowledgement and the centre answers anything it did apply as a replay.
    await Promise.all(inFlight.map((f) => f.outcome));
    if (pending.length > 0) commitPending();
    await committing;
  }
  return acknowledged;
}

const isOutOfOrder = (error: unknown) => error instanceof CentralUnavailable && error.code === 'OUT_OF_ORDER';

/** The centre has fewer entries than the office believes (restored from a backup): resend from where it is. */
async function catchUpWithCentre(ctx: OfficeContext, client: CentralClient): Promise<void> {
  await setSyncValue(ctx.db, 'acked_seq', await client.appliedSeq());
}

/**
 * Pushes a batch; undefined when the centre is behind the office (restored from a backup) and acked_seq was
 * moved back.
 */
async function sendBatch(ctx: OfficeContext, client: CentralClient, batch: PushEntryWire[]): Promise<PushFeedResult | undefined> {
  try {
    return await client.push({ officeId: ctx.office.id, entries: batch });
  } catch (error) {
    if (!isOutOfOrder(error)) throw error;
    await catchUpWithCentre(ctx, client);
    return undefined;
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
    // One look-up for both: which sent records still wait (BIO_CAPTURED), which feed entries are ours.
    const current = await recordStatuses(trx, [...new Set([...sent.map((r) => r.id), ...following.map((c) => c.recordId)])]);
    const sentNow = sent.filter((r) => current.get(r.id) === 'BIO_CAPTURED');
    await applyStatusChanges(trx, following, {
      statuses: new Map(sentNow.map((r) => [r.id, { status: 'SENT_FOR_ENROLLMENT', at: r.at }])),
      events: sentNow.map((r) => ({ record_id: r.id, status: 'SENT_FOR_ENROLLMENT', at: r.at, source: 'office', note: null })),
      known: new Set(current.keys()),
    });
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

/** What the acknowledgement sets in the same transaction before the centre's changes (see applyStatusChanges). */
interface EarlierInTransaction {
  /** Statuses set earlier, so each record is written once, with its latest status. */
  statuses: ReadonlyMap<string, { status: string; at: string }>;
  /** Their timeline events, written with the centre's in one statement. */
  events: NewStatusEvent[];
  /** Records this office holds, among those of the changes, when the caller has looked them up already. */
  known?: ReadonlySet<string>;
}

/**
 * Writes the centre's status changes (in feed order) into the timelines and statuses of the records this office
 * holds, in the caller's transaction, after what `earlier` sets. Returns nothing; the caller moves the cursor.
 */
async function applyStatusChanges(trx: OfficeDbOrTx, page: readonly StatusChange[], earlier: EarlierInTransaction = { statuses: new Map(), events: [] }): Promise<void> {
  const known = earlier.known ?? (await existingRecordIds(trx, [...new Set(page.map((c) => c.recordId))]));
  const changes = page.filter((c) => known.has(c.recordId));
  const events = [...earlier.events, ...changes.map((c) => ({ record_id: c.recordId, status: c.status, at: c.at, source: 'central', note: flattenNote(c.note) }))];
  // By record (a stable sort: each record's own events keep their order): the timeline's index is by record,
  // and neighbouring keys share its pages, so fewer of them are written.
  events.sort((a, b) => (a.record_id < b.record_id ? -1 : a.record_id > b.record_id ? 1 : 0));
  await appendStatusEvents(trx, events);
  // The centre's feed is in order per record, so its latest change is the record's status.
  // One update per (status, time) rather than per record: a page of 500 RECEIVED_AT_CENTRAL from one
  // batch is one statement.
  const latest = new Map<string, { status: string; at: string }>(earlier.statuses);
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
