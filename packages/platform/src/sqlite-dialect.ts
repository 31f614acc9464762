import type Database from 'better-sqlite3';
import { SqliteDialect, type Driver } from 'kysely';

/**
 * Kysely's SQLite dialect, except that a transaction SQLite has already rolled back itself is not rolled
 * back again. SQLite ends the transaction on its own after SQLITE_FULL (a full disk), SQLITE_IOERR or
 * SQLITE_NOMEM; Kysely's ROLLBACK that follows then fails with "cannot rollback - no transaction is active",
 * and that error replaces the real one — a full disk would reach the caller as a baffling SQL error.
 */
export class SqliteDialectKeepingErrors extends SqliteDialect {
  readonly #sqlite: Database.Database;

  constructor(sqlite: Database.Database) {
    super({ database: sqlite });
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
