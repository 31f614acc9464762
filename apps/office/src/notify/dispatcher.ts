import { openSecretText } from '@tangguh/platform';
import type { OfficeDbOrTx } from '../db/schema.ts';
import {
  cancelMessage,
  claimMessage,
  dueMessages,
  findSubscriber,
  finishDelivery,
  finishMessage,
  insertDelivery,
  interruptedMessages,
  type OutboxRow,
} from '../repositories/notifications.ts';
import type { Kysely } from 'kysely';
import type { OfficeDb } from '../db/schema.ts';
import { unsubscribeUrl, type Composer } from './outbox.ts';
import { ChannelError, type Channel, type ChannelName } from './types.ts';

export interface RetryPolicy {
  baseMs: number;
  capMs: number;
  /** After this many attempts a message is given up ('dead'), shown as such in the delivery log. */
  maxAttempts: number;
}

export interface DispatcherOptions {
  db: Kysely<OfficeDb>;
  channels: Record<ChannelName, Channel>;
  retry: RetryPolicy;
  composer: Pick<Composer, 'publicUrl' | 'linkSecret' | 'now'>;
  /** How long a claimed message is ours; longer than any channel's timeout, so a live sender always finishes first. */
  leaseMs?: number;
  batchSize?: number;
  /** Messages claimed, sent in parallel and recorded as one group. */
  concurrency?: number;
  random?: () => number;
}

/**
 * Delay before the next attempt after `attempts` failed ones: exponential (base·2^(n−1)) up to the cap, the
 * upper half jittered ("equal jitter"), so a gateway that failed for everyone is not hit by all of them in
 * step, and no retry comes sooner than half the step.
 */
export function retryDelay(attempts: number, policy: Pick<RetryPolicy, 'baseMs' | 'capMs'>, random: () => number = Math.random): number {
  const step = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.floor(step / 2 + (step / 2) * Math.min(Math.max(random(), 0), 1));
}

/**
 * Sends what the outbox holds. Each attempt is written before the network call (the message 'sending',
 * with a lease, and a 'started' row in the delivery log) and finished after it, so a crash in between
 * leaves a trace: the message is found with its lease run out. A channel whose provider de-duplicates by
 * the idempotency key gets it again with the same key; any other is marked 'unknown' — possibly
 * delivered — and is not sent again: a person is never told twice because a process died.
 */
