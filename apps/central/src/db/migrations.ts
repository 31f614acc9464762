import { sql, type Kysely } from 'kysely';
import { blobType, type DialectName } from '@tangguh/platform';
import type { CentralDb } from './schema.ts';
import { migrateTte } from './migrations-tte.ts';
import { migrateTrust } from './migrations-trust.ts';

/** Creates the centre's tables; written once with Kysely's schema builder so it runs on SQLite and PostgreSQL. */
export async function migrateCentral(db: Kysely<CentralDb>, dialect: DialectName): Promise<void> {
  if (dialect !== 'postgres') return createSchema(db, dialect);
  // Several API processes may start at once, and PostgreSQL's CREATE ... IF NOT EXISTS is not safe
  // against a concurrent create: serialise the migrations under a lock, in one transaction.
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('tangguh:central:migrations'))`.execute(trx);
    await createSchema(trx, dialect);
  });
}

async function createSchema(db: Kysely<CentralDb>, dialect: DialectName): Promise<void> {
  const blob = blobType(dialect);
  const s = db.schema;
  await s
    .createTable('offices')
    .ifNotExists()
    .addColumn('office_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('regency_code', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('applied_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('change_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('registered_at', 'text', (c) => c.notNull())
    .execute();
  await s
    .createTable('applied_entries')
    .ifNotExists()
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('applied_entries_pk', ['office_id', 'seq'])
    .execute();
  await s
    .createTable('enrollments')
    .ifNotExists()
    .addColumn('record_id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('registration_number', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('nik', 'text', (c) => c.notNull())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('biodata', 'text', (c) => c.notNull())
    .addColumn('photo', blob, (c) => c.notNull())
    .addColumn('photo_mime', 'text', (c) => c.notNull())
    .addColumn('signature', blob, (c) => c.notNull())
    .addColumn('signature_mime', 'text', (c) => c.notNull())
    .addColumn('sealed_biometrics', blob, (c) => c.notNull())
    .addColumn('exceptions', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_at', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('enrollments_status').ifNotExists().on('enrollments').columns(['status', 'received_at']).execute();
  await s.createIndex('enrollments_nik').ifNotExists().on('enrollments').column('nik').execute();
  await s
    .createTable('office_events')
    .ifNotExists()
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('office_events_pk', ['office_id', 'seq'])
    .execute();
  await s.createIndex('office_events_subject').ifNotExists().on('office_events').columns(['kind', 'subject_id']).execute();
  await s
    .createTable('status_changes')
    .ifNotExists()
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('cursor', 'bigint', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('status_changes_pk', ['office_id', 'cursor'])
    .execute();
  await s
    .createTable('gallery')
    .ifNotExists()
    .addColumn('record_id', 'text', (c) => c.primaryKey())
    .addColumn('templates', blob, (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .execute();
  await s
    .createTable('adjudications')
    .ifNotExists()
    .addColumn('case_id', 'text', (c) => c.primaryKey())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('candidate_record_id', 'text', (c) => c.notNull())
    .addColumn('score', 'real', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decision', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('note', 'text')
    .execute();
  await s
    .createTable('users')
    .ifNotExists()
    .addColumn('username', 'text', (c) => c.primaryKey())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .execute();
  await s
    .createTable('sessions')
    .ifNotExists()
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await s
    .createTable('settings')
    .ifNotExists()
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await migrateTrust(db, dialect);
  await migrateTte(db, dialect);
}
