import { appliedMigrations, migrateToLatest, type Db } from '@tangguh/platform';
import type { CentralDb } from './schema.ts';
import { CENTRAL_MIGRATIONS } from './migrations/index.ts';

/** Brings the centre's database (SQLite or PostgreSQL) to the newest schema; returns what it applied. */
export function migrateCentral(handle: Db<CentralDb>): Promise<string[]> {
  return migrateToLatest(handle.db, handle.dialect, CENTRAL_MIGRATIONS);
}

/** Names of the migrations this database has applied, oldest first. */
export async function centralMigrationsApplied(handle: Db<CentralDb>): Promise<string[]> {
  return (await appliedMigrations(handle.db, handle.dialect, CENTRAL_MIGRATIONS)).map((m) => m.name);
}
