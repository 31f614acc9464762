/**
 * The queue on a real office (SQLite and PostgreSQL), through its services and its HTTP API on loopback:
 * many counters calling at once never share a ticket; quotas (walk-in, online per window, per NIK, per
 * phone) hold under concurrent requests; holidays, weekends and planned maintenance refuse bookings; the
 * day rolls over; an outage flags the affected tickets and bookings and their holders are told once
 * through the real notifications outbox and its development sink, with a one-tap move that works; the
 * near-turn message; the spoken call is a WAV that is not silent; the ticket PDF; the board's event stream.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { DEFAULT_QUEUE_SETTINGS, type QueueSettings, type ServiceId } from '@tangguh/domain';
import { queueBookingViewSchema, queueOfferSchema, queueTicketIssuedSchema } from '@tangguh/protocol';
import { DIALECTS, setupOrFail } from '../../../../test/pg.ts';
import { startTestOffice, type TestOfficeApi } from '../api/test-office.ts';
import { listSink } from '../repositories/notifications.ts';
import { setHoliday } from '../repositories/print-plan.ts';
import { officeSessionStore, type OfficeUser } from '../repositories/users.ts';
import { createNotifier, type Notifier } from '../notify/worker.ts';
import { makeBooking, cancelBooking, moveBooking } from './booking.ts';
import { callNext, checkIn, closeCounter, finishTicket, issueTicket, markNoShow, openCounter, recall, transferTicket } from './queue.ts';
import { askNearTurn } from './queue-public.ts';
import { queueHousekeeping, queueStats, statsCsv } from './queue-day.ts';
import { saveQueueSettings } from './queue-settings.ts';
import { readWav } from './queue-voice.ts';
import { recordSyncFailure } from './sync-monitor.ts';
import { runStatusChecks } from './status-probes.ts';
import { scheduleMaintenance } from './status-admin.ts';

/** 08:30 in Jember (UTC+7) on a Tuesday. */
const at = (day: string, clock: string) => new Date(`${day}T${clock}:00+07:00`);
const NIK = (n: number) => `3509${String(n).padStart(12, '0')}`;

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  return 'no refusal';
}

