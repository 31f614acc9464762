import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { BiometricSet } from '@tangguh/domain';
import type { BitSamplingOptions } from './bit-sampling-index.ts';
import { mergeCandidates, type BatchProbe, type MatchCandidate, type Matcher, type SearchOptions } from './matcher.ts';
import { packProbe } from './packed-sets.ts';
import type { SealedLayout, SealedLoader } from './sealed-sets.ts';

export type ShardRequest =
  | { id: number; op: 'add'; ids: string[]; words: Uint32Array; masks: Uint16Array }
  /** How the sealed values of later `load` messages are opened; sent once, before the first. */
  | { id: number; op: 'opener'; layout: SealedLayout }
  /** People as stored (sealed), values back to back in `bytes`: the shard opens and indexes them. */
  | { id: number; op: 'load'; ids: string[]; bytes: Uint8Array; ends: Uint32Array }
  | { id: number; op: 'search' | 'scan'; words: Uint32Array; mask: number; options: SearchOptions }
  /** A batch of probes (96 words and a mask each, their own excluded record or ''), answered in one message: `answers`. */
  | { id: number; op: 'searchMany'; words: Uint32Array; masks: Uint16Array; exclude: string[]; options: SearchOptions }
  | { id: number; op: 'stats' };

export type ShardResponse =
  | { id: number; ok: true; size?: number; bytes?: number; candidates?: MatchCandidate[]; unsealMs?: number; indexMs?: number }
  | { id: number; ok: false; error: string };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Which shard holds a record: FNV-1a of its id, so every process of the gallery agrees without asking. */
export function shardOf(recordId: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < recordId.length; i++) hash = Math.imul(hash ^ recordId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % shards;
}

/**
 * Marks a promise as handled, for one that may reject while nobody awaits it yet (a page still in flight when
 * an earlier one failed): whoever awaits it later still gets the rejection.
 */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

class Shard {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (r: ShardResponse & { ok: true }) => void; reject: (e: Error) => void }>();
  private failure: Error | undefined;

  constructor(options: BitSamplingOptions) {
    this.worker = new Worker(new URL('./shard-worker-boot.mjs', import.meta.url), { workerData: options });
    this.worker.on('message', (response: ShardResponse) => {
      const pending = this.waiting.get(response.id);
      if (!pending) return;
      this.waiting.delete(response.id);
      if (response.ok) pending.resolve(response);
      else pending.reject(new Error(`matcher shard: ${response.error}`));
    });
    const fail = (error: Error) => {
      this.failure = error;
      for (const pending of this.waiting.values()) pending.reject(error);
      this.waiting.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`matcher shard exited (${code})`)));
  }

  /** Messages to one worker are handled in order: a search sent after an add sees that add. */
  send(request: DistributiveOmit<ShardRequest, 'id'>, transfer: ArrayBuffer[] = []): Promise<ShardResponse & { ok: true }> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id }, transfer);
    });
  }

  async close(): Promise<void> {
    this.failure ??= new Error('matcher closed');
    await this.worker.terminate();
  }
}

/**
 * The gallery split into shards that search in parallel, each an index in a worker thread. A probe fans out
 * to every shard and the answers are merged; a record lives in exactly one shard (`shardOf`). The same
 * request/response messages would carry a shard in another process or on another machine.
 */
export class ShardedMatcher implements Matcher, SealedLoader {
  private readonly shards: Shard[];
  private readonly known = new Set<string>();
  private pendingAdds: Promise<unknown>[] = [];
  private layout: SealedLayout | undefined;
  private readonly loadTotals = { unsealMs: 0, indexMs: 0 };

  constructor(options: BitSamplingOptions & { shards?: number } = {}) {
    const count = options.shards ?? Math.max(1, availableParallelism());
    const { shards: _, ...indexOptions } = options;
    this.shards = Array.from({ length: count }, () => new Shard(indexOptions));
  }

