import { zonedParts } from './time-zones.ts';

/**
 * The print queue when blanks are scarce, and why each record stands where it stands.
 *
 * The order is a pure function of data an admin can read: a record's priority class (the first class
 * of the policy's list it belongs to), then — when the policy asks for a fair share across kecamatan —
 * its turn within its kecamatan's own line for that class (round robin: every kecamatan's 1st record of
 * a class before any kecamatan's 2nd), then its date (the Suket's issue date for Suket holders, oldest
 * first; otherwise the day it became print-ready, first in first out), then its id. Each entry carries
 * exactly those parts, so sorting by the parts of the explanations gives the queue back (a property test
 * holds us to it), and a resident asking "why am I 1,204th?" gets the same reasons the planner used.
 */
export const PRIORITY_CLASSES = ['first_time', 'disaster', 'suket', 'lost_damaged', 'data_change', 'regular'] as const;
export type PriorityClass = (typeof PRIORITY_CLASSES)[number];

/** Why a card is being printed; a change of region code alone earns no priority (DOMAIN.md). */
export type CardReason = 'first_time' | 'lost' | 'damaged' | 'data_change' | 'region_code_change' | 'other';

export interface PrintPriorityPolicy {
  /** Classes in priority order; a class missing from the list gives no priority (its records are 'regular'). */
  order: Exclude<PriorityClass, 'regular'>[];
  fairShareAcrossKecamatan: boolean;
}

export const DEFAULT_PRINT_PRIORITY_POLICY: PrintPriorityPolicy = {
  order: ['first_time', 'disaster', 'suket', 'lost_damaged', 'data_change'],
  fairShareAcrossKecamatan: true,
};

export interface WaitingRecord {
  id: string;
  kecamatan: { code: string; name: string };
  reason: CardReason;
  disasterVictim: boolean;
  /** ISO instant the record became print-ready. */
  waitingSince: string;
  /** ISO instant of the resident's Suket, when one was issued. */
  suketIssuedAt?: string | undefined;
}

export interface QueueExplanationParts {
  position: number;
  total: number;
  priorityClass: PriorityClass;
  classRank: number;
  /** The record's turn in its kecamatan's line for its class (1 = first); 0 when no fair share applies. */
  kecamatanTurn: number;
  /** The instant the class orders by: the Suket's issue for Suket holders, else when it became print-ready. */
  since: string;
  kecamatan: { code: string; name: string };
  recordId: string;
  /** Whether the blanks on hand reach this far down the queue. */
  withinStock: boolean;
}

export interface QueueEntry {
  recordId: string;
  parts: QueueExplanationParts;
  text: { id: string; en: string };
}

export function priorityClassOf(record: WaitingRecord, policy: PrintPriorityPolicy): PriorityClass {
  for (const cls of policy.order) if (belongsTo(record, cls)) return cls;
  return 'regular';
}

function belongsTo(record: WaitingRecord, cls: PriorityClass): boolean {
  switch (cls) {
    case 'first_time':
      return record.reason === 'first_time';
    case 'disaster':
      return record.disasterVictim;
    case 'suket':
      return record.suketIssuedAt !== undefined;
    case 'lost_damaged':
      return record.reason === 'lost' || record.reason === 'damaged';
    case 'data_change':
      return record.reason === 'data_change';
    case 'regular':
      return true;
  }
}

