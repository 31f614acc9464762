import type { BiometricSet } from '@tangguh/domain';
import { BitSamplingIndex, ShardedMatcher, openSealedPage, packSealedPage, pageWords, sealedOpener, type SealedLayout, type SealedLoader, type SealedOpener } from '@tangguh/matcher';
import type { DataKey } from '@tangguh/platform';
import type { CentralDbOrTx } from '../db/schema.ts';
import { gallerySize, readGalleryPagesAfter, type StoredGalleryRow } from '../repositories/gallery.ts';
import type { BatchProbe, MatchCandidate, Matcher, SearchOptions } from './matcher.ts';

/**
 * Gallery rows read and handed to the matcher at once while catching up: one message per shard per page.
 * (40,000 were tried at 1,000,000: no CPU saved that could be told from the noise, and 230 MB more resident.)
 */
const LOAD_PAGE = 10_000;
/** Pages handed to the matcher and not yet taken in, at most: enough to keep every shard busy while this thread reads. */
const PAGES_IN_FLIGHT = 3;

/**
 * The matcher of the process that deduplicates, following the gallery table by its seq cursor. Entries reach
 * the table from this process, from other dedup workers, and from adjudication decided in an API process;
 * catching up before each batch is what makes every one of them count in the next search. Only the process
 * that deduplicates builds one: an API-only centre never holds the gallery in memory.
 *
 * The matcher behind it is the bit-sampling index (in this thread), or the sharded one (worker threads) that
 * the centre's main process chooses; brute force remains the reference in tests and benchmarks.
 */
export class GalleryMirror implements Matcher {
  /**
   * The dedup worker's matcher at start: `shards` worker threads (1: an index in this thread), sized for the
   * gallery as it stands plus a tenth, then loaded from it and ready to search. Sized at once, an index never
   * grows its arrays while loading: growing by doubling left the smaller arrays it outgrew as freed but resident
   * memory, and rounded a shard of 500,000 up to room for 524,288.
   */
  static async start(db: CentralDbOrTx, galleryKey: DataKey, options: { shards: number }): Promise<GalleryMirror> {
    const people = await gallerySize(db);
    const room = (share: number) => Math.ceil(share * 1.1) + 1024;
    const matcher = options.shards > 1 ? new ShardedMatcher({ shards: options.shards, initialCapacity: room(people / options.shards) }) : new BitSamplingIndex({ initialCapacity: room(people) });
    const mirror = new GalleryMirror(galleryKey, matcher);
    try {
      await mirror.catchUp(db);
      // An empty gallery sends the shards nothing: wait for their threads all the same, so that "up" means loaded.
      await mirror.ready();
    } catch (error) {
      await mirror.close();
      throw error;
    }
    return mirror;
  }

  private readUpTo = 0;

  /** Set when a load failed part-way: the matcher may hold ids whose people it never indexed. */
  private failure: Error | undefined;

  constructor(
    /** Opens the sealed templates; the one key of the gallery, unwrapped once at start. */
    private readonly galleryKey: DataKey,
    private readonly matcher: Matcher = new BitSamplingIndex(),
    private readonly options: { pageSize?: number } = {},
  ) {}

  get size(): number {
    return this.matcher.size;
  }

  /** The highest gallery seq read so far. */
  get cursor(): number {
    return this.readUpTo;
  }

  has(recordId: string): boolean {
    return this.matcher.has(recordId);
  }

  /** For a set this process has just committed to the gallery; the next catch-up skips it. */
  add(recordId: string, set: BiometricSet): void {
    this.matcher.add(recordId, set);
  }

  addPacked(ids: readonly string[], words: Uint32Array, masks: Uint16Array): void {
    this.matcher.addPacked(ids, words, masks);
  }

  search(probe: BiometricSet, options: SearchOptions): Promise<MatchCandidate[]> {
    if (this.failure) return Promise.reject(this.failure);
    return this.matcher.search(probe, options);
  }

