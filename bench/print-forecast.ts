/**
 * Forecast routes benchmark: what a forecast screen, the print room and residents' status checks cost on an
 * office database holding 100,000 waiting Print Ready Records (SQLite, 20 kecamatan, 12 printers). The
 * baseline, measured in the same run, is planning from the database on every call (services/print-plan.ts,
 * which is what each call would cost without the kept plan); beside it: the first call (plans and keeps the
 * plan), later calls while nothing changed (a mark of the plan's inputs read from the database, then a page
 * of the queue, the headline with a what-if, one record's forecast), and the first call after a change (a
 * blank receipt) plans again; and the charts' history of 30 days, first and kept. Median of several runs.
 *
 *   npm run bench:print-forecast                          # 100,000 records, 5 runs
 *   BENCH_RECORDS=20000 BENCH_RUNS=3 npm run bench:print-forecast
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provisionStack } from '../apps/cli/src/stack.ts';
import { openOffice } from '../apps/office/src/runtime.ts';
import { upsertPrinter } from '../apps/office/src/repositories/print-plan.ts';
import { recordBlankEntry } from '../apps/office/src/services/blank-stock.ts';
import { printPlan } from '../apps/office/src/services/print-plan.ts';
import { forecastFor, printHeadline, printQueuePage } from '../apps/office/src/services/print-forecast.ts';
import { printHistory } from '../apps/office/src/services/print-history.ts';

// A throwaway database: a key that opens it, as the other benches do.
if (!process.env.TANGGUH_MASTER_KEY_FILE) process.env.TANGGUH_MASTER_KEY ??= 'tangguh-bench-master-key-not-for-production';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

let seed = 2026;
const next = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const dir = mkdtempSync(join(tmpdir(), 'tangguh-bench-forecast-'));
const paths = await provisionStack(dir);
const { ctx, handle } = await openOffice(paths.officeDb);
ctx.now = () => new Date('2026-12-01T03:00:00.000Z');
const districts = Array.from({ length: 20 }, (_, i) => `35.09.${String(i + 1).padStart(2, '0')}`);
const villages = districts.map((d) => ctx.regions.villagesOf(d)[0]?.code).filter((v): v is string => Boolean(v));

const started = performance.now();
const day = Date.UTC(2026, 11, 1);
for (let from = 0; from < RECORDS; from += 500) {
  const rows = Array.from({ length: Math.min(500, RECORDS - from) }, (_, j) => {
    const i = from + j;
    const at = new Date(day - Math.floor(next() * 60 * 86_400_000)).toISOString();
    return {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      registration_number: `B-${i}`,
      client_request_id: null,
      site_id: 'dinas',
      recorded_by: 'operator',
      nik: String(3509000000000000 + i),
      full_name: `Warga ${i}`,
      birth_date: next() < 0.2 ? '2009-06-01' : '1980-01-01',
      sex: 'L',
      village_code: villages[Math.floor(next() * villages.length)]!,
      biodata: '{}',
      photo: new Uint8Array(1),
      photo_mime: 'image/png',
      signature: new Uint8Array(1),
      signature_mime: 'image/png',
      sealed_biometrics: new Uint8Array(1),
      exceptions: '[]',
      status: 'PRINT_READY_RECORD',
      status_at: at,
      recorded_at: at,
    };
  });
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('records').values(rows).execute();
    await trx.insertInto('status_events').values(rows.map((r) => ({ record_id: r.id, status: 'PRINT_READY_RECORD', at: r.status_at, source: 'central', note: null }))).execute();
  });
}
for (let i = 0; i < 12; i++)
  await upsertPrinter(ctx.db, { id: `p${i + 1}`, siteId: 'dinas', name: `Printer ${i + 1}`, capacityPerDay: 150 + (i % 4) * 50, state: i === 5 ? 'in_repair' : 'ready', ribbonLeft: 400, filmLeft: 400, printsPerRibbon: 500, printsPerFilm: 500, updatedAt: '2026-12-01T00:00:00.000Z' });
await recordBlankEntry(ctx.db, { kind: 'receipt', siteId: 'dinas', tranche: 'T0', quantity: 10_000, serials: { from: 1, to: 10_000 } }, 'admin', '2026-12-01T00:00:00.000Z');
console.log(`seeded ${RECORDS.toLocaleString('en')} waiting records in ${((performance.now() - started) / 1000).toFixed(1)} s`);

/** Wall-clock and CPU milliseconds of one call: on a shared machine the wall clock also counts other processes' turns. */
const cpu: Map<number[], number[]> = new Map();
async function time(fn: () => Promise<unknown>, into: number[]): Promise<void> {
  const c = process.cpuUsage();
  const t = performance.now();
  await fn();
  into.push(performance.now() - t);
  const used = process.cpuUsage(c);
  cpu.set(into, [...(cpu.get(into) ?? []), (used.user + used.system) / 1000]);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results: { name: string; ms: number[] }[] = [];
const some = `00000000-0000-4000-8000-${String(Math.floor(RECORDS / 2)).padStart(12, '0')}`;

const baseline: number[] = [];
for (let r = 0; r < RUNS; r++) await time(() => printPlan(ctx), baseline);
results.push({ name: 'plan from the database on every call (baseline)', ms: baseline });

const cold: number[] = [];
const warmPage: number[] = [];
const warmHeadline: number[] = [];
const warmRecord: number[] = [];
const coldHistory: number[] = [];
const warmHistory: number[] = [];
for (let r = 0; r < RUNS; r++) {
  // A change (one more blank received) makes the next call plan again.
  await recordBlankEntry(ctx.db, { kind: 'receipt', siteId: 'dinas', tranche: `T${r + 1}`, quantity: 1, serials: { from: 100_000 + r, to: 100_000 + r } }, 'admin', '2026-12-01T01:00:00.000Z');
  await time(() => printQueuePage(ctx, { page: 1, pageSize: 50 }, { scope: 'all' }), cold);
  await time(() => printQueuePage(ctx, { page: 20, pageSize: 50, flag: 'any' }, { scope: 'all' }), warmPage);
  await time(() => printHeadline(ctx, 20_000), warmHeadline);
  await time(() => forecastFor(ctx, some), warmRecord);
  await time(() => printHistory(ctx, 30), coldHistory);
  await time(() => printHistory(ctx, 30), warmHistory);
}
results.push({ name: 'first call after a change (plans, keeps)', ms: cold });
results.push({ name: 'queue page, nothing changed', ms: warmPage });
results.push({ name: 'headline with a what-if, nothing changed', ms: warmHeadline });
results.push({ name: "one record's forecast, nothing changed", ms: warmRecord });
results.push({ name: 'history of 30 days, first call after a change', ms: coldHistory });
results.push({ name: 'history of 30 days, nothing changed', ms: warmHistory });

console.log(`forecast routes: ${RECORDS.toLocaleString('en')} waiting records, 12 printers, ${RUNS} runs (SQLite)`);
for (const m of results)
  console.log(`  ${m.name.padEnd(50)} median ${median(m.ms).toFixed(1).padStart(8)} ms wall, ${median(cpu.get(m.ms) ?? [0]).toFixed(1).padStart(8)} ms CPU  (wall min ${Math.min(...m.ms).toFixed(1)}, max ${Math.max(...m.ms).toFixed(1)})`);
console.log(`  ratio baseline / one record's forecast while unchanged: ${(median(baseline) / median(warmRecord)).toFixed(0)}× wall, ${(median(cpu.get(baseline)!) / median(cpu.get(warmRecord)!)).toFixed(0)}× CPU`);
console.log(`  ${(await printHeadline(ctx)).text.en}`);
await handle.close();
rmSync(dir, { recursive: true, force: true });