export function createDispatcher(options: DispatcherOptions) {
  const { db, channels, retry, composer } = options;
  const leaseMs = options.leaseMs ?? 120_000;
  const batchSize = options.batchSize ?? 50;
  const concurrency = options.concurrency ?? 8;
  const random = options.random ?? Math.random;
  const now = () => composer.now();

  async function resolveInterrupted(): Promise<number> {
    const at = now().toISOString();
    const rows = await interruptedMessages(db, at, batchSize);
    for (const row of rows) {
      const channel = channels[row.channel as ChannelName];
      await db.transaction().execute(async (trx) => {
        await finishDelivery(trx, row.id, row.attempts, { status: 'unknown', finished_at: at, provider_id: null, error: 'interrupted mid-send' });
        if (channel?.idempotent) {
          await finishMessage(trx, row.id, { status: 'pending', next_attempt_at: at, lease_until: null, last_error: 'interrupted mid-send; sent again with the same idempotency key' });
        } else {
          await finishMessage(trx, row.id, {
            status: 'unknown',
            lease_until: null,
            finished_at: at,
            last_error: 'interrupted mid-send; not sent again, as this provider cannot tell a repeat (it may have been delivered)',
          });
        }
      });
    }
    return rows.length;
  }

  type Outcome = 'sent' | 'retry' | 'failed' | 'dead';
  type Finished = { row: OutboxRow; attempt: number; outcome: Outcome; providerId?: string; error?: string; at: Date };

  /** Sends one claimed message; never throws — the outcome is written with the others of its group. */
  async function send(row: OutboxRow, extras: Extras): Promise<Finished> {
    const attemptNo = row.attempts + 1;
    const channel = channels[row.channel as ChannelName];
    try {
      if (!channel) throw new ChannelError(`no channel ${row.channel}`, true);
      const result = await channel.send({
        outboxId: row.id,
        idempotencyKey: row.idempotency_key,
        channel: row.channel as ChannelName,
        to: row.address,
        subject: row.subject,
        text: row.body,
        payload: row.payload ? (JSON.parse(row.payload) as unknown) : undefined,
        secret: extras.secret,
        unsubscribeUrl: extras.unsubscribeUrl,
      });
      return { row, attempt: attemptNo, outcome: 'sent', providerId: result.providerId, at: now() };
    } catch (error) {
      const permanent = error instanceof ChannelError && error.permanent;
      const giveUp = permanent || attemptNo >= retry.maxAttempts;
      return { row, attempt: attemptNo, outcome: permanent ? 'failed' : giveUp ? 'dead' : 'retry', error: (error as Error).message.slice(0, 500), at: now() };
    }
  }

  async function record(trx: OfficeDbOrTx, f: Finished): Promise<void> {
    const at = f.at.toISOString();
    if (f.outcome === 'sent') {
      await finishDelivery(trx, f.row.id, f.attempt, { status: 'sent', finished_at: at, provider_id: f.providerId ?? null, error: null });
      await finishMessage(trx, f.row.id, { status: 'sent', provider_id: f.providerId ?? null, finished_at: at, lease_until: null, last_error: null });
      return;
    }
    await finishDelivery(trx, f.row.id, f.attempt, { status: f.outcome === 'failed' ? 'failed' : 'retry', finished_at: at, provider_id: null, error: f.error ?? null });
    await finishMessage(
      trx,
      f.row.id,
      f.outcome === 'retry'
        ? { status: 'pending', last_error: f.error ?? null, lease_until: null, next_attempt_at: new Date(f.at.getTime() + retryDelay(f.attempt, retry, random)).toISOString() }
        : { status: f.outcome, last_error: f.error ?? null, finished_at: at, lease_until: null },
    );
  }

  /**
   * One group: claimed together (one commit), sent at once in parallel, finished together (one commit).
   * Every claimed message starts sending right after the claim, so a crash leaves as "interrupted" only
   * messages that were really in flight — the same as one at a time, at a fraction of the commits.
   */
  async function sendGroup(rows: OutboxRow[]): Promise<number> {
    const extras = await Promise.all(rows.map((row) => recipientExtras(db, row, composer)));
    const startedAt = now();
    const claimed = await db.transaction().execute(async (trx) => {
      const taken: { row: OutboxRow; extras: Extras }[] = [];
      for (const [i, row] of rows.entries()) {
        // Unsubscribed after the message was queued: the wish of the person wins over the queue.
        if (extras[i]!.ended) {
          await cancelMessage(trx, row.id, startedAt.toISOString(), 'the recipient unsubscribed before it was sent');
          continue;
        }
        if (!(await claimMessage(trx, row.id, 'pending', row.attempts, new Date(startedAt.getTime() + leaseMs).toISOString()))) continue;
        await insertDelivery(trx, { outbox_id: row.id, attempt: row.attempts + 1, started_at: startedAt.toISOString(), finished_at: null, status: 'started', provider_id: null, error: null });
        taken.push({ row, extras: extras[i]! });
      }
      return taken;
    });
    if (claimed.length === 0) return 0;
    const finished = await Promise.all(claimed.map(({ row, extras: e }) => send(row, e)));
    await db.transaction().execute(async (trx) => {
      for (const f of finished) await record(trx, f);
    });
    return finished.filter((f) => f.outcome === 'sent').length;
  }

  return {
    /** Resolves interrupted sends, then sends one batch of due messages. Returns how many were attempted. */
    async runOnce(): Promise<{ attempted: number; sent: number; interrupted: number }> {
      const interrupted = await resolveInterrupted();
      const due = await dueMessages(db, now().toISOString(), batchSize);
      let sent = 0;
      for (let i = 0; i < due.length; i += concurrency) sent += await sendGroup(due.slice(i, i + concurrency));
      return { attempted: due.length, sent, interrupted };
    },
    async close() {
      await Promise.all(Object.values(channels).map((c) => c.close?.()));
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;

type Extras = { secret?: string; unsubscribeUrl?: string; ended?: boolean };

async function recipientExtras(db: OfficeDbOrTx, row: OutboxRow, composer: Pick<Composer, 'publicUrl' | 'linkSecret'>): Promise<Extras> {
  if (!row.subscriber_id) return {};
  const subscriber = await findSubscriber(db, row.subscriber_id);
  if (!subscriber) return {};
  if (subscriber.status === 'unsubscribed' && row.kind !== 'confirm') return { ended: true };
  if (row.channel === 'webhook') return { secret: subscriber.secret_sealed ? openSecretText(subscriber.secret_sealed) : undefined };
  return { unsubscribeUrl: unsubscribeUrl(composer, subscriber.public_id) };
}
