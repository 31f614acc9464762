import { sql, type Kysely } from 'kysely';
import type { DialectName } from '@tangguh/platform';

/** The counters row gallery seqs are taken from; see repositories/gallery.ts. */
export const GALLERY_SEQ_COUNTER = 'gallery_seq';

type Tables = {
  counters: { name: string; value: number };
  gallery: { record_id: string; seq: number; added_at: string };
};

/**
 * Gives every gallery entry a `seq`, so a dedup worker can follow the table by cursor and learn of entries
 * added by other processes (adjudication in an API process, another worker). Seqs are taken from a counters
 * row locked in the writing transaction: they are then in commit order, which a cursor needs — a database
 * sequence hands out numbers in start order, and a reader could pass a number whose row commits later.
 * Existing entries are numbered in the order they were admitted.
 */
export async function up(base: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  const db = base.withTables<Tables>();
  await db.schema
    .createTable('counters')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('gallery').addColumn('seq', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  // UPDATE … FROM with a window function: the same statement on PostgreSQL and SQLite (3.33 and later).
  await sql`update gallery set seq = numbered.n
    from (select record_id, row_number() over (order by added_at, record_id) as n from gallery) as numbered
    where gallery.record_id = numbered.record_id`.execute(db);
  await db.schema.createIndex('gallery_seq').unique().on('gallery').column('seq').execute();
  const highest = await db.selectFrom('gallery').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  await db
    .insertInto('counters')
    .values({ name: GALLERY_SEQ_COUNTER, value: Number(highest?.seq ?? 0) })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

export async function down(base: Kysely<unknown>): Promise<void> {
  const db = base.withTables<Tables>();
  await db.deleteFrom('counters').where('name', '=', GALLERY_SEQ_COUNTER).execute();
  await db.schema.dropIndex('gallery_seq').execute();
  await db.schema.alterTable('gallery').dropColumn('seq').execute();
}
