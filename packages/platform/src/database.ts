import Database from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { SqliteDialectKeepingErrors } from './sqlite-dialect.ts';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export type DialectName = 'sqlite' | 'postgres';

export interface Db<T> {
  db: Kysely<T>;
  dialect: DialectName;
  close(): Promise<void>;
}

/** Owner only: a data folder holds biodata, photos and (sealed) keys. */
export const PRIVATE_FOLDER_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Makes (or narrows) a data folder to owner-only. A shared folder such as /tmp (sticky bit) or one owned by
 * someone else is left alone: narrowing it would break other users, and it is not ours to protect.
 */
export function restrictFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  const stat = statSync(dir);
  if ((stat.mode & 0o1000) !== 0 || (process.getuid && stat.uid !== process.getuid())) return;
  if ((stat.mode & 0o777) !== PRIVATE_FOLDER_MODE) chmodSync(dir, PRIVATE_FOLDER_MODE);
}

/** Narrows a file the node wrote (a database, its WAL and SHM, a backup) to owner-only, if it exists. */
export function restrictFile(path: string): void {
  if (existsSync(path)) chmodSync(path, PRIVATE_FILE_MODE);
}

/**
 * The database file is made 0600 before SQLite opens it: SQLite gives the -wal and -shm files it creates the
 * mode of the database file, so they are born owner-only too; existing files (0644 from an older release)
 * are narrowed here on every open.
 */
function prepareSqliteFile(path: string): void {
  if (path === ':memory:' || path.startsWith('file:')) return;
  const file = resolve(path);
  restrictFolder(dirname(file));
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  for (const suffix of ['', '-wal', '-shm', '-journal']) restrictFile(file + suffix);
}

/**
 * SQLite as the offices run it: WAL so readers never block the writer, and synchronous=FULL so a
 * committed recording survives a power cut, not just a process crash.
 */
export function openSqlite<T>(path: string): Db<T> {
  prepareSqliteFile(path);
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
