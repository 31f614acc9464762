import { describe, expect, it } from 'vitest';
import type { CardCustodyRow } from '../repositories/distribution.ts';
import { whereaboutsOf } from './distribution.ts';
import { handoverRefusal } from './pickup.ts';

const printed = { status: 'CARD_PRINTED', status_at: '2026-12-01T02:00:00.000Z' };
const manifest = (over: Partial<CardCustodyRow>): CardCustodyRow => ({
  record_id: 'r1',
  manifest_id: 'm1',
  number: 'MNF-3509-20261201-0001',
  from_site_id: 'dinas',
  to_site_id: 'kec-35.09.19',
  manifest_status: 'OPEN',
  item_state: 'PACKED',
  item_checked_at: null,
  dispatched_at: null,
  received_at: null,
  ...over,
});
const names = (id: string) => ({ dinas: 'Kantor Dinas', 'kec-35.09.19': 'Kecamatan Kaliwates' })[id] ?? id;
const codeAt = (status: string, where: ReturnType<typeof whereaboutsOf> | undefined, site: string) => handoverRefusal(status, where, site, names)?.code ?? 'ALLOWED';

describe('where a printed card is', () => {
  it('lies where it was printed until it goes on a manifest', () => {
    expect(whereaboutsOf(printed, undefined, 'dinas')).toEqual({ kind: 'AT_SITE', siteId: 'dinas', since: printed.status_at, manifestNumber: null });
  });

  it('is packed at its origin, under way to the point, then there once received — or missing when the box lacked it', () => {
    expect(whereaboutsOf(printed, manifest({}), 'dinas')).toMatchObject({ kind: 'PACKED', siteId: 'dinas' });
    expect(whereaboutsOf(printed, manifest({ manifest_status: 'DISPATCHED', dispatched_at: '2026-12-02T01:00:00.000Z' }), 'dinas')).toMatchObject({ kind: 'IN_TRANSIT', siteId: 'kec-35.09.19', since: '2026-12-02T01:00:00.000Z' });
    const received = { manifest_status: 'RECEIVED' as const, dispatched_at: '2026-12-02T01:00:00.000Z', received_at: '2026-12-03T01:00:00.000Z' };
    expect(whereaboutsOf(printed, manifest({ ...received, item_state: 'RECEIVED' }), 'dinas')).toMatchObject({ kind: 'AT_SITE', siteId: 'kec-35.09.19', since: '2026-12-03T01:00:00.000Z' });
    expect(whereaboutsOf(printed, manifest({ ...received, item_state: 'MISSING' }), 'dinas')).toMatchObject({ kind: 'MISSING', siteId: 'kec-35.09.19' });
    // Found later at the point: there from when it was found.
    expect(whereaboutsOf(printed, manifest({ ...received, item_state: 'RECEIVED', item_checked_at: '2026-12-05T01:00:00.000Z' }), 'dinas')).toMatchObject({ kind: 'AT_SITE', since: '2026-12-05T01:00:00.000Z' });
  });

  it('declared lost in transit, is being reprinted until its reprint comes out, then lies where it was reprinted', () => {
    const lost = manifest({ manifest_status: 'RECEIVED', item_state: 'LOST' });
    expect(whereaboutsOf(printed, lost, 'dinas', { state: 'queued', site_id: 'dinas', printed_at: null })).toMatchObject({ kind: 'REPRINTING', siteId: 'dinas', manifestNumber: lost.number });
    expect(whereaboutsOf(printed, lost, 'dinas', undefined)).toMatchObject({ kind: 'REPRINTING' });
    expect(whereaboutsOf(printed, lost, 'dinas', { state: 'printed', site_id: 'dinas', printed_at: '2026-12-06T01:00:00.000Z' })).toEqual({ kind: 'AT_SITE', siteId: 'dinas', since: '2026-12-06T01:00:00.000Z', manifestNumber: null });
    expect(codeAt('CARD_SHIPPED', whereaboutsOf(printed, lost, 'dinas', { state: 'queued', site_id: 'dinas', printed_at: null }), 'dinas')).toBe('CARD_BEING_REPRINTED');
    expect(codeAt('CARD_SHIPPED', whereaboutsOf(printed, lost, 'dinas', { state: 'printed', site_id: 'dinas', printed_at: '2026-12-06T01:00:00.000Z' }), 'dinas')).toBe('ALLOWED');
  });
});

describe('whether a card may be handed over at a counter', () => {
  const atDinas = whereaboutsOf(printed, undefined, 'dinas');
  it('only where it lies, printed and not yet issued', () => {
    expect(codeAt('CARD_PRINTED', atDinas, 'dinas')).toBe('ALLOWED');
    expect(codeAt('CARD_PRINTED', atDinas, 'kec-35.09.19')).toBe('CARD_AT_OTHER_SITE');
    expect(codeAt('CARD_ISSUED', atDinas, 'dinas')).toBe('CARD_ALREADY_ISSUED');
    for (const status of ['PRINT_READY_RECORD', 'SENT_FOR_CARD_PRINTING', 'BIO_CAPTURED']) expect(codeAt(status, undefined, 'dinas')).toBe('CARD_NOT_PRINTED');
  });

  it('never while it is packed, under way or missing', () => {
    expect(codeAt('CARD_PRINTED', whereaboutsOf(printed, manifest({}), 'dinas'), 'dinas')).toBe('CARD_PACKED');
    expect(codeAt('CARD_SHIPPED', whereaboutsOf(printed, manifest({ manifest_status: 'DISPATCHED' }), 'dinas'), 'kec-35.09.19')).toBe('CARD_NOT_RECEIVED');
    expect(codeAt('CARD_SHIPPED', whereaboutsOf(printed, manifest({ manifest_status: 'RECEIVED', item_state: 'MISSING' }), 'dinas'), 'kec-35.09.19')).toBe('CARD_MISSING');
    expect(codeAt('CARD_SHIPPED', whereaboutsOf(printed, manifest({ manifest_status: 'RECEIVED', item_state: 'RECEIVED' }), 'dinas'), 'kec-35.09.19')).toBe('ALLOWED');
  });

  it('says where the card is, in both languages', () => {
    const refusal = handoverRefusal('CARD_PRINTED', atDinas, 'kec-35.09.19', names)!;
    expect(refusal.messages.id).toContain('Kantor Dinas');
    expect(refusal.messages.en).toContain('Kantor Dinas');
    expect(refusal.kind).toBe('conflict');
  });
});
