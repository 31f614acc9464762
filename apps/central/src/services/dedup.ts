import { classifyScore, compareSets, unpackSet, type BiometricSet } from '@tangguh/domain';
import { PackedSets, packProbe } from '@tangguh/matcher';
import { unseal } from '@tangguh/protocol/node';
import type { CentralContext } from '../context.ts';
import { claimReceived, enrollmentsInStatus, recordsInStatus } from '../repositories/enrollments.ts';
import { appendChanges, recordStatusChanges, type NewStatusChange } from '../repositories/changes.ts';
import { addToGallery, lockGallery } from '../repositories/gallery.ts';
import { openAdjudicationCase } from '../repositories/adjudications.ts';
import { GalleryMirror } from '../matcher/gallery-mirror.ts';
import type { MatchCandidate, SearchOptions } from '../matcher/matcher.ts';

/**
 * The process that deduplicates owns the matcher: made on first use, then brought up to date with every
 * gallery entry committed since its cursor, by whichever process (this one, another worker, adjudication).
 */
export async function loadMatcher(ctx: CentralContext): Promise<GalleryMirror> {
  ctx.matcher ??= new GalleryMirror(ctx.galleryKey);
  await ctx.matcher.catchUp(ctx.db);
  return ctx.matcher;
}

/** Records opened and sent to the shards in one message; a batch goes as several, so opening overlaps searching. */
const SEND_PART = 100;

/** How often a batch is searched again because the gallery grew meanwhile, before it is left for later. */
const MAX_SEARCH_ROUNDS = 5;

const percent = (score: number) => `${Math.round(score * 100)}%`;

interface Decision {
  change: NewStatusChange;
  galleryEntry?: { recordId: string; set: BiometricSet; at: string };
  adjudication?: { candidateRecordId: string; score: number };
}

/**
 * Runs penunggalan for up to `limit` received records, oldest first: each is searched 1:N against the
 * gallery and becomes PRINT_READY_RECORD, DUPLICATE_RECORD or ADJUDICATE_RECORD. Records in one batch
 * are searched against each other too, in arrival order. Returns how many were processed. `sendPart` records
 * go to the shards per message (tests make it small to send a batch as several).
 */
export async function runDeduplication(ctx: CentralContext, limit = 100, sendPart = SEND_PART): Promise<number> {
  // PROCESSING rows left by a crash are picked up again first; the gallery insert is idempotent.
  const interrupted = await enrollmentsInStatus(ctx.db, 'PROCESSING', limit);
  const received = await enrollmentsInStatus(ctx.db, 'RECEIVED_AT_CENTRAL', limit - interrupted.length);
  if (interrupted.length + received.length === 0) return 0;

  const startedAt = ctx.now().toISOString();
  const claimed =
    received.length === 0
      ? []
      : await ctx.db.transaction().execute(async (trx) => {
          // Another dedup worker may have read the same rows: each record is taken by one of us.
          const taken = await claimReceived(trx, received.map((r) => r.record_id), startedAt);
          const mine = received.filter((r) => taken.has(r.record_id));
          await appendChanges(trx, mine.map((r) => ({ officeId: r.office_id, recordId: r.record_id, status: 'PROCESSING' as const, at: startedAt, note: null })));
          return mine;
        });
  const batch = [...interrupted, ...claimed];
  if (batch.length === 0) return 0;

  for (let round = 1; ; round++) {
    const gallery = await loadMatcher(ctx);
    let decisions = await searchBatch(ctx, gallery, batch, sendPart);
    const committed = await ctx.db.transaction().execute(async (trx) => {
      // Under the gallery lock, first: an entry committed elsewhere (an adjudication in the API process,
      // another worker) since the catch-up was not searched against; search again rather than miss it.
      if ((await lockGallery(trx)) > gallery.cursor) return false;
      // A record taken up as interrupted may be another worker's, decided meanwhile: its verdict stands.
      const open = await recordsInStatus(trx, batch.map((r) => r.record_id), 'PROCESSING');
      decisions = decisions.filter((d) => open.has(d.change.recordId));
      await addToGallery(trx, decisions.flatMap((d) => (d.galleryEntry ? [d.galleryEntry] : [])), ctx.galleryKey);
      for (const d of decisions) {
        if (!d.adjudication) continue;
        await openAdjudicationCase(trx, { recordId: d.change.recordId, ...d.adjudication, openedAt: d.change.at });
      }
      await recordStatusChanges(trx, decisions.map((d) => d.change));
      return true;
    });
    if (committed) {
      // Only after the commit: the in-memory gallery never holds a record the database does not.
      for (const d of decisions) if (d.galleryEntry) gallery.add(d.galleryEntry.recordId, d.galleryEntry.set);
      return batch.length;
    }
    // Left PROCESSING: the next run picks the batch up again.
    if (round >= MAX_SEARCH_ROUNDS) throw new Error(`the gallery grew during each of ${round} searches of this batch; will retry`);
  }
}

type EnrollmentRow = Awaited<ReturnType<typeof enrollmentsInStatus>>[number];

/**
 * Decides each record of the batch against the gallery and the records before it in the batch; writes nothing.
 * The verdicts are those of searching record by record: the gallery does not change during the batch (new
 * entries reach it only after the commit), so every record's gallery search is sent at once and the shards
 * work through the batch together; then, in arrival order, each record is compared with the earlier records
 * of the batch that became print-ready (exactly, by brute force) and decided on the best of both answers.
 */
