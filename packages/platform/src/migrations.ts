import { Migrator, sql, type Kysely, type Migration, type MigrationResult, type MigrationResultSet } from 'kysely';
import type { DialectName } from './database.ts';

/**
 * One numbered migration of a node. It receives the dialect because a few types differ (blob/bytea,
 * autoincrement/serial); it is typed against `Kysely<unknown>` on purpose: a migration describes the
 * schema as it was when it shipped, so it declares the tables it touches itself (withTables) instead
 * of importing today's schema types, which will have moved on.
 */
export interface NodeMigration {
  up(db: Kysely<unknown>, dialect: DialectName): Promise<void>;
  down?(db: Kysely<unknown>, dialect: DialectName): Promise<void>;
}

/**
 * Kysely's Migrator over a static list (an object of imports), not a FileMigrationProvider scanning the
 * disk: the list is what the bundle holds, under tsx, a bundler or a packaged binary alike.
 */
function migrator<T>(db: Kysely<T>, dialect: DialectName, migrations: Record<string, NodeMigration>): Migrator {
  const bound: Record<string, Migration> = {};
  for (const [name, m] of Object.entries(migrations)) {
    const { down } = m;
    bound[name] = { up: (trx) => m.up(trx, dialect), ...(down ? { down: (trx) => down(trx, dialect) } : {}) };
  }
  return new Migrator({ db, provider: { getMigrations: async () => bound } });
}

/**
 * Brings the database to the newest migration and returns the names it applied. On PostgreSQL the
 * Migrator holds an advisory lock and runs everything in one transaction, so several processes may start
 * at once; a failure leaves the database as it was and is thrown, stopping the node before it serves.
 */
export async function migrateToLatest<T>(db: Kysely<T>, dialect: DialectName, migrations: Record<string, NodeMigration>): Promise<string[]> {
  const run = () => migrator(db, dialect, migrations).migrateToLatest();
  const { error, results } = dialect === 'sqlite' ? await immediately(db, run) : await run();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r: MigrationResult) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Kysely's Migrator takes no lock on SQLite (it assumes one connection), yet several processes may open
 * one file at once (a node's API and worker). BEGIN IMMEDIATE takes the file's write lock first and makes
 * the whole upgrade atomic, as SQLite's DDL is transactional. The wait for that lock is asynchronous, not
 * busy_timeout: better-sqlite3 waits synchronously, which would also stall a holder in this same process.
 */
async function immediately<T>(db: Kysely<T>, run: () => Promise<MigrationResultSet>): Promise<MigrationResultSet> {
  const { rows } = await sql<{ timeout: number }>`pragma busy_timeout`.execute(db);
  const busyTimeout = Number(rows[0]?.timeout ?? 5000);
  await sql`pragma busy_timeout = 0`.execute(db);
  try {
    for (let waited = 0; ; ) {
      try {
        await sql`begin immediate`.execute(db);
        break;
      } catch (error) {
        const busy = error instanceof Error && 'code' in error && error.code === 'SQLITE_BUSY';
        if (!busy || waited > 60_000) throw error;
        const pause = 20 + Math.floor(Math.random() * 30);
        await new Promise((resolve) => setTimeout(resolve, pause));
        waited += pause;
      }
    }
  } finally {
    await sql.raw(`pragma busy_timeout = ${busyTimeout}`).execute(db);
  }
  let outcome: MigrationResultSet;
  try {
    outcome = await run();
  } catch (error) {
    await sql`rollback`.execute(db);
    throw error;
  }
  await sql.raw(outcome.error ? 'rollback' : 'commit').execute(db);
  return outcome;
}

/** The migrations a database has applied, oldest first, with when. */
export async function appliedMigrations<T>(db: Kysely<T>, dialect: DialectName, migrations: Record<string, NodeMigration>): Promise<{ name: string; executedAt: Date | undefined }[]> {
  const all = await migrator(db, dialect, migrations).getMigrations();
  return all.filter((m) => m.executedAt !== undefined).map((m) => ({ name: m.name, executedAt: m.executedAt }));
}
