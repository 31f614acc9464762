/**
 * A deduplication backlog made straight in the centre's database, for bench:sync's deduplication stage and
 * for profiling the dedup worker alone (records already RECEIVED_AT_CENTRAL → decided), without an office
 * or HTTP in the way.
 *
 * `addGalleryMates` enrols people captured by the synthetic device (subjects `gallery-mate-K`) into the
 * gallery, so that some queued records are their mates. `queueReceived` inserts `count` enrollments as an
 * office's push would leave them (RECEIVED_AT_CENTRAL, templates sealed to the centre), one in every twenty:
 *   - 0: a clean recapture of a gallery mate       → DUPLICATE_RECORD
 *   - 1: a poor capture (noise 0.2) of a gallery mate → ADJUDICATE_RECORD mostly (the adjudication band)
 *   - 2: a clean recapture of the person queued 7 places earlier (mates inside the backlog, mostly in
 *        one dedup batch) → DUPLICATE_RECORD
 *   - the rest: new people → PRINT_READY_RECORD
 *
 * Standalone, it profiles the dedup stage in this process (the centre's own code, the sharded matcher as the
 * worker makes it):
 *   npx tsx bench/dedup-queue.ts                         # gallery 200,000, 10,000 queued
 *   BENCH_GALLERY=1000000 BENCH_DEDUP_QUEUE=70000 npx tsx bench/dedup-queue.ts
 *   BENCH_PROFILE=1 ...                                  # CPU profile of the main thread, top self time
 *   BENCH_PROBE_RADIUS=0|1|auto BENCH_DEDUP_BATCH=100    # the worker's settings
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { BIOMETRIC_POSITIONS, TEMPLATE_BYTES, packSet, type BiometricSet } from '@tangguh/domain';
import { seal, generateSigningKeyPair } from '@tangguh/protocol/node';
import { syntheticPhoto, syntheticSignature, syntheticResidents } from '@tangguh/capture';
import { loadRegionDirectory } from '@tangguh/regions';
import { capturedSet } from '../packages/matcher/src/synthetic.ts';
import type { CentralContext } from '../apps/central/src/context.ts';
import type { EnrollmentsTable } from '../apps/central/src/db/schema.ts';
import { addToGallery } from '../apps/central/src/repositories/gallery.ts';
import { insertEnrollmentRows } from '../apps/central/src/repositories/enrollments.ts';
import { registerOffice } from '../apps/central/src/services/provision.ts';

export const BACKLOG_OFFICE = '3599';

/** What the queued records should come to, by kind (the expected verdicts, for the benchmark's check). */
export interface QueuedMix {
  galleryMatesClean: number;
  galleryMatesPoor: number;
  inQueueMates: number;
  newPeople: number;
}

/** Enrols `count` synthetically captured people (clean) into the gallery, as the dedup worker would. */
export async function addGalleryMates(ctx: CentralContext, count: number): Promise<void> {
  const at = new Date().toISOString();
  const PAGE = 1000;
  for (let start = 0; start < count; start += PAGE) {
    const rows = Array.from({ length: Math.min(PAGE, count - start) }, (_, i) => ({ recordId: `GM${start + i}`, set: capturedSet(`gallery-mate-${start + i}`, 0, 0.04), at }));
    await ctx.db.transaction().execute((trx) => addToGallery(trx, rows, ctx.galleryKey));
  }
}

/** Random templates at every position: an unrelated person, as the device reads one. */
export function randomPerson(): BiometricSet {
  const pool = randomBytes(BIOMETRIC_POSITIONS.length * TEMPLATE_BYTES);
  return Object.fromEntries(BIOMETRIC_POSITIONS.map((p, k) => [p, new Uint8Array(pool.buffer, pool.byteOffset + k * TEMPLATE_BYTES, TEMPLATE_BYTES)]));
}

/**
 * Inserts `count` received enrollments at the centre (one office, registered here) in the mix described
 * above; `galleryMates` is how many `addGalleryMates` enrolled. Returns the mix.
 */
