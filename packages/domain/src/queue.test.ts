import { describe, expect, it } from 'vitest';
import {
  BOOKING_CODE_ALPHABET,
  DEFAULT_QUEUE_SETTINGS,
  bookingCodeFrom,
  bookingRefusal,
  bookingWindows,
  callOrder,
  callText,
  chooseNext,
  formatTicketNumber,
  kioskRefusal,
  normalizeBookingCode,
  peopleAhead,
  queuePercentile,
  waitRange,
  windowCapacity,
  type WaitingTicket,
} from './queue.ts';

const t = (id: string, lane: WaitingTicket['lane'], queuedAt: string, windowStart: string | null = null, serial = 1): WaitingTicket => ({ id, service: 'perekaman', lane, serial, queuedAt: `2026-12-01T${queuedAt}:00.000Z`, windowStart });

describe('call-next order', () => {
  const tickets = [t('w1', 'walkin', '01:00'), t('w2', 'walkin', '01:05'), t('b-late', 'booking', '01:20', '09:00'), t('b-early', 'booking', '01:02', '10:00'), t('p1', 'priority', '01:30')];

  it('calls the priority lane first, then bookings whose window has begun, then walk-ins and early bookings by time', () => {
    expect(callOrder(tickets, '09:30').map((x) => x.id)).toEqual(['p1', 'b-late', 'w1', 'b-early', 'w2']);
  });

  it('puts a booking whose window has not begun among the walk-ins by the time it checked in', () => {
    expect(callOrder(tickets, '08:30').map((x) => x.id)).toEqual(['p1', 'w1', 'b-early', 'w2', 'b-late']);
  });

  it('orders bookings due by their window, earliest first', () => {
    expect(callOrder([t('b10', 'booking', '01:00', '10:00'), t('b9', 'booking', '02:00', '09:00')], '10:30').map((x) => x.id)).toEqual(['b9', 'b10']);
  });

  it('gives every Nth call to the oldest walk-in, so a stream of priority tickets cannot starve it', () => {
    const stream = [t('p1', 'priority', '01:30'), t('p2', 'priority', '01:31'), t('w-old', 'walkin', '00:10')];
    expect(chooseNext(stream, '09:00', 1, 4)).toMatchObject({ ticket: { id: 'p1' }, reason: 'priority' });
    expect(chooseNext(stream, '09:00', 4, 4)).toMatchObject({ ticket: { id: 'w-old' }, reason: 'starvation' });
    expect(chooseNext(stream, '09:00', 8, 0)).toMatchObject({ ticket: { id: 'p1' } });
  });

  it('names the reason of an ordinary call, and calls nobody when nobody waits', () => {
    expect(chooseNext([t('w1', 'walkin', '01:00')], '09:00', 4, 4)).toEqual({ ticket: expect.objectContaining({ id: 'w1' }), reason: 'walkin' });
    expect(chooseNext([], '09:00', 1, 4)).toBeUndefined();
  });

  it('keeps a transferred ticket in its place by its original time, and breaks ties by serial', () => {
    const same = [t('later', 'walkin', '01:00', null, 7), t('earlier', 'walkin', '01:00', null, 3)];
    expect(callOrder(same, '09:00').map((x) => x.id)).toEqual(['earlier', 'later']);
  });

  it('counts the people ahead per service', () => {
    const mixed = [t('a1', 'walkin', '01:00'), t('a2', 'walkin', '01:01'), { ...t('k1', 'walkin', '00:00'), service: 'kk' as const }];
    const ahead = peopleAhead(mixed, '09:00');
    expect([ahead.get('a1'), ahead.get('a2'), ahead.get('k1')]).toEqual([0, 1, 0]);
  });
});

