import type { Kysely } from 'kysely';

/**
 * Two gaps at the end of the card's path. A replacement card handed over at the pickup counter, with what
 * became of the old card: taken back (damaged, data changed) or declared lost (lost) — one hand-over per
 * replacement request. And the settlement of a card flagged missing when its manifest was received: found
 * later at the pickup point, or declared lost in transit (its blank written off, the card printed again first).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('replacement_handovers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().unique())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('check_id', 'text', (c) => c.notNull().unique())
    // TAKEN_BACK (the old card is collected at the counter and destroyed) or DECLARED_LOST.
    .addColumn('old_card', 'text', (c) => c.notNull())
    .addColumn('old_card_note', 'text')
    .addColumn('handed_by', 'text', (c) => c.notNull())
    .addColumn('handed_at', 'text', (c) => c.notNull())
    // JSON: the Suket serials revoked in the same transaction.
    .addColumn('revoked_sukets', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('replacement_handovers_record').on('replacement_handovers').column('record_id').execute();
  await db.schema
    .createTable('missing_card_settlements')
    .addColumn('manifest_id', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    // FOUND (received late at the pickup point) or LOST_IN_TRANSIT.
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    // Who flagged it missing and when (the manifest item's check, kept before the item is changed).
    .addColumn('flagged_by', 'text')
    .addColumn('flagged_at', 'text')
    .addColumn('settled_by', 'text', (c) => c.notNull())
    .addColumn('settled_at', 'text', (c) => c.notNull())
    // LOST_IN_TRANSIT: the blank written off and the print job that prints the card again.
    .addColumn('blank_serial', 'bigint')
    .addColumn('reprint_job_id', 'text')
    // How many messages were queued to the resident (0: no contact left).
    .addColumn('notified', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('missing_card_settlements_pk', ['manifest_id', 'record_id'])
    .execute();
  await db.schema.createIndex('missing_card_settlements_record').on('missing_card_settlements').column('record_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['missing_card_settlements', 'replacement_handovers']) await db.schema.dropTable(table).execute();
}