  get shardCount(): number {
    return this.shards.length;
  }

  get size(): number {
    return this.known.size;
  }

  has(recordId: string): boolean {
    return this.known.has(recordId);
  }

  add(recordId: string, set: BiometricSet): void {
    this.addMany([[recordId, set]]);
  }

  /** Adds many people in one message per shard: how a gallery is loaded at start. */
  addMany(entries: Iterable<readonly [string, BiometricSet]>): void {
    const perShard = this.shards.map(() => ({ ids: [] as string[], probes: [] as ReturnType<typeof packProbe>[] }));
    for (const [recordId, set] of entries) {
      if (this.known.has(recordId)) continue;
      this.known.add(recordId);
      const bucket = perShard[shardOf(recordId, this.shards.length)]!;
      bucket.ids.push(recordId);
      bucket.probes.push(packProbe(set));
    }
    perShard.forEach((bucket, s) => {
      if (bucket.ids.length === 0) return;
      const words = new Uint32Array(bucket.ids.length * 96);
      const masks = new Uint16Array(bucket.ids.length);
      bucket.probes.forEach((probe, i) => {
        words.set(probe.words, i * 96);
        masks[i] = probe.mask;
      });
      this.pendingAdds.push(this.shards[s]!.send({ op: 'add', ids: bucket.ids, words, masks }, [words.buffer, masks.buffer]));
    });
  }

  /**
   * Adds people already packed (96 words and a position mask each, as `packProbe` lays them out): how a
   * gallery read from storage, or a benchmark's, is loaded without making an object per template.
   */
  addPacked(ids: readonly string[], words: Uint32Array, masks: Uint16Array): void {
    const perShard = this.shards.map(() => [] as number[]);
    ids.forEach((recordId, i) => {
      if (this.known.has(recordId)) return;
      this.known.add(recordId);
      perShard[shardOf(recordId, this.shards.length)]!.push(i);
    });
    perShard.forEach((rows, s) => {
      if (rows.length === 0) return;
      const shardWords = new Uint32Array(rows.length * 96);
      const shardMasks = new Uint16Array(rows.length);
      rows.forEach((row, i) => {
        shardWords.set(words.subarray(row * 96, row * 96 + 96), i * 96);
        shardMasks[i] = masks[row]!;
      });
      this.pendingAdds.push(this.shards[s]!.send({ op: 'add', ids: rows.map((row) => ids[row]!), words: shardWords, masks: shardMasks }, [shardWords.buffer, shardMasks.buffer]));
    });
  }

  /**
   * Adds people as the gallery stores them, sealed: each shard opens its own rows in its thread, so the
   * opening, like the indexing, runs on every core while this thread reads the next page. One buffer per
   * shard, transferred. `done` resolves when every shard has indexed its part (a failure rejects it, and
   * `settled`); `added` counts the people new to the matcher.
   */
  addSealed(ids: readonly string[], values: readonly Uint8Array[], layout: SealedLayout): { added: number; done: Promise<void> } {
    if (this.layout !== layout) {
      this.layout = layout;
      for (const shard of this.shards) this.pendingAdds.push(handled(shard.send({ op: 'opener', layout })));
    }
    const count = this.shards.length;
    const rowsOf = this.shards.map(() => [] as number[]);
    const bytesOf = new Array<number>(count).fill(0);
    ids.forEach((recordId, i) => {
      if (this.known.has(recordId)) return;
      this.known.add(recordId);
      const s = shardOf(recordId, count);
      rowsOf[s]!.push(i);
      bytesOf[s]! += values[i]!.length;
    });
    const sent: Promise<ShardResponse & { ok: true }>[] = [];
    rowsOf.forEach((rows, s) => {
      if (rows.length === 0) return;
      const bytes = new Uint8Array(bytesOf[s]!);
      const ends = new Uint32Array(rows.length);
      let at = 0;
      rows.forEach((row, i) => {
        bytes.set(values[row]!, at);
        at += values[row]!.length;
        ends[i] = at;
      });
      sent.push(this.shards[s]!.send({ op: 'load', ids: rows.map((row) => ids[row]!), bytes, ends }, [bytes.buffer, ends.buffer]));
    });
    const done = Promise.all(sent).then((answers) => {
      for (const answer of answers) {
        this.loadTotals.unsealMs += answer.unsealMs ?? 0;
        this.loadTotals.indexMs += answer.indexMs ?? 0;
      }
    });
    this.pendingAdds.push(handled(done));
    return { added: rowsOf.reduce((sum, rows) => sum + rows.length, 0), done };
  }

