import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { DomainError, SERVICES, type Bilingual } from '@tangguh/domain';
import type { NotifyChannel, NotifyConfirmRequest, NotifyDeliveryLog, NotifySinkList, NotifySubscribeRequest } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import { listSites } from '../repositories/sites.ts';
import {
  addPendingTopics,
  deliveriesOf,
  findSubscriberByAddress,
  findSubscriberByPublicId,
  insertSubscriber,
  listOutbox,
  listSink,
  outboxCounts,
  setTopicsStatus,
  subscriberCounts,
  topicsOf,
  updateSubscriber,
  type SubscriberRow,
} from '../repositories/notifications.ts';
import { checkUnsubscribeToken, maskAddress, normalizeAddress } from '../notify/addresses.ts';
import { composerFor } from '../notify/composer.ts';
import { queueMessage } from '../notify/outbox.ts';
import { confirmTemplate } from '../notify/templates.ts';
import type { PersonChannel } from '../notify/types.ts';
import { refusingWhenFull } from './storage-errors.ts';

/**
 * Subscriptions (double opt-in) and the head's view of what was sent (webhooks, channel settings and Suket
 * holders' contacts: notification-admin.ts).
 *
 * Nothing here tells a stranger whether an address is subscribed: subscribing answers the same for any
 * address, a wrong code and an unknown address get the same refusal, and an unsubscribe link is a MAC that
 * only the office can make.
 */

const CODE_TTL_MS = 30 * 60_000;
const MAX_CODE_ATTEMPTS = 5;
/** Confirmation messages per address per hour: nobody can flood a stranger's phone through this form. */
const MAX_CODES_PER_HOUR = 3;

const hashCode = (subscriberId: string, code: string) => createHash('sha256').update(`${subscriberId}:${code}`).digest('hex');
const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
const hourWindow = (at: Date) => at.toISOString().slice(0, 13);

export const invalidAddress = (channel: PersonChannel) =>
  new DomainError(
    'NOTIFY_ADDRESS_INVALID',
    channel === 'email'
      ? { id: 'Alamat e-mail tidak valid.', en: 'The e-mail address is not valid.' }
      : { id: 'Nomor HP tidak valid: tulis nomor seluler Indonesia, mis. 0812 3456 7890.', en: 'The phone number is not valid: give an Indonesian mobile number, e.g. 0812 3456 7890.' },
    'invalid',
    [{ field: 'address', code: 'NOTIFY_ADDRESS_INVALID', messages: { id: 'Alamat tidak valid.', en: 'Invalid address.' } }],
  );

const unknownTopic = () =>
  new DomainError('NOTIFY_TOPIC_UNKNOWN', { id: 'Lokasi atau layanan tidak dikenal.', en: 'Unknown site or service.' }, 'invalid', [
    { field: 'topics', code: 'NOTIFY_TOPIC_UNKNOWN', messages: { id: 'Lokasi atau layanan tidak dikenal.', en: 'Unknown site or service.' } },
  ]);

export const codeRefused = () =>
  new DomainError('NOTIFY_CODE_INVALID', {
    id: 'Kode salah atau sudah tidak berlaku. Minta kode baru dengan mendaftar sekali lagi.',
    en: 'The code is wrong or no longer valid. Ask for a new one by subscribing again.',
  });

export const linkRefused = () => new DomainError('NOTIFY_LINK_INVALID', { id: 'Tautan berhenti langganan tidak berlaku.', en: 'The unsubscribe link is not valid.' });

/** The same answer for every address: what to expect, not whether the address was known. */
const SUBSCRIBE_ANSWER: Bilingual = {
  id: 'Jika alamat itu benar, kode konfirmasi segera dikirim ke sana. Masukkan kode untuk mulai menerima kabar.',
  en: 'If the address is right, a confirmation code is on its way. Enter the code to start receiving news.',
};

