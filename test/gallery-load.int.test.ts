/**
 * The centre's matcher loaded from the sealed gallery, on SQLite and PostgreSQL: rows read in pages and sent
 * to the shard threads still sealed, opened and indexed there. The loaded gallery answers every search as one
 * built person by person with `add`; an entry committed while the load runs is not missed; a row the key does
 * not open stops the matcher instead of leaving a hole in it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BiometricSet } from '@tangguh/domain';
import { DataKey, openDatabase, type Db } from '@tangguh/platform';
import { BitSamplingIndex, ShardedMatcher, type Matcher, type SealedLayout, type SealedLoader } from '@tangguh/matcher';
import { capturedSet, PROBE_KINDS } from '../packages/matcher/src/synthetic.ts';
import type { CentralDb } from '../apps/central/src/db/schema.ts';
import { migrateCentral } from '../apps/central/src/db/migrate.ts';
import { addToGallery, gallerySize, lockGallery } from '../apps/central/src/repositories/gallery.ts';
import { GalleryMirror } from '../apps/central/src/matcher/gallery-mirror.ts';
import { freshPgDatabase, setupOrFail } from './pg.ts';

const galleryKey = DataKey.generate();
const PEOPLE = 1200;
/** Small pages, so a load here takes many, as a million does. */
const PAGE = 150;
const AT = '2026-11-29T00:00:00.000Z';
// Every seventh person was enrolled without six fingers: the layout of a partial set is loaded too.
const people = Array.from({ length: PEOPLE }, (_, i) => ({
  recordId: `G${String(i).padStart(5, '0')}`,
  set: capturedSet(`person-${i}`, 0, 0.04, i % 7 === 3 ? PROBE_KINDS['missing fingers'].missing : []),
}));

/** A sharded matcher whose first (or last) page of sealed people commits one more entry before it is taken in. */
class CommitsDuringLoad implements Matcher, SealedLoader {
  private pages = 0;
  committed: Promise<void> | undefined;

  constructor(
    readonly inner: ShardedMatcher,
    private readonly when: (page: number, ids: readonly string[]) => boolean,
    private readonly commit: () => Promise<void>,
  ) {}

  get size() {
    return this.inner.size;
  }
  get loadTimes() {
    return this.inner.loadTimes;
  }
  has(recordId: string) {
    return this.inner.has(recordId);
  }
  add(recordId: string, set: BiometricSet) {
    this.inner.add(recordId, set);
  }
  addPacked(ids: readonly string[], words: Uint32Array, masks: Uint16Array) {
    this.inner.addPacked(ids, words, masks);
  }
  addSealed(ids: readonly string[], values: readonly Uint8Array[], layout: SealedLayout) {
    const page = ++this.pages;
    const { added, done } = this.inner.addSealed(ids, values, layout);
    if (!this.committed && this.when(page, ids)) {
      this.committed = this.commit();
      return { added, done: Promise.all([done, this.committed]).then(() => {}) };
    }
    return { added, done };
  }
  search(...args: Parameters<Matcher['search']>) {
    return this.inner.search(...args);
  }
  close() {
    return this.inner.close();
  }
}

