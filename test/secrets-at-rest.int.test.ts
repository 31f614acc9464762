/**
 * Secrets at rest (issue 7, hole 7): owner-only folders and files, no private key and no template readable in
 * a copy of the databases, older data sealed on its first open with the key, a wrong key refused with nothing
 * changed. Real SQLite files, the real open paths of both nodes, and the office's own process for the refusal.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baseTemplate } from '@tangguh/capture';
import { toBase64Url } from '@tangguh/credential';
import { BIOMETRIC_POSITIONS, packSet, type BiometricSet } from '@tangguh/domain';
import { MasterKeyError, isSealedSecret, openDatabase, resetMasterKey } from '@tangguh/platform';
import { openCentral } from '@tangguh/central/provision';
import { openOffice } from '@tangguh/office/runtime';
import type { CentralDb } from '../apps/central/src/db/schema.ts';
import { addToGallery, lockGallery } from '../apps/central/src/repositories/gallery.ts';
import { GalleryMirror } from '../apps/central/src/matcher/gallery-mirror.ts';
import { trustRoot } from '../apps/central/src/services/trust.ts';
import { currentSigningKey } from '../apps/office/src/services/document-keys.ts';
import { withSuketTables } from '../apps/office/src/db/migrations-suket.ts';
import { OFFICE_MAIN, provisionStack, type StackPaths } from '../apps/cli/src/stack.ts';
import { makeTempDir, removeTempDirs, withReadonly } from './helpers.ts';
import { freshPgDatabase } from './pg.ts';

const mode = (path: string) => statSync(path).mode & 0o777;
const setOf = (subject: string): BiometricSet => Object.fromEntries(BIOMETRIC_POSITIONS.map((p) => [p, baseTemplate(subject, p)]));
const WRONG_KEY = 'an operator secret that is not this office’s';

/** Everything on disk for a SQLite database: the file and, if present, its WAL. */
const diskBytes = (db: string) => Buffer.concat([readFileSync(db), ...(existsSync(`${db}-wal`) ? [readFileSync(`${db}-wal`)] : [])]);

async function withKey<T>(secret: string, run: () => Promise<T>): Promise<T> {
  const saved = process.env.TANGGUH_MASTER_KEY;
  process.env.TANGGUH_MASTER_KEY = secret;
  resetMasterKey();
  try {
    return await run();
  } finally {
    process.env.TANGGUH_MASTER_KEY = saved;
    resetMasterKey();
  }
}

async function refusal(open: () => Promise<{ handle: { close(): Promise<void> } }>): Promise<string> {
  try {
    const { handle } = await open();
    await handle.close();
  } catch (error) {
    if (error instanceof MasterKeyError) return error.code;
    throw error;
  }
  return 'opened';
}

afterAll(() => removeTempDirs());

