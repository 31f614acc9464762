import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatZonedDate } from './time-zones.ts';
import { compareExplanationParts, DEFAULT_PRINT_PRIORITY_POLICY, planPrintQueue, priorityClassOf, type WaitingRecord } from './print-priority.ts';

const AMBULU = { code: '35.09.01', name: 'Ambulu' };
const PUGER = { code: '35.09.02', name: 'Puger' };
const base = { kecamatan: AMBULU, reason: 'other', disasterVictim: false, waitingSince: '2026-03-10T02:00:00Z' } as const;
const record = (id: string, over: Partial<WaitingRecord> = {}): WaitingRecord => ({ ...base, id, ...over });

describe('print priority', () => {
  it('gives a change of region code alone no priority, and a record the first class of the policy it belongs to', () => {
    const policy = DEFAULT_PRINT_PRIORITY_POLICY;
    expect(priorityClassOf(record('a', { reason: 'region_code_change' }), policy)).toBe('regular');
    expect(priorityClassOf(record('b', { reason: 'lost', disasterVictim: true, suketIssuedAt: '2026-01-02T00:00:00Z' }), policy)).toBe('disaster');
    expect(priorityClassOf(record('c', { reason: 'lost', suketIssuedAt: '2026-01-02T00:00:00Z' }), policy)).toBe('suket');
    expect(priorityClassOf(record('d', { reason: 'lost', suketIssuedAt: '2026-01-02T00:00:00Z' }), { ...policy, order: ['lost_damaged', 'suket'] })).toBe('lost_damaged');
    expect(priorityClassOf(record('e', { reason: 'data_change' }), { ...policy, order: ['first_time'] })).toBe('regular');
  });

  it('puts Suket holders oldest Suket first, and others first in first out', () => {
    const queue = planPrintQueue(
      [
        record('late-suket', { suketIssuedAt: '2026-03-05T01:00:00Z', waitingSince: '2026-01-01T00:00:00Z' }),
        record('early-suket', { suketIssuedAt: '2026-03-02T01:00:00Z', waitingSince: '2026-03-09T00:00:00Z' }),
        record('fifo-2', { waitingSince: '2026-02-02T00:00:00Z' }),
        record('fifo-1', { waitingSince: '2026-02-01T00:00:00Z' }),
        record('new-17', { reason: 'first_time', waitingSince: '2026-03-20T00:00:00Z' }),
      ],
      { order: ['first_time', 'suket'], fairShareAcrossKecamatan: false },
      10,
      'Asia/Jakarta',
    );
    expect(queue.map((e) => e.recordId)).toEqual(['new-17', 'early-suket', 'late-suket', 'fifo-1', 'fifo-2']);
  });

  it('shares each class fairly across kecamatan: every kecamatan gets its turn before any gets a second', () => {
    const records = [
      ...['a1', 'a2', 'a3'].map((id, i) => record(id, { waitingSince: `2026-02-0${i + 1}T00:00:00Z` })),
      record('p1', { kecamatan: PUGER, waitingSince: '2026-02-09T00:00:00Z' }),
    ];
    const queue = planPrintQueue(records, { order: [], fairShareAcrossKecamatan: true }, 0, 'Asia/Jakarta');
    expect(queue.map((e) => e.recordId)).toEqual(['a1', 'p1', 'a2', 'a3']);
    expect(queue[1]?.parts.kecamatanTurn).toBe(1);
    expect(queue[2]?.parts.kecamatanTurn).toBe(2);
  });

  it('explains a place in both languages, with the date in the office zone', () => {
    const fillers = Array.from({ length: 1203 }, (_, i) => record(`f${String(i).padStart(5, '0')}`, { reason: 'first_time' }));
    const others = Array.from({ length: 15_000 - 1204 }, (_, i) => record(`z${String(i).padStart(5, '0')}`, { kecamatan: PUGER }));
    // 17:30 UTC on 1 March is already 2 March in Jember (WIB, UTC+7).
    const holder = record('ambulu-suket', { suketIssuedAt: '2026-03-01T17:30:00Z' });
    const queue = planPrintQueue([...others, holder, ...fillers], { order: ['first_time', 'suket'], fairShareAcrossKecamatan: true }, 15_000, 'Asia/Jakarta');
    const entry = queue.find((e) => e.recordId === 'ambulu-suket');
    expect(entry?.text).toEqual({
      id: '1.204 dari 15.000: pemegang Suket sejak 2 Maret 2026; jatah kecamatan Ambulu',
      en: '1,204th of 15,000: Suket holder since 2 March 2026; share of kecamatan Ambulu',
    });
    expect(entry?.parts).toMatchObject({ position: 1204, total: 15_000, priorityClass: 'suket', kecamatanTurn: 1, kecamatan: AMBULU, withinStock: true });
    expect(queue[0]?.text.en).toBe('1st of 15,000: first-time holder print-ready since 10 March 2026; share of kecamatan Ambulu');
  });

  it('says which records the blanks on hand do not reach', () => {
    const queue = planPrintQueue([record('a'), record('b', { waitingSince: '2026-03-11T02:00:00Z' })], DEFAULT_PRINT_PRIORITY_POLICY, 1, 'Asia/Jakarta');
    expect(queue.map((e) => e.parts.withinStock)).toEqual([true, false]);
    expect(queue[1]?.text.id).toBe('2 dari 2: antrean biasa siap cetak sejak 11 Maret 2026; jatah kecamatan Ambulu; menunggu blangko');
  });

  const kecamatan = fc.constantFrom(AMBULU, PUGER, { code: '35.09.03', name: 'Wuluhan' });
  const arbitraryRecord = fc.record({
    id: fc.uuid(),
    kecamatan,
    reason: fc.constantFrom('first_time', 'lost', 'damaged', 'data_change', 'region_code_change', 'other'),
    disasterVictim: fc.boolean(),
    waitingSince: fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 11, 31) }).map((ms) => new Date(ms).toISOString()),
    suketIssuedAt: fc.option(fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 11, 31) }).map((ms) => new Date(ms).toISOString()), { nil: undefined }),
  }) as fc.Arbitrary<WaitingRecord>;
  const arbitraryPolicy = fc.record({
    order: fc.shuffledSubarray(['first_time', 'disaster', 'suket', 'lost_damaged', 'data_change'] as const).map((o) => [...o]),
    fairShareAcrossKecamatan: fc.boolean(),
  });

  it('sorting by the parts of the explanations gives the same order as the queue (property)', () => {
    fc.assert(
      fc.property(fc.array(arbitraryRecord, { maxLength: 60 }), arbitraryPolicy, fc.nat(70), (records, policy, stock) => {
        const queue = planPrintQueue(records, policy, stock, 'Asia/Jakarta');
        const shuffled = [...queue].reverse().sort((a, b) => compareExplanationParts(a.parts, b.parts));
        expect(shuffled.map((e) => e.recordId)).toEqual(queue.map((e) => e.recordId));
        queue.forEach((e, i) => {
          expect(e.parts.position).toBe(i + 1);
          expect(e.parts.withinStock).toBe(i < stock);
        });
        expect(new Set(queue.map((e) => e.recordId)).size).toBe(new Set(records.map((r) => r.id)).size);
      }),
    );
  });

  it('never puts a record of a later class before one of an earlier class, and keeps each kecamatan line in date order (property)', () => {
    fc.assert(
      fc.property(fc.array(arbitraryRecord, { maxLength: 60 }), arbitraryPolicy, (records, policy) => {
        const queue = planPrintQueue(records, policy, 0, 'Asia/Jakarta');
        for (let i = 1; i < queue.length; i++) {
          const [a, b] = [queue[i - 1]!.parts, queue[i]!.parts];
          expect(a.classRank).toBeLessThanOrEqual(b.classRank);
          if (a.classRank === b.classRank && a.kecamatan.code === b.kecamatan.code) expect(a.since <= b.since).toBe(true);
        }
      }),
    );
  });

  it('writes the date an office reads in its zone, also on the days a zone changes its clock (property)', () => {
    const zones = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe'];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), (zone, ms) => {
        const since = new Date(ms).toISOString();
        const [entry] = planPrintQueue([record('x', { waitingSince: since })], { order: [], fairShareAcrossKecamatan: false }, 1, zone);
        expect(entry?.text.id).toBe(`1 dari 1: antrean biasa siap cetak sejak ${formatZonedDate(since, zone, 'id')}`);
        expect(entry?.text.en).toBe(`1st of 1: regular queue print-ready since ${formatZonedDate(since, zone, 'en')}`);
      }),
      { numRuns: 300 },
    );
  });

  it("dates instants right on a day Berlin's clock moves forward", () => {
    const dateOf = (since: string) => planPrintQueue([record('x', { waitingSince: since })], { order: [], fairShareAcrossKecamatan: false }, 1, 'Europe/Berlin')[0]?.text.en;
    expect(dateOf('2026-03-29T00:30:00Z')).toContain('since 29 March 2026'); // 01:30 CET
    expect(dateOf('2026-03-29T22:30:00Z')).toContain('since 30 March 2026'); // 00:30 CEST, the same UTC day
    expect(dateOf('2026-03-28T23:30:00Z')).toContain('since 29 March 2026');
  });
});
