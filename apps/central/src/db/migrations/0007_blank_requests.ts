import type { Kysely } from 'kysely';
import type { DialectName } from '@tangguh/platform';

/**
 * Blank-card requests from offices (projected from their `blank.requested` outbox events, so each arrives
 * exactly once) and the admin's answers. An answer takes a cursor in the office's own answer feed from a
 * counters row locked in the answering transaction, so cursors appear in commit order as in the change feed.
 * Allocated serial ranges never overlap across offices: the admin's transaction checks under the same lock.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('blank_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('justification', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    // 'pending', 'allocated' or 'refused'
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('allocated_quantity', 'integer')
    .addColumn('tranche', 'text')
    .addColumn('serial_from', 'bigint')
    .addColumn('serial_to', 'bigint')
    .addColumn('delivery_earliest', 'text')
    .addColumn('delivery_latest', 'text')
    .addColumn('refusal', 'text')
    .addColumn('answered_by', 'text')
    .addColumn('answered_at', 'text')
    // The answer's place in the office's feed; null while pending.
    .addColumn('answer_cursor', 'bigint')
    .execute();
  await db.schema.createIndex('blank_requests_feed').unique().on('blank_requests').columns(['office_id', 'answer_cursor']).execute();
  await db.schema.createIndex('blank_requests_received').on('blank_requests').columns(['received_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('blank_requests').execute();
}
