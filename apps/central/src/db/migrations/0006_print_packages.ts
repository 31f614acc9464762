import type { Kysely } from 'kysely';
import { blobType, type DialectName } from '@tangguh/platform';

/**
 * Card print packages the centre built, and the answers to replacement requests it could not build. Each row
 * belongs to the office it is delivered to and carries a cursor in that office's package feed, taken from a
 * counters row locked in the writing transaction (so cursors appear in commit order, as the change feed's do).
 * The package bytes are sealed with the centre's data key: they hold two fingerprint templates.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('print_packages')
    .addColumn('package_id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('cursor', 'bigint', (c) => c.notNull())
    // FIRST (a Print Ready Record) or REPLACEMENT (asked for by an office)
    .addColumn('kind', 'text', (c) => c.notNull())
    // READY or REFUSED
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text')
    .addColumn('request_id', 'text')
    .addColumn('nik', 'text', (c) => c.notNull())
    // JSON {id, en} for a refusal
    .addColumn('reason', 'text')
    .addColumn('sealed_package', blobType(dialect))
    .addColumn('built_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('print_packages_feed').unique().on('print_packages').columns(['office_id', 'cursor']).execute();
  await db.schema.createIndex('print_packages_record').on('print_packages').columns(['record_id', 'kind']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('print_packages').execute();
}