export async function checkTopics(ctx: Pick<OfficeContext, 'db'>, topics: NotifySubscribeRequest['topics']): Promise<void> {
  const sites = new Set((await listSites(ctx.db)).map((s) => s.id));
  for (const topic of topics) {
    if (topic.siteId !== '*' && !sites.has(topic.siteId)) throw unknownTopic();
    if (topic.serviceCode !== '*' && !(SERVICES as readonly string[]).includes(topic.serviceCode)) throw unknownTopic();
  }
}

/**
 * Opt-in: stores the wish (topics pending) and queues a confirmation code in the same transaction. An
 * address already active gets its new topics pending too, so nobody can add topics to someone else's
 * subscription without their code.
 */
export async function subscribe(ctx: OfficeContext, request: NotifySubscribeRequest): Promise<{ message: Bilingual }> {
  const address = normalizeAddress(request.channel, request.address);
  if (!address) throw invalidAddress(request.channel);
  await checkTopics(ctx, request.topics);
  const composer = await composerFor(ctx);
  const now = ctx.now();
  await refusingWhenFull(() =>
    ctx.db.transaction().execute(async (trx) => {
      let subscriber = await findSubscriberByAddress(trx, request.channel, address);
      if (!subscriber) {
        subscriber = {
          id: randomUUID(),
          public_id: randomBytes(8).toString('base64url').slice(0, 10),
          channel: request.channel,
          address,
          lang: request.lang,
          status: 'pending',
          created_at: now.toISOString(),
          confirmed_at: null,
          unsubscribed_at: null,
          confirm_code_hash: null,
          confirm_expires_at: null,
          confirm_attempts: 0,
          confirm_window: null,
          confirm_sent: 0,
          secret_sealed: null,
          created_by: null,
        };
        await insertSubscriber(trx, subscriber);
      }
      await addPendingTopics(
        trx,
        subscriber.id,
        request.topics.map((t) => ({ siteId: t.siteId, serviceCode: t.serviceCode })),
        now.toISOString(),
      );
      const window = hourWindow(now);
      const sentThisHour = subscriber.confirm_window === window ? Number(subscriber.confirm_sent) : 0;
      if (sentThisHour >= MAX_CODES_PER_HOUR) return; // answered the same; the earlier code still works
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      await updateSubscriber(trx, subscriber.id, {
        confirm_code_hash: hashCode(subscriber.id, code),
        confirm_expires_at: new Date(now.getTime() + CODE_TTL_MS).toISOString(),
        confirm_attempts: 0,
        confirm_window: window,
        confirm_sent: sentThisHour + 1,
        // The language of the latest request: the person who confirms is the one who asked.
        lang: request.lang,
      });
      const link = `${composer.publicUrl}/langganan?konfirmasi=${subscriber.public_id}.${code}`;
      await queueMessage(trx, composer, {
        cause: `confirm:${subscriber.id}`,
        kind: 'confirm',
        keyParts: [window, String(sentThisHour + 1)],
        recipient: { channel: request.channel, address, lang: request.lang },
        parts: (lang) => confirmTemplate(lang, { office: ctx.office.name, code, link }),
      });
    }),
  );
  return { message: SUBSCRIBE_ANSWER };
}

async function subscriberForConfirmation(ctx: OfficeContext, request: NotifyConfirmRequest): Promise<{ subscriber: SubscriberRow | undefined; code: string }> {
  if ('token' in request) {
    const [publicId = '', code = ''] = request.token.split('.');
    return { subscriber: await findSubscriberByPublicId(ctx.db, publicId), code };
  }
  const address = normalizeAddress(request.channel, request.address);
  return { subscriber: address ? await findSubscriberByAddress(ctx.db, request.channel, address) : undefined, code: request.code };
}

