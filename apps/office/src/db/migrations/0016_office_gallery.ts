import type { Kysely } from 'kysely';
import { blobType, type DialectName } from '@tangguh/platform';

/**
 * Provisional deduplication at the office (services/provisional-dedup.ts).
 *
 * `office_gallery`: the templates the office may search — its own recordings (stored at recording time) and
 * the centre's subset of the kabupaten — sealed with the office's gallery data key. `seq` is the cursor the
 * in-memory index follows; writers take the outbox lock first, so seqs follow commit order on PostgreSQL too.
 *
 * `provisional_matches`: a Suket held because the search found another person's record like this one; one
 * per record (the best candidate), decided by a supervisor or settled by the centre's verdict.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const pg = dialect === 'postgres';
  await db.schema
    .createTable('office_gallery')
    .addColumn('seq', pg ? 'bigint' : 'integer', (c) => c.primaryKey())
    .addColumn('record_id', 'text', (c) => c.notNull().unique())
    .addColumn('nik', 'text', (c) => c.notNull())
    .addColumn('full_name', 'text', (c) => c.notNull())
    // 'office': recorded here; 'centre': from the centre's subset of the kabupaten.
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('templates', blobType(dialect), (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('provisional_matches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('record_id', 'text', (c) => c.notNull().unique())
    .addColumn('candidate_record_id', 'text', (c) => c.notNull())
    .addColumn('score', pg ? 'double precision' : 'real', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('found_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('reason', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('review_note', 'text')
    .execute();
  await db.schema.createIndex('provisional_matches_state').on('provisional_matches').columns(['state', 'found_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('provisional_matches').execute();
  await db.schema.dropTable('office_gallery').execute();
}
