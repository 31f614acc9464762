import { packSet, type BiometricSet } from '@tangguh/domain';
import type { DataKey } from '@tangguh/platform';
import type { CentralDbOrTx } from '../db/schema.ts';
import { GALLERY_SEQ_COUNTER } from '../db/migrations/0002_gallery_cursor.ts';

/**
 * Makes the caller's transaction the only gallery writer until it ends, and returns the highest seq in the
 * gallery. The update changes nothing but locks the counter row on PostgreSQL; on SQLite it starts the single
 * write (call it first in the transaction, before any read, so the snapshot is the newest). Every gallery
 * writer goes through here, so what this returns cannot grow before the caller commits.
 */
export async function lockGallery(trx: CentralDbOrTx): Promise<number> {
  const row = await trx
    .updateTable('counters')
    .set((eb) => ({ value: eb.ref('value') }))
    .where('name', '=', GALLERY_SEQ_COUNTER)
    .returning('value')
    .executeTakeFirst();
  if (!row) throw new Error(`counters row ${GALLERY_SEQ_COUNTER} is missing: the centre's database is not migrated`);
  const head = await trx.selectFrom('gallery').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  return Number(head?.seq ?? 0);
}

/**
 * Admits sets to the gallery in the caller's transaction, each under the next seq of the counter (taken
 * under its row lock, so seqs follow commit order). A record already admitted is left as it was; the seq it
 * would have had is skipped, which a cursor does not mind.
 */
export async function addToGallery(trx: CentralDbOrTx, rows: { recordId: string; set: BiometricSet; at: string }[], key: DataKey): Promise<void> {
  if (rows.length === 0) return;
  const counter = await trx
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', rows.length) }))
    .where('name', '=', GALLERY_SEQ_COUNTER)
    .returning('value')
    .executeTakeFirst();
  if (!counter) throw new Error(`counters row ${GALLERY_SEQ_COUNTER} is missing: the centre's database is not migrated`);
  const first = Number(counter.value) - rows.length + 1;
  await trx
    .insertInto('gallery')
    .values(rows.map((r, i) => ({ record_id: r.recordId, templates: key.seal(packSet(r.set)), added_at: r.at, seq: first + i })))
    .onConflict((oc) => oc.column('record_id').doNothing())
    .execute();
}

/** Gallery rows as stored: the templates still sealed. */
export interface StoredGalleryRow {
  seq: number;
  record_id: string;
  templates: Uint8Array;
}

/**
 * Streams the gallery rows after `cursor` (a seq) in seq order, a page at a time, sealed as stored: for a
 * reader that opens them elsewhere (the matcher's shard threads). The next page is asked for before this one
 * is handed out, so on PostgreSQL the database works on it while the caller sends this one on.
 */
export async function* readGalleryPagesAfter(db: CentralDbOrTx, cursor: number, pageSize: number): AsyncGenerator<StoredGalleryRow[]> {
  const pageAfter = (after: number) => db.selectFrom('gallery').select(['seq', 'record_id', 'templates']).where('seq', '>', after).orderBy('seq').limit(pageSize).execute();
  const ask = (after: number) => {
    const asked = pageAfter(after);
    // A caller that stops early leaves the asked page unread: its failure must not go unhandled.
    asked.catch(() => {});
    return asked;
  };
  let next = ask(cursor);
  for (;;) {
    const page = await next;
    const full = page.length === pageSize;
    if (full) next = ask(Number(page[page.length - 1]!.seq));
    if (page.length > 0) yield page as StoredGalleryRow[];
    if (!full) return;
  }
}

export async function gallerySize(db: CentralDbOrTx): Promise<number> {
  const row = await db.selectFrom('gallery').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A page of stored templates after `after`, by seq, as stored (sealed or, in an upgraded gallery, plain). */
export function galleryTemplatesAfter(db: CentralDbOrTx, after: number, limit: number) {
  return db.selectFrom('gallery').select(['seq', 'templates']).where('seq', '>', after).orderBy('seq').limit(limit).execute();
}

export async function replaceGalleryTemplates(trx: CentralDbOrTx, seq: number, templates: Uint8Array): Promise<void> {
  await trx.updateTable('gallery').set({ templates }).where('seq', '=', seq).execute();
}
