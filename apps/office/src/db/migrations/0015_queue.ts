import { sql, type Kysely } from 'kysely';

/**
 * The queue (issue 10): bookings, the quota each day has used, kiosk tickets, counters and their calls,
 * and the days that were closed. Settings live in the `settings` table (key `queue.settings`).
 *
 * What the database itself guarantees, whatever races the callers run:
 *   - one live booking per NIK (kept as a keyed hash, never readable) per service per day;
 *   - one open counter per number at a site;
 *   - one ticket number per site and day;
 *   - quotas are counters taken with a conditional update (`used < cap`), so two residents booking the
 *     last place at once cannot both get it.
 * A ticket is taken by a counter with a conditional update on its status (services/queue.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('queue_bookings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('window_end', 'text', (c) => c.notNull())
    // HMAC of the NIK with the office's queue key: enough to compare, nothing to read.
    .addColumn('nik_hash', 'text', (c) => c.notNull())
    .addColumn('contact_channel', 'text')
    .addColumn('contact_address', 'text')
    .addColumn('lang', 'text', (c) => c.notNull())
    // active → checked_in | cancelled | expired
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    // Set when an outage or maintenance hits the booked service that day (its holder is told once).
    .addColumn('flag_state', 'text')
    .addColumn('flag_json', 'text')
    .addColumn('flagged_at', 'text')
    .execute();
  await sql`create unique index queue_bookings_one_per_nik on queue_bookings (nik_hash, service, day) where status in ('active', 'checked_in')`.execute(db);
  await db.schema.createIndex('queue_bookings_slot').on('queue_bookings').columns(['site_id', 'service', 'day', 'status']).execute();
  await db.schema.createIndex('queue_bookings_contact').on('queue_bookings').columns(['contact_address', 'day']).execute();

  await db.schema
    .createTable('queue_quota_use')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    // 'online', 'walkin', or 'w:HH:MM' for one booking window.
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('used', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('queue_quota_use_pk', ['site_id', 'service', 'day', 'bucket'])
    .execute();

  await db.schema
    .createTable('queue_tickets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('serial', 'integer', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('lane', 'text', (c) => c.notNull())
    .addColumn('priority_reason', 'text')
    .addColumn('booking_id', 'text')
    .addColumn('window_start', 'text')
    .addColumn('window_end', 'text')
    // waiting → called → done | noshow; waiting → closed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    // The place in line: the first issue time, kept when transferred to another service.
    .addColumn('queued_at', 'text', (c) => c.notNull())
    .addColumn('called_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('counter_id', 'text')
    .addColumn('counter_number', 'integer')
    .addColumn('call_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('transferred_from', 'text')
    .addColumn('close_reason_id', 'text')
    .addColumn('close_reason_en', 'text')
    // SHA-256 of the secret in the ticket's QR (following it on a phone).
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('flag_state', 'text')
    .addColumn('flag_json', 'text')
    .addColumn('flagged_at', 'text')
    // "Your turn is near": at this many people ahead, to this contact; sent once.
    .addColumn('near_position', 'integer')
    .addColumn('near_channel', 'text')
    .addColumn('near_address', 'text')
    .addColumn('near_lang', 'text')
    .addColumn('near_sent_at', 'text')
    .execute();
  await db.schema.createIndex('queue_tickets_number').on('queue_tickets').columns(['site_id', 'day', 'number']).unique().execute();
  await db.schema.createIndex('queue_tickets_waiting').on('queue_tickets').columns(['site_id', 'day', 'status', 'service', 'lane', 'queued_at']).execute();
  await db.schema.createIndex('queue_tickets_served').on('queue_tickets').columns(['site_id', 'service', 'finished_at']).execute();

  await db.schema
    .createTable('queue_counters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('services', 'text', (c) => c.notNull())
    .addColumn('operator', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('calls_made', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('current_ticket_id', 'text')
    .execute();
  await sql`create unique index queue_counters_one_open on queue_counters (site_id, number) where status = 'open'`.execute(db);

  await db.schema
    .createTable('queue_calls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    .addColumn('counter_id', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('ticket_number', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('counter_number', 'integer', (c) => c.notNull())
    .addColumn('recall', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('queue_calls_site').on('queue_calls').columns(['site_id', 'at']).execute();

  await db.schema
    .createTable('queue_day_closures')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('closed_at', 'text', (c) => c.notNull())
    .addColumn('closed_by', 'text', (c) => c.notNull())
    .addColumn('tickets', 'integer', (c) => c.notNull())
    .addColumn('bookings', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['queue_day_closures', 'queue_calls', 'queue_counters', 'queue_tickets', 'queue_quota_use', 'queue_bookings']) await db.schema.dropTable(table).execute();
}
