import { forecastHeadline, type ExpectedDelivery, type RecordForecast, type QueueEntry, officeDate, workCalendar } from '@tangguh/domain';
import type { PrintHeadline, PrintQueueQuery, PrintQueueResponse, RecordForecastView } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import { printPlanMark } from '../repositories/print-forecast.ts';
import { blankRequestsMark } from '../repositories/blank-requests.ts';
import type { Visibility } from '../repositories/visibility.ts';
import { expectedDeliveries, type ExpectedAllocation } from './blank-deliveries.ts';
import { printPlan, type PrintPlan } from './print-plan.ts';

/**
 * The print plan as the forecast screens, the print room and a resident's status check read it. Planning
 * 100,000 records takes about half a second (bench/print-plan.ts), so the plan is kept per office and
 * reused while nothing it reads has changed: each call first reads a mark of its inputs (statuses, ledger,
 * printers, policy, calendar, Sukets, blank requests, and today's date) from indexed aggregates, and plans
 * again only when the mark differs. The mark lives in the database, so every API process sees a change made
 * by another; concurrent callers share one planning.
 */
export interface ForecastSnapshot {
  mark: string;
  computedAt: string;
  plan: PrintPlan;
  deliveries: ExpectedAllocation[];
  places: Map<string, { siteId: string; villageCode: string }>;
  /** Queue position (0-based) of each record. */
  index: Map<string, number>;
  overdue: number;
  willExceed: number;
}

const snapshots = new WeakMap<object, { mark: string; snapshot: Promise<ForecastSnapshot> }>();

export async function forecastSnapshot(ctx: OfficeContext): Promise<ForecastSnapshot> {
  const today = officeDate(ctx.now(), workCalendar(ctx.office.timeZone, []));
  const [plan, requests] = await Promise.all([printPlanMark(ctx.db), blankRequestsMark(ctx.db)]);
  const mark = `${today}#${plan}#${requests}`;
  const kept = snapshots.get(ctx.db);
  if (kept && kept.mark === mark) return kept.snapshot;
  const snapshot = computeSnapshot(ctx, mark);
  // A failed planning is not kept: the next caller plans again.
  snapshot.catch(() => {
    if (snapshots.get(ctx.db)?.snapshot === snapshot) snapshots.delete(ctx.db);
  });
  snapshots.set(ctx.db, { mark, snapshot });
  return snapshot;
}

async function computeSnapshot(ctx: OfficeContext, mark: string): Promise<ForecastSnapshot> {
  const deliveries = await expectedDeliveries(ctx);
  const plan = await printPlan(ctx, { deliveries: deliveries.map(toDelivery) });
  const places = new Map(plan.waiting.map((w) => [w.id, { siteId: w.siteId, villageCode: w.villageCode }]));
  const index = new Map(plan.queue.map((e, i) => [e.recordId, i]));
  let overdue = 0;
  let willExceed = 0;
  for (const f of plan.forecast) {
    if (f.flag === 'overdue') overdue++;
    else if (f.flag === 'will_exceed') willExceed++;
  }
  return { mark, computedAt: ctx.now().toISOString(), plan, deliveries, places, index, overdue, willExceed };
}

const toDelivery = (d: ExpectedAllocation): ExpectedDelivery => ({ quantity: d.quantity, earliest: d.earliest, latest: d.latest });

/** The headline, optionally with a what-if for `extraBlanks` more blanks (no planning again: a simulation of days). */
export function headlineOf(s: ForecastSnapshot, extraBlanks?: number): PrintHeadline {
  const h = extraBlanks === undefined ? s.plan.headline : forecastHeadline(s.plan.input, extraBlanks);
  return {
    today: s.plan.today,
    waiting: h.waiting,
    stock: Math.max(0, h.stock),
    printers: h.printers,
    workingDaysToClear: h.workingDaysToClear,
    extraBlanks: h.extraBlanks,
    workingDaysWithExtra: h.workingDaysWithExtra,
    overdue: s.overdue,
    willExceed: s.willExceed,
    expectedDeliveries: s.deliveries.map((d) => ({ quantity: d.quantity, earliest: d.earliest, latest: d.latest, tranche: d.tranche })),
    text: h.text,
    computedAt: s.computedAt,
  };
}

