import { SqliteAdapter, sql, type Kysely, type Transaction } from 'kysely';
import type { OfficeDb, OfficeDbOrTx } from '../db/schema.ts';

/** The provisional deduplication tables (created by migrations/0016_office_gallery.ts). */
export type OfficeGalleryTables = {
  office_gallery: {
    seq: number;
    record_id: string;
    nik: string;
    full_name: string;
    source: 'office' | 'centre';
    /** Packed templates sealed with the office's gallery data key. */
    templates: Uint8Array;
    added_at: string;
  };
  provisional_matches: {
    id: string;
    record_id: string;
    candidate_record_id: string;
    score: number;
    state: string;
    found_at: string;
    decided_by: string | null;
    decided_at: string | null;
    reason: string | null;
    reviewed_by: string | null;
    review_note: string | null;
  };
};

const galleryDb = (db: OfficeDbOrTx): Kysely<OfficeDb & OfficeGalleryTables> => (db as Kysely<OfficeDb>).withTables<OfficeGalleryTables>();

export type GalleryEntryRow = OfficeGalleryTables['office_gallery'];
export type ProvisionalMatchRow = OfficeGalleryTables['provisional_matches'];

/**
 * Adds entries under the next seqs. The caller holds the outbox lock (repositories/outbox.ts `lockOutbox`),
 * so seqs are taken and committed in one order and a reader following the seq cursor never skips one. An
 * entry for a record already held is left as it was.
 */
export async function addGalleryEntries(trx: Transaction<OfficeDb>, rows: Omit<GalleryEntryRow, 'seq'>[]): Promise<number> {
  if (rows.length === 0) return 0;
  const db = galleryDb(trx);
  const held = new Set(
    (await db.selectFrom('office_gallery').select('record_id').where('record_id', 'in', rows.map((r) => r.record_id)).execute()).map((r) => r.record_id),
  );
  const fresh = [...new Map(rows.filter((r) => !held.has(r.record_id)).map((r) => [r.record_id, r])).values()];
  if (fresh.length === 0) return 0;
  const head = await db.selectFrom('office_gallery').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  const first = Number(head?.seq ?? 0) + 1;
  for (let i = 0; i < fresh.length; i += 200) {
    await db
      .insertInto('office_gallery')
      .values(fresh.slice(i, i + 200).map((r, j) => ({ ...r, seq: first + i + j })))
      .execute();
  }
  return fresh.length;
}

/** KiB of SQLite page cache the gallery's pages are read with (see galleryEntriesAfter). */
const SCAN_CACHE_KIB = 512;
/** Per SQLite connection: the gallery reads under way, and the cache size to set back when the last ends. */
const scans = new WeakMap<object, { active: number; held: Promise<number> }>();

/**
 * A page of gallery entries after `after`, by seq (what the provisional index loads). On SQLite the
 * connection's page cache is held to SCAN_CACHE_KIB while the page is read, and set back after: the index's
 * load at start reads the whole table once, which would otherwise leave better-sqlite3's 16 MiB cache full of
 * gallery pages nobody reads again (16 MiB resident at 100,000 people). Queries made meanwhile run with the
 * small cache too; pages they need come back from the file.
 */
export async function galleryEntriesAfter(db: OfficeDbOrTx, after: number, limit: number) {
  const page = galleryDb(db).selectFrom('office_gallery').select(['seq', 'record_id', 'templates']).where('seq', '>', after).orderBy('seq').limit(limit);
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return page.execute();
  let scan = scans.get(db);
  if (!scan) scans.set(db, (scan = { active: 0, held: Promise.resolve(0) }));
  // Counted before any await, so overlapping reads (a catch-up beside a rebuild) hold the cache small once and
  // the last one out sets back the size read before the first came in.
  if (scan.active++ === 0) {
    scan.held = (async () => {
      const { rows } = await sql<{ cache_size: number }>`pragma cache_size`.execute(db);
      await sql.raw(`pragma cache_size = -${SCAN_CACHE_KIB}`).execute(db);
      return Number(rows[0]?.cache_size ?? -2000);
    })();
  }
  try {
    await scan.held;
    return await page.execute();
  } finally {
    if (--scan.active === 0) await sql.raw(`pragma cache_size = ${await scan.held}`).execute(db);
  }
}

