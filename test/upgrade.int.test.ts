import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { syntheticResidents } from '@tangguh/capture';
import { isSealedSecret, migrateToLatest, openDatabase, type DialectName } from '@tangguh/platform';
import { openCentral } from '@tangguh/central/provision';
import { buildCentralApp } from '@tangguh/central';
import { freePort } from '../apps/cli/src/stack.ts';
import { syntheticRecording } from '../apps/cli/src/seed.ts';
import { openOffice } from '../apps/office/src/runtime.ts';
import { officeMigrationsApplied } from '../apps/office/src/db/migrate.ts';
import { OFFICE_MIGRATIONS } from '../apps/office/src/db/migrations/index.ts';
import { centralMigrationsApplied } from '../apps/central/src/db/migrate.ts';
import { CENTRAL_MIGRATIONS } from '../apps/central/src/db/migrations/index.ts';
import { officeSessionStore } from '../apps/office/src/repositories/users.ts';
import { recordResident } from '../apps/office/src/services/recording.ts';
import { CentralClient } from '../apps/office/src/services/central-client.ts';
import { pushOnce } from '../apps/office/src/services/sync.ts';
import { freshPgDatabase, pgUrl, setupOrFail, type FreshPgDatabase } from './pg.ts';
import { withReadonly } from './helpers.ts';

// Made by the release before versioned migrations (commit 98a4c85) with make.sh beside them: provisioning,
// five recordings (four synced and deduplicated, one still in the outbox), a Suket and a KK document.
const FIXTURES = fileURLToPath(new URL('./fixtures/release-98a4c85/', import.meta.url));
const run = promisify(execFile);

/** Every table's row count, read with a plain driver, not with the code under test. */
function settingKeys(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('select key from settings order by key').all() as { key: string }[]).map((r) => r.key);
  } finally {
    db.close();
  }
}

