/**
 * The gallery's seq cursor (migration 0002_gallery_cursor), on SQLite and PostgreSQL: a gallery made by the
 * released code is numbered in the order it was admitted, new entries continue after it in commit order,
 * and a dedup worker's matcher follows the table by it — including entries written by another process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { baseTemplate } from '@tangguh/capture';
import { BIOMETRIC_POSITIONS, packSet, type BiometricSet } from '@tangguh/domain';
import { DataKey, migrateToLatest, openDatabase, type Db } from '@tangguh/platform';
import type { CentralDb } from '../apps/central/src/db/schema.ts';
import { migrateCentral } from '../apps/central/src/db/migrate.ts';
import * as baseline from '../apps/central/src/db/migrations/0001_baseline.ts';
import { addToGallery, gallerySize, lockGallery } from '../apps/central/src/repositories/gallery.ts';
import { GalleryMirror } from '../apps/central/src/matcher/gallery-mirror.ts';
import { freshPgDatabase, setupOrFail } from './pg.ts';

// Rows the released code left are plain; everything written now is sealed with the gallery's data key.
const galleryKey = DataKey.generate();
const setOf = (subject: string): BiometricSet => Object.fromEntries(BIOMETRIC_POSITIONS.map((p) => [p, baseTemplate(subject, p)]));

describe.each(['sqlite', 'postgres'] as const)('the gallery cursor on %s', (dialect) => {
  let location: string;
  let cleanup: () => Promise<void>;
  let worker: Db<CentralDb>;
  let api: Db<CentralDb>;
  // Admitted in this order; the ids sort otherwise, so the numbering must come from the admission time.
  const released = [
    { recordId: `c${randomUUID().slice(1)}`, at: '2026-11-01T01:00:00.000Z' },
    { recordId: `a${randomUUID().slice(1)}`, at: '2026-11-01T02:00:00.000Z' },
    { recordId: `b${randomUUID().slice(1)}`, at: '2026-11-01T03:00:00.000Z' },
  ];

  setupOrFail(async () => {
    if (dialect === 'postgres') {
      const pg = await freshPgDatabase();
      location = pg.url;
      cleanup = () => pg.drop();
    } else {
      const dir = await mkdtemp(join(tmpdir(), 'tangguh-gallery-'));
      location = join(dir, 'central.db');
      cleanup = () => rm(dir, { recursive: true, force: true });
    }
    // A centre as the released code left it: the baseline schema, a gallery without seqs.
    const old = openDatabase<{ gallery: { record_id: string; templates: Uint8Array; added_at: string } }>(location);
    await migrateToLatest(old.db, old.dialect, { '0001_baseline': baseline });
    const rows = released.map((r) => ({ record_id: r.recordId, templates: packSet(setOf(r.recordId)), added_at: r.at }));
    await old.db.insertInto('gallery').values(rows).execute();
    await old.close();
    worker = openDatabase<CentralDb>(location);
    api = openDatabase<CentralDb>(location);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await cleanup?.();
  });

  it('numbers the gallery of an upgraded centre in the order its entries were admitted', async () => {
    // 0002 first; later migrations, whatever they add, come after it.
    expect((await migrateCentral(worker))[0]).toBe('0002_gallery_cursor');
    const rows = await worker.db.selectFrom('gallery').select(['record_id', 'seq']).orderBy('seq').execute();
    expect(rows).toEqual(released.map((r, i) => ({ record_id: r.recordId, seq: i + 1 })));
    expect(await worker.db.transaction().execute((trx) => lockGallery(trx))).toBe(3);
  });

  it('lets a matcher follow the table: entries written through another connection reach it at its next catch-up', async () => {
    const mirror = new GalleryMirror(galleryKey);
    expect(await mirror.catchUp(worker.db)).toBe(3);
    expect(mirror.cursor).toBe(3);
    expect(await mirror.search(setOf(released[1]!.recordId), { minScore: 0.9, limit: 1 })).toEqual([{ recordId: released[1]!.recordId, score: 1 }]);

    // "Another process": an adjudication admitting one record, then a worker admitting two, one already there.
    const decided = randomUUID();
    await api.db.transaction().execute(async (trx) => {
      await lockGallery(trx);
      await addToGallery(trx, [{ recordId: decided, set: setOf(decided), at: new Date().toISOString() }], galleryKey);
    });
    const newcomer = randomUUID();
    await api.db.transaction().execute(async (trx) => {
      await lockGallery(trx);
      await addToGallery(trx, [
        { recordId: released[0]!.recordId, set: setOf('someone else'), at: new Date().toISOString() },
        { recordId: newcomer, set: setOf(newcomer), at: new Date().toISOString() },
      ], galleryKey);
    });
    expect(mirror.size).toBe(3);
    expect(await mirror.catchUp(worker.db)).toBe(2);
    expect(mirror.size).toBe(await gallerySize(worker.db));
    expect((await mirror.search(setOf(decided), { minScore: 0.9, limit: 1 }))[0]?.recordId).toBe(decided);
    // The record already admitted kept its entry; the seq it would have had is skipped, not reused.
    const seqs = await worker.db.selectFrom('gallery').select(['record_id', 'seq']).where('seq', '>', 3).orderBy('seq').execute();
    expect(seqs).toEqual([{ record_id: decided, seq: 4 }, { record_id: newcomer, seq: 6 }]);
    expect(mirror.cursor).toBe(6);
    expect(await mirror.catchUp(worker.db)).toBe(0);
  });

  it('gives concurrent writers seqs in commit order, never the same one twice', async () => {
    const ids = Array.from({ length: 8 }, () => randomUUID());
    // Two SQLite connections in one thread would wait on each other inside better-sqlite3's blocking busy
    // handler; on SQLite the writers share one connection here (the split-process test covers SQLite across
    // processes), on PostgreSQL they race on two pools.
    const writer = (i: number) => (dialect === 'postgres' && i % 2 === 1 ? api : worker);
    await Promise.all(
      ids.map((id, i) =>
        writer(i).db.transaction().execute(async (trx) => {
          await lockGallery(trx);
          await addToGallery(trx, [{ recordId: id, set: setOf(id), at: new Date().toISOString() }], galleryKey);
        }),
      ),
    );
    const seqs = (await worker.db.selectFrom('gallery').select('seq').where('record_id', 'in', ids).orderBy('seq').execute()).map((r) => Number(r.seq));
    expect(seqs).toEqual([7, 8, 9, 10, 11, 12, 13, 14]);
  });
});
