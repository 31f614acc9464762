import type Database from 'better-sqlite3';
import { SqliteDialect, type Driver, type SqliteDatabase, type SqliteStatement } from 'kysely';

/** Prepared statements kept per database; a node runs a few hundred distinct queries. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The database as Kysely sees it, with its prepared statements kept by their SQL text. Kysely's SQLite
 * driver prepares every query anew, and SQLite compiles it each time: for the drain's 200-row inserts and
 * the sync's small bookkeeping statements that compiling was about 4 % of each node's CPU (`bench:sync`
 * profile). A statement still iterating (a streamed query) is busy and cannot be reused while it runs, so a
 * busy one is never handed out again: that caller gets a fresh one. SQLite re-prepares a kept statement by
 * itself after a migration changes the schema.
 */
export function cachingStatements(sqlite: Database.Database, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare: (sql: string): SqliteStatement => {
      const kept = cache.get(sql);
      if (kept && !kept.busy) {
        // Most recently used last: the first key is the one to drop when full.
        cache.delete(sql);
        cache.set(sql, kept);
        return kept as unknown as SqliteStatement;
      }
      const statement = sqlite.prepare(sql);
      if (!kept) {
        cache.set(sql, statement);
        if (cache.size > size) cache.delete(cache.keys().next().value!);
      }
      return statement as unknown as SqliteStatement;
    },
  };
}

/**
 * Kysely's SQLite dialect, with prepared statements kept (see cachingStatements), and except that a
 * transaction SQLite has already rolled back itself is not rolled back again. SQLite ends the transaction
 * on its own after SQLITE_FULL (a full disk), SQLITE_IOERR or SQLITE_NOMEM; Kysely's ROLLBACK that follows
 * then fails with "cannot rollback - no transaction is active", and that error replaces the real one — a
 * full disk would reach the caller as a baffling SQL error.
 */
export class SqliteDialectKeepingErrors extends SqliteDialect {
  readonly #sqlite: Database.Database;

  constructor(sqlite: Database.Database) {
    super({ database: cachingStatements(sqlite) });
    this.#sqlite = sqlite;
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    const sqlite = this.#sqlite;
    const rollback = driver.rollbackTransaction.bind(driver);
    driver.rollbackTransaction = async (connection) => {
      if (sqlite.inTransaction) await rollback(connection);
    };
    return driver;
  }
}