export async function printHeadline(ctx: OfficeContext, extraBlanks?: number): Promise<PrintHeadline> {
  return headlineOf(await forecastSnapshot(ctx), extraBlanks);
}

function viewAt(s: ForecastSnapshot, i: number): RecordForecastView {
  const entry = s.plan.queue[i] as QueueEntry;
  const f = s.plan.forecast[i] as RecordForecast;
  const { recordId: _recordId, ...parts } = entry.parts;
  return {
    recordId: entry.recordId,
    siteId: s.places.get(entry.recordId)?.siteId ?? '',
    parts,
    explanation: entry.text,
    earliest: f.earliest,
    latest: f.latest,
    legalDeadline: f.legalDeadline,
    flag: f.flag,
    estimate: estimateText(f.earliest, f.latest),
  };
}

/**
 * One waiting record's place and forecast, or undefined when the record is not waiting for its card (not
 * print-ready yet, or already printed). Used by the print room and by the resident's status check.
 */
export async function forecastFor(ctx: OfficeContext, recordId: string): Promise<RecordForecastView | undefined> {
  const s = await forecastSnapshot(ctx);
  const i = s.index.get(recordId);
  return i === undefined ? undefined : viewAt(s, i);
}

/** Whether a waiting record lies in what a person may see (README, "Who sees what"). */
function visibleTo(s: ForecastSnapshot, recordId: string, visibility: Visibility): boolean {
  if (visibility.scope === 'all') return true;
  const place = s.places.get(recordId);
  if (!place) return false;
  return place.siteId === visibility.siteId || (visibility.districtCode !== null && place.villageCode.startsWith(`${visibility.districtCode}.`));
}

export async function forecastForViewer(ctx: OfficeContext, recordId: string, visibility: Visibility): Promise<RecordForecastView | undefined> {
  const s = await forecastSnapshot(ctx);
  const i = s.index.get(recordId);
  return i === undefined || !visibleTo(s, recordId, visibility) ? undefined : viewAt(s, i);
}

/** A page of the queue, filtered; positions stay those of the whole queue. */
export async function printQueuePage(ctx: OfficeContext, query: PrintQueueQuery, visibility: Visibility): Promise<PrintQueueResponse> {
  const s = await forecastSnapshot(ctx);
  const { page, pageSize } = query;
  const matches: number[] = [];
  for (let i = 0; i < s.plan.queue.length; i++) {
    const entry = s.plan.queue[i]!;
    const f = s.plan.forecast[i]!;
    if (query.siteId && s.places.get(entry.recordId)?.siteId !== query.siteId) continue;
    if (query.kecamatan && entry.parts.kecamatan.code !== query.kecamatan) continue;
    if (query.priorityClass && entry.parts.priorityClass !== query.priorityClass) continue;
    if (query.flag && (query.flag === 'any' ? f.flag === null : f.flag !== query.flag)) continue;
    if (!visibleTo(s, entry.recordId, visibility)) continue;
    matches.push(i);
  }
  const items = matches.slice((page - 1) * pageSize, page * pageSize).map((i) => viewAt(s, i));
  return { headline: headlineOf(s), matching: matches.length, page, pageSize, items };
}

const MONTHS = {
  id: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** "2 Maret 2026" for an office date (YYYY-MM-DD): a calendar date, no zone to convert. */
export function dateText(iso: string, lang: 'id' | 'en'): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS[lang][m - 1] ?? '?'} ${y}`;
}

export function estimateText(earliest: string | null, latest: string | null): { id: string; en: string } {
  if (earliest === null) return { id: 'Belum dapat diperkirakan: stok blangko atau printer belum mencukupi.', en: 'Not yet known: not enough blanks or printers.' };
  if (latest === null)
    return { id: `Paling cepat ${dateText(earliest, 'id')}; paling lambat belum dapat diperkirakan.`, en: `${dateText(earliest, 'en')} at the earliest; the latest date is not yet known.` };
  if (earliest === latest) return { id: `Perkiraan dicetak ${dateText(earliest, 'id')}.`, en: `Expected to be printed on ${dateText(earliest, 'en')}.` };
  return {
    id: `Perkiraan dicetak antara ${dateText(earliest, 'id')} dan ${dateText(latest, 'id')}.`,
    en: `Expected to be printed between ${dateText(earliest, 'en')} and ${dateText(latest, 'en')}.`,
  };
}
