import { sql, type Kysely } from 'kysely';
import type { DialectName } from '@tangguh/platform';

/** The counters row the outbox seq is taken from; see repositories/outbox.ts. */
export const OUTBOX_SEQ_COUNTER = 'outbox_seq';

type Tables = { counters: { name: string; value: number }; outbox: { seq: number } };

/**
 * Outbox seqs come from a counters row updated inside the writing transaction, not from SQLite's
 * AUTOINCREMENT or a PostgreSQL sequence: the row lock makes seqs gap-free (a rolled-back write gives its
 * number back) and in commit order (the next writer waits for the lock), which the centre requires.
 * The row starts at the highest seq ever handed out, so an upgraded office continues where it was.
 */
export async function up(base: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const db = base.withTables<Tables>();
  const highest = await db.selectFrom('outbox').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  let start = Number(highest?.seq ?? 0);
  if (dialect === 'sqlite') {
    // AUTOINCREMENT never reuses a seq, even of a row no longer there: continue after it too.
    const row = await sql<{ seq: number }>`select seq from sqlite_sequence where name = 'outbox'`.execute(db);
    start = Math.max(start, Number(row.rows[0]?.seq ?? 0));
  }
  await db.insertInto('counters').values({ name: OUTBOX_SEQ_COUNTER, value: start }).onConflict((oc) => oc.column('name').doNothing()).execute();
}

export async function down(base: Kysely<unknown>): Promise<void> {
  await base.withTables<Tables>().deleteFrom('counters').where('name', '=', OUTBOX_SEQ_COUNTER).execute();
}
