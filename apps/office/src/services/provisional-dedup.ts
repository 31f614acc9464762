import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { DEFAULT_MATCH_POLICY, DomainError, packSet, unpackSet, type BiometricSet, type MatchPolicy } from '@tangguh/domain';
import { BitSamplingIndex, unpackInto, type FullTemplates } from '@tangguh/matcher';
import { DataKey } from '@tangguh/platform';
import type { ProvisionalMatchState } from '@tangguh/protocol';
import type { Transaction } from 'kysely';
import type { OfficeContext } from '../context.ts';
import type { OfficeDb, OfficeDbOrTx } from '../db/schema.ts';
import { insertSettingsIfAbsent, readSetting } from '../repositories/settings.ts';
import { findRecordForSuket } from '../repositories/records.ts';
import {
  addGalleryEntries,
  galleryEntriesAfter,
  galleryEntryOf,
  gallerySize,
  galleryTemplatesOf,
  insertMatch,
  matchOfRecord,
  matchesToSettle,
  updateMatch,
  type GalleryEntryRow,
  type ProvisionalMatchRow,
} from '../repositories/office-gallery.ts';

/**
 * Provisional penunggalan at the office (ARCHITECTURE.md principle 6). Jember issued 70,000 Sukets while the
 * centre deduplicated nothing, so one person could hold two under two NIKs. Here a recording the centre has
 * not decided yet is searched, before its Suket, in the same index the centre runs (bit-sampling LSH with
 * multi-probe, every candidate re-scored exactly) over the kabupaten's gallery: the office's own recordings
 * and the centre's subset (services/gallery-subset-sync.ts). A candidate at or above the adjudication
 * threshold under another NIK holds the Suket; a supervisor may release it with a reason, and the centre's
 * verdict, when it arrives, is final either way.
 */

const DATA_KEY_SETTING = 'office_gallery_data_key';
const dataKeys = new WeakMap<object, DataKey>();

/** The office's key for its gallery at rest: made once, stored wrapped by the master key, opened once per process. */
export async function galleryDataKey(db: OfficeDbOrTx): Promise<DataKey> {
  const cached = dataKeys.get(db);
  if (cached) return cached;
  if (!(await readSetting(db, DATA_KEY_SETTING))) await insertSettingsIfAbsent(db, [{ key: DATA_KEY_SETTING, value: DataKey.generate().wrap() }]);
  // Read back: another process may have stored its key first, and that one is the key.
  const key = DataKey.unwrap((await readSetting(db, DATA_KEY_SETTING))!);
  dataKeys.set(db, key);
  return key;
}

/** Statuses the centre has not decided: a Suket for these is searched first. */
const UNDECIDED = new Set(['BIO_CAPTURED', 'SENT_FOR_ENROLLMENT', 'RECEIVED_AT_CENTRAL', 'PROCESSING', 'SEARCH_FAILURE_AT_CENTRAL']);
/** A hold stands while the centre has not decided — including while its own adjudicator looks at the record. */
const HOLD_APPLIES = new Set([...UNDECIDED, 'ADJUDICATE_RECORD']);
/** The centre's verdicts that settle a hold: found unique (and everything after), or a duplicate. */
const CLEARED = ['PRINT_READY_RECORD', 'SENT_FOR_CARD_PRINTING', 'CARD_PRINTED', 'CARD_SHIPPED', 'CARD_ISSUED'];
const DUPLICATE = 'DUPLICATE_RECORD';

/* ---- the gallery ---- */

/** Seals a recording's templates for the office gallery; call before the recording's transaction. */
export async function sealForGallery(ctx: Pick<OfficeContext, 'db'>, set: BiometricSet): Promise<Uint8Array> {
  return (await galleryDataKey(ctx.db)).seal(packSet(set));
}

/**
 * Adds a recording to the office gallery inside its transaction, which already holds the outbox lock (so the
 * gallery's seq follows commit order). The index picks it up at its next catch-up.
 */
export async function addRecordingToGallery(trx: Transaction<OfficeDb>, entry: { recordId: string; nik: string; fullName: string; sealed: Uint8Array; at: string }): Promise<void> {
  await addGalleryEntries(trx, [{ record_id: entry.recordId, nik: entry.nik, full_name: entry.fullName, source: 'office', templates: entry.sealed, added_at: entry.at }]);
}

