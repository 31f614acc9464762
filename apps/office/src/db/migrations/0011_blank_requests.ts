import type { Kysely } from 'kysely';
import type { DialectName } from '@tangguh/platform';

/**
 * The office's blank-card requests to the centre and the centre's answers. A request is written with its
 * outbox entry in one transaction (`outbox_seq`: acknowledged by the centre once the office's acked seq
 * passes it); the answer arrives later in the centre's signed feed and fills the answer columns once. An
 * allocation whose serial range a receipt (penerimaan) in the blank ledger covers counts as received; until
 * then the forecast counts it as an expected delivery.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('blank_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    // JSON: the forecast's figures when the request was made (BlankRequestJustification).
    .addColumn('justification', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('outbox_seq', 'bigint', (c) => c.notNull())
    // null until answered; then 'allocated' or 'refused'
    .addColumn('decision', 'text')
    .addColumn('allocated_quantity', 'integer')
    .addColumn('tranche', 'text')
    .addColumn('serial_from', 'bigint')
    .addColumn('serial_to', 'bigint')
    .addColumn('delivery_earliest', 'text')
    .addColumn('delivery_latest', 'text')
    .addColumn('refusal', 'text')
    .addColumn('answered_by', 'text')
    .addColumn('answered_at', 'text')
    .addColumn('answer_received_at', 'text')
    .execute();
  await db.schema.createIndex('blank_requests_requested').on('blank_requests').columns(['requested_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('blank_requests').execute();
}