export async function queueReceived(ctx: CentralContext, count: number, galleryMates: number, onProgress?: (done: number) => void): Promise<QueuedMix> {
  await registerOffice(ctx, { officeId: BACKLOG_OFFICE, name: 'Disdukcapil bench backlog', regencyCode: '35.09', publicKey: generateSigningKeyPair().publicKey });
  const residents = syntheticResidents(Math.min(count, 5000), { seed: 7301, regencyCode: '35.09', regions: await loadRegionDirectory() });
  const photo = syntheticPhoto('bench-backlog');
  const signature = syntheticSignature('bench-backlog');
  const mix: QueuedMix = { galleryMatesClean: 0, galleryMatesPoor: 0, inQueueMates: 0, newPeople: 0 };
  const subjects: string[] = [];
  const base = Date.now() - count * 1000;
  let rows: EnrollmentsTable[] = [];
  const flush = async () => {
    const page = rows;
    rows = [];
    await ctx.db.transaction().execute((trx) => insertEnrollmentRows(trx, page));
  };
  for (let i = 0; i < count; i++) {
    let set: BiometricSet;
    const kind = i % 20;
    if (kind === 0 && galleryMates > 0) {
      set = capturedSet(`gallery-mate-${(i / 20) % galleryMates}`, 1, 0.04);
      subjects.push('');
      mix.galleryMatesClean++;
    } else if (kind === 1 && galleryMates > 0) {
      set = capturedSet(`gallery-mate-${((i - 1) / 20 + 7) % galleryMates}`, 2, 0.2);
      subjects.push('');
      mix.galleryMatesPoor++;
    } else if (kind === 2 && i >= 7 && subjects[i - 7]) {
      set = capturedSet(subjects[i - 7]!, 1, 0.04);
      subjects.push('');
      mix.inQueueMates++;
    } else {
      const subject = `backlog-${i}`;
      set = capturedSet(subject, 0, 0.04);
      subjects.push(subject);
      mix.newPeople++;
    }
    const biodata = residents[i % residents.length]!;
    const recordedAt = new Date(base + i * 1000).toISOString();
    rows.push({
      record_id: randomUUID(),
      office_id: BACKLOG_OFFICE,
      registration_number: `3599-${String(i).padStart(8, '0')}`,
      site_id: 'DINAS',
      nik: biodata.nik,
      full_name: biodata.fullName,
      birth_date: biodata.birthDate,
      sex: biodata.sex,
      biodata: JSON.stringify(biodata),
      photo,
      photo_mime: 'image/png',
      signature,
      signature_mime: 'image/png',
      sealed_biometrics: seal(ctx.sealingPublicKey, packSet(set)),
      exceptions: '[]',
      status: 'RECEIVED_AT_CENTRAL',
      status_at: recordedAt,
      recorded_at: recordedAt,
      received_at: recordedAt,
    });
    if (rows.length === 1000) {
      await flush();
      onProgress?.(i + 1);
    }
  }
  if (rows.length > 0) await flush();
  onProgress?.(count);
  return mix;
}

/** Fills the gallery with `people` random people straight into the table (sealed as the worker seals). */
export async function fillRandomGallery(ctx: CentralContext, people: number, onProgress?: (done: number) => void): Promise<void> {
  const at = new Date().toISOString();
  const PAGE = 5000;
  for (let start = 0; start < people; start += PAGE) {
    const size = Math.min(PAGE, people - start);
    const rows = Array.from({ length: size }, (_, i) => ({ recordId: `G${start + i}`, set: randomPerson(), at }));
    await ctx.db.transaction().execute((trx) => addToGallery(trx, rows, ctx.galleryKey));
    onProgress?.(start + size);
  }
}