describe.each(['sqlite', 'postgres'] as const)('the centre matcher loaded from the sealed gallery on %s', (dialect) => {
  let location: string;
  let cleanup: () => Promise<void>;
  let worker: Db<CentralDb>;
  let api: Db<CentralDb>;
  const closing: { close(): Promise<void> }[] = [];

  setupOrFail(async () => {
    if (dialect === 'postgres') {
      const pg = await freshPgDatabase();
      location = pg.url;
      cleanup = () => pg.drop();
    } else {
      const dir = await mkdtemp(join(tmpdir(), 'tangguh-gallery-load-'));
      location = join(dir, 'central.db');
      cleanup = () => rm(dir, { recursive: true, force: true });
    }
    worker = openDatabase<CentralDb>(location);
    api = openDatabase<CentralDb>(location);
    await migrateCentral(worker);
    for (let start = 0; start < PEOPLE; start += 400) {
      const rows = people.slice(start, start + 400).map((p) => ({ ...p, at: AT }));
      await worker.db.transaction().execute((trx) => addToGallery(trx, rows, galleryKey));
    }
  });
  afterAll(async () => {
    for (const matcher of closing) await matcher.close();
    await worker?.close();
    await api?.close();
    await cleanup?.();
  });

  const sharded = (shards = 2) => {
    const matcher = new ShardedMatcher({ shards });
    closing.push(matcher);
    return matcher;
  };

  it('answers every search as a gallery built with add does, sharded or in this thread', async () => {
    const loadedShards = sharded();
    const loaded = new GalleryMirror(galleryKey, loadedShards, { pageSize: PAGE });
    expect(await loaded.catchUp(worker.db)).toBe(PEOPLE);
    expect(loaded.cursor).toBe(PEOPLE);
    expect(loaded.lastLoad).toMatchObject({ rows: PEOPLE, added: PEOPLE });
    const inThread = new GalleryMirror(galleryKey, new BitSamplingIndex(), { pageSize: PAGE });
    expect(await inThread.catchUp(worker.db)).toBe(PEOPLE);

    const built = sharded();
    for (const p of people) built.add(p.recordId, p.set);
    const builtInThread = new BitSamplingIndex();
    for (const p of people) builtInThread.add(p.recordId, p.set);

    const probes = [
      ...Array.from({ length: 30 }, (_, i) => capturedSet(`person-${i * 37}`, 1, 0.1)),
      ...Array.from({ length: 30 }, (_, i) => capturedSet(`person-${i * 41 + 3}`, 2, 0.2)),
      ...Array.from({ length: 10 }, (_, i) => capturedSet(`person-${i * 7 + 3}`, 1, 0.1)),
      ...Array.from({ length: 10 }, (_, i) => capturedSet(`stranger-${i}`, 0, 0.04)),
    ];
    let found = 0;
    for (const probe of probes) {
      for (const options of [
        { minScore: 0.8, limit: 10 },
        { minScore: 0.65, limit: 10, probeRadius: 1 as const },
      ]) {
        const expected = await built.search(probe, options);
        found += expected.length;
        expect(await loaded.search(probe, options)).toEqual(expected);
        expect(await inThread.search(probe, options)).toEqual(await builtInThread.search(probe, options));
      }
    }
    // The answers compared are not all empty: the noisy probes' mates are found in both modes.
    expect(found).toBeGreaterThanOrEqual(60);

    // Every person's every template arrived intact: the exact scan scores the whole gallery alike.
    for (const probe of probes.slice(0, 3)) {
      const all = { minScore: 0, limit: PEOPLE };
      const scanned = await built.scan(probe, all);
      expect(scanned).toHaveLength(PEOPLE);
      expect(await loadedShards.scan(probe, all)).toEqual(scanned);
    }
  }, 120_000);

  it.each([
    ['the first page', (page: number) => page === 1],
    ['the last page', (_page: number, ids: readonly string[]) => ids.includes(people[PEOPLE - 1]!.recordId)],
  ])('misses no entry committed while the load runs (committed while %s is taken in)', async (_when, when) => {
    const before = await gallerySize(worker.db);
    const newcomer = { recordId: `N-${dialect}-${before}`, set: capturedSet(`newcomer-${before}`, 0, 0.04), at: AT };
    // Another process (an adjudication in the API, another dedup worker) admits a person mid-load.
    const commit = () => api.db.transaction().execute((trx) => addToGallery(trx, [newcomer], galleryKey));
    const matcher = new CommitsDuringLoad(sharded(), when, commit);
    const mirror = new GalleryMirror(galleryKey, matcher, { pageSize: PAGE });

    const first = await mirror.catchUp(worker.db);
    await matcher.committed;
    const second = await mirror.catchUp(worker.db);
    expect(first + second).toBe(before + 1);
    expect(mirror.has(newcomer.recordId)).toBe(true);
    expect(mirror.cursor).toBe(await worker.db.transaction().execute((trx) => lockGallery(trx)));
    expect(await mirror.catchUp(worker.db)).toBe(0);
    const probe = capturedSet(`newcomer-${before}`, 1, 0.1);
    expect((await mirror.search(probe, { minScore: 0.8, limit: 3 }))[0]?.recordId).toBe(newcomer.recordId);
  }, 120_000);

  it.each([2, 1])('starts as the centre starts it with %i shard(s): loaded from the whole gallery and ready to search', async (shards) => {
    const mirror = await GalleryMirror.start(worker.db, galleryKey, { shards });
    closing.push(mirror);
    const stored = await gallerySize(worker.db);
    expect(mirror.size).toBe(stored);
    expect(mirror.cursor).toBe(await worker.db.transaction().execute((trx) => lockGallery(trx)));
    if (shards > 1) expect((await mirror.shardStats())!.reduce((sum, shard) => sum + shard.size, 0)).toBe(stored);
    const probe = capturedSet('person-5', 1, 0.1);
    expect((await mirror.search(probe, { minScore: 0.8, limit: 3 }))[0]?.recordId).toBe(people[5]!.recordId);
  });

  it('stops, loudly, on a gallery its key does not open, rather than search with people missing', async () => {
    const mirror = new GalleryMirror(DataKey.generate(), sharded(), { pageSize: PAGE });
    await expect(mirror.catchUp(worker.db)).rejects.toThrow(/failed to load/);
    expect(mirror.cursor).toBe(0);
    await expect(mirror.catchUp(worker.db)).rejects.toThrow(/failed to load/);
    await expect(mirror.search(people[0]!.set, { minScore: 0.8, limit: 3 })).rejects.toThrow(/failed to load/);
  }, 60_000);
});