export type NewGalleryEntry = Omit<GalleryEntryRow, 'seq'>;

/**
 * How the office sizes its index. The centre's 18-bit key costs 100 MB of bucket heads (96 tables × 2^18 × 4
 * bytes) however few people are enrolled — a third of an office node's memory. The office's key width follows
 * its gallery instead (bit-sampling-index.ts `minBitsPerKey`): 10 bits (0.4 MB of heads) for an empty gallery,
 * 14 for 100,000 people (6 MB), 18 from about 1,000,000 up, with the load a bucket has at 2,000,000 people on
 * 18 bits, so a search at any size visits about as many candidates as at that size, and a narrower key only
 * raises a mate's chance of sharing a bucket. The index holds a quarter of each template (`firstLookBytes`: the
 * first 8 of 32 bytes, 96 bytes a person instead of 384 — 27 MiB less at 100,000) for its first look at a
 * candidate, and re-scores the few that pass from their full templates in office_gallery (one query a search).
 * It is sized for the gallery table's rows at start; since it cannot re-key from those quarters, it is rebuilt
 * from the table in the background when the gallery has outgrown its key (each doubling past 8 people a
 * bucket), and swapped in once caught up.
 */
export const PROVISIONAL_INDEX_OPTIONS = { bitsPerKey: 18, minBitsPerKey: 10, tablesPerPosition: 8, peoplePerBucket: 8, firstLookBytes: 8 } as const;

/** Record ids per query when the index fetches its candidates' full templates (they are few; this bounds the odd probe). */
const FETCH_CHUNK = 500;

/** The full templates of the index's candidates, from office_gallery: unsealed with the gallery key and laid out for scoring. */
async function fullTemplatesOf(db: OfficeDbOrTx, recordIds: readonly string[]): Promise<(FullTemplates | undefined)[]> {
  const key = await galleryDataKey(db);
  const words = new Uint32Array(recordIds.length * 96);
  const at = new Map(recordIds.map((id, i) => [id, i]));
  const found: (FullTemplates | undefined)[] = new Array(recordIds.length).fill(undefined);
  for (let i = 0; i < recordIds.length; i += FETCH_CHUNK) {
    for (const row of await galleryTemplatesOf(db, recordIds.slice(i, i + FETCH_CHUNK))) {
      const slot = at.get(row.record_id);
      if (slot === undefined) continue;
      found[slot] = { words, offset: slot * 96, mask: unpackInto(key.open(new Uint8Array(row.templates)), words, slot) };
    }
  }
  return found;
}

function newMatcher(db: OfficeDbOrTx, expectedSize: number): BitSamplingIndex {
  // Room for the gallery as it is plus a tenth; the arrays' untouched tail takes no resident memory.
  return new BitSamplingIndex({
    ...PROVISIONAL_INDEX_OPTIONS,
    expectedSize,
    initialCapacity: Math.max(1024, Math.ceil(expectedSize * 1.1)),
    fullTemplates: (ids) => fullTemplatesOf(db, ids),
  });
}

/**
 * Reads the gallery entries after `cursor` into `matcher`, page by page; returns the new cursor. Small pages:
 * indexing one blocks the API process's event loop (≈ 0.1 ms a person), so a kabupaten's first load at start
 * lets the other requests through between pages — with a turn of the event loop after each, since on SQLite
 * the next page's query settles at once and would otherwise hold the loop for the whole load (about 40 s for
 * 2,000,000 people). One page's buffers serve every page.
 */
