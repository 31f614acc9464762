import Database from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { SqliteDialectKeepingErrors } from './sqlite-dialect.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface Db<T> {
  db: Kysely<T>;
  dialect: DialectName;
  close(): Promise<void>;
}

/**
 * SQLite as the offices run it: WAL so readers never block the writer, and synchronous=FULL so a
 * committed recording survives a power cut, not just a process crash.
 */
export function openSqlite<T>(path: string): Db<T> {
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<T>({ dialect: new SqliteDialectKeepingErrors(sqlite) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

// BIGINT (int8) counters stay well inside 2^53 here; read them as numbers on both dialects.
pg.types.setTypeParser(20, (value) => Number(value));

export function openPostgres<T>(connectionString: string): Db<T> {
  const pool = new pg.Pool({ connectionString, max: 8 });
  // An idle connection dropped by the server (restart, failover) must not crash the node; the pool reconnects.
  pool.on('error', (error) => console.error(`[postgres] idle connection lost: ${error.message}`));
  const db = new Kysely<T>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/** A database URL (postgres://…) or a SQLite file path. */
export function openDatabase<T>(location: string): Db<T> {
  return /^postgres(ql)?:\/\//.test(location) ? openPostgres<T>(location) : openSqlite<T>(location);
}

export function blobType(dialect: DialectName): 'blob' | 'bytea' {
  return dialect === 'postgres' ? 'bytea' : 'blob';
}

export function toBytes(value: Uint8Array | Buffer): Uint8Array {
  return value instanceof Uint8Array ? value : new Uint8Array(value);
}
