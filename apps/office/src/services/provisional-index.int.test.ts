import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { packSet } from '@tangguh/domain';
import { capturedSet } from '../../../../packages/matcher/src/synthetic.ts';
import { DIALECTS } from '../../../../test/pg.ts';
import { migratedOfficeDatabase } from '../db/test-database.ts';
import { addGalleryEntries } from '../repositories/office-gallery.ts';
import { galleryDataKey, provisionalIndex } from './provisional-dedup.ts';

/**
 * The office's provisional index holds a quarter of each template and re-scores from office_gallery: a mate is
 * found with its exact score, the table's scan leaves SQLite's page cache as it found it, and when the gallery
 * outgrows the index's key the index is rebuilt wider from the table in the background and swapped in.
 */
describe.each(DIALECTS)('the provisional index over office_gallery on %s', (dialect) => {
  const database = migratedOfficeDatabase(dialect, 'tangguh-provisional-index-');
  let seq = 0;

  async function addPeople(count: number, packed: (i: number) => Uint8Array): Promise<void> {
    const { db } = database();
    const key = await galleryDataKey(db);
    const rows = Array.from({ length: count }, (_, i) => ({
      record_id: `R${seq + i}`,
      nik: String(3509000000000000 + seq + i),
      full_name: `Orang ${seq + i}`,
      source: 'office' as const,
      templates: key.seal(packed(seq + i)),
      added_at: '2026-11-29T00:00:00.000Z',
    }));
    seq += count;
    await db.transaction().execute((trx) => addGalleryEntries(trx, rows));
  }
  const person = (i: number) => packSet(capturedSet(`person-${i}`, 0, 0.04));
  const stranger = () => Uint8Array.from([0xff, 0x0f, ...randomBytes(384)]);
  const search = { minScore: 0.8, limit: 5, probeRadius: 1 as const };

  it('finds a mate by its exact score, read back from the table, and leaves the page cache as it was', async () => {
    const { db } = database();
    await addPeople(300, person);
    const cacheSize = async () => (await sql<{ cache_size: number }>`pragma cache_size`.execute(db)).rows[0]!.cache_size;
    const before = dialect === 'sqlite' ? await cacheSize() : undefined;
    const { index, size } = await provisionalIndex({ db });
    expect(size).toBe(300);
    expect(index.prefixOnly).toBe(true);
    if (dialect === 'sqlite') expect(await cacheSize()).toBe(before);
    const probe = capturedSet('person-17', 1, 0.04);
    const found = await index.search(probe, search);
    expect(found.map((c) => c.recordId)).toEqual(['R17']);
    // The exact score over the full templates, as the domain defines it.
    const { compareSets, unpackSet } = await import('@tangguh/domain');
    expect(found[0]!.score).toBeCloseTo(compareSets(probe, unpackSet(person(17))).score, 12);
    expect(await index.search(capturedSet('nobody', 0, 0.04), search)).toEqual([]);
  });

  it('is rebuilt with a wider key once the gallery outgrows it, and answers the same meanwhile and after', async () => {
    const { db } = database();
    const first = (await provisionalIndex({ db })).index;
    expect(first.keyBits).toBe(10);
    // 8 people a bucket at 10 bits is 8,192: past that the gallery wants 11.
    await addPeople(8000, stranger);
    const during = await provisionalIndex({ db });
    expect(during.size).toBe(8300);
    expect((await during.index.search(capturedSet('person-42', 1, 0.04), search)).map((c) => c.recordId)).toEqual(['R42']);
    let current = during.index;
    for (let i = 0; i < 300 && current.keyBits < 11; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      current = (await provisionalIndex({ db })).index;
    }
    expect(current).not.toBe(first);
    expect(current.keyBits).toBe(11);
    expect(current.size).toBe(8300);
    expect((await current.search(capturedSet('person-42', 1, 0.04), search)).map((c) => c.recordId)).toEqual(['R42']);
    // An enrolment after the swap is found by the next search.
    await addPeople(1, person);
    expect((await (await provisionalIndex({ db })).index.search(capturedSet(`person-${seq - 1}`, 1, 0.04), search)).map((c) => c.recordId)).toEqual([`R${seq - 1}`]);
  }, 60_000);
});

describe.each(DIALECTS)('the first load of the provisional index on %s', (dialect) => {
  const database = migratedOfficeDatabase(dialect, 'tangguh-provisional-load-');

  it('lets a timer through between its pages while it loads the kabupaten', async () => {
    const { db } = database();
    const key = await galleryDataKey(db);
    const rows = Array.from({ length: 3500 }, (_, i) => ({
      record_id: `L${i}`,
      nik: String(3509000000100000 + i),
      full_name: `Orang ${i}`,
      source: 'office' as const,
      templates: key.seal(Uint8Array.from([0xff, 0x0f, ...randomBytes(384)])),
      added_at: '2026-11-29T00:00:00.000Z',
    }));
    await db.transaction().execute((trx) => addGalleryEntries(trx, rows));
    let loaded = false;
    const loading = provisionalIndex({ db }).then((index) => ((loaded = true), index));
    // Pages of 1,000: a timer set now runs before the fourth page is in.
    const loadedWhenTheTimerRan = await new Promise<boolean>((resolve) => setTimeout(() => resolve(loaded), 0));
    expect(loadedWhenTheTimerRan).toBe(false);
    expect((await loading).size).toBe(3500);
  }, 60_000);
});
