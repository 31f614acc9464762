import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openDatabase, type Db } from '@tangguh/platform';
import { freshLocation, setupOrFail, type DIALECTS } from '../../../../test/pg.ts';
import { migrateOffice } from './migrate.ts';
import type { OfficeDb } from './schema.ts';

/**
 * For repository tests: inside a `describe`, a fresh office database on the given dialect, migrated to
 * the newest schema before the tests and dropped after them. Returns a getter, as the database exists
 * only once the set-up has run.
 */
export function migratedOfficeDatabase(dialect: (typeof DIALECTS)[number], prefix: string): () => Db<OfficeDb> {
  let dir: string | undefined;
  let handle: Db<OfficeDb> | undefined;
  let drop = async () => {};
  setupOrFail(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    const store = await freshLocation(dialect, dir, 'office');
    handle = openDatabase<OfficeDb>(store.location);
    drop = store.drop;
    await migrateOffice(handle);
  });
  afterAll(async () => {
    await handle?.close();
    await drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (!handle) throw new Error('the office test database is not set up yet');
    return handle;
  };
}