describe('waits as ranges', () => {
  it('spreads the people ahead over the open counters at the p25 and p75 of recent service times', () => {
    const seconds = [300, 360, 420, 480, 540, 600, 660, 720];
    const range = waitRange({ ahead: 6, counters: 2, recentServiceSeconds: seconds, defaultMinutes: { low: 5, high: 12 } })!;
    expect(range.basis).toBe('history');
    // p25 = 405 s (6.75 min), p75 = 615 s (10.25 min): 6 × 6.75 / 2 = 20.25 → 20; 7 × 10.25 / 2 = 35.9 → 36.
    expect([range.lowMinutes, range.highMinutes]).toEqual([20, 36]);
  });

  it('falls back to the default with too little history, and gives no estimate with no counter open', () => {
    expect(waitRange({ ahead: 2, counters: 1, recentServiceSeconds: [60], defaultMinutes: { low: 5, high: 12 } })).toEqual({ lowMinutes: 10, highMinutes: 36, basis: 'default' });
    expect(waitRange({ ahead: 2, counters: 0, recentServiceSeconds: [], defaultMinutes: { low: 5, high: 12 } })).toBeUndefined();
  });

  it('interpolates percentiles', () => {
    expect(queuePercentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(queuePercentile([10], 0.9)).toBe(10);
  });
});

describe('quotas, windows and refusals', () => {
  it('cuts the day into windows and spreads the online quota over them', () => {
    const windows = bookingWindows({ opensAt: '08:00', closesAt: '15:00', windowMinutes: 60 });
    expect(windows).toHaveLength(7);
    expect(windows[0]).toEqual({ start: '08:00', end: '09:00' });
    expect(windows.at(-1)).toEqual({ start: '14:00', end: '15:00' });
    expect(windowCapacity(100, 7)).toBe(15);
  });

  const normal = { state: 'normal' as const, whatToDo: { id: 'Datang.', en: 'Come.' } };
  const kiosk = (over: Partial<Parameters<typeof kioskRefusal>[0]>) => kioskRefusal({ service: 'cetak', state: normal, workingDay: true, nowClock: '09:00', settings: DEFAULT_QUEUE_SETTINGS, walkInsIssued: 0, ...over });

  it('issues a ticket the office can serve, and refuses one it cannot, saying why and what to do', () => {
    expect(kiosk({})).toBeUndefined();
    expect(kiosk({ state: { state: 'gangguan', whatToDo: { id: 'Tanyakan Suket.', en: 'Ask for a Suket.' } } })).toMatchObject({ code: 'QUEUE_SERVICE_DOWN', whatToDo: { id: 'Tanyakan Suket.' } });
    expect(kiosk({ state: { state: 'pemeliharaan', whatToDo: normal.whatToDo } })?.code).toBe('QUEUE_SERVICE_MAINTENANCE');
    expect(kiosk({ state: undefined })?.code).toBe('QUEUE_SERVICE_NOT_OFFERED');
    expect(kiosk({ nowClock: '07:30' })?.code).toBe('QUEUE_NOT_OPEN_YET');
    expect(kiosk({ nowClock: '15:00' })?.code).toBe('QUEUE_CLOSED_FOR_TODAY');
    expect(kiosk({ walkInsIssued: DEFAULT_QUEUE_SETTINGS.quotas.cetak.walkIn })?.code).toBe('QUEUE_WALK_IN_QUOTA_USED');
    expect(kiosk({ workingDay: false })?.code).toBe('QUEUE_CLOSED_TODAY');
  });

  it('takes a degraded service (terganggu) with the ticket: it works, slower', () => {
    expect(kiosk({ state: { state: 'terganggu', whatToDo: normal.whatToDo } })).toBeUndefined();
  });

  const booking = (over: Partial<Parameters<typeof bookingRefusal>[0]>) =>
    bookingRefusal({ service: 'perekaman', offered: true, day: '2026-12-02', today: '2026-12-01', nowClock: '10:00', window: { start: '09:00', end: '10:00' }, workingDay: true, underMaintenance: false, daysAhead: 1, settings: DEFAULT_QUEUE_SETTINGS, ...over });

  it('refuses bookings on closed days, under planned maintenance, in the past or too far ahead', () => {
    expect(booking({})).toBeUndefined();
    expect(booking({ workingDay: false })?.code).toBe('BOOKING_OFFICE_CLOSED');
    expect(booking({ underMaintenance: true })?.code).toBe('BOOKING_UNDER_MAINTENANCE');
    expect(booking({ day: '2026-12-01' })?.code).toBe('BOOKING_IN_THE_PAST');
    expect(booking({ daysAhead: 30 })?.code).toBe('BOOKING_TOO_FAR_AHEAD');
    expect(booking({ window: undefined })?.code).toBe('BOOKING_NO_SUCH_WINDOW');
    expect(booking({ offered: false })?.code).toBe('BOOKING_SERVICE_NOT_OFFERED');
  });
});

describe('numbers, codes and the call text', () => {
  it('numbers tickets by service letter', () => {
    expect(formatTicketNumber('perekaman', 12)).toBe('A-012');
    expect(formatTicketNumber('konsultasi', 1234)).toBe('H-1234');
    expect(callText('A-012', 3).id).toBe('Nomor antrean A-012, silakan ke loket 3');
  });

  it('makes booking codes from an unambiguous alphabet and reads them back however they are typed', () => {
    const code = bookingCodeFrom(new Uint8Array(16).map((_, i) => i * 37));
    expect(code).toHaveLength(8);
    expect([...code].every((c) => BOOKING_CODE_ALPHABET.includes(c))).toBe(true);
    expect(BOOKING_CODE_ALPHABET).not.toMatch(/[01OIL]/);
    expect(normalizeBookingCode(` ${code.slice(0, 4).toLowerCase()}-${code.slice(4)} `)).toBe(code);
    expect(normalizeBookingCode('ABCD-EFGH')).toBeUndefined();
    expect(normalizeBookingCode('BCD')).toBeUndefined();
  });
});
