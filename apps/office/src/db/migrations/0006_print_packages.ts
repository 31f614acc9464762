import type { Kysely } from 'kysely';
import { blobType, type DialectName } from '@tangguh/platform';

/**
 * Card print packages fetched from the centre before anyone asks to print, and the replacement cards the
 * office asked the centre for. A package is kept sealed with the office's data key: the row shows what it is
 * for (record, kind, cursor), never the resident's name, photo or fingerprints.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('print_packages')
    .addColumn('package_id', 'text', (c) => c.primaryKey())
    // The centre's feed cursor it arrived under.
    .addColumn('cursor', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text')
    .addColumn('request_id', 'text')
    .addColumn('sealed_package', blobType(dialect))
    // JSON {id, en}: the centre's reason for a refusal.
    .addColumn('reason', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('print_packages_record').on('print_packages').columns(['record_id', 'cursor']).execute();
  await db.schema
    .createTable('card_replacements')
    .addColumn('request_id', 'text', (c) => c.primaryKey())
    .addColumn('nik', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    // REQUESTED, then READY or REFUSED when the centre's answer arrives in the package feed.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'text')
    .addColumn('record_id', 'text')
    .addColumn('refusal', 'text')
    .execute();
  await db.schema.createIndex('card_replacements_requested').on('card_replacements').column('requested_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('card_replacements').execute();
  await db.schema.dropTable('print_packages').execute();
}
