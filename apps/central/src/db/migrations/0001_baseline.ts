import type { Kysely } from 'kysely';
import { blobType, type DialectName } from '@tangguh/platform';

/**
 * The centre's schema as the release before versioned migrations created it, written once with Kysely's
 * schema builder so it runs on SQLite and PostgreSQL. Every statement is `if not exists` (the seed
 * `on conflict do nothing`), so on a database made by that release — tables present, no kysely_migration
 * table — it is a no-op that records the baseline. Concurrent starts are serialised by the Migrator's lock.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
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
  await trustTables(db);
  await tteTables(db);
}

/** The root of trust's tables: certified document keys, revoked serials, the Suket log, the published lists. */
async function trustTables(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s
    .createTable('document_keys')
    .ifNotExists()
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('office_name', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull().unique())
    .addColumn('not_before', 'text', (c) => c.notNull())
    .addColumn('not_after', 'text', (c) => c.notNull())
    .addColumn('certified_at', 'text', (c) => c.notNull())
    .addColumn('holder', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('revoke_reason', 'text')
    .execute();
  await s.createIndex('document_keys_office').ifNotExists().on('document_keys').columns(['office_id', 'purpose']).execute();
  await s
    .createTable('revoked_serials')
    .ifNotExists()
    .addColumn('ser', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('superseded_by', 'text')
    .addColumn('note', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await s
    .createTable('sukets')
    .ifNotExists()
    .addColumn('serial', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('nik', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('kid', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'text', (c) => c.notNull())
    .addColumn('logged_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoke_reason', 'text')
    .execute();
  await s.createIndex('sukets_nik').ifNotExists().on('sukets').column('nik').execute();
  await s.createIndex('sukets_record').ifNotExists().on('sukets').column('record_id').execute();
  await s
    .createTable('trust_publications')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('built_version', 'bigint', (c) => c.notNull().defaultTo(-1))
    .addColumn('sequence', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('issued_at', 'text')
    .addColumn('signed', 'text')
    .execute();
  await db
    .withTables<{ trust_publications: { name: string; version: number; built_version: number; sequence: number; issued_at: string | null; signed: string | null } }>()
    .insertInto('trust_publications')
    .values([
      { name: 'TRUST_LIST', version: 0, built_version: -1, sequence: 0, issued_at: null, signed: null },
      { name: 'REVOCATION_LIST', version: 0, built_version: -1, sequence: 0, issued_at: null, signed: null },
    ])
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/** The e-signature (TTE) service's tables. */
async function tteTables(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s
    .createTable('tte_signers')
    .ifNotExists()
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('kid', 'text', (c) => c.notNull().unique())
    .addColumn('private_key', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('certified_at', 'text')
    .addPrimaryKeyConstraint('tte_signers_pk', ['office_id', 'username'])
    .execute();
  await s
    .createTable('tte_signatures')
    .ifNotExists()
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('serial', 'text', (c) => c.notNull())
    .addColumn('typ', 'text', (c) => c.notNull())
    .addColumn('kid', 'text', (c) => c.notNull())
    .addColumn('signer_username', 'text', (c) => c.notNull())
    .addColumn('qr_text', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tte_signatures_pk', ['office_id', 'document_id'])
    .execute();
  await s.createIndex('tte_signatures_serial').ifNotExists().on('tte_signatures').columns(['office_id', 'serial']).execute();
}