async function searchBatch(ctx: CentralContext, gallery: GalleryMirror, batch: EnrollmentRow[], sendPart: number): Promise<Decision[]> {
  // Multi-probe with two key bits flipped per table by default (--matcher-probe-flips): at 1,000,000 it finds
  // 79 % of poor captures' mates in the adjudication band against 61 % for the fast search, at 0.57 ms of CPU a
  // probe against 0.33; all 18 flips find all of them at 3.1 ms, which a national backlog cannot pay
  // (bench:dedup compares them). Every scheme finds every mate at the duplicate threshold.
  const options = { minScore: ctx.policy.adjudicateFrom, limit: 1, probeRadius: ctx.matcherProbeRadius ?? 1, probeFlips: ctx.matcherProbeFlips };
  // Opened and sent a part at a time: the shards search one part while this thread opens the next.
  const probes: (BiometricSet | undefined)[] = [];
  const parts: Promise<MatchCandidate[][] | Error>[] = [];
  for (let start = 0; start < batch.length; start += sendPart) {
    const part = batch.slice(start, start + sendPart).map((row) => {
      try {
        return { row, set: unpackSet(unseal(ctx.sealingPrivateKey, new Uint8Array(row.sealed_biometrics))) };
      } catch {
        return { row, set: undefined };
      }
    });
    probes.push(...part.map((p) => p.set));
    const searched = part.flatMap(({ row, set }) => (set ? [{ set, excludeRecordId: row.record_id }] : []));
    parts.push(gallery.searchMany(searched, options).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))));
  }
  // Each part's answers in order, or its failure for each of its records.
  const inGallery: (MatchCandidate[] | Error)[] = [];
  for (const [k, answer] of (await Promise.all(parts)).entries()) {
    const opened = probes.slice(k * sendPart, (k + 1) * sendPart).filter((set) => set !== undefined).length;
    if (answer instanceof Error) inGallery.push(...Array.from({ length: opened }, () => answer));
    else inGallery.push(...answer);
  }

  const decisions: Decision[] = [];
  const batchGallery = new BatchGallery();
  let next = 0;
  batch.forEach((row, i) => {
    const at = ctx.now().toISOString();
    const base = { officeId: row.office_id, recordId: row.record_id, at };
    const probe = probes[i];
    if (!probe) {
      decisions.push({ change: { ...base, status: 'ENROLL_FAILURE_AT_CENTRAL', note: 'Templat biometrik tidak dapat dibuka / biometric templates could not be opened' } });
      return;
    }
    const found = inGallery[next];
    next++;
    if (found instanceof Error || found === undefined) {
      const message = found instanceof Error ? found.message : 'no answer for this record';
      decisions.push({ change: { ...base, status: 'SEARCH_FAILURE_AT_CENTRAL', note: `Pencarian gagal / search failed: ${message}` } });
      return;
    }
    const best = [...found, ...batchGallery.search(probe, { ...options, excludeRecordId: row.record_id })].sort((a, b) => b.score - a.score)[0];
    const verdict = best ? classifyScore(best.score, ctx.policy) : 'UNIQUE';
    if (verdict === 'DUPLICATE' && best) {
      decisions.push({ change: { ...base, status: 'DUPLICATE_RECORD', note: `Cocok dengan rekaman lain (skor ${percent(best.score)}) / matches another record (score ${percent(best.score)}) [${best.recordId}]` } });
    } else if (verdict === 'ADJUDICATE' && best) {
      decisions.push({
        change: { ...base, status: 'ADJUDICATE_RECORD', note: `Kemiripan ${percent(best.score)}: perlu keputusan petugas pusat / similarity ${percent(best.score)}: needs a human decision` },
        adjudication: { candidateRecordId: best.recordId, score: best.score },
      });
    } else {
      decisions.push({ change: { ...base, status: 'PRINT_READY_RECORD', note: null }, galleryEntry: { recordId: row.record_id, set: probe, at } });
      batchGallery.add(row.record_id, probe);
    }
  });

  return decisions;
}

/**
 * The records of the batch decided print-ready so far, which each later record of the batch is compared with:
 * exactly, by brute force — every one is scored, packed (a few hundred word operations), and those within
 * reach of the threshold are scored again by the domain's `compareSets`, whose score decides as it did when
 * the batch was compared set by set. (The packed score is the same mean, off by rounding at most, so the
 * margin only keeps a pair exactly at the threshold from being lost to rounding.)
 */
class BatchGallery {
  private readonly packed = new PackedSets(64);
  private readonly sets: BiometricSet[] = [];

  add(recordId: string, set: BiometricSet): void {
    if (this.packed.add(recordId, packProbe(set)) >= 0) this.sets.push(set);
  }

  search(probe: BiometricSet, options: SearchOptions): MatchCandidate[] {
    if (this.sets.length === 0) return [];
    const packed = packProbe(probe);
    const found: MatchCandidate[] = [];
    for (let slot = 0; slot < this.sets.length; slot++) {
      const recordId = this.packed.idOf(slot);
      if (recordId === options.excludeRecordId) continue;
      const rough = this.packed.score(packed, slot);
      if (rough.compared === 0 || rough.score < options.minScore - 1e-9) continue;
      const { score, compared } = compareSets(probe, this.sets[slot]!);
      if (compared > 0 && score >= options.minScore) found.push({ recordId, score });
    }
    found.sort((a, b) => b.score - a.score);
    return found.slice(0, options.limit);
  }
}