describe.each(DIALECTS)('the queue on %s', (dialect) => {
  let office: TestOfficeApi;
  let notifier: Notifier;
  let operator: OfficeUser;
  let supervisor: OfficeUser;
  let clock = at('2026-12-01', '08:30');
  const settings: QueueSettings = { ...DEFAULT_QUEUE_SETTINGS, quotas: { ...DEFAULT_QUEUE_SETTINGS.quotas, konsultasi: { online: 7, walkIn: 3 }, akta: { online: 7, walkIn: 10 } }, perPhonePerDay: 2 };

  setupOrFail(async () => {
    office = await startTestOffice(dialect);
    office.ctx.now = () => clock;
    const users = officeSessionStore(office.ctx.db);
    operator = (await users.findLogin('operator'))!.user;
    supervisor = (await users.findLogin('supervisor'))!.user;
    await saveQueueSettings(office.ctx.db, settings);
    notifier = await createNotifier(office.ctx);
  });
  afterAll(async () => {
    await notifier?.stop();
    await office?.close();
  });

  const ticket = (service: ServiceId, priority: 'lansia' | null = null) => issueTicket(office.ctx, { siteId: 'dinas', service, priority, lang: 'id' });
  const sink = async () => listSink(office.ctx.db, 1000);

  it('lets many counters call at the same moment without ever giving one ticket to two of them', async () => {
    const counters = await Promise.all(Array.from({ length: 12 }, (_, i) => openCounter(office.ctx, { siteId: 'dinas', number: i + 1, services: ['perekaman', 'kk'] }, operator)));
    const issued = [];
    for (let i = 0; i < 60; i++) issued.push(await ticket(i % 3 === 0 ? 'kk' : 'perekaman', i % 10 === 0 ? 'lansia' : null));
    expect(new Set(issued.map((t) => t.ticket.number)).size).toBe(60);
    const called: string[] = [];
    await Promise.all(
      counters.map(async (counter) => {
        for (;;) {
          const result = await callNext(office.ctx, counter.id, operator);
          if (!result.ticket) return;
          called.push(result.ticket.id);
          await finishTicket(office.ctx, counter.id, operator);
        }
      }),
    );
    expect(called).toHaveLength(60);
    expect(new Set(called).size).toBe(60);
    expect(called.sort()).toEqual(issued.map((t) => t.ticket.id).sort());
    for (const counter of counters) await closeCounter(office.ctx, counter.id, operator);
  });

  it('stops walk-in tickets at the quota even when kiosks ask at once, and says what to do instead', async () => {
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => ticket('konsultasi')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as { code: string; messages: { id: string; en: string } });
    expect(new Set(refused.map((r) => r.code))).toEqual(new Set(['QUEUE_WALK_IN_QUOTA_USED']));
    expect(refused[0]!.messages.id).toMatch(/habis\. Pesan antrean untuk hari kerja berikutnya/);
  });

  it('transfers a ticket to another service in its place by original time, recalls, and marks a no-show', async () => {
    const desk = await openCounter(office.ctx, { siteId: 'dinas', number: 30, services: ['perekaman'] }, operator);
    const suketDesk = await openCounter(office.ctx, { siteId: 'dinas', number: 31, services: ['suket'] }, operator);
    const first = await ticket('perekaman');
    clock = new Date(clock.getTime() + 60_000);
    const laterSuket = await ticket('suket');
    expect((await callNext(office.ctx, desk.id, operator)).ticket!.id).toBe(first.ticket.id);
    expect(await refusal(callNext(office.ctx, desk.id, operator))).toBe('QUEUE_COUNTER_BUSY');
    const again = await recall(office.ctx, desk.id, operator);
    expect(again.call).toMatchObject({ recall: true, counterNumber: 30 });
    expect(again.ticket!.callCount).toBe(2);
    await transferTicket(office.ctx, desk.id, 'suket', operator);
    // Issued before the Suket walk-in, it is called first there.
    const atSuket = await callNext(office.ctx, suketDesk.id, operator);
    expect(atSuket.ticket).toMatchObject({ id: first.ticket.id, service: 'suket', transferredFrom: 'perekaman' });
    await finishTicket(office.ctx, suketDesk.id, operator);
    expect((await callNext(office.ctx, suketDesk.id, operator)).ticket!.id).toBe(laterSuket.ticket.id);
    const gone = await markNoShow(office.ctx, suketDesk.id, operator);
    expect(gone.current).toBeNull();
    const seen = await fetch(`${office.url}/api/antrean/ikuti/${laterSuket.ticket.id}?k=${laterSuket.followKey}`);
    expect(((await seen.json()) as { status: string }).status).toBe('noshow');
    for (const c of [desk, suketDesk]) await closeCounter(office.ctx, c.id, operator);
  });

  it('holds the online quota per window under concurrent bookings, one booking per NIK per service per day, and a cap per phone', async () => {
    const day = '2026-12-02';
    // Seven windows and seven online places: one place per window.
    const racing = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => makeBooking(office.ctx, { siteId: 'dinas', service: 'akta', day, windowStart: '10:00', nik: NIK(i + 1), lang: 'id' })));
    expect(racing.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(new Set(racing.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as { code: string }).code))).toEqual(new Set(['BOOKING_FULL']));
    const winner = (racing.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<Awaited<ReturnType<typeof makeBooking>>>).value;
    const nik = NIK(racing.findIndex((r) => r.status === 'fulfilled') + 1);
    expect(await refusal(makeBooking(office.ctx, { siteId: 'dinas', service: 'akta', day, windowStart: '11:00', nik, lang: 'id' }))).toBe('BOOKING_ALREADY_HELD');
    // A wrong NIK and a wrong code answer alike; the right pair cancels and gives the place back.
    expect(await refusal(cancelBooking(office.ctx, { code: winner.code, nik: NIK(99) }))).toBe('BOOKING_NOT_FOUND');
    expect(await refusal(cancelBooking(office.ctx, { code: 'BCDF-GHJK', nik }))).toBe('BOOKING_NOT_FOUND');
    expect((await cancelBooking(office.ctx, { code: winner.code, nik })).status).toBe('cancelled');
    const again = await makeBooking(office.ctx, { siteId: 'dinas', service: 'akta', day, windowStart: '10:00', nik: NIK(50), contact: { channel: 'sms', address: '0812 7000 0001' }, lang: 'id' });
    expect(again.window).toEqual({ start: '10:00', end: '11:00' });
    await makeBooking(office.ctx, { siteId: 'dinas', service: 'akta', day, windowStart: '12:00', nik: NIK(51), contact: { channel: 'sms', address: '+62 812-7000-0001' }, lang: 'id' });
    expect(await refusal(makeBooking(office.ctx, { siteId: 'dinas', service: 'akta', day, windowStart: '13:00', nik: NIK(52), contact: { channel: 'sms', address: '081270000001' }, lang: 'id' }))).toBe('BOOKING_CONTACT_CAP');
    const moved = await moveBooking(office.ctx, { code: again.codeDisplay, nik: NIK(50), day, windowStart: '14:00' });
    expect(moved.window.start).toBe('14:00');
  });

  it('refuses bookings on holidays, weekends and in a window under planned maintenance, and says so in the slots', async () => {
    await setHoliday(office.ctx.db, { date: '2026-12-03', kind: 'cuti_bersama', name: { id: 'Cuti bersama', en: 'Collective leave' } }, 'admin', clock.toISOString());
    await scheduleMaintenance(office.ctx, { service: 'akta', siteId: 'dinas', startsAt: at('2026-12-04', '09:00').toISOString(), endsAt: at('2026-12-04', '11:00').toISOString(), note: { id: 'Pembaruan server akta.', en: 'Certificate server upgrade.' } }, 'kepala');
    const book = (day: string, windowStart: string, n: number) => makeBooking(office.ctx, { siteId: 'dinas', service: 'akta', day, windowStart, nik: NIK(n), lang: 'id' });
    expect(await refusal(book('2026-12-03', '09:00', 60))).toBe('BOOKING_OFFICE_CLOSED');
    expect(await refusal(book('2026-12-05', '09:00', 61))).toBe('BOOKING_OFFICE_CLOSED');
    expect(await refusal(book('2026-12-04', '10:00', 62))).toBe('BOOKING_UNDER_MAINTENANCE');
    expect((await book('2026-12-04', '11:00', 63)).window.start).toBe('11:00');
    const response = await fetch(`${office.url}/api/reservasi/slot?siteId=dinas&service=akta&from=2026-12-03&days=2`);
    const slots = (await response.json()) as { days: { day: string; open: boolean; windows: { start: string; open: boolean; reason: { id: string } | null }[] }[] };
    expect(slots.days[0]).toMatchObject({ day: '2026-12-03', open: false });
    const dec4 = slots.days[1]!.windows;
    expect(dec4.filter((w) => !w.open).map((w) => w.start)).toEqual(['09:00', '10:00', '11:00']);
    expect(dec4.find((w) => w.start === '09:00')!.reason!.id).toMatch(/pemeliharaan/);
  });

  it('books over HTTP with a QR, checks the booking in at the kiosk, and prints the ticket for 58 and 80 mm', async () => {
    const response = await fetch(`${office.url}/api/reservasi`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ siteId: 'dinas', service: 'perekaman', day: '2026-12-01', windowStart: '09:00', nik: NIK(70), lang: 'id' }) });
    expect(response.status).toBe(201);
    const booking = queueBookingViewSchema.parse(await response.json());
    expect(booking.qrPng).toMatch(/^data:image\/png;base64,/);
    const kiosk = await fetch(`${office.url}/api/antrean/check-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ siteId: 'dinas', code: booking.codeDisplay.toLowerCase() }) });
    expect(kiosk.status).toBe(201);
    const issued = queueTicketIssuedSchema.parse(await kiosk.json());
    expect(issued.ticket).toMatchObject({ lane: 'booking', window: { start: '09:00', end: '10:00' } });
    expect(await refusal(checkIn(office.ctx, { siteId: 'dinas', code: booking.code, lang: 'id' }))).toBe('BOOKING_ALREADY_CHECKED_IN');
    for (const width of [58, 80]) {
      const pdf = await fetch(`${office.url}${issued.pdfPath}&lebar=${width}`);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      const doc = await PDFDocument.load(new Uint8Array(await pdf.arrayBuffer()));
      expect(doc.getPage(0).getWidth()).toBeCloseTo((width * 72) / 25.4, 1);
    }
    const wrongKey = await fetch(`${office.url}/api/antrean/ikuti/${issued.ticket.id}?k=${'x'.repeat(24)}`);
    expect(wrongKey.status).toBe(404);
  });

  it('flags the tickets and bookings an outage hits and tells their holders once, with a new slot taken in one tap', async () => {
    clock = at('2026-12-01', '08:40');
    const booked = await makeBooking(office.ctx, { siteId: 'dinas', service: 'kk', day: '2026-12-01', windowStart: '13:00', nik: NIK(80), contact: { channel: 'sms', address: '0812 8000 0002' }, lang: 'id' });
    const waiting = [await ticket('kk'), await ticket('kk'), await ticket('kk')];
    const follower = waiting[2]!;
    const near = await askNearTurn(office.ctx, follower.ticket.id, { k: follower.followKey, position: 1, contact: { channel: 'email', address: 'penunggu@example.org' }, lang: 'id' });
    expect(near.nearTurn).toMatchObject({ position: 1, sent: false });
    expect(near.ahead).toBe(2);

    for (let i = 0; i < 3; i += 1) {
      await recordSyncFailure(office.ctx.db, clock, 'connect ECONNREFUSED', new Date(clock.getTime() + 1000));
      await runStatusChecks(office.ctx, { hysteresis: { failAfter: 3, recoverAfter: 2 } });
      clock = new Date(clock.getTime() + 5_000);
    }
    await notifier.tick();
    await notifier.tick();
    const messages = await sink();
    const toBooker = messages.filter((m) => m.address === '6281280000002');
    expect(toBooker).toHaveLength(1);
    expect(toBooker[0]!.body).toContain(`Pemesanan ${booked.codeDisplay} 13:00–14:00.`);
    const link = /\/warga\/pindah\/([A-Za-z0-9_-]+)/.exec(toBooker[0]!.body)![1]!;
    const toFollower = messages.filter((m) => m.address === 'penunggu@example.org');
    expect(toFollower).toHaveLength(1);
    expect(toFollower[0]!.body).toContain(`Nomor antrean ${follower.ticket.number}.`);

    const followed = await fetch(`${office.url}/api/antrean/ikuti/${follower.ticket.id}?k=${follower.followKey}`);
    expect(((await followed.json()) as { flag: { state: string } | null }).flag?.state).toBe('terganggu');

    const offer = queueOfferSchema.parse(await (await fetch(`${office.url}/api/reservasi/tawaran/${link}`)).json());
    expect(offer).toMatchObject({ available: true, current: { day: '2026-12-01' } });
    expect(offer.offered.day > '2026-12-01').toBe(true);
    const take = await fetch(`${office.url}/api/reservasi/tawaran/${link}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(take.status).toBe(200);
    expect(queueBookingViewSchema.parse(await take.json())).toMatchObject({ day: offer.offered.day, window: offer.offered.window, flag: null });
    const forged = `${link.slice(0, -2)}${link.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await fetch(`${office.url}/api/reservasi/tawaran/${forged}`)).status).toBe(404);

    // The notifier runs again: nobody is told of the outage twice. The booking now falls tomorrow, so its
    // holder gets the reminder the day before, once.
    await notifier.tick();
    await notifier.tick();
    const later = (await sink()).filter((m) => m.address === '6281280000002' || m.address === 'penunggu@example.org');
    expect(later).toHaveLength(3);
    const reminder = later.filter((m) => m.subject.startsWith('Pengingat'));
    expect(reminder).toHaveLength(1);
    expect(reminder[0]!.body).toContain(`kode ${booked.codeDisplay}`);
  });

  it('sends the near-turn message when the people ahead fall to the number chosen, and speaks the call', async () => {
    const counter = await openCounter(office.ctx, { siteId: 'dinas', number: 20, services: ['kk'] }, operator);
    const result = await callNext(office.ctx, counter.id, operator);
    expect(result.call!.text.id).toBe(`Nomor antrean ${result.ticket!.number}, silakan ke loket 20`);
    await notifier.tick();
    const near = (await sink()).filter((m) => m.address === 'penunggu@example.org' && m.subject.includes('segera'));
    expect(near).toHaveLength(1);
    expect(near[0]!.body).toMatch(/1 orang lagi di depan Anda/);

    expect(result.call!.audioUrl).toBe(`/api/antrean/suara/${result.call!.callId}.wav`);
    const audio = await fetch(`${office.url}${result.call!.audioUrl}`);
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    const wav = readWav(Buffer.from(await audio.arrayBuffer()));
    expect(wav.seconds).toBeGreaterThan(1);
    expect(wav.rms).toBeGreaterThan(0.02);
    await finishTicket(office.ctx, counter.id, operator);
  });

  it('streams the board: the whole board on connect and each call with its text and audio', async () => {
    const counter = await openCounter(office.ctx, { siteId: 'dinas', number: 21, services: ['kk'] }, supervisor);
    const abort = new AbortController();
    const response = await fetch(`${office.url}/api/antrean/papan/stream?siteId=dinas`, { headers: { accept: 'text/event-stream' }, signal: abort.signal });
    const reader = response.body!.getReader();
    let text = '';
    const until = async (pattern: RegExp) => {
      while (!pattern.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    };
    await until(/event: board\ndata: .*\n\n/);
    expect(text).toMatch(/"siteId":"dinas"/);
    const result = await callNext(office.ctx, counter.id, supervisor);
    await until(/event: call\ndata: .*\n\n/);
    const call = JSON.parse(/event: call\ndata: (.*)\n\n/.exec(text)![1]!) as { ticketNumber: string; text: { id: string }; audioUrl: string };
    expect(call.ticketNumber).toBe(result.ticket!.number);
    expect(call.text.id).toBe(`Nomor antrean ${result.ticket!.number}, silakan ke loket 21`);
    abort.abort();
    await finishTicket(office.ctx, counter.id, supervisor);
  });

  it('closes the day: unserved tickets closed with a reason, numbers restart the next day, statistics as JSON and CSV', async () => {
    const before = await ticket('perekaman');
    clock = at('2026-12-02', '08:05');
    const pass = await queueHousekeeping(office.ctx);
    expect(pass.closedDays).toContain('2026-12-01');
    const followed = await fetch(`${office.url}/api/antrean/ikuti/${before.ticket.id}?k=${before.followKey}`);
    const view = (await followed.json()) as { status: string; closeReason: { id: string } };
    expect(view.status).toBe('closed');
    expect(view.closeReason.id).toMatch(/ditutup sebelum nomor ini dipanggil/);
    expect((await ticket('perekaman')).ticket.number).toBe('A-001');
    // A booking of yesterday never checked in has expired.
    const stats = await queueStats(office.ctx, { from: '2026-12-01', to: '2026-12-01', siteId: 'dinas' });
    const rekam = stats.rows.find((r) => r.service === 'perekaman')!;
    expect(rekam.served).toBeGreaterThanOrEqual(40);
    expect(rekam.closedUnserved).toBeGreaterThanOrEqual(1);
    expect(rekam.serviceMedianMinutes).not.toBeNull();
    const csv = statsCsv(stats).split('\r\n');
    expect(csv[0]).toBe('day,siteId,service,issued,served,noShow,closedUnserved,priority,fromBookings,bookings,bookingsCheckedIn,waitMedianMinutes,waitP90Minutes,serviceMedianMinutes');
    expect(csv.some((line) => line.startsWith('2026-12-01,dinas,perekaman,'))).toBe(true);
  });
});
