import { packSet, unpackSet, type BiometricSet } from '@tangguh/domain';
import type { CentralDbOrTx } from '../db/schema.ts';

export async function addToGallery(db: CentralDbOrTx, rows: { recordId: string; set: BiometricSet; at: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('gallery')
    .values(rows.map((r) => ({ record_id: r.recordId, templates: packSet(r.set), added_at: r.at })))
    .onConflict((oc) => oc.column('record_id').doNothing())
    .execute();
}

/** Streams the whole gallery in pages, for loading a matcher at start-up. */
export async function* readGallery(db: CentralDbOrTx, pageSize = 5000): AsyncGenerator<{ recordId: string; set: BiometricSet }> {
  let after = '';
  for (;;) {
    const page = await db
      .selectFrom('gallery')
      .select(['record_id', 'templates'])
      .where('record_id', '>', after)
      .orderBy('record_id')
      .limit(pageSize)
      .execute();
    for (const row of page) yield { recordId: row.record_id, set: unpackSet(new Uint8Array(row.templates)) };
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.record_id;
  }
}

export async function gallerySize(db: CentralDbOrTx): Promise<number> {
  const row = await db.selectFrom('gallery').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
