import type { Kysely } from 'kysely';
import type { DialectName } from '@tangguh/platform';

/**
 * Who may have documents signed by the TTE service. Before this, the service signed for whichever head the
 * office named in its request. Now the centre holds, per office, who the head is (`tte_heads`, set at the
 * centre), the personal keys heads enrol from their browsers and a centre admin approves
 * (`tte_head_keys`), and the nonces of the proofs already used within their window (`tte_proof_nonces`).
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('tte_heads')
    .ifNotExists()
    .addColumn('office_id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('set_at', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('tte_head_keys')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .execute();
  await db.schema.createIndex('tte_head_keys_person').ifNotExists().on('tte_head_keys').columns(['office_id', 'username', 'status']).execute();
  await db.schema
    .createTable('tte_proof_nonces')
    .ifNotExists()
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tte_proof_nonces_pk', ['office_id', 'nonce'])
    .execute();
  await db.schema.createIndex('tte_proof_nonces_expires').ifNotExists().on('tte_proof_nonces').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['tte_proof_nonces', 'tte_head_keys', 'tte_heads']) await db.schema.dropTable(table).ifExists().execute();
}
