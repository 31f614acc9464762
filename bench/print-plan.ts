/**
 * Print-plan benchmark: the print queue with its explanations, the forecast of every waiting record and
 * the headline, for 100,000 waiting records across 20 kecamatan sites and 12 printers — next to a plain
 * sort of the same records by the day they became print-ready, as the baseline, in the same run.
 * Median of several runs; memory as the heap the result keeps and the process's peak RSS after each part
 * (the baseline runs first, so the growth of the peak is the plan's).
 *
 *   npm run bench:print-plan                         # 100,000 records, 5 runs
 *   BENCH_RECORDS=20000 BENCH_RUNS=3 npm run bench:print-plan
 */
import {
  addCalendarDays,
  DEFAULT_PRINT_PRIORITY_POLICY,
  forecastHeadline,
  forecastPrinting,
  planPrintQueue,
  type CardReason,
  type PlannedPrinter,
  type WaitingRecord,
  workCalendar,
} from '@tangguh/domain';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const KECAMATAN = ['Ambulu', 'Puger', 'Wuluhan', 'Balung', 'Kencong', 'Gumukmas', 'Umbulsari', 'Tanggul', 'Bangsalsari', 'Panti', 'Sukorambi', 'Rambipuji', 'Jenggawah', 'Ajung', 'Mumbulsari', 'Tempurejo', 'Silo', 'Mayang', 'Kalisat', 'Arjasa'];
const SITES = KECAMATAN.length;
const TODAY = '2026-12-01';
const TIME_ZONE = 'Asia/Jakarta';
const gc = (globalThis as { gc?: () => void }).gc;

/** A deterministic generator (mulberry32), so every run plans the same records. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(2026);
const REASONS: CardReason[] = ['first_time', 'first_time', 'lost', 'damaged', 'data_change', 'region_code_change', 'other', 'other'];
const day = Date.UTC(2026, 11, 1);
const records: WaitingRecord[] = Array.from({ length: RECORDS }, (_, i) => {
  const site = Math.floor(next() * SITES);
  const waitingSince = new Date(day - Math.floor(next() * 60 * 86_400_000)).toISOString();
  const suket = next() < 0.35;
  return {
    id: `rec-${String(i).padStart(6, '0')}`,
    kecamatan: { code: `35.09.${String(site + 1).padStart(2, '0')}`, name: KECAMATAN[site]! },
    reason: REASONS[Math.floor(next() * REASONS.length)]!,
    disasterVictim: next() < 0.02,
    waitingSince,
    suketIssuedAt: suket ? new Date(Date.parse(waitingSince) + Math.floor(next() * 3 * 86_400_000)).toISOString() : undefined,
  };
});
const printers: PlannedPrinter[] = Array.from({ length: 12 }, (_, i) => ({
  id: `printer-${i + 1}`,
  siteId: i === 0 ? 'dinas' : `kec-${i}`,
  capacityPerDay: 150 + (i % 4) * 50,
  state: i === 5 || i === 9 ? 'in_repair' : i % 3 === 0 ? 'consumables_low' : 'ready',
  printsLeft: 80 + i * 40,
  printsPerSet: 500,
}));
const holidays = ['2026-12-24', '2026-12-25', '2027-01-01', '2027-02-17', '2027-03-10', '2027-03-11', '2027-03-12', '2027-03-15'].map((date) => ({ date }));
const calendar = workCalendar(TIME_ZONE, holidays);
const stock = 10_000;
const deliveries = [
  { quantity: 30_000, earliest: addCalendarDays(TODAY, 10), latest: addCalendarDays(TODAY, 25) },
  { quantity: 40_000, earliest: addCalendarDays(TODAY, 40), latest: addCalendarDays(TODAY, 70) },
];

function baseline() {
  return [...records].sort((a, b) => (a.waitingSince < b.waitingSince ? -1 : a.waitingSince > b.waitingSince ? 1 : a.id < b.id ? -1 : 1));
}

function printPlan() {
  const queue = planPrintQueue(records, DEFAULT_PRINT_PRIORITY_POLICY, stock, TIME_ZONE);
  const byId = new Map(records.map((r) => [r.id, r]));
  const input = { queue: queue.map((e) => ({ recordId: e.recordId, waitingSince: byId.get(e.recordId)!.waitingSince })), stock, deliveries, printers, calendar, today: TODAY };
  const forecast = forecastPrinting(input);
  return { queue, forecast, headline: forecastHeadline(input) };
}

function measure<T>(name: string, fn: () => T): { name: string; ms: number[]; retainedMb: number; peakRssMb: number; result: T } {
  const ms: number[] = [];
  const kept: { result?: T } = {};
  let retainedMb = 0;
  for (let run = 0; run < RUNS; run++) {
    // The previous run's result is let go before measuring, so the heap growth is one result's.
    delete kept.result;
    gc?.();
    const before = process.memoryUsage().heapUsed;
    const start = performance.now();
    kept.result = fn();
    ms.push(performance.now() - start);
    gc?.();
    retainedMb = Math.max(retainedMb, (process.memoryUsage().heapUsed - before) / 2 ** 20);
  }
  return { name, ms, retainedMb, peakRssMb: process.resourceUsage().maxRSS / 1024, result: kept.result as T };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const plain = measure('plain sort (baseline)', baseline);
const plan = measure('queue + explanations + forecasts + headline', printPlan);
const [p, b] = [median(plan.ms), median(plain.ms)];
const overdue = plan.result.forecast.filter((f) => f.flag === 'overdue').length;
const willExceed = plan.result.forecast.filter((f) => f.flag === 'will_exceed').length;
const undated = plan.result.forecast.filter((f) => f.latest === null).length;

console.log(`print plan: ${RECORDS.toLocaleString('en')} waiting records, ${SITES} sites, ${printers.length} printers (${printers.filter((x) => x.state === 'in_repair').length} in repair), ${RUNS} runs${gc ? '' : ' (run with --expose-gc for exact retained heap)'}`);
for (const m of [plain, plan]) {
  console.log(
    `  ${m.name.padEnd(46)} median ${median(m.ms).toFixed(1).padStart(8)} ms  (min ${Math.min(...m.ms).toFixed(1)}, max ${Math.max(...m.ms).toFixed(1)})  heap kept ${m.retainedMb.toFixed(1)} MiB  peak RSS so far ${m.peakRssMb.toFixed(0)} MiB`,
  );
}
console.log(`  ratio plan / plain sort: ${(p / b).toFixed(1)}×`);
console.log(`  per record: ${((p * 1000) / RECORDS).toFixed(2)} µs; past the 14-working-day maximum already ${overdue.toLocaleString('en')}, by their forecast ${willExceed.toLocaleString('en')}; beyond the horizon (no date): ${undated.toLocaleString('en')}`);
console.log(`  e.g. ${plan.result.queue[1203]?.text.en ?? ''}`);
console.log(`  headline: ${plan.result.headline.text.id}`);
console.log(`            ${plan.result.headline.text.en}`);
