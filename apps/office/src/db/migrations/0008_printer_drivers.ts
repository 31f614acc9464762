import type { Kysely } from 'kysely';
import type { DialectName } from '@tangguh/platform';

/**
 * How the office reaches each printer: `driver` is 'cups' (a CUPS queue, named in `target`) or 'folder'
 * (card PDFs written to the absolute path in `target`). Both null for a printer saved before this
 * migration, or not connected yet: the plan counts it, nothing is sent to it until an admin connects it.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.alterTable('printers').addColumn('driver', 'text').execute();
  await db.schema.alterTable('printers').addColumn('target', 'text').execute();
}

export async function down(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.alterTable('printers').dropColumn('target').execute();
  await db.schema.alterTable('printers').dropColumn('driver').execute();
}
