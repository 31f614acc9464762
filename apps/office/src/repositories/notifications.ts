import { sql, type Generated, type Kysely, type Selectable } from 'kysely';
import type { OfficeDb, OfficeDbOrTx } from '../db/schema.ts';
import type { ChannelName } from '../notify/types.ts';

/** The tables of migration 0013_notifications. */
export type NotifyTables = {
  notify_subscribers: {
    id: string;
    public_id: string;
    channel: string;
    address: string;
    lang: string;
    status: string;
    created_at: string;
    confirmed_at: string | null;
    unsubscribed_at: string | null;
    confirm_code_hash: string | null;
    confirm_expires_at: string | null;
    confirm_attempts: number;
    confirm_window: string | null;
    confirm_sent: number;
    secret_sealed: string | null;
    created_by: string | null;
  };
  notify_topics: { subscriber_id: string; site_id: string; service_code: string; status: string; created_at: string };
  notify_outbox: {
    id: Generated<number>;
    idempotency_key: string;
    kind: string;
    channel: string;
    address: string;
    lang: string;
    subject: string;
    body: string;
    payload: string | null;
    subscriber_id: string | null;
    cause: string | null;
    status: string;
    attempts: number;
    next_attempt_at: string;
    lease_until: string | null;
    provider_id: string | null;
    last_error: string | null;
    created_at: string;
    finished_at: string | null;
  };
  notify_deliveries: {
    id: Generated<number>;
    outbox_id: number;
    attempt: number;
    started_at: string;
    finished_at: string | null;
    status: string;
    provider_id: string | null;
    error: string | null;
  };
  notify_sink: { id: Generated<number>; outbox_id: number; channel: string; address: string; subject: string; body: string; at: string };
  notify_marks: { key: string; at: string; recipients: number };
  notify_suket_contacts: { serial: string; channel: string; address: string; lang: string; recorded_by: string; recorded_at: string };
};

export type SubscriberRow = Selectable<NotifyTables['notify_subscribers']>;
export type OutboxRow = Selectable<NotifyTables['notify_outbox']>;
export type DeliveryRow = Selectable<NotifyTables['notify_deliveries']>;
export type SinkRow = Selectable<NotifyTables['notify_sink']>;
export type NewOutboxRow = Omit<OutboxRow, 'id' | 'attempts' | 'lease_until' | 'provider_id' | 'last_error' | 'finished_at'>;

// PostgreSQL returns bigint (bigserial) columns as strings: numbers again here, whatever the dialect.
const outboxRow = (row: OutboxRow): OutboxRow => ({ ...row, id: Number(row.id), attempts: Number(row.attempts) });
const deliveryRow = (row: DeliveryRow): DeliveryRow => ({ ...row, id: Number(row.id), outbox_id: Number(row.outbox_id), attempt: Number(row.attempt) });
const sinkRow = (row: SinkRow): SinkRow => ({ ...row, id: Number(row.id), outbox_id: Number(row.outbox_id) });

const n = (db: OfficeDbOrTx): Kysely<OfficeDb & NotifyTables> => (db as Kysely<OfficeDb>).withTables<NotifyTables>();

// ---- subscribers and topics ----

export function findSubscriberByAddress(db: OfficeDbOrTx, channel: string, address: string): Promise<SubscriberRow | undefined> {
  return n(db).selectFrom('notify_subscribers').selectAll().where('channel', '=', channel).where('address', '=', address).executeTakeFirst();
}

export function findSubscriberByPublicId(db: OfficeDbOrTx, publicId: string): Promise<SubscriberRow | undefined> {
  return n(db).selectFrom('notify_subscribers').selectAll().where('public_id', '=', publicId).executeTakeFirst();
}

