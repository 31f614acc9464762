import { sql, type Kysely } from 'kysely';
import type { DialectName } from '@tangguh/platform';

/**
 * The print plan's data: the blank-card ledger, the printers, the holiday calendar and the priority policy.
 *
 * blank_ledger is append-only at the database, as the access log is: stock is the sum of its rows, so a
 * row changed or removed by SQL would change the count without a trace; triggers refuse UPDATE and
 * DELETE (and TRUNCATE on PostgreSQL). A serial printed or spoiled is unique in the table, which is the
 * last guard against one blank used twice. blank_ledger_lock has one row that every ledger write updates
 * first: on PostgreSQL the row lock, on SQLite the file's write lock, makes "read the balance, check it,
 * take the next serial, append" one step for any number of print stations.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const pg = dialect === 'postgres';
  await db.schema
    .createTable('blank_ledger')
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull())
    // The change to this site's balance: a transfer is two rows sharing movement_id.
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('movement_id', 'text', (c) => c.notNull())
    .addColumn('counterpart', 'text')
    .addColumn('tranche', 'text')
    .addColumn('serial_from', 'bigint')
    .addColumn('serial_to', 'bigint')
    .addColumn('serial', 'bigint', (c) => c.unique())
    .addColumn('record_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .execute();
  await db.schema.createIndex('blank_ledger_site').on('blank_ledger').columns(['site_id', 'id']).execute();
  if (pg) {
    await sql`create function blank_ledger_append_only() returns trigger language plpgsql as $$
      begin raise exception 'blank_ledger is append-only'; end $$`.execute(db);
    await sql`create trigger blank_ledger_no_change before update or delete on blank_ledger for each row execute function blank_ledger_append_only()`.execute(db);
    await sql`create trigger blank_ledger_no_truncate before truncate on blank_ledger for each statement execute function blank_ledger_append_only()`.execute(db);
  } else {
    await sql`create trigger blank_ledger_no_update before update on blank_ledger begin select raise(abort, 'blank_ledger is append-only'); end`.execute(db);
    await sql`create trigger blank_ledger_no_delete before delete on blank_ledger begin select raise(abort, 'blank_ledger is append-only'); end`.execute(db);
  }
  await db.schema
    .createTable('blank_ledger_lock')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into blank_ledger_lock (name, version) values ('ledger', 0)`.execute(db);

  await db.schema
    .createTable('printers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('capacity_per_day', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('ribbon_left', 'integer', (c) => c.notNull())
    .addColumn('film_left', 'integer', (c) => c.notNull())
    .addColumn('prints_per_ribbon', 'integer', (c) => c.notNull())
    .addColumn('prints_per_film', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('work_calendar')
    .addColumn('date', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name_id', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_at', 'text', (c) => c.notNull())
    .execute();

  // Every version of the policy is kept, the newest applies: "why was I moved back?" has an answer.
  await db.schema
    .createTable('print_priority_policies')
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  for (const table of ['print_priority_policies', 'work_calendar', 'printers', 'blank_ledger_lock', 'blank_ledger']) await db.schema.dropTable(table).execute();
  if (dialect === 'postgres') await sql`drop function blank_ledger_append_only()`.execute(db);
}
