import { describe, expect, it } from 'vitest';
import { formatDuration, pickupEstimate } from './pickup-estimate.ts';
import type { TteState } from './tte-status.ts';

const WIB = 'Asia/Jakarta';
const waiting = { status: 'AWAITING_SIGNATURE' as const, supersededBy: null };
const up: TteState = { available: true, since: '2026-11-20T00:00:00Z', reason: null, checkedAt: '2026-11-24T01:00:00Z' };

describe('pickup estimate', () => {
  it('promises today only on a working day before the signing cut-off in the office zone, else the next working day', () => {
    // Tuesday 24 Nov 2026 09:00 WIB, 14:59 WIB, 15:00 WIB; Saturday 28 Nov 10:00 WIB.
    expect(pickupEstimate(waiting, up, new Date('2026-11-24T02:00:00Z'), WIB).day).toBe('TODAY');
    expect(pickupEstimate(waiting, up, new Date('2026-11-24T07:59:00Z'), WIB).day).toBe('TODAY');
    expect(pickupEstimate(waiting, up, new Date('2026-11-24T08:00:00Z'), WIB).day).toBe('NEXT_WORKING_DAY');
    expect(pickupEstimate(waiting, up, new Date('2026-11-28T03:00:00Z'), WIB).day).toBe('NEXT_WORKING_DAY');
    expect(pickupEstimate(waiting, up, new Date('2026-11-24T02:00:00Z'), WIB).messages.id).toContain('hari ini, setelah ditandatangani kepala dinas');
  });

  it('reads the signing window on the office’s own clock: 14:30 WIB is 16:30 WIT, past Jayapura’s cut-off', () => {
    const tuesday = new Date('2026-11-24T07:30:00Z');
    expect(pickupEstimate(waiting, up, tuesday, 'Asia/Jakarta').day).toBe('TODAY');
    expect(pickupEstimate(waiting, up, tuesday, 'Asia/Makassar').day).toBe('NEXT_WORKING_DAY');
    expect(pickupEstimate(waiting, up, tuesday, 'Asia/Jayapura').day).toBe('NEXT_WORKING_DAY');
    // Sunday 23:30 WIB is already Monday 01:30 WIT: a working day in Jayapura, not yet in Jakarta.
    const sundayNight = new Date('2026-11-22T16:30:00Z');
    expect(pickupEstimate(waiting, up, sundayNight, 'Asia/Jakarta').day).toBe('NEXT_WORKING_DAY');
    expect(pickupEstimate(waiting, up, sundayNight, 'Asia/Jayapura').day).toBe('TODAY');
    const down: TteState = { available: false, since: '2026-11-22T03:30:00Z', reason: 'TTE_DOWN', checkedAt: '2026-11-24T02:00:00Z' };
    expect(pickupEstimate(waiting, down, tuesday, 'Asia/Jayapura').messages.id).toContain('sejak 22 Nov 2026 12.30 WIT');
  });

  it('during an outage gives no date: since when, for how long, and that the citizen will be told', () => {
    const down: TteState = { available: false, since: '2026-11-22T03:30:00Z', reason: 'TTE_DOWN', checkedAt: '2026-11-24T02:00:00Z' };
    const estimate = pickupEstimate(waiting, down, new Date('2026-11-24T05:45:00Z'), WIB);
    expect(estimate.kind).toBe('AFTER_TTE_RECOVERY');
    expect(estimate.day).toBeUndefined();
    expect(estimate.tte.outageMinutes).toBe(2 * 1440 + 2 * 60 + 15);
    expect(estimate.messages.id).toBe(
      'Layanan TTE pusat gangguan sejak 22 Nov 2026 10.30 WIB (sudah 2 hari 2 jam). Dokumen siap diambil setelah layanan TTE pulih dan kepala dinas menandatanganinya; Anda akan diberi tahu. Belum ada tanggal pasti.',
    );
    expect(estimate.messages.en).toContain('down since 22 Nov 2026 10:30 WIB (2 days 2 hours so far)');
    const unreachable = pickupEstimate(waiting, { ...down, reason: 'CENTRE_UNREACHABLE' }, new Date('2026-11-24T05:45:00Z'), WIB);
    expect(unreachable.messages.id).toContain('Kantor tidak dapat menghubungi pusat sejak 22 Nov 2026 10.30 WIB');
  });

  it('says plainly when the state is unknown, ready, or replaced', () => {
    const unknown: TteState = { available: null, since: null, reason: null, checkedAt: null };
    expect(pickupEstimate(waiting, unknown, new Date(), WIB).kind).toBe('TTE_UNKNOWN');
    expect(pickupEstimate({ status: 'SIGNED', supersededBy: null }, unknown, new Date(), WIB).kind).toBe('READY');
    expect(pickupEstimate({ status: 'WET_SIGNED', supersededBy: null }, unknown, new Date(), WIB).messages.id).toContain('basah');
    expect(pickupEstimate({ status: 'SUPERSEDED', supersededBy: '3509-DOK-20261124-000009' }, up, new Date(), WIB).messages.id).toContain('3509-DOK-20261124-000009');
  });

  it('formats durations for people', () => {
    expect(formatDuration(0)).toEqual({ id: 'kurang dari 1 menit', en: 'less than a minute' });
    expect(formatDuration(61)).toEqual({ id: '1 jam 1 menit', en: '1 hour 1 minute' });
    expect(formatDuration(3 * 1440 + 5)).toEqual({ id: '3 hari 5 menit', en: '3 days 5 minutes' });
  });
});