function sqliteCounts(path: string): Record<string, number> {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'kysely_%' and name != 'sqlite_sequence' order by name").all() as { name: string }[];
    return Object.fromEntries(tables.map((t) => [t.name, (db.prepare(`select count(*) as n from "${t.name}"`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

/** The definitions of the tables and indexes (not Kysely's own), to show a migration changed nothing. */
async function schemaOf(db: Kysely<unknown>, dialect: DialectName): Promise<unknown[]> {
  if (dialect === 'sqlite') {
    return (await sql`select type, name, sql from sqlite_master where tbl_name not like 'kysely_%' order by name`.execute(db)).rows;
  }
  const columns = await sql`select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns
    where table_schema = 'public' and table_name not like 'kysely_%' order by table_name, column_name`.execute(db);
  const indexes = await sql`select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename not like 'kysely_%' order by indexname`.execute(db);
  return [...columns.rows, ...indexes.rows];
}

/** Runs only the baseline over a database: on one made by the released code it must change nothing. */
async function baselineChangesNothing(location: string, migrations: typeof OFFICE_MIGRATIONS): Promise<void> {
  const handle = openDatabase<unknown>(location);
  try {
    const before = await schemaOf(handle.db, handle.dialect);
    expect(before.length).toBeGreaterThan(20);
    expect(await migrateToLatest(handle.db, handle.dialect, { '0001_baseline': migrations['0001_baseline']! })).toEqual(['0001_baseline']);
    expect(await schemaOf(handle.db, handle.dialect)).toEqual(before);
  } finally {
    await handle.close();
  }
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tangguh-upgrade-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a data folder made by the release before versioned migrations (SQLite)', () => {
  const copy = (name: string) => {
    const path = join(dir, `${name}-${Math.random().toString(36).slice(2)}.db`);
    copyFileSync(join(FIXTURES, `${name}.db`), path);
    return path;
  };

  it('meets an office baseline that recognises its tables and changes nothing in them', async () => {
    await baselineChangesNothing(copy('office'), OFFICE_MIGRATIONS);
  });

  it('meets a centre baseline that recognises its tables and changes nothing in them', async () => {
    await baselineChangesNothing(copy('central'), CENTRAL_MIGRATIONS);
  });

  it('opens with the new code, upgrades to every migration, keeps all its data and syncs on from where it was', async () => {
    const officePath = copy('office');
    const centralPath = copy('central');
    const officeBefore = sqliteCounts(officePath);
    const settingsBefore = settingKeys(officePath);
    const centralBefore = sqliteCounts(centralPath);
    expect(officeBefore).toMatchObject({ records: 5, outbox: 6, sukets: 1, documents: 1, users: 5, sites: 32 });
    expect(centralBefore).toMatchObject({ enrollments: 4, applied_entries: 5, office_events: 1, sukets: 1 });

    const c = await openCentral(centralPath);
    const o = await openOffice(officePath);
    const app = await buildCentralApp(c.ctx, { serveWeb: false });
    try {
      expect(await officeMigrationsApplied(o.handle)).toEqual(Object.keys(OFFICE_MIGRATIONS));
      expect(await centralMigrationsApplied(c.handle)).toEqual(Object.keys(CENTRAL_MIGRATIONS));
      expect(o.ctx.office).toMatchObject({ id: '3509', name: 'Dinas Kependudukan dan Pencatatan Sipil Kabupaten Jember', regencyCode: '35.09' });
      const statuses = await o.ctx.db.selectFrom('records').select('status').orderBy('recorded_at').execute();
      expect(statuses.map((r) => r.status)).toEqual(['PRINT_READY_RECORD', 'PRINT_READY_RECORD', 'PRINT_READY_RECORD', 'PRINT_READY_RECORD', 'BIO_CAPTURED']);

      // A new recording takes the seq after the last one the released code handed out: no gap, no reuse.
      const operator = (await officeSessionStore(o.ctx.db).findLogin('operator'))!.user;
      const [person] = syntheticResidents(1, { seed: 4242, regencyCode: '35.09', regions: o.ctx.regions });
      await recordResident(o.ctx, { request: await syntheticRecording(person!, person!.nik), operator });
      const seqs = await o.ctx.db.selectFrom('outbox').select('seq').orderBy('seq').execute();
      expect(seqs.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5, 6, 7]);

      // The upgraded centre takes the upgraded office's waiting entries after the ones it applied before.
      const port = await freePort();
      await app.listen({ port, host: '127.0.0.1' });
      const client = new CentralClient({ baseUrl: `http://127.0.0.1:${port}`, officeId: o.ctx.office.id, signingPrivateKey: o.ctx.signingPrivateKey });
      expect(await pushOnce(o.ctx, client, 10)).toBe(2);
      const office = await c.ctx.db.selectFrom('offices').select('applied_seq').where('office_id', '=', '3509').executeTakeFirstOrThrow();
      expect(Number(office.applied_seq)).toBe(7);
    } finally {
      await app.close();
      await o.handle.close();
      await c.handle.close();
    }
    const officeAfter = sqliteCounts(officePath);
    // Rows only added, none lost: the new recording, its events, the outbox counter, sync bookkeeping.
    // (Tables that later migrations add are not in `officeBefore`.)
    const grown = ['status_events', 'sync_state', 'counters'];
    const released = (counts: Record<string, number>) => Object.fromEntries(Object.keys(officeBefore).filter((table) => !grown.includes(table)).map((table) => [table, counts[table]]));
    // Every setting of the release is kept. New ones join it: the master key's check (the release's plain keys
    // are sealed on this first open) and the keys later features make on first use.
    expect(released(officeAfter)).toEqual({ ...released(officeBefore), records: 6, outbox: 7, settings: officeAfter.settings });
    const settingsAfter = settingKeys(officePath);
    expect(settingsAfter).toEqual(expect.arrayContaining(settingsBefore));
    expect(settingsAfter.length).toBeGreaterThan(settingsBefore.length);
    for (const table of grown) expect(officeAfter[table]).toBeGreaterThanOrEqual(officeBefore[table]!);
    expect(officeAfter.status_events).toBeGreaterThan(officeBefore.status_events!);
    const centralAfter = sqliteCounts(centralPath);
    // Plus the master key's check, the gallery's wrapped data key, the mark that its templates are sealed, and
    // the card-signing key made on this first open, certified in the trust list (one more document key).
    expect(centralAfter).toMatchObject({
      ...centralBefore,
      enrollments: 6,
      applied_entries: 7,
      status_changes: centralAfter.status_changes,
      settings: centralBefore.settings! + 4,
      document_keys: centralBefore.document_keys! + 1,
    });
    for (const [path, keys] of [[officePath, ['signing_private_key']], [centralPath, ['sealing_private_key', 'trust_root_private_key', 'card_signing_private_key']]] as const) {
      const stored = withReadonly(path, (db) => db.prepare(`select value from settings where key in (${keys.map(() => '?').join(', ')})`).pluck().all(...keys) as string[]);
      expect(stored.length === keys.length && stored.every(isSealedSecret)).toBe(true);
    }
    expect(centralAfter.status_changes).toBeGreaterThan(centralBefore.status_changes!);
  });
});

describe('a centre database on PostgreSQL made by the release before versioned migrations', () => {
  let restored: FreshPgDatabase[] = [];
  const restore = async (): Promise<FreshPgDatabase> => {
    const db = await freshPgDatabase();
    restored.push(db);
    // The fixture is pg_dump's plain text (COPY blocks), which only psql reads; it comes with the server.
    await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db.url, '-f', join(FIXTURES, 'central.pg.sql')]);
    return db;
  };
  setupOrFail(async () => {
    expect(pgUrl()).toMatch(/^postgres/);
  });
  afterAll(async () => {
    for (const db of restored) await db.drop();
    restored = [];
  });

  it('meets a baseline that recognises its tables and changes nothing in them', async () => {
    await baselineChangesNothing((await restore()).url, CENTRAL_MIGRATIONS);
  });

  it('opens with the new code, upgrades to every migration and keeps all its data', async () => {
    const db = await restore();
    const c = await openCentral(db.url);
    try {
      expect(c.handle.dialect).toBe('postgres');
      expect(await centralMigrationsApplied(c.handle)).toEqual(Object.keys(CENTRAL_MIGRATIONS));
      const count = async (table: 'enrollments' | 'applied_entries' | 'gallery' | 'status_changes' | 'users') =>
        Number((await c.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      expect({ enrollments: await count('enrollments'), applied: await count('applied_entries'), gallery: await count('gallery'), changes: await count('status_changes'), users: await count('users') }).toEqual({
        enrollments: 4,
        applied: 5,
        gallery: 4,
        changes: 12,
        users: 2,
      });
      const office = await c.ctx.db.selectFrom('offices').select(['applied_seq', 'change_seq']).where('office_id', '=', '3509').executeTakeFirstOrThrow();
      expect({ applied: Number(office.applied_seq), changes: Number(office.change_seq) }).toEqual({ applied: 5, changes: 12 });
      const photo = await c.ctx.db.selectFrom('enrollments').select('photo').limit(1).executeTakeFirstOrThrow();
      expect(photo.photo.byteLength).toBeGreaterThan(100);
    } finally {
      await c.handle.close();
    }
  });
});