  /** A batch in one message per shard where the matcher can; otherwise every probe's search at once. */
  searchMany(probes: readonly BatchProbe[], options: SearchOptions): Promise<MatchCandidate[][]> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.matcher.searchMany) return this.matcher.searchMany(probes, options);
    return Promise.all(probes.map((probe) => this.search(probe.set, { ...options, excludeRecordId: probe.excludeRecordId })));
  }

  async ready(): Promise<void> {
    await this.matcher.ready?.();
  }

  async close(): Promise<void> {
    await this.matcher.close?.();
  }

  /**
   * Reads the entries committed since the cursor; returns how many were new to this matcher. Rows travel as
   * stored, sealed: a sharded matcher opens and indexes them in its threads while this one reads the next
   * page (a few pages in flight at most, so memory stays flat); a matcher in this thread gets them opened here.
   * The cursor moves past a page only once the matcher holds it, so a failed load is read again next time.
   * Entries committed meanwhile have higher seqs (taken under the gallery lock, in commit order): a later page
   * or the next catch-up reads them. A load that fails (a row the key does not open, a shard that died) leaves
   * this mirror refusing every later catch-up and search: it would otherwise miss people without saying so.
   */
  async catchUp(db: CentralDbOrTx): Promise<number> {
    if (this.failure) throw this.failure;
    const started = performance.now();
    const stats = { rows: 0, added: 0, readMs: 0, handMs: 0, waitMs: 0, wallMs: 0 };
    const loader = isSealedLoader(this.matcher) ? this.matcher : undefined;
    const inFlight: { seq: number; done: Promise<void> }[] = [];
    const settleOldest = async () => {
      const oldest = inFlight.shift()!;
      const waited = performance.now();
      try {
        await oldest.done;
      } catch (error) {
        // The matcher already counts this page's people as held: searching on would miss them unawares.
        this.failure ??= new Error(`the gallery's matcher failed to load and must be restarted: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        throw this.failure;
      }
      stats.waitMs += performance.now() - waited;
      this.readUpTo = oldest.seq;
    };
    try {
      let asked = performance.now();
      for await (const page of readGalleryPagesAfter(db, this.readUpTo, this.options.pageSize ?? LOAD_PAGE)) {
        const handed = performance.now();
        stats.readMs += handed - asked;
        stats.rows += page.length;
        const seq = Number(page[page.length - 1]!.seq);
        if (loader) {
          const { added, done } = loader.addSealed(
            page.map((row) => row.record_id),
            page.map((row) => row.templates),
            this.layout(),
          );
          stats.added += added;
          inFlight.push({ seq, done });
        } else {
          stats.added += this.addOpened(page);
          inFlight.push({ seq, done: Promise.resolve() });
        }
        stats.handMs += performance.now() - handed;
        while (inFlight.length > PAGES_IN_FLIGHT) await settleOldest();
        asked = performance.now();
      }
    } finally {
      // Also when reading failed (the database went away): the pages handed over are taken in, the cursor
      // moves past them, and the next catch-up reads on from there.
      try {
        while (inFlight.length > 0) await settleOldest();
      } finally {
        stats.wallMs = performance.now() - started;
        this.lastLoad = stats;
      }
    }
    return stats.added;
  }

  /**
   * What the last catch-up did, in milliseconds of this thread: waiting for the database (`readMs`), handing
   * pages to the matcher (`handMs`), waiting for the matcher to take them in (`waitMs`); and its wall time.
   */
  lastLoad: { rows: number; added: number; readMs: number; handMs: number; waitMs: number; wallMs: number } | undefined;

  /** People and index bytes per shard, for a sharded matcher (the benchmark's memory figures). */
  async shardStats(): Promise<{ size: number; bytes: number }[] | undefined> {
    return this.matcher instanceof ShardedMatcher ? this.matcher.stats() : undefined;
  }

  /** Thread time a sharded matcher spent opening and indexing sealed rows since it started (summed over shards). */
  get shardLoadTimes(): { unsealMs: number; indexMs: number } | undefined {
    return isSealedLoader(this.matcher) ? { ...this.matcher.loadTimes } : undefined;
  }

  private opener: SealedLayout | undefined;

  private layout(): SealedLayout {
    return (this.opener ??= this.galleryKey.threadOpener());
  }

  /** A matcher in this thread: opens the page here and adds the people it does not hold yet. */
  private addOpened(page: readonly StoredGalleryRow[]): number {
    const seen = new Set<string>();
    const fresh = page.filter((row) => !this.matcher.has(row.record_id) && !seen.has(row.record_id) && Boolean(seen.add(row.record_id)));
    if (fresh.length === 0) return 0;
    const words = new Uint32Array(pageWords(fresh.length));
    const masks = new Uint16Array(fresh.length);
    openSealedPage(packSealedPage(fresh.map((row) => row.templates)), (this.open ??= sealedOpener(this.layout())), words, masks);
    this.matcher.addPacked(fresh.map((row) => row.record_id), words, masks);
    return fresh.length;
  }

  private open: SealedOpener | undefined;
}

function isSealedLoader(matcher: Matcher): matcher is Matcher & SealedLoader {
  return typeof (matcher as Partial<SealedLoader>).addSealed === 'function';
}