export function findSubscriber(db: OfficeDbOrTx, id: string): Promise<SubscriberRow | undefined> {
  return n(db).selectFrom('notify_subscribers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertSubscriber(db: OfficeDbOrTx, row: SubscriberRow): Promise<void> {
  await n(db).insertInto('notify_subscribers').values(row).execute();
}

export async function updateSubscriber(db: OfficeDbOrTx, id: string, changes: Partial<Omit<SubscriberRow, 'id'>>): Promise<void> {
  await n(db).updateTable('notify_subscribers').set(changes).where('id', '=', id).execute();
}

/** Adds topics as pending; a topic already there keeps its state, except that an ended one waits for a code again. */
export async function addPendingTopics(db: OfficeDbOrTx, subscriberId: string, topics: { siteId: string; serviceCode: string }[], at: string): Promise<void> {
  for (const topic of topics) {
    await n(db)
      .insertInto('notify_topics')
      .values({ subscriber_id: subscriberId, site_id: topic.siteId, service_code: topic.serviceCode, status: 'pending', created_at: at })
      .onConflict((oc) => oc.columns(['subscriber_id', 'site_id', 'service_code']).doUpdateSet({ status: sql<string>`case when notify_topics.status = 'active' then 'active' else 'pending' end` }))
      .execute();
  }
}

export async function setTopicsStatus(db: OfficeDbOrTx, subscriberId: string, from: string[], to: string): Promise<void> {
  await n(db).updateTable('notify_topics').set({ status: to }).where('subscriber_id', '=', subscriberId).where('status', 'in', from).execute();
}

export function topicsOf(db: OfficeDbOrTx, subscriberId: string): Promise<{ site_id: string; service_code: string; status: string }[]> {
  return n(db).selectFrom('notify_topics').select(['site_id', 'service_code', 'status']).where('subscriber_id', '=', subscriberId).orderBy('site_id').orderBy('service_code').execute();
}

/** Active subscribers following a service at a site ('*' in a topic follows every site or every service). */
export function activeSubscribersOf(db: OfficeDbOrTx, siteId: string, serviceCode: string): Promise<SubscriberRow[]> {
  return n(db)
    .selectFrom('notify_subscribers')
    .innerJoin('notify_topics', 'notify_topics.subscriber_id', 'notify_subscribers.id')
    .selectAll('notify_subscribers')
    .distinct()
    .where('notify_subscribers.status', '=', 'active')
    .where('notify_topics.status', '=', 'active')
    .where('notify_topics.site_id', 'in', [siteId, '*'])
    .where('notify_topics.service_code', 'in', [serviceCode, '*'])
    .orderBy('notify_subscribers.id')
    .execute();
}

/** Every active subscriber with at least one active topic (announcements office-wide). */
export function allActiveSubscribers(db: OfficeDbOrTx, siteId?: string): Promise<SubscriberRow[]> {
  let query = n(db)
    .selectFrom('notify_subscribers')
    .innerJoin('notify_topics', 'notify_topics.subscriber_id', 'notify_subscribers.id')
    .selectAll('notify_subscribers')
    .distinct()
    .where('notify_subscribers.status', '=', 'active')
    .where('notify_topics.status', '=', 'active');
  if (siteId) query = query.where('notify_topics.site_id', 'in', [siteId, '*']);
  return query.orderBy('notify_subscribers.id').execute();
}

export function listWebhooks(db: OfficeDbOrTx): Promise<SubscriberRow[]> {
  return n(db).selectFrom('notify_subscribers').selectAll().where('channel', '=', 'webhook').orderBy('created_at', 'desc').execute();
}

export async function subscriberCounts(db: OfficeDbOrTx): Promise<{ channel: string; status: string; count: number }[]> {
  const rows = await n(db).selectFrom('notify_subscribers').select(['channel', 'status', (eb) => eb.fn.countAll<number>().as('count')]).groupBy(['channel', 'status']).execute();
  return rows.map((r) => ({ channel: r.channel, status: r.status, count: Number(r.count) }));
}

// ---- outbox ----

/** Queues a message; one whose key is already queued is left as it is. Returns whether it was new. */
export async function enqueueMessage(db: OfficeDbOrTx, row: NewOutboxRow): Promise<boolean> {
  const result = await n(db).insertInto('notify_outbox').values({ ...row, attempts: 0 }).onConflict((oc) => oc.column('idempotency_key').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findOutbox(db: OfficeDbOrTx, id: number): Promise<OutboxRow | undefined> {
  const row = await n(db).selectFrom('notify_outbox').selectAll().where('id', '=', id).executeTakeFirst();
  return row && outboxRow(row);
}

export async function outboxByKey(db: OfficeDbOrTx, key: string): Promise<OutboxRow | undefined> {
  const row = await n(db).selectFrom('notify_outbox').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
  return row && outboxRow(row);
}

/** Messages due now: pending ones whose time has come. */
export async function dueMessages(db: OfficeDbOrTx, now: string, limit: number): Promise<OutboxRow[]> {
  return (await n(db).selectFrom('notify_outbox').selectAll().where('status', '=', 'pending').where('next_attempt_at', '<=', now).orderBy('next_attempt_at').orderBy('id').limit(limit).execute()).map(outboxRow);
}

/** Messages left 'sending' by a process that stopped mid-send (their lease ran out). */
export async function interruptedMessages(db: OfficeDbOrTx, now: string, limit: number): Promise<OutboxRow[]> {
  return (await n(db).selectFrom('notify_outbox').selectAll().where('status', '=', 'sending').where('lease_until', '<', now).orderBy('id').limit(limit).execute()).map(outboxRow);
}

/** Takes a message for sending only if it is still in the state we saw: of two workers, one wins. */
export async function claimMessage(db: OfficeDbOrTx, id: number, fromStatus: string, attempts: number, leaseUntil: string): Promise<boolean> {
  const result = await n(db)
    .updateTable('notify_outbox')
    .set({ status: 'sending', attempts: attempts + 1, lease_until: leaseUntil })
    .where('id', '=', id)
    .where('status', '=', fromStatus)
    .where('attempts', '=', attempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A pending message nobody should receive any more (its subscriber left): kept, marked, never sent. */
export async function cancelMessage(db: OfficeDbOrTx, id: number, at: string, reason: string): Promise<void> {
  await n(db).updateTable('notify_outbox').set({ status: 'cancelled', finished_at: at, last_error: reason }).where('id', '=', id).where('status', '=', 'pending').execute();
}

/** Calls off every pending message of a cause and kind (a recovery held back, when the outage comes back). */
export async function cancelPendingMessages(db: OfficeDbOrTx, cause: string, kind: string, at: string, reason: string): Promise<number> {
  const result = await n(db).updateTable('notify_outbox').set({ status: 'cancelled', finished_at: at, last_error: reason }).where('cause', '=', cause).where('kind', '=', kind).where('status', '=', 'pending').executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function finishMessage(db: OfficeDbOrTx, id: number, changes: Partial<Pick<OutboxRow, 'status' | 'next_attempt_at' | 'provider_id' | 'last_error' | 'finished_at' | 'lease_until'>>): Promise<void> {
  await n(db).updateTable('notify_outbox').set(changes).where('id', '=', id).execute();
}

export async function insertDelivery(db: OfficeDbOrTx, row: Omit<DeliveryRow, 'id'>): Promise<void> {
  await n(db).insertInto('notify_deliveries').values(row).execute();
}

export async function finishDelivery(db: OfficeDbOrTx, outboxId: number, attempt: number, changes: Pick<DeliveryRow, 'status' | 'finished_at' | 'provider_id' | 'error'>): Promise<void> {
  await n(db).updateTable('notify_deliveries').set(changes).where('outbox_id', '=', outboxId).where('attempt', '=', attempt).execute();
}

export async function deliveriesOf(db: OfficeDbOrTx, outboxIds: number[]): Promise<DeliveryRow[]> {
  if (outboxIds.length === 0) return [];
  return (await n(db).selectFrom('notify_deliveries').selectAll().where('outbox_id', 'in', outboxIds).orderBy('outbox_id').orderBy('attempt').execute()).map(deliveryRow);
}

export interface OutboxFilter {
  status?: string;
  channel?: string;
  cause?: string;
  limit: number;
}

export async function listOutbox(db: OfficeDbOrTx, filter: OutboxFilter): Promise<OutboxRow[]> {
  let query = n(db).selectFrom('notify_outbox').selectAll();
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.channel) query = query.where('channel', '=', filter.channel);
  if (filter.cause) query = query.where('cause', '=', filter.cause);
  return (await query.orderBy('id', 'desc').limit(filter.limit).execute()).map(outboxRow);
}

export async function outboxCounts(db: OfficeDbOrTx): Promise<{ status: string; count: number }[]> {
  const rows = await n(db).selectFrom('notify_outbox').select(['status', (eb) => eb.fn.countAll<number>().as('count')]).groupBy('status').execute();
  return rows.map((r) => ({ status: r.status, count: Number(r.count) }));
}

/** Distinct people (channel + address) told about one cause. */
export async function recipientsOfCause(db: OfficeDbOrTx, cause: string): Promise<number> {
  const row = await n(db)
    .selectFrom(n(db).selectFrom('notify_outbox').select(['channel', 'address']).distinct().where('cause', '=', cause).as('told'))
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export interface ToldRecipient {
  recipient: { channel: ChannelName; address: string; lang: 'id' | 'en'; subscriber?: Pick<SubscriberRow, 'id' | 'public_id' | 'secret_sealed'> };
  /** The sites and services they were told about (from the messages' payloads). */
  entries: { siteId: string; service: string }[];
}

/**
 * Who was told about a cause by messages of these kinds (optionally: queued within [from, to)), one entry
 * per recipient with every site and service they heard of, read back from the messages' payloads.
 */
export async function recipientsToldOf(db: OfficeDbOrTx, cause: string, kinds: string[], between?: { from: string; to: string }): Promise<ToldRecipient[]> {
  let query = n(db)
    .selectFrom('notify_outbox')
    .leftJoin('notify_subscribers', 'notify_subscribers.id', 'notify_outbox.subscriber_id')
    .select([
      'notify_outbox.channel',
      'notify_outbox.address',
      'notify_outbox.lang',
      'notify_outbox.payload',
      'notify_subscribers.id as subscriber_id',
      'notify_subscribers.public_id',
      'notify_subscribers.secret_sealed',
    ])
    .where('notify_outbox.cause', '=', cause)
    .where('notify_outbox.kind', 'in', kinds);
  if (between) query = query.where('notify_outbox.created_at', '>=', between.from).where('notify_outbox.created_at', '<', between.to);
  const rows = await query.orderBy('notify_outbox.id').execute();
  const people = new Map<string, ToldRecipient>();
  for (const row of rows) {
    const payload = row.payload ? (JSON.parse(row.payload) as { entries?: { siteId: string; service: string }[] }) : {};
    const key = `${row.channel}:${row.address}`;
    let person = people.get(key);
    if (!person) {
      person = {
        recipient: {
          channel: row.channel as ChannelName,
          address: row.address,
          lang: row.lang === 'en' ? 'en' : 'id',
          subscriber: row.subscriber_id && row.public_id ? { id: row.subscriber_id, public_id: row.public_id, secret_sealed: row.secret_sealed } : undefined,
        },
        entries: [],
      };
      people.set(key, person);
    }
    for (const e of payload.entries ?? []) {
      if (!person.entries.some((k) => k.siteId === e.siteId && k.service === e.service)) person.entries.push({ siteId: e.siteId, service: e.service });
    }
  }
  return [...people.values()];
}

/** Keys already queued among these (to tell "told this morning already" apart). */
export async function existingKeys(db: OfficeDbOrTx, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await n(db).selectFrom('notify_outbox').select('idempotency_key').where('idempotency_key', 'in', keys).execute();
  return new Set(rows.map((r) => r.idempotency_key));
}

// ---- sink, marks, Suket contacts ----

export async function insertSink(db: OfficeDbOrTx, row: Omit<SinkRow, 'id'>): Promise<void> {
  await n(db).insertInto('notify_sink').values(row).execute();
}

export async function listSink(db: OfficeDbOrTx, limit: number): Promise<SinkRow[]> {
  return (await n(db).selectFrom('notify_sink').selectAll().orderBy('id', 'desc').limit(limit).execute()).map(sinkRow);
}

export async function hasMark(db: OfficeDbOrTx, key: string): Promise<boolean> {
  return (await n(db).selectFrom('notify_marks').select('key').where('key', '=', key).executeTakeFirst()) !== undefined;
}

/** Marks a cause as fanned out; false when another process marked it first (its transaction wins). */
export async function insertMark(db: OfficeDbOrTx, key: string, at: string, recipients: number): Promise<boolean> {
  const result = await n(db).insertInto('notify_marks').values({ key, at, recipients }).onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function upsertSuketContact(db: OfficeDbOrTx, row: Selectable<NotifyTables['notify_suket_contacts']>): Promise<void> {
  await n(db)
    .insertInto('notify_suket_contacts')
    .values(row)
    .onConflict((oc) => oc.column('serial').doUpdateSet({ channel: row.channel, address: row.address, lang: row.lang, recorded_by: row.recorded_by, recorded_at: row.recorded_at }))
    .execute();
}

export interface ExpiringSuket {
  serial: string;
  record_id: string;
  expires_at: string;
  record_status: string;
  site_id: string;
  channel: string;
  address: string;
  lang: string;
}

/** Active Sukets expiring in [from, to) whose holder left a contact, with their record's status and site. */
export function expiringSuketsWithContact(db: OfficeDbOrTx, from: string, to: string): Promise<ExpiringSuket[]> {
  return (db as Kysely<OfficeDb>)
    .withTables<NotifyTables & { sukets: { serial: string; record_id: string; expires_at: string; status: string } }>()
    .selectFrom('sukets')
    .innerJoin('notify_suket_contacts', 'notify_suket_contacts.serial', 'sukets.serial')
    .innerJoin('records', 'records.id', 'sukets.record_id')
    .select([
      'sukets.serial',
      'sukets.record_id',
      'sukets.expires_at',
      'records.status as record_status',
      'records.site_id',
      'notify_suket_contacts.channel',
      'notify_suket_contacts.address',
      'notify_suket_contacts.lang',
    ])
    .where('sukets.status', '=', 'ACTIVE')
    .where('sukets.expires_at', '>=', from)
    .where('sukets.expires_at', '<', to)
    .orderBy('sukets.expires_at')
    .execute();
}

export function suketExists(db: OfficeDbOrTx, serial: string): Promise<{ serial: string; record_id: string } | undefined> {
  return (db as Kysely<OfficeDb>)
    .withTables<{ sukets: { serial: string; record_id: string } }>()
    .selectFrom('sukets')
    .select(['serial', 'record_id'])
    .where('serial', '=', serial)
    .executeTakeFirst();
}

/** The contact a resident left with any of their Sukets (the newest), to tell them about their own card. */
export function residentContact(db: OfficeDbOrTx, recordId: string): Promise<{ channel: string; address: string; lang: string } | undefined> {
  return (db as Kysely<OfficeDb>)
    .withTables<NotifyTables & { sukets: { serial: string; record_id: string } }>()
    .selectFrom('notify_suket_contacts')
    .innerJoin('sukets', 'sukets.serial', 'notify_suket_contacts.serial')
    .select(['notify_suket_contacts.channel', 'notify_suket_contacts.address', 'notify_suket_contacts.lang'])
    .where('sukets.record_id', '=', recordId)
    .orderBy('notify_suket_contacts.recorded_at', 'desc')
    .executeTakeFirst();
}
