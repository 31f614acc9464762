import { sql, type Kysely } from 'kysely';
import type { DialectName } from '@tangguh/platform';

/**
 * The status model's state (services, incidents, maintenance, announcements). Kept in the database, not in
 * a process: the worker observes the capabilities and an API process in another process serves the status
 * page from the same rows. `status_meta.version` is raised by every change, so a process that holds the
 * snapshot in memory learns of a change with one tiny read a second instead of a query per request.
 * Scopes and sites that mean "every site" are stored as '*' so they can be part of a key.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const pg = dialect === 'postgres';
  const serial = pg ? 'bigserial' : 'integer';
  await db.schema
    .createTable('status_capabilities')
    .addColumn('capability', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('since', 'text', (c) => c.notNull())
    .addColumn('worse_streak', 'integer', (c) => c.notNull())
    .addColumn('better_streak', 'integer', (c) => c.notNull())
    .addColumn('detail_id', 'text', (c) => c.notNull())
    .addColumn('detail_en', 'text', (c) => c.notNull())
    .addColumn('latency_ms', 'integer')
    .addPrimaryKeyConstraint('status_capabilities_pk', ['capability', 'scope'])
    .execute();

  await db.schema
    .createTable('status_incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // null for an incident an officer opened by hand.
    .addColumn('capability', 'text')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('title_id', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('services', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    // Filled by whoever tells people (notifications): how many were told about this incident.
    .addColumn('affected_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('status_incidents_open').on('status_incidents').columns(['resolved_at', 'opened_at']).execute();
  // One open incident per capability and scope, whatever races the probes run: the database refuses a second.
  await sql`create unique index status_incidents_one_open on status_incidents (capability, scope) where resolved_at is null and capability is not null`.execute(db);

  await db.schema
    .createTable('status_incident_updates')
    .addColumn('id', serial, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('incident_id', 'text', (c) => c.notNull().references('status_incidents.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('message_en', 'text', (c) => c.notNull())
    // null: written by the office itself (automatic checks).
    .addColumn('author', 'text')
    .execute();
  await db.schema.createIndex('status_incident_updates_incident').on('status_incident_updates').columns(['incident_id', 'id']).execute();

  await db.schema
    .createTable('status_overrides')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull())
    // null: an explanation only, the derived state stands.
    .addColumn('state', 'text')
    .addColumn('note_id', 'text', (c) => c.notNull())
    .addColumn('note_en', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('cleared_by', 'text')
    .addColumn('cleared_at', 'text')
    .execute();

  await db.schema
    .createTable('status_maintenance')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('note_id', 'text', (c) => c.notNull())
    .addColumn('note_en', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('cancelled_by', 'text')
    .addColumn('cancelled_at', 'text')
    .execute();

  await db.schema
    .createTable('status_announcements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('text_id', 'text', (c) => c.notNull())
    .addColumn('text_en', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('cleared_by', 'text')
    .addColumn('cleared_at', 'text')
    .execute();

  // The worst state of each service at each site per calendar day of the office: the 90-day bars.
  await db.schema
    .createTable('status_history')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('worst_rank', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('status_history_pk', ['day', 'service', 'site_id'])
    .execute();

  await db.schema
    .createTable('status_meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into status_meta (key, value) values ('version', '0')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['status_meta', 'status_history', 'status_announcements', 'status_maintenance', 'status_overrides', 'status_incident_updates', 'status_incidents', 'status_capabilities']) {
    await db.schema.dropTable(table).execute();
  }
}
