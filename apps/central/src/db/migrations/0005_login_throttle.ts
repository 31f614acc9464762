import type { Kysely } from 'kysely';

/**
 * Failed logins counted per account and per address (packages/platform/src/login-throttle.ts). Kept in
 * the database, not in a process's memory, so every API process of a node sees the same counts and a
 * restart does not hand an attacker a fresh start.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('login_throttle')
    // 'account:<username>' or 'address:<ip>'
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'text', (c) => c.notNull())
    .addColumn('blocked_until', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('login_throttle').execute();
}
