import { sql, type Kysely } from 'kysely';
import type { OfficeDb } from './schema.ts';
import { migrateDocuments } from './migrations-documents.ts';
import { migrateSuket } from './migrations-suket.ts';

/** The office always runs on SQLite; the outbox seq is an AUTOINCREMENT key so a seq is never reused. */
export async function migrateOffice(db: Kysely<OfficeDb>): Promise<void> {
  const s = db.schema;
  await s.createTable('settings').ifNotExists().addColumn('key', 'text', (c) => c.primaryKey()).addColumn('value', 'text', (c) => c.notNull()).execute();
  await s
    .createTable('sites')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text')
    .execute();
  await s
    .createTable('users')
    .ifNotExists()
    .addColumn('username', 'text', (c) => c.primaryKey())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .execute();
  await s
    .createTable('sessions')
    .ifNotExists()
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().references('users.username'))
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await s
    .createTable('records')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('registration_number', 'text', (c) => c.notNull().unique())
    .addColumn('client_request_id', 'text', (c) => c.unique())
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('nik', 'text', (c) => c.notNull())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('village_code', 'text', (c) => c.notNull())
    .addColumn('biodata', 'text', (c) => c.notNull())
    .addColumn('photo', 'blob', (c) => c.notNull())
    .addColumn('photo_mime', 'text', (c) => c.notNull())
    .addColumn('signature', 'blob', (c) => c.notNull())
    .addColumn('signature_mime', 'text', (c) => c.notNull())
    .addColumn('sealed_biometrics', 'blob', (c) => c.notNull())
    .addColumn('exceptions', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_at', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('records_nik').ifNotExists().on('records').column('nik').execute();
  await s.createIndex('records_status').ifNotExists().on('records').columns(['status', 'recorded_at']).execute();
  await s.createIndex('records_recorded_at').ifNotExists().on('records').column('recorded_at').execute();
  await sql`create table if not exists status_events (
    id integer primary key autoincrement,
    record_id text not null references records(id),
    status text not null,
    at text not null,
    source text not null,
    note text
  )`.execute(db);
  await s.createIndex('status_events_record').ifNotExists().on('status_events').columns(['record_id', 'id']).execute();
  await sql`create table if not exists outbox (
    seq integer primary key autoincrement,
    kind text not null,
    record_id text references records(id),
    subject_id text,
    payload text,
    created_at text not null,
    check ((kind = 'recording.created') = (record_id is not null))
  )`.execute(db);
  await s.createTable('sync_state').ifNotExists().addColumn('key', 'text', (c) => c.primaryKey()).addColumn('value', 'text', (c) => c.notNull()).execute();
  await s.createTable('counters').ifNotExists().addColumn('name', 'text', (c) => c.primaryKey()).addColumn('value', 'integer', (c) => c.notNull()).execute();
  await migrateSuket(db);
  await migrateDocuments(db);
}
