import type { Kysely } from 'kysely';

/**
 * Failed citizen status checks (/warga) counted per registration number and per address
 * (services/citizen-check.ts). In the database, not in a process's memory: every API process shares one
 * count and a restart gives a guesser no fresh start. A registration number is counted whether or not it
 * exists, so being slowed down says nothing about whether the number was issued.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('citizen_check_throttle')
    // 'regno:<registration number>' or 'address:<ip>'
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'text', (c) => c.notNull())
    .addColumn('blocked_until', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('citizen_check_throttle').execute();
}