async function readInto(db: OfficeDbOrTx, key: DataKey, matcher: BitSamplingIndex, cursor: number, onPage?: (cursor: number) => void): Promise<number> {
  const PAGE = 1000;
  const words = new Uint32Array(PAGE * 96);
  const masks = new Uint16Array(PAGE);
  const ids: string[] = [];
  for (;;) {
    const rows = await galleryEntriesAfter(db, cursor, PAGE);
    if (rows.length === 0) return cursor;
    ids.length = 0;
    for (const row of rows) {
      if (matcher.has(row.record_id)) continue;
      masks[ids.length] = unpackInto(key.open(new Uint8Array(row.templates)), words, ids.length);
      ids.push(row.record_id);
    }
    if (ids.length > 0) matcher.addPacked(ids, words.subarray(0, ids.length * 96), masks.subarray(0, ids.length));
    cursor = Number(rows[rows.length - 1]!.seq);
    onPage?.(cursor);
    if (rows.length < PAGE) return cursor;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The index of one process, following office_gallery by its seq cursor (as the centre's GalleryMirror follows its gallery). */
class ProvisionalIndex {
  matcher: BitSamplingIndex;
  cursor = 0;
  private catching: Promise<void> = Promise.resolve();
  private rebuilding = false;

  constructor(db: OfficeDbOrTx, expectedSize: number) {
    this.matcher = newMatcher(db, expectedSize);
  }

  /** Catch-ups run one after another: two at once would read the same page twice. */
  catchUp(db: OfficeDbOrTx, key: DataKey): Promise<void> {
    this.catching = this.catching
      .catch(() => undefined)
      .then(async () => {
        const matcher = this.matcher;
        await readInto(db, key, matcher, this.cursor, (cursor) => (this.cursor = cursor));
        if (matcher.wantedKeyBits > matcher.keyBits) this.rebuild(db, key);
      });
    return this.catching;
  }

  /**
   * A wider index for the gallery as it is now, loaded beside the live one (which goes on serving searches and
   * catch-ups), then caught up with what came since and swapped in within the catch-up queue. For the load's
   * duration both are resident. A failed rebuild is tried again at a later catch-up.
   */
  private rebuild(db: OfficeDbOrTx, key: DataKey): void {
    if (this.rebuilding) return;
    this.rebuilding = true;
    void (async () => {
      const fresh = newMatcher(db, await gallerySize(db));
      let cursor = await readInto(db, key, fresh, 0);
      this.catching = this.catching
        .catch(() => undefined)
        .then(async () => {
          cursor = await readInto(db, key, fresh, cursor);
          this.matcher = fresh;
          this.cursor = cursor;
        });
      await this.catching;
    })()
      .catch(() => undefined)
      .finally(() => (this.rebuilding = false));
  }
}

const indexes = new WeakMap<object, ProvisionalIndex>();

/** This process's index, brought up to date with every gallery entry committed so far. Called at start and before each search. */
export async function provisionalIndex(ctx: Pick<OfficeContext, 'db'>): Promise<{ size: number; cursor: number; index: BitSamplingIndex }> {
  let index = indexes.get(ctx.db);
  if (!index) {
    const expected = await gallerySize(ctx.db);
    // Another call may have made it while this one counted.
    index = indexes.get(ctx.db) ?? new ProvisionalIndex(ctx.db, expected);
    indexes.set(ctx.db, index);
  }
  await index.catchUp(ctx.db, await galleryDataKey(ctx.db));
  return { size: index.matcher.size, cursor: index.cursor, index: index.matcher };
}

/* ---- the check before a Suket ---- */

/** How long a Suket waits for the index to catch up before the counter is told to try again shortly. */
const LOAD_WAIT_MS = 5000;

const indexLoading = (loaded: number) =>
  new DomainError(
    'PROVISIONAL_INDEX_LOADING',
    {
      id: `Galeri biometrik kabupaten sedang dimuat (${loaded.toLocaleString('id-ID')} orang sejauh ini); Suket belum dapat diperiksa. Coba lagi dalam satu menit.`,
      en: `The kabupaten's biometric gallery is still loading (${loaded.toLocaleString('en')} people so far); the Suket cannot be checked yet. Try again in a minute.`,
    },
    'unavailable',
  );

export const suketHeld = (match: Pick<ProvisionalMatchRow, 'score'>) =>
  new DomainError(
    'SUKET_HELD_PROVISIONAL_MATCH',
    {
      id: `Suket ditahan: sidik jari/iris rekaman ini mirip rekaman lain dengan NIK berbeda (kemiripan ${Math.round(match.score * 100)}%). Penyelia harus memeriksa kedua rekaman di menu Kemiripan sebelum Suket dapat diterbitkan; keputusan pusat tetap berlaku.`,
      en: `Suket held: this recording's fingerprints/irises resemble another record under a different NIK (similarity ${Math.round(match.score * 100)}%). A supervisor must compare both records under Matches before a Suket can be issued; the centre's decision remains final.`,
    },
    'conflict',
  );

/**
 * Searches the record in the office's index when the centre has not decided it, and stores a hold when
 * another person's record (another NIK) is as close as the adjudication threshold. Throws the hold's refusal
 * when one stands. The search runs outside the Suket's transaction (it may take a few milliseconds and must
 * not hold SQLite's writer); the Suket's transaction checks the hold again (`refuseIfHeld`).
 */
export async function checkBeforeSuket(ctx: OfficeContext, recordId: string, policy: MatchPolicy = DEFAULT_MATCH_POLICY): Promise<void> {
  const record = await findRecordForSuket(ctx.db, recordId);
  if (!record || !HOLD_APPLIES.has(record.status)) return;
  const earlier = await matchOfRecord(ctx.db, recordId);
  if (earlier) {
    if (earlier.state === 'HELD') throw suketHeld(earlier);
    return;
  }
  if (!UNDECIDED.has(record.status)) return;
  const entry = await galleryEntryOf(ctx.db, recordId);
  // A record made before the office kept a gallery has no templates it can read: only the centre can search it.
  if (!entry) return;
  const loaded = await Promise.race([provisionalIndex(ctx), delay(LOAD_WAIT_MS, undefined, { ref: false })]);
  // Still loading the kabupaten (minutes for millions after a restart): say so rather than issue unchecked.
  if (!loaded) throw indexLoading(indexes.get(ctx.db)?.matcher.size ?? 0);
  const { index } = loaded;
  const probe = unpackSet((await galleryDataKey(ctx.db)).open(new Uint8Array(entry.templates)));
  const candidates = await index.search(probe, { minScore: policy.adjudicateFrom, limit: 5, excludeRecordId: recordId, probeRadius: 1 });
  for (const candidate of candidates) {
    // The same NIK is the same person recorded again (after a failure): not a second identity.
    const other = await galleryEntryOf(ctx.db, candidate.recordId);
    if (!other || other.nik === record.nik) continue;
    // As at the centre, the first recording of a person stands and the later one is the suspect: a record of
    // the centre's gallery (found unique there) or one this office recorded earlier holds this one, never a
    // recording made after it — so of two NIKs for one face, the first still gets its Suket.
    if (other.source !== 'centre' && Number(other.seq) > Number(entry.seq)) continue;
    const stored = await insertMatch(ctx.db, {
      id: randomUUID(),
      record_id: recordId,
      candidate_record_id: candidate.recordId,
      score: candidate.score,
      state: 'HELD',
      found_at: ctx.now().toISOString(),
      decided_by: null,
      decided_at: null,
      reason: null,
      reviewed_by: null,
      review_note: null,
    });
    if (stored.state === 'HELD') throw suketHeld(stored);
    return;
  }
}

/** Inside the Suket's transaction: a hold stored (or kept) since the check still refuses. */
export async function refuseIfHeld(trx: OfficeDbOrTx, record: { id: string; status: string }): Promise<void> {
  if (!HOLD_APPLIES.has(record.status)) return;
  const match = await matchOfRecord(trx, record.id);
  if (match?.state === 'HELD') throw suketHeld(match);
}

/* ---- the centre's verdict ---- */

/**
 * Settles the holds and releases whose record the centre has decided since: PRINT_READY_RECORD (or later)
 * clears, DUPLICATE_RECORD makes the refusal final — whatever the supervisor decided meanwhile, which stays
 * on the row. Called by the sync worker after each pull, and before the supervisor's list is read.
 */
export async function settleProvisionalMatches(ctx: Pick<OfficeContext, 'db' | 'now'>): Promise<number> {
  const due = await matchesToSettle(ctx.db, [...CLEARED, DUPLICATE]);
  if (due.length === 0) return 0;
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    for (const row of due) {
      const state: ProvisionalMatchState = row.status === DUPLICATE ? 'CENTRE_DUPLICATE' : 'CENTRE_CLEARED';
      // A supervisor's release keeps its author and reason; a hold nobody released is decided by the centre.
      await updateMatch(trx, row.id, row.state === 'HELD' ? { state, decided_at: at, decided_by: 'pusat' } : { state });
    }
  });
  return due.length;
}