describe('secrets at rest on SQLite', () => {
  it('keeps data folders 0700 and the databases with their WAL and SHM 0600, narrowing what an older release left open', async () => {
    const dir = makeTempDir();
    const paths = await provisionStack(dir, { users: false });
    for (const folder of [dir, join(dir, 'office'), join(dir, 'central')]) expect(mode(folder)).toBe(0o700);
    // As the release before this one left them: world-readable.
    for (const folder of [dir, join(dir, 'office'), join(dir, 'central')]) chmodSync(folder, 0o755);
    for (const db of [paths.officeDb, paths.centralDb]) chmodSync(db, 0o644);

    const office = await openOffice(paths.officeDb);
    const central = await openCentral(paths.centralDb);
    try {
      for (const db of [paths.officeDb, paths.centralDb]) {
        expect(mode(join(db, '..'))).toBe(0o700);
        for (const file of [db, `${db}-wal`, `${db}-shm`]) expect([file, mode(file)]).toEqual([file, 0o600]);
      }
    } finally {
      await office.handle.close();
      await central.handle.close();
    }
    await provisionStack(dir, { users: false });
    expect(mode(dir)).toBe(0o700);
  });

  it('leaves no private key PEM, no raw private key and no template bytes in a copy of the databases', async () => {
    const dir = makeTempDir();
    const paths = await provisionStack(dir, { users: false });
    const template = setOf('a resident of Jember');
    const central = await openCentral(paths.centralDb);
    const secrets: string[] = [];
    try {
      await central.ctx.db.transaction().execute(async (trx) => {
        await lockGallery(trx);
        await addToGallery(trx, [{ recordId: 'R-AT-REST-1', set: template, at: new Date().toISOString() }], central.ctx.galleryKey);
      });
      secrets.push(central.ctx.sealingPrivateKey, toBase64Url((await trustRoot(central.ctx)).privateKey));
      // The gallery still opens for the matcher, with the one data key.
      const mirror = new GalleryMirror(central.ctx.galleryKey);
      await mirror.catchUp(central.ctx.db);
      expect((await mirror.search(template, { minScore: 0.9, limit: 1 }))[0]?.recordId).toBe('R-AT-REST-1');
    } finally {
      await central.handle.close();
    }
    const office = await openOffice(paths.officeDb);
    try {
      secrets.push(office.ctx.signingPrivateKey, toBase64Url((await currentSigningKey(office.ctx, 'SUKET')).privateKey));
    } finally {
      await office.handle.close();
    }

    const copy = Buffer.concat([diskBytes(paths.officeDb), diskBytes(paths.centralDb)]);
    expect(copy.includes('PRIVATE KEY')).toBe(false);
    for (const secret of secrets) {
      // A PEM's base64 body, line by line, or a raw key's base64url: none of it is on disk.
      for (const line of secret.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))) expect(copy.includes(line)).toBe(false);
    }
    const packed = Buffer.from(packSet(template));
    for (let at = 2; at + 32 <= packed.length; at += 256) expect(copy.includes(packed.subarray(at, at + 32))).toBe(false);
  });

  it('seals the plain keys and the plain gallery an older release left, on the first open with a key, keeping every key the same', async () => {
    const dir = makeTempDir();
    const paths = await provisionStack(dir, { users: false });
    const plain = await unsealAsAnOlderReleaseStoredIt(paths, setOf('admitted before sealing'));

    const central = await openCentral(paths.centralDb);
    const office = await openOffice(paths.officeDb);
    try {
      expect(central.ctx.sealingPrivateKey).toBe(plain.sealingPem);
      expect(office.ctx.signingPrivateKey).toBe(plain.officePem);
      expect(toBase64Url((await trustRoot(central.ctx)).privateKey)).toBe(plain.root);
      const mirror = new GalleryMirror(central.ctx.galleryKey);
      expect(await mirror.catchUp(central.ctx.db)).toBe(1);
      expect((await mirror.search(setOf('admitted before sealing'), { minScore: 0.9, limit: 1 }))[0]?.recordId).toBe('R-LEGACY');
    } finally {
      await office.handle.close();
      await central.handle.close();
    }
    withReadonly(paths.officeDb, (db) => {
      const values = db.prepare("select value from settings where key = 'signing_private_key'").pluck().all() as string[];
      const keys = db.prepare('select private_key from document_signing_keys').pluck().all() as string[];
      expect([...values, ...keys].every(isSealedSecret)).toBe(true);
    });
    withReadonly(paths.centralDb, (db) => {
      const values = db.prepare("select value from settings where key in ('sealing_private_key', 'trust_root_private_key')").pluck().all() as string[];
      expect(values.length === 2 && values.every(isSealedSecret)).toBe(true);
      const templates = db.prepare('select templates from gallery').pluck().all() as Buffer[];
      expect(templates.map((t) => t.subarray(0, 4).toString('ascii'))).toEqual(['TGS1']);
    });
    expect(readFileSync(paths.officeDb).includes('PRIVATE KEY')).toBe(false);
  });

  it('refuses a wrong master key with a clear error, in the open path and in the office process, and changes nothing', async () => {
    const dir = makeTempDir();
    const paths = await provisionStack(dir, { users: false });
    const snapshot = () => [paths.officeDb, paths.centralDb].map((db) => withReadonly(db, (d) => d.prepare('select key, value from settings order by key').all()));
    const before = snapshot();

    await withKey(WRONG_KEY, async () => {
      expect(await refusal(() => openOffice(paths.officeDb))).toBe('MASTER_KEY_WRONG');
      expect(await refusal(() => openCentral(paths.centralDb))).toBe('MASTER_KEY_WRONG');
    });
    const run = spawnSync(process.execPath, ['--import', 'tsx', OFFICE_MAIN, '--db', paths.officeDb, '--port', '0'], {
      env: { ...process.env, TANGGUH_MASTER_KEY: WRONG_KEY },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Kunci induk salah');
    expect(run.stderr).toContain('Wrong master key');
    const { TANGGUH_MASTER_KEY: _omitted, ...withoutKey } = process.env;
    const missing = spawnSync(process.execPath, ['--import', 'tsx', OFFICE_MAIN, '--db', paths.officeDb, '--port', '0'], { env: withoutKey, encoding: 'utf8', timeout: 60_000 });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('MASTER_KEY_MISSING');
    expect(snapshot()).toEqual(before);
  });
});

