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
  /** Messages sent at once. */
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
  const concurrency = options.concurrency ?? 4;
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

  async function attempt(row: OutboxRow): Promise<'sent' | 'retry' | 'failed' | 'dead' | 'skipped'> {
    const extras = await recipientExtras(db, row, composer);
    if (extras.ended) {
      // Unsubscribed after the message was queued: the wish of the person wins over the queue.
      await cancelMessage(db, row.id, now().toISOString(), 'the recipient unsubscribed before it was sent');
      return 'skipped';
    }
    const startedAt = now();
    const claimed = await db.transaction().execute(async (trx) => {
      if (!(await claimMessage(trx, row.id, 'pending', row.attempts, new Date(startedAt.getTime() + leaseMs).toISOString()))) return false;
      await insertDelivery(trx, { outbox_id: row.id, attempt: row.attempts + 1, started_at: startedAt.toISOString(), finished_at: null, status: 'started', provider_id: null, error: null });
      return true;
    });
    if (!claimed) return 'skipped';
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
      const at = now().toISOString();
      await db.transaction().execute(async (trx) => {
        await finishDelivery(trx, row.id, attemptNo, { status: 'sent', finished_at: at, provider_id: result.providerId, error: null });
        await finishMessage(trx, row.id, { status: 'sent', provider_id: result.providerId, finished_at: at, lease_until: null, last_error: null });
      });
      return 'sent';
    } catch (error) {
      const permanent = error instanceof ChannelError && error.permanent;
      const message = (error as Error).message.slice(0, 500);
      const at = now();
      const giveUp = permanent || attemptNo >= retry.maxAttempts;
      const outcome = permanent ? 'failed' : giveUp ? 'dead' : 'retry';
      await db.transaction().execute(async (trx) => {
        await finishDelivery(trx, row.id, attemptNo, { status: permanent ? 'failed' : 'retry', finished_at: at.toISOString(), provider_id: null, error: message });
        await finishMessage(
          trx,
          row.id,
          giveUp
            ? { status: outcome, last_error: message, finished_at: at.toISOString(), lease_until: null }
            : { status: 'pending', last_error: message, lease_until: null, next_attempt_at: new Date(at.getTime() + retryDelay(attemptNo, retry, random)).toISOString() },
        );
      });
      return outcome;
    }
  }

  return {
    /** Resolves interrupted sends, then sends one batch of due messages. Returns how many were attempted. */
    async runOnce(): Promise<{ attempted: number; sent: number; interrupted: number }> {
      const interrupted = await resolveInterrupted();
      const due = await dueMessages(db, now().toISOString(), batchSize);
      let sent = 0;
      for (let i = 0; i < due.length; i += concurrency) {
        const results = await Promise.all(due.slice(i, i + concurrency).map(attempt));
        sent += results.filter((r) => r === 'sent').length;
      }
      return { attempted: due.length, sent, interrupted };
    },
    async close() {
      await Promise.all(Object.values(channels).map((c) => c.close?.()));
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;

async function recipientExtras(db: OfficeDbOrTx, row: OutboxRow, composer: Pick<Composer, 'publicUrl' | 'linkSecret'>): Promise<{ secret?: string; unsubscribeUrl?: string; ended?: boolean }> {
  if (!row.subscriber_id) return {};
  const subscriber = await findSubscriber(db, row.subscriber_id);
  if (!subscriber) return {};
  if (subscriber.status === 'unsubscribed' && row.kind !== 'confirm') return { ended: true };
  if (row.channel === 'webhook') return { secret: subscriber.secret_sealed ? openSecretText(subscriber.secret_sealed) : undefined };
  return { unsubscribeUrl: unsubscribeUrl(composer, subscriber.public_id) };
}
