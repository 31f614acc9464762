import { appliedMigrations, migrateToLatest, type Db } from '@tangguh/platform';
import type { OfficeDb } from './schema.ts';
import { OFFICE_MIGRATIONS } from './migrations/index.ts';

/** Brings an office database (SQLite or PostgreSQL) to the newest schema; returns what it applied. */
export function migrateOffice(handle: Db<OfficeDb>): Promise<string[]> {
  return migrateToLatest(handle.db, handle.dialect, OFFICE_MIGRATIONS);
}

/** Names of the migrations this database has applied, oldest first. */
export async function officeMigrationsApplied(handle: Db<OfficeDb>): Promise<string[]> {
  return (await appliedMigrations(handle.db, handle.dialect, OFFICE_MIGRATIONS)).map((m) => m.name);
}