describe('secrets at rest on PostgreSQL', () => {
  it('stores every private key and every gallery template sealed, and refuses a wrong key there too', async () => {
    const [officePg, centralPg] = [await freshPgDatabase(), await freshPgDatabase()];
    try {
      const paths = await provisionStack(makeTempDir(), { officeDb: officePg.url, centralDb: centralPg.url, users: false });
      const central = await openCentral(paths.centralDb);
      try {
        await central.ctx.db.transaction().execute(async (trx) => {
          await lockGallery(trx);
          await addToGallery(trx, [{ recordId: 'R-PG-1', set: setOf('on postgres'), at: new Date().toISOString() }], central.ctx.galleryKey);
        });
        const keys = await central.ctx.db.selectFrom('settings').select('value').where('key', 'in', ['sealing_private_key', 'trust_root_private_key', 'gallery_data_key']).execute();
        expect(keys.length === 3 && keys.every((k) => isSealedSecret(k.value))).toBe(true);
        const gallery = await central.ctx.db.selectFrom('gallery').select('templates').execute();
        expect(gallery.map((g) => Buffer.from(g.templates).subarray(0, 4).toString('ascii'))).toEqual(['TGS1']);
      } finally {
        await central.handle.close();
      }
      const office = await openOffice(paths.officeDb);
      try {
        const signing = await office.ctx.db.selectFrom('settings').select('value').where('key', '=', 'signing_private_key').executeTakeFirstOrThrow();
        const documentKeys = await withSuketTables(office.ctx.db).selectFrom('document_signing_keys').select('private_key').execute();
        expect(documentKeys.length).toBeGreaterThan(0);
        expect([signing.value, ...documentKeys.map((k) => k.private_key)].every(isSealedSecret)).toBe(true);
      } finally {
        await office.handle.close();
      }
      await withKey(WRONG_KEY, async () => {
        expect(await refusal(() => openOffice(paths.officeDb))).toBe('MASTER_KEY_WRONG');
        expect(await refusal(() => openCentral(paths.centralDb))).toBe('MASTER_KEY_WRONG');
      });
    } finally {
      await officePg.drop();
      await centralPg.drop();
    }
  });
});

/** Rewrites a fresh stack's keys and gallery the way the release before sealing stored them: plain, with no check. */
async function unsealAsAnOlderReleaseStoredIt(paths: StackPaths, set: BiometricSet): Promise<{ sealingPem: string; officePem: string; root: string }> {
  const central = await openCentral(paths.centralDb);
  const office = await openOffice(paths.officeDb);
  const plain = { sealingPem: central.ctx.sealingPrivateKey, officePem: office.ctx.signingPrivateKey, root: toBase64Url((await trustRoot(central.ctx)).privateKey) };
  const suket = toBase64Url((await currentSigningKey(office.ctx, 'SUKET')).privateKey);
  await central.handle.close();
  await office.handle.close();

  const c = openDatabase<CentralDb>(paths.centralDb);
  await c.db.updateTable('settings').set({ value: plain.sealingPem }).where('key', '=', 'sealing_private_key').execute();
  await c.db.updateTable('settings').set({ value: plain.root }).where('key', '=', 'trust_root_private_key').execute();
  await c.db.deleteFrom('settings').where('key', 'in', ['master_key_check', 'gallery_data_key', 'gallery_sealed']).execute();
  await c.db.insertInto('gallery').values({ record_id: 'R-LEGACY', templates: packSet(set), added_at: new Date().toISOString(), seq: 1 }).execute();
  await c.close();
  const o = openDatabase<{ settings: { key: string; value: string }; document_signing_keys: { private_key: string } }>(paths.officeDb);
  await o.db.updateTable('settings').set({ value: plain.officePem }).where('key', '=', 'signing_private_key').execute();
  await o.db.deleteFrom('settings').where('key', '=', 'master_key_check').execute();
  await o.db.updateTable('document_signing_keys').set({ private_key: suket }).execute();
  await o.close();
  return plain;
}