/** The sealed templates of these records, in one query (the provisional index re-scores its candidates from them). */
export function galleryTemplatesOf(db: OfficeDbOrTx, recordIds: readonly string[]) {
  if (recordIds.length === 0) return Promise.resolve([]);
  return galleryDb(db).selectFrom('office_gallery').select(['record_id', 'templates']).where('record_id', 'in', [...recordIds]).execute();
}

export function galleryEntryOf(db: OfficeDbOrTx, recordId: string) {
  return galleryDb(db).selectFrom('office_gallery').select(['seq', 'record_id', 'nik', 'full_name', 'source', 'templates']).where('record_id', '=', recordId).executeTakeFirst();
}

export async function gallerySize(db: OfficeDbOrTx): Promise<number> {
  const row = await galleryDb(db).selectFrom('office_gallery').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The cursor of the centre's gallery subset feed, in sync_state (beside the other feeds' cursors). */
const SUBSET_CURSOR = 'gallery_subset_cursor';
export async function gallerySubsetCursor(db: OfficeDbOrTx): Promise<number> {
  const row = await db.selectFrom('sync_state').select('value').where('key', '=', SUBSET_CURSOR).executeTakeFirst();
  return Number(row?.value ?? 0);
}
export async function setGallerySubsetCursor(db: OfficeDbOrTx, value: number): Promise<void> {
  await db
    .insertInto('sync_state')
    .values({ key: SUBSET_CURSOR, value: String(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(value) }))
    .execute();
}

/* ---- provisional matches ---- */

export function matchOfRecord(db: OfficeDbOrTx, recordId: string) {
  return galleryDb(db).selectFrom('provisional_matches').selectAll().where('record_id', '=', recordId).executeTakeFirst();
}

export function findMatch(db: OfficeDbOrTx, id: string) {
  return galleryDb(db).selectFrom('provisional_matches').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Stores a hold; a record already holding one keeps it (its first verdict stands). Returns the stored row. */
export async function insertMatch(db: OfficeDbOrTx, row: ProvisionalMatchRow): Promise<ProvisionalMatchRow> {
  await galleryDb(db).insertInto('provisional_matches').values(row).onConflict((oc) => oc.column('record_id').doNothing()).execute();
  return (await matchOfRecord(db, row.record_id))!;
}

export async function updateMatch(db: OfficeDbOrTx, id: string, change: Partial<Omit<ProvisionalMatchRow, 'id' | 'record_id'>>): Promise<void> {
  await galleryDb(db).updateTable('provisional_matches').set(change).where('id', '=', id).execute();
}

export function listMatches(db: OfficeDbOrTx, state: string | 'all', limit = 200) {
  let query = galleryDb(db).selectFrom('provisional_matches').selectAll().orderBy('found_at', 'desc').orderBy('id').limit(limit);
  if (state !== 'all') query = query.where('state', '=', state);
  return query.execute();
}

/** Open matches (held or released) whose record the centre has since decided, with the centre's status. */
export function matchesToSettle(db: OfficeDbOrTx, decided: readonly string[]) {
  return galleryDb(db)
    .selectFrom('provisional_matches')
    .innerJoin('records', 'records.id', 'provisional_matches.record_id')
    .select(['provisional_matches.id', 'provisional_matches.state', 'records.status'])
    .where('provisional_matches.state', 'in', ['HELD', 'RELEASED'])
    .where('records.status', 'in', decided)
    .execute();
}

/** What the supervisor's screen shows of each side: the office's own record where it holds one, else the gallery entry. */
export async function partiesOf(db: OfficeDbOrTx, recordIds: string[]) {
  if (recordIds.length === 0) return { records: [], entries: [] };
  const records = await db.selectFrom('records').select(['id', 'nik', 'full_name', 'registration_number', 'status']).where('id', 'in', recordIds).execute();
  const entries = await galleryDb(db).selectFrom('office_gallery').select(['record_id', 'nik', 'full_name']).where('record_id', 'in', recordIds).execute();
  return { records, entries };
}