  /** Thread time the shards spent opening and indexing sealed people, summed over shards, since the start. */
  get loadTimes(): { unsealMs: number; indexMs: number } {
    return this.loadTotals;
  }

  /** Resolves when every add sent so far is in its shard (a failed add rejects here). */
  async settled(): Promise<void> {
    const adds = this.pendingAdds;
    this.pendingAdds = [];
    await Promise.all(adds);
  }

  async search(probe: BiometricSet, options: SearchOptions): Promise<MatchCandidate[]> {
    await this.settled();
    const packed = packProbe(probe);
    const answers = await Promise.all(this.shards.map((shard) => shard.send({ op: 'search', words: packed.words, mask: packed.mask, options })));
    return mergeCandidates(answers.map((a) => a.candidates ?? []), options.limit);
  }

  /**
   * A batch of probes in one message per shard: every shard searches the whole batch while this thread waits
   * once, instead of a round trip per probe. Each answer is what `search` gives for that probe alone.
   */
  async searchMany(probes: readonly BatchProbe[], options: SearchOptions): Promise<MatchCandidate[][]> {
    if (probes.length === 0) return [];
    await this.settled();
    const words = new Uint32Array(probes.length * 96);
    const masks = new Uint16Array(probes.length);
    probes.forEach((probe, i) => {
      const packed = packProbe(probe.set);
      words.set(packed.words, i * 96);
      masks[i] = packed.mask;
    });
    const { excludeRecordId: _, ...shared } = options;
    const exclude = probes.map((probe) => probe.excludeRecordId ?? '');
    const answers = await Promise.all(this.shards.map((shard) => shard.send({ op: 'searchMany', words, masks, exclude, options: shared })));
    const perShard = answers.map((a) => (a as { answers?: MatchCandidate[][] }).answers ?? []);
    return probes.map((_, i) => mergeCandidates(perShard.map((lists) => lists[i] ?? []), options.limit));
  }

  /** The exact answer, every shard scanning all it holds: the reference the index's recall is measured against. */
  async scan(probe: BiometricSet, options: SearchOptions): Promise<MatchCandidate[]> {
    await this.settled();
    const packed = packProbe(probe);
    const answers = await Promise.all(this.shards.map((shard) => shard.send({ op: 'scan', words: packed.words, mask: packed.mask, options })));
    return mergeCandidates(answers.map((a) => a.candidates ?? []), options.limit);
  }

  /** Every shard's thread has started, loaded its code and taken every add sent so far. */
  async ready(): Promise<void> {
    await this.stats();
  }

  /** Enrolled people and typed-array bytes per shard. */
  async stats(): Promise<{ size: number; bytes: number }[]> {
    await this.settled();
    const answers = await Promise.all(this.shards.map((shard) => shard.send({ op: 'stats' })));
    return answers.map((a) => ({ size: a.size ?? 0, bytes: a.bytes ?? 0 }));
  }

  async close(): Promise<void> {
    // Adds still in flight fail as the threads stop, and no one waits for them any more: a rejection no one
    // handles would end the process on its way out (the dedup worker adds its last batch just before).
    for (const add of this.pendingAdds.splice(0)) add.catch(() => undefined);
    await Promise.all(this.shards.map((shard) => shard.close()));
  }
}