/** Checks the code; five wrong tries end it. Activates the subscriber and every pending topic. */
export async function confirmSubscription(ctx: OfficeContext, request: NotifyConfirmRequest): Promise<{ message: Bilingual; topics: { siteId: string; serviceCode: string }[] }> {
  const { subscriber, code } = await subscriberForConfirmation(ctx, request);
  const now = ctx.now();
  if (!subscriber || !subscriber.confirm_code_hash || !subscriber.confirm_expires_at || subscriber.confirm_expires_at < now.toISOString()) throw codeRefused();
  if (!sameHash(subscriber.confirm_code_hash, hashCode(subscriber.id, code))) {
    const attempts = Number(subscriber.confirm_attempts) + 1;
    await updateSubscriber(ctx.db, subscriber.id, attempts >= MAX_CODE_ATTEMPTS ? { confirm_attempts: attempts, confirm_code_hash: null, confirm_expires_at: null } : { confirm_attempts: attempts });
    throw codeRefused();
  }
  await ctx.db.transaction().execute(async (trx) => {
    await updateSubscriber(trx, subscriber.id, { status: 'active', confirmed_at: now.toISOString(), unsubscribed_at: null, confirm_code_hash: null, confirm_expires_at: null, confirm_attempts: 0 });
    // Only what this person asked for since: topics they left stay left unless asked for again (then pending).
    await setTopicsStatus(trx, subscriber.id, ['pending'], 'active');
  });
  const topics = (await topicsOf(ctx.db, subscriber.id)).filter((t) => t.status === 'active').map((t) => ({ siteId: t.site_id, serviceCode: t.service_code }));
  return { message: { id: 'Langganan aktif. Kabar layanan akan dikirim ke alamat Anda.', en: 'Subscribed. Service news will be sent to your address.' }, topics };
}

/** Ends every topic of the subscriber the link names. Repeating it is harmless. */
export async function unsubscribe(ctx: OfficeContext, token: string): Promise<{ message: Bilingual }> {
  const composer = await composerFor(ctx);
  const publicId = checkUnsubscribeToken(composer.linkSecret, token);
  const subscriber = publicId ? await findSubscriberByPublicId(ctx.db, publicId) : undefined;
  if (!subscriber) throw linkRefused();
  await ctx.db.transaction().execute(async (trx) => {
    await updateSubscriber(trx, subscriber.id, { status: 'unsubscribed', unsubscribed_at: ctx.now().toISOString(), confirm_code_hash: null, confirm_expires_at: null });
    await setTopicsStatus(trx, subscriber.id, ['pending', 'active'], 'ended');
  });
  return { message: { id: 'Anda tidak akan menerima kabar layanan lagi di alamat ini.', en: 'You will receive no more service news at this address.' } };
}

// ---- the head's view ----

/** The delivery log: each message with every attempt, newest first; addresses masked. */
export async function deliveryLog(ctx: Pick<OfficeContext, 'db'>, filter: { status?: string; channel?: string; limit: number }): Promise<NotifyDeliveryLog> {
  const rows = await listOutbox(ctx.db, filter);
  const attempts = await deliveriesOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  return {
    counts: Object.fromEntries((await outboxCounts(ctx.db)).map((c) => [c.status, c.count])),
    subscribers: await subscriberCounts(ctx.db),
    items: rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      cause: row.cause,
      channel: row.channel as NotifyChannel,
      to: maskAddress(row.channel, row.address),
      lang: row.lang === 'en' ? 'en' : 'id',
      subject: row.subject,
      status: row.status as NotifyDeliveryLog['items'][number]['status'],
      attempts: row.attempts,
      nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
      providerId: row.provider_id,
      lastError: row.last_error,
      createdAt: row.created_at,
      finishedAt: row.finished_at,
      log: attempts
        .filter((a) => a.outbox_id === row.id)
        .map((a) => ({ attempt: a.attempt, startedAt: a.started_at, finishedAt: a.finished_at, status: a.status, providerId: a.provider_id, error: a.error })),
    })),
  };
}

/** What the development sink holds: the messages as they would have been read. */
export async function sinkMessages(ctx: Pick<OfficeContext, 'db'>, limit: number): Promise<NotifySinkList> {
  return {
    items: (await listSink(ctx.db, limit)).map((row) => ({ id: row.id, outboxId: row.outbox_id, channel: row.channel as NotifyChannel, to: row.address, subject: row.subject, body: row.body, at: row.at })),
  };
}