async function main(): Promise<void> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir, loadavg, availableParallelism } = await import('node:os');
  const { join } = await import('node:path');
  const { Session } = await import('node:inspector/promises');
  const { ShardedMatcher, BitSamplingIndex } = await import('@tangguh/matcher');
  const { openCentral } = await import('../apps/central/src/services/provision.ts');
  const { GalleryMirror } = await import('../apps/central/src/matcher/gallery-mirror.ts');
  const { loadMatcher, runDeduplication } = await import('../apps/central/src/services/dedup.ts');
  const { buildPendingPrintPackages } = await import('../apps/central/src/services/print-packages.ts');
  const PRINT = process.env.BENCH_PRINT === '1';
  if (!process.env.TANGGUH_MASTER_KEY_FILE) process.env.TANGGUH_MASTER_KEY ??= 'tangguh-bench-master-key-not-for-production';
  const GALLERY = Number(process.env.BENCH_GALLERY ?? 200_000);
  const QUEUE = Number(process.env.BENCH_DEDUP_QUEUE ?? 10_000);
  const BATCH = Number(process.env.BENCH_DEDUP_BATCH ?? 0) || undefined;
  const radius = process.env.BENCH_PROBE_RADIUS ?? '1';
  const LIMIT = Number(process.env.BENCH_DEDUP_LIMIT ?? QUEUE);
  // BENCH_BASE=/some/dir keeps the generated database there and copies it for later runs (same sizes).
  const base = process.env.BENCH_BASE ? join(process.env.BENCH_BASE, `dedup-${GALLERY}-${QUEUE}.db`) : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'tangguh-dedup-queue-'));
  const say = (s: string) => console.log(s);
  try {
    const file = join(dir, 'central.db');
    const { existsSync, copyFileSync } = await import('node:fs');
    if (base && existsSync(base)) copyFileSync(base, file);
    const { ctx, handle } = await openCentral(file);
    let t = performance.now();
    if (!base || !existsSync(base)) {
      const mates = Math.max(1, Math.round(QUEUE / 10));
      await fillRandomGallery(ctx, GALLERY - mates, (n) => process.stderr.write(`\rgallery ${n}`));
      await addGalleryMates(ctx, mates);
      say(`\ngallery ${GALLERY} (${mates} synthetic mates) stored in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      t = performance.now();
      const mix = await queueReceived(ctx, QUEUE, mates, (n) => process.stderr.write(`\rqueued ${n}`));
      say(`\nqueued ${QUEUE} in ${((performance.now() - t) / 1000).toFixed(1)} s: ${JSON.stringify(mix)}`);
      if (base) {
        await handle.close();
        copyFileSync(file, base);
        say(`kept as ${base}`);
        return;
      }
    }
    t = performance.now();
    const shards = availableParallelism();
    ctx.matcher = new GalleryMirror(ctx.galleryKey, shards > 1 ? new ShardedMatcher({ shards }) : new BitSamplingIndex());
    ctx.matcherProbeRadius = radius === '0' ? 0 : 1;
    if (process.env.BENCH_PROBE_FLIPS) ctx.matcherProbeFlips = Number(process.env.BENCH_PROBE_FLIPS);
    await loadMatcher(ctx);
    await ctx.matcher.ready();
    say(`index loaded in ${((performance.now() - t) / 1000).toFixed(1)} s (${ctx.matcher.size} people, ${shards} shards)`);
    const session = new Session();
    if (process.env.BENCH_PROFILE === '1') {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    t = performance.now();
    const cpuAtStart = process.cpuUsage();
    let done = 0;
    while (done < LIMIT) {
      const n = await runDeduplication(ctx, BATCH);
      // As the worker does between batches: the card packages of the records that became print-ready.
      if (PRINT) await buildPendingPrintPackages(ctx);
      if (n === 0) break;
      done += n;
      process.stderr.write(`\rdecided ${done}/${QUEUE} ${Math.round(done / ((performance.now() - t) / 1000))} rec/s`);
    }
    const ms = performance.now() - t;
    const cpu = process.cpuUsage(cpuAtStart);
    say(`\ndedup: ${done} in ${(ms / 1000).toFixed(1)} s = ${Math.round(done / (ms / 1000))} rec/s (probe radius ${radius}, flips ${process.env.BENCH_PROBE_FLIPS ?? 'all'}, batch ${BATCH ?? 'default'}${PRINT ? ', card packages built' : ''}); CPU ${((cpu.user + cpu.system) / 1000 / done).toFixed(2)} ms a record over all threads, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const verdicts = await ctx.db.selectFrom('enrollments').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('office_id', '=', BACKLOG_OFFICE).groupBy('status').execute();
    say(`verdicts: ${verdicts.map((v) => `${v.status} ${v.n}`).join(', ')}`);
    if (process.env.BENCH_PROFILE === '1') {
      const { profile } = await session.post('Profiler.stop');
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const self = new Map<string, number>();
      let total = 0;
      profile.samples!.forEach((id, i) => {
        const f = byId.get(id)!.callFrame;
        const us = profile.timeDeltas![i] ?? 0;
        total += us;
        const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|apps|packages)\//, '$1/')}:${f.lineNumber + 1}`;
        self.set(key, (self.get(key) ?? 0) + us);
      });
      // Time by the project's own function on the stack (apps/, packages/, bench/): who called the native work.
      const parent = new Map<number, number>();
      for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
      const ours = new Map<string, number>();
      profile.samples!.forEach((id, i) => {
        let at: number | undefined = id;
        const chain: string[] = [];
        while (at !== undefined && chain.length < 3) {
          const f = byId.get(at)!.callFrame;
          if (/\/(apps|packages)\//.test(f.url) && !f.url.includes('node_modules')) chain.push(`${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(apps|packages)\//, '$1/')}:${f.lineNumber + 1}`);
          at = parent.get(at);
        }
        const key = chain.length ? chain.join(' < ') : '(none of ours)';
        ours.set(key, (ours.get(key) ?? 0) + (profile.timeDeltas![i] ?? 0));
      });
      say(`main thread by the project's innermost functions on the stack:`);
      for (const [key, us] of [...ours.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) say(`  ${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
      say(`main thread profile, ${(total / 1000).toFixed(0)} ms:`);
      for (const [key, us] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)) say(`  ${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
    }
    await ctx.matcher.close();
    await handle.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
