import type { Kysely } from 'kysely';
import type { DialectName } from '@tangguh/platform';

/**
 * Printed cards on their way to the resident: manifests to pickup points (kecamatan, kelurahan), each card
 * checked off on arrival or flagged missing, the identity checks at the pickup counter (a 1:1 fingerprint
 * match or a supervisor's recorded override) and the hand-over itself. Who and when at every step.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const real = dialect === 'postgres' ? 'double precision' : 'real';
  await db.schema
    .createTable('card_manifests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // MNF-<office>-<YYYYMMDD>-<n>: what is written on the box and read out on the phone.
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('from_site_id', 'text', (c) => c.notNull())
    .addColumn('to_site_id', 'text', (c) => c.notNull())
    // OPEN (being packed), DISPATCHED (cards CARD_SHIPPED), RECEIVED (checked at the pickup point).
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('dispatched_by', 'text')
    .addColumn('dispatched_at', 'text')
    .addColumn('received_by', 'text')
    .addColumn('received_at', 'text')
    .execute();
  await db.schema.createIndex('card_manifests_status').on('card_manifests').columns(['status', 'created_at']).execute();
  await db.schema
    .createTable('card_manifest_items')
    .addColumn('manifest_id', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    // PACKED, then RECEIVED or MISSING when the pickup point checks the box.
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('checked_by', 'text')
    .addColumn('checked_at', 'text')
    .addPrimaryKeyConstraint('card_manifest_items_pk', ['manifest_id', 'record_id'])
    .execute();
  await db.schema.createIndex('card_manifest_items_record').on('card_manifest_items').column('record_id').execute();
  await db.schema
    .createTable('pickup_identity_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull())
    // FINGERPRINT (1:1 against the chip's prints) or OVERRIDE (a supervisor vouches, with a reason).
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('matched', 'integer', (c) => c.notNull())
    .addColumn('score', real)
    .addColumn('threshold', real)
    // JSON: the finger positions compared.
    .addColumn('positions', 'text')
    .addColumn('checked_by', 'text', (c) => c.notNull())
    .addColumn('checked_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    // The hand-over that used it: a check confirms one hand-over, once.
    .addColumn('used_by', 'text')
    .execute();
  await db.schema.createIndex('pickup_identity_checks_record').on('pickup_identity_checks').columns(['record_id', 'checked_at']).execute();
  await db.schema
    .createTable('card_handovers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('record_id', 'text', (c) => c.notNull().unique())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('check_id', 'text', (c) => c.notNull().unique())
    .addColumn('handed_by', 'text', (c) => c.notNull())
    .addColumn('handed_at', 'text', (c) => c.notNull())
    // JSON: the Suket serials revoked (CARD_ISSUED) in the same transaction.
    .addColumn('revoked_sukets', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['card_handovers', 'pickup_identity_checks', 'card_manifest_items', 'card_manifests']) await db.schema.dropTable(table).execute();
}