/** The comparison the queue is sorted by, on the parts alone. */
export function compareExplanationParts(a: Omit<QueueExplanationParts, 'position' | 'total' | 'withinStock'>, b: typeof a): number {
  return a.classRank - b.classRank || a.kecamatanTurn - b.kecamatanTurn || cmp(a.since, b.since) || cmp(a.recordId, b.recordId);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The queue for the waiting records under the policy, with `stock` blanks on hand. `timeZone` is the
 * office's: the dates in the texts are its calendar dates.
 */
export function planPrintQueue(records: readonly WaitingRecord[], policy: PrintPriorityPolicy, stock: number, timeZone: string): QueueEntry[] {
  const rankOf = new Map<PriorityClass, number>(policy.order.map((cls, i) => [cls, i]));
  const regularRank = policy.order.length;
  // Kecamatan codes as numbers in their text order, and instants as milliseconds, so that sorting 100,000
  // records compares numbers; the order is the same as compareExplanationParts gives on the parts.
  const codes = [...new Set(records.map((r) => r.kecamatan.code))].sort(cmp);
  const codeIndex = new Map(codes.map((code, i) => [code, i]));
  const keyed: Keyed[] = records.map((r) => {
    const priorityClass = priorityClassOf(r, policy);
    const since = canonicalInstant(priorityClass === 'suket' && r.suketIssuedAt !== undefined ? r.suketIssuedAt : r.waitingSince);
    return {
      priorityClass,
      classRank: rankOf.get(priorityClass) ?? regularRank,
      kecamatanTurn: 0,
      since,
      kecamatan: r.kecamatan,
      recordId: r.id,
      ms: Date.parse(since),
      kec: codeIndex.get(r.kecamatan.code) ?? 0,
    };
  });
  if (policy.fairShareAcrossKecamatan) {
    // Turns are counted inside each (class, kecamatan) line in that line's own date order.
    keyed.sort((a, b) => a.classRank - b.classRank || a.kec - b.kec || a.ms - b.ms || cmp(a.recordId, b.recordId));
    let previous: Keyed | undefined;
    let turn = 0;
    for (const k of keyed) {
      turn = previous && previous.classRank === k.classRank && previous.kec === k.kec ? turn + 1 : 1;
      k.kecamatanTurn = turn;
      previous = k;
    }
  }
  keyed.sort((a, b) => a.classRank - b.classRank || a.kecamatanTurn - b.kecamatanTurn || a.ms - b.ms || cmp(a.recordId, b.recordId));
  const total = keyed.length;
  const dates = new DateTexts(timeZone);
  const totals = { id: groupDigits(total, '.'), en: groupDigits(total, ',') };
  return keyed.map((k, i) => {
    const parts: QueueExplanationParts = {
      position: i + 1,
      total,
      priorityClass: k.priorityClass,
      classRank: k.classRank,
      kecamatanTurn: k.kecamatanTurn,
      since: k.since,
      kecamatan: k.kecamatan,
      recordId: k.recordId,
      withinStock: i < stock,
    };
    return { recordId: k.recordId, parts, text: explanationText(parts, totals, dates.of(k.ms), policy.fairShareAcrossKecamatan) };
  });
}

type Keyed = Omit<QueueExplanationParts, 'position' | 'total' | 'withinStock'> & { ms: number; kec: number };

const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An instant as toISOString writes it, so that instants compare as strings (a written offset would not). */
function canonicalInstant(instant: string): string {
  return CANONICAL.test(instant) ? instant : new Date(instant).toISOString();
}

const CLASS_TEXT: Record<PriorityClass, { id: string; en: string }> = {
  first_time: { id: 'pemegang KTP-el pertama', en: 'first-time holder' },
  disaster: { id: 'korban bencana', en: 'disaster victim' },
  suket: { id: 'pemegang Suket', en: 'Suket holder' },
  lost_damaged: { id: 'KTP-el hilang atau rusak', en: 'lost or damaged card' },
  data_change: { id: 'perubahan data', en: 'data change' },
  regular: { id: 'antrean biasa', en: 'regular queue' },
};

function explanationText(p: QueueExplanationParts, totals: { id: string; en: string }, day: { id: string; en: string }, fairShare: boolean): { id: string; en: string } {
  const share = fairShare ? { id: `; jatah kecamatan ${p.kecamatan.name}`, en: `; share of kecamatan ${p.kecamatan.name}` } : { id: '', en: '' };
  const cls = CLASS_TEXT[p.priorityClass];
  const sinceWord = p.priorityClass === 'suket' ? { id: 'sejak', en: 'since' } : { id: 'siap cetak sejak', en: 'print-ready since' };
  const stock = p.withinStock ? { id: '', en: '' } : { id: '; menunggu blangko', en: '; waiting for blanks' };
  return {
    id: `${groupDigits(p.position, '.')} dari ${totals.id}: ${cls.id} ${sinceWord.id} ${day.id}${share.id}${stock.id}`,
    en: `${ordinal(p.position)} of ${totals.en}: ${cls.en} ${sinceWord.en} ${day.en}${share.en}${stock.en}`,
  };
}

/** "15.000" / "15,000": written out rather than by Intl so server and browser print the same digits. */
export function groupDigits(n: number, separator: string): string {
  const digits = String(Math.trunc(Math.abs(n)));
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let i = out.length; i < digits.length; i += 3) out += separator + digits.slice(i, i + 3);
  return n < 0 ? `-${out}` : out;
}

export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${groupDigits(n, ',')}${suffix}`;
}

const MONTHS = {
  id: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/**
 * "2 Maret 2026" / "2 March 2026" for an instant in the office's zone. Intl's zone conversion is the costly
 * step in a 100,000-record plan, so the zone's offset is asked once per UTC day: when it is the same at the
 * day's first and last millisecond (always in Indonesia, which has no daylight saving) the local date is
 * arithmetic; on a day the offset changes, each instant is converted by Intl.
 */
class DateTexts {
  private readonly offsets = new Map<number, number>();
  private readonly texts = new Map<number, { id: string; en: string }>();
  constructor(private readonly timeZone: string) {}

  of(ms: number): { id: string; en: string } {
    if (Number.isNaN(ms)) return { id: '?', en: '?' };
    const utcDay = Math.floor(ms / DAY_MS);
    let offset = this.offsets.get(utcDay);
    if (offset === undefined) {
      const start = this.offsetAt(utcDay * DAY_MS);
      offset = start === this.offsetAt(utcDay * DAY_MS + DAY_MS - 1) ? start : Number.NaN;
      this.offsets.set(utcDay, offset);
    }
    const localDay = Number.isNaN(offset) ? Math.floor((ms + this.offsetAt(ms)) / DAY_MS) : Math.floor((ms + offset) / DAY_MS);
    let text = this.texts.get(localDay);
    if (!text) {
      const d = new Date(localDay * DAY_MS);
      const [day, month, year] = [d.getUTCDate(), d.getUTCMonth(), d.getUTCFullYear()];
      text = { id: `${day} ${MONTHS.id[month]} ${year}`, en: `${day} ${MONTHS.en[month]} ${year}` };
      this.texts.set(localDay, text);
    }
    return text;
  }

  /** How far the zone's wall clock is ahead of UTC at an instant, to the minute. */
  private offsetAt(ms: number): number {
    const p = zonedParts(new Date(ms), this.timeZone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(ms / 60_000) * 60_000;
  }
}

const DAY_MS = 86_400_000;
