import { sql, type Kysely } from 'kysely';
import type { DialectName } from '@tangguh/platform';

/**
 * Who looked at whom (UU PDP 27/2022): one row per read of a resident's data — a record, its photo, a
 * Suket, a document or its PDF, a search — with the reader, the screen it came from and the time.
 *
 * Append-only at the database, not only in the code: no route updates or deletes it, and triggers refuse
 * UPDATE and DELETE (and TRUNCATE on PostgreSQL) from anyone who reaches the database with SQL, so an
 * operator with a copy of the office's SQL console still cannot wipe the traces of a lookup.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const pg = dialect === 'postgres';
  await db.schema
    .createTable('access_log')
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text')
    .addColumn('nik', 'text')
    .addColumn('subject', 'text')
    .addColumn('screen', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('access_log_at').on('access_log').column('at').execute();
  await db.schema.createIndex('access_log_nik').on('access_log').columns(['nik', 'at']).execute();
  await db.schema.createIndex('access_log_username').on('access_log').columns(['username', 'at']).execute();
  if (pg) {
    await sql`create function access_log_append_only() returns trigger language plpgsql as $$
      begin raise exception 'access_log is append-only'; end $$`.execute(db);
    await sql`create trigger access_log_no_change before update or delete on access_log for each row execute function access_log_append_only()`.execute(db);
    await sql`create trigger access_log_no_truncate before truncate on access_log for each statement execute function access_log_append_only()`.execute(db);
  } else {
    await sql`create trigger access_log_no_update before update on access_log begin select raise(abort, 'access_log is append-only'); end`.execute(db);
    await sql`create trigger access_log_no_delete before delete on access_log begin select raise(abort, 'access_log is append-only'); end`.execute(db);
  }
}

export async function down(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await db.schema.dropTable('access_log').execute();
  if (dialect === 'postgres') await sql`drop function access_log_append_only()`.execute(db);
}
