import type { Bilingual } from '@tangguh/domain';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { activeSubscribersOf, allActiveSubscribers, type SubscriberRow } from '../repositories/notifications.ts';
import type { ChannelName, Lang } from './types.ts';

/** Who is affected: a service at a site on an office day. */
export interface AffectedScope {
  siteId: string;
  serviceCode: string;
  /** YYYY-MM-DD in the office's zone. */
  day: string;
}

/** One person (or system) to tell, on one channel. */
export interface Recipient {
  channel: ChannelName;
  address: string;
  lang: Lang;
  /** The subscriber behind the address, for the unsubscribe link and a webhook's secret. */
  subscriber?: Pick<SubscriberRow, 'id' | 'public_id' | 'secret_sealed'>;
  /** Their own line, e.g. "Booking A-012, 09.00" (booking and ticket providers). */
  context?: Bilingual;
}

/**
 * The seam for everyone who must be told when a service fails: subscribers now; the queue issue's booking
 * and ticket holders later register a provider here and are told through the same outbox, templates and
 * idempotency keys — nothing else changes. A provider reads in the caller's transaction.
 */
export type AudienceProvider = (db: OfficeDbOrTx, scope: AffectedScope) => Promise<Recipient[]>;

const PROVIDERS = new Map<string, AudienceProvider>();

export function registerAudienceProvider(name: string, provider: AudienceProvider): void {
  PROVIDERS.set(name, provider);
}

export function unregisterAudienceProvider(name: string): void {
  if (name !== 'subscribers') PROVIDERS.delete(name);
  PREPARERS.delete(name);
}

/**
 * An incident's messages are queued in the transaction that opens or resolves it. On SQLite that transaction
 * holds the only connection, so a provider must read through the `db` it is given — and whatever it keeps
 * from outside (a composer, the status snapshot) must be loaded before: a provider registers a preparer for
 * that, which runs before every such transaction (`prepareAudiences`).
 */
export type AudiencePreparer = (ctx: OfficeContext) => Promise<unknown>;
const PREPARERS = new Map<string, AudiencePreparer>();

export function registerAudiencePreparer(name: string, prepare: AudiencePreparer): void {
  PREPARERS.set(name, prepare);
}

export async function prepareAudiences(ctx: OfficeContext): Promise<void> {
  await Promise.all([...PREPARERS.values()].map((prepare) => prepare(ctx)));
}

const toRecipient = (row: SubscriberRow): Recipient => ({
  channel: row.channel as ChannelName,
  address: row.address,
  lang: row.lang === 'en' ? 'en' : 'id',
  subscriber: { id: row.id, public_id: row.public_id, secret_sealed: row.secret_sealed },
});

registerAudienceProvider('subscribers', async (db, scope) => (await activeSubscribersOf(db, scope.siteId, scope.serviceCode)).map(toRecipient));

/** Recipients one address at a time: a person who subscribed and also holds a booking is told once. */
export async function audienceOf(db: OfficeDbOrTx, scope: AffectedScope): Promise<Recipient[]> {
  const byAddress = new Map<string, Recipient>();
  for (const provider of PROVIDERS.values()) {
    for (const recipient of await provider(db, scope)) {
      const id = recipientId(recipient);
      const known = byAddress.get(id);
      if (!known) byAddress.set(id, recipient);
      else if (!known.context && recipient.context) byAddress.set(id, { ...known, context: recipient.context, subscriber: known.subscriber ?? recipient.subscriber });
    }
  }
  return [...byAddress.values()];
}

/** Everyone subscribed (to a site, or anywhere): the head's announcement. */
export async function allSubscribers(db: OfficeDbOrTx, siteId?: string): Promise<Recipient[]> {
  return (await allActiveSubscribers(db, siteId)).map(toRecipient);
}

/** The part of an idempotency key that names the recipient. */
export const recipientId = (recipient: Pick<Recipient, 'channel' | 'address'>) => `${recipient.channel}:${recipient.address}`;
