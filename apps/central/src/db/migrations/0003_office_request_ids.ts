import type { Kysely } from 'kysely';
import type { DialectName } from '@tangguh/platform';

/**
 * The request ids of signed office requests seen within the signature window, so a replayed request is
 * refused (409 REQUEST_REPLAYED) by whichever API process it reaches. A row is useless once its request's
 * timestamp has left the window — such a request is refused as expired anyway — so rows carry the moment
 * they may go (`expires_at`, ISO text, indexed for the purge in repositories/request-ids.ts).
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('office_request_ids')
    .ifNotExists()
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('office_request_ids_pk', ['office_id', 'request_id'])
    .execute();
  await db.schema.createIndex('office_request_ids_expires').ifNotExists().on('office_request_ids').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('office_request_ids').ifExists().execute();
}
