import type { Kysely } from 'kysely';
import type { DialectName } from '@tangguh/platform';

/**
 * Notifications (issue 9): who asked to be told (subscribers and the sites/services they follow), the
 * outbox of messages with their delivery log, the development sink, the marks that say a cause (an
 * incident opening, a morning run, a Suket's reminder) has been fanned out, and Suket holders' contacts.
 *
 * notify_outbox.idempotency_key is unique: it names (cause, recipient, kind), so a person is told once per
 * incident however often the fan-out runs, and a message is never queued twice. A message is written in
 * the same transaction as its cause; the worker sends it later.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const pg = dialect === 'postgres';
  await db.schema
    .createTable('notify_subscribers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Short public id: the first part of every unsubscribe link (the rest is a MAC over it).
    .addColumn('public_id', 'text', (c) => c.notNull().unique())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('unsubscribed_at', 'text')
    .addColumn('confirm_code_hash', 'text')
    .addColumn('confirm_expires_at', 'text')
    .addColumn('confirm_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    // Confirmation messages sent in the current hour window, so nobody can flood a stranger's phone.
    .addColumn('confirm_window', 'text')
    .addColumn('confirm_sent', 'integer', (c) => c.notNull().defaultTo(0))
    // Webhooks only: the signing secret, sealed with the master key; who registered it.
    .addColumn('secret_sealed', 'text')
    .addColumn('created_by', 'text')
    .addUniqueConstraint('notify_subscribers_address', ['channel', 'address'])
    .execute();

  await db.schema
    .createTable('notify_topics')
    .addColumn('subscriber_id', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('service_code', 'text', (c) => c.notNull())
    // pending until the subscriber confirms (a topic added to an active subscriber waits for a code too).
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notify_topics_pk', ['subscriber_id', 'site_id', 'service_code'])
    .execute();
  await db.schema.createIndex('notify_topics_audience').on('notify_topics').columns(['site_id', 'service_code', 'status']).execute();

  await db.schema
    .createTable('notify_outbox')
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    // JSON for webhooks (the event as data); null for people.
    .addColumn('payload', 'text')
    .addColumn('subscriber_id', 'text')
    .addColumn('cause', 'text')
    // pending → sending → sent | failed (permanent) | dead (gave up) | unknown (interrupted mid-send)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('provider_id', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('notify_outbox_due').on('notify_outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('notify_outbox_cause').on('notify_outbox').columns(['cause']).execute();

  await db.schema
    .createTable('notify_deliveries')
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('outbox_id', 'bigint', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    // started (written before the network call) → sent | failed | retry | unknown
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('notify_deliveries_outbox').on('notify_deliveries').columns(['outbox_id', 'attempt']).execute();

  await db.schema
    .createTable('notify_sink')
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('outbox_id', 'bigint', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();

  // A cause fanned out (incident:<id>:opened, morning:<day>, announcement:<id>, …): written in the same
  // transaction as the messages it queued, so a crash either did all of it or none.
  await db.schema
    .createTable('notify_marks')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('recipients', 'integer', (c) => c.notNull())
    .execute();

  // The Suket holder's contact, given with consent when the Suket is issued (records hold no phone/email).
  await db.schema
    .createTable('notify_suket_contacts')
    .addColumn('serial', 'text', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['notify_suket_contacts', 'notify_marks', 'notify_sink', 'notify_deliveries', 'notify_outbox', 'notify_topics', 'notify_subscribers']) {
    await db.schema.dropTable(table).execute();
  }
}
