import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser.ts';
import { freePort, provisionStack } from '../apps/cli/src/stack.ts';
import { buildOfficeApp } from '../apps/office/src/app.ts';
import { openOffice } from '../apps/office/src/runtime.ts';
import { scheduleMaintenance } from '../apps/office/src/services/status-admin.ts';
import { makeBooking, offerToken } from '../apps/office/src/services/booking.ts';
import { callNext, issueTicket, openCounter } from '../apps/office/src/services/queue.ts';
import { officeSessionStore } from '../apps/office/src/repositories/users.ts';
import type { OfficeContext } from '../apps/office/src/context.ts';

// The queue's screens in Debian's Chromium against a real office (SQLite, its HTTP API and the built web
// UI on loopback). The office's clock is set to a working Tuesday morning in Jember and runs on from there,
// so the kiosk issues tickets whatever day the test runs: a walk-in takes a ticket at the kiosk, the
// operator calls it from the counter console with the keyboard shortcut, and the TV board — a second page,
// sound enabled by a tap — shows the call within seconds and asks for the spoken call (the WAV from
// espeak-ng, or the browser's speech when the office has no voice). Then a resident books at phone width.
const OFFICE_START = new Date('2026-12-01T09:00:00+07:00').getTime();

let browser: Browser;
let app: FastifyInstance;
let closeOffice: () => Promise<void>;
let dir: string;
let url: string;
let ctx: OfficeContext;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tangguh-queue-e2e-'));
  const paths = await provisionStack(dir);
  const office = await openOffice(paths.officeDb);
  const startedAt = Date.now();
  office.ctx.now = () => new Date(OFFICE_START + (Date.now() - startedAt));
  ctx = office.ctx;
  // Consultations are under planned maintenance all morning: the kiosk must refuse them and say what to do.
  await scheduleMaintenance(ctx, { service: 'konsultasi', siteId: 'dinas', startsAt: new Date(OFFICE_START - 60_000).toISOString(), endsAt: new Date(OFFICE_START + 3 * 3_600_000).toISOString(), note: { id: 'Pembaruan sistem konsultasi.', en: 'Consultation system upgrade.' } }, 'kepala');
  closeOffice = () => office.handle.close();
  app = await buildOfficeApp(office.ctx, { serveWeb: true });
  const port = await freePort();
  await app.listen({ port, host: '127.0.0.1' });
  url = `http://127.0.0.1:${port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await closeOffice?.();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function signIn(page: Page, next: string) {
  await page.goto(`${url}/petugas/masuk?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Nama pengguna').fill('operator');
  await page.getByLabel('Kata sandi').fill('operator-jember');
  await page.getByRole('button', { name: 'Masuk' }).click();
}

describe('the queue in the browser', () => {
  it('kiosk ticket → counter call → the board shows it live and asks for the spoken call', async () => {
    // The TV board, at a TV's size; sound is off until someone taps.
    const tv = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'id-ID' });
    const board = await tv.newPage();
    const wavRequests: string[] = [];
    board.on('request', (request) => {
      if (/\/api\/antrean\/suara\/[0-9a-f-]+\.wav$/.test(new URL(request.url()).pathname)) wavRequests.push(request.url());
    });
    await board.goto(`${url}/layar?lokasi=dinas`);
    await board.getByTestId('board-mode').filter({ hasText: 'Langsung' }).waitFor();
    await board.locator('[data-testid="board-waiting"] [data-service="perekaman"]').waitFor();
    const tap = board.getByTestId('board-enable-sound');
    expect(await tap.textContent()).toContain('Ketuk untuk menyalakan suara');
    expect(await tap.textContent()).toContain('Tap to enable sound');
    await tap.click();
    await tap.waitFor({ state: 'detached' });
    expect(await board.evaluate(() => window.tangguhBoard?.soundEnabled)).toBe(true);
    await board.evaluate(() => ((window as unknown as { liveMark: number }).liveMark = 1));

    // The operator opens counter 3 for KTP-el recording.
    const desk = await (await browser.newContext({ locale: 'id-ID' })).newPage();
    await signIn(desk, '/petugas/loket');
    const open = desk.getByTestId('counter-open');
    await open.waitFor();
    await open.getByLabel('Nomor loket').fill('3');
    await open.getByLabel('Perekaman KTP-el').check();
    await open.getByRole('button', { name: 'Buka loket' }).click();
    await desk.getByTestId('counter-console').getByRole('heading', { name: 'Loket 3' }).waitFor();
    await board.locator('[data-testid="board-counters"] [data-counter="3"]').waitFor({ timeout: 5_000 });

    // A walk-in at the kiosk (a touch screen): the service, then the lane.
    const kioskContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true, locale: 'id-ID' });
    const kiosk = await kioskContext.newPage();
    const ticketPosts: string[] = [];
    kiosk.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/antrean/tiket')) ticketPosts.push(request.url());
    });
    await kiosk.goto(`${url}/kiosk?lokasi=dinas`);
    // A service under maintenance says so and what to do instead, and issues nothing.
    const consultation = kiosk.locator('[data-testid="kiosk-services"] [data-service="konsultasi"]');
    expect(await consultation.getAttribute('data-state')).toBe('pemeliharaan');
    await consultation.tap();
    const refusal = kiosk.getByTestId('kiosk-unavailable');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Yang dapat dilakukan');
    await refusal.getByRole('button', { name: 'Kembali' }).tap();
    expect(ticketPosts).toEqual([]);

    await kiosk.locator('[data-testid="kiosk-services"] [data-service="perekaman"]').tap();
    const issuedResponse = kiosk.waitForResponse((r) => r.url().endsWith('/api/antrean/tiket') && r.request().method() === 'POST');
    await kiosk.getByRole('button', { name: 'Tidak — antrean biasa' }).tap();
    const issued = (await (await issuedResponse).json()) as { followPath: string };
    expect(ticketPosts).toHaveLength(1);
    const number = (await kiosk.getByTestId('kiosk-number').textContent())!.trim();
    expect(number).toMatch(/^[A-Z]-\d{3}$/);
    expect(await kiosk.getByTestId('kiosk-ticket').textContent()).toContain('0 orang di depan Anda');
    const pdfHref = (await kiosk.getByTestId('kiosk-pdf').getAttribute('href'))!;
    const pdf = await kioskContext.request.get(`${url}${pdfHref}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await board.locator('[data-testid="board-waiting"] [data-service="perekaman"] [data-testid="board-waiting-count"]').filter({ hasText: /^1$/ }).waitFor({ timeout: 5_000 });

    // The holder follows the ticket on a phone from its QR's link.
    const holder = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'id-ID' })).newPage();
    await holder.goto(`${url}${issued.followPath}`);
    expect(await holder.getByTestId('follow-status').textContent()).toBe('Menunggu');
    expect(await holder.getByTestId('follow-ahead').textContent()).toBe('0 orang');

    // The operator calls next with the N key.
    await desk.getByTestId('counter-current').getByText('Belum ada nomor dipanggil.').waitFor();
    const calledAt = Date.now();
    await desk.keyboard.press('n');
    await desk.getByTestId('counter-current').getByText(number, { exact: true }).waitFor();

    // The board shows it, large, within seconds — without a reload — and asks for it to be spoken.
    await board.getByTestId('board-newest-number').filter({ hasText: number }).waitFor({ timeout: 5_000 });
    const shownAfterMs = Date.now() - calledAt;
    expect(shownAfterMs).toBeLessThan(5_000);
    expect(await board.getByTestId('board-newest').textContent()).toContain('Loket 3');
    expect(await board.getByTestId('board-newest').getAttribute('class')).toContain('board__newest--fresh');
    expect(await board.locator('[data-testid="board-counters"] [data-counter="3"]').textContent()).toContain(number);
    expect(await board.evaluate(() => (window as unknown as { liveMark?: number }).liveMark)).toBe(1);
    await board.waitForFunction((n) => window.tangguhBoard?.spoken.some((s) => s.ticketNumber === n), number, { timeout: 5_000 });
    const spoken = await board.evaluate(() => window.tangguhBoard!.spoken);
    const boardJson = (await (await tv.request.get(`${url}/api/antrean/papan?siteId=dinas`)).json()) as { recentCalls: { ticketNumber: string; audioUrl: string | null }[] };
    const call = boardJson.recentCalls.find((c) => c.ticketNumber === number)!;
    if (call.audioUrl !== null) {
      // The office speaks: the board fetched the call's WAV after the tap.
      expect(spoken[0]).toMatchObject({ ticketNumber: number, via: 'wav' });
      await expect.poll(() => wavRequests.length, { timeout: 5_000 }).toBeGreaterThan(0);
      const wav = await tv.request.get(wavRequests[0]!);
      expect(wav.headers()['content-type']).toContain('audio/wav');
      expect((await wav.body()).subarray(0, 4).toString()).toBe('RIFF');
    } else {
      expect(spoken[0]).toMatchObject({ ticketNumber: number, via: 'speech' });
    }

    await holder.getByText('Giliran Anda! Silakan ke loket 3').waitFor({ timeout: 15_000 });

    // Call again is spoken again; done leaves the counter free.
    await desk.keyboard.press('u');
    await board.waitForFunction((n) => (window.tangguhBoard?.spoken.filter((s) => s.ticketNumber === n).length ?? 0) >= 2, number, { timeout: 5_000 });
    await desk.keyboard.press('s');
    await desk.getByTestId('counter-current').getByText('Belum ada nomor dipanggil.').waitFor();
    await kioskContext.close();
    await tv.close();
  });

  it('books a slot at phone width and gets a code with its QR, then finds it again with the code and NIK', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'id-ID' });
    const page = await phone.newPage();
    await page.goto(`${url}/warga`);
    await page.getByRole('link', { name: 'Antrean & reservasi' }).tap();
    await page.getByRole('heading', { name: 'Pesan nomor antrean' }).waitFor();
    await page.locator('[data-testid="booking-services"] [data-service="perekaman"]').tap();
    const slot = page.locator('[data-testid="booking-windows"] button:not([disabled])').first();
    await slot.waitFor();
    const chosenDay = await page.locator('[data-testid="booking-days"] button[aria-pressed="true"]').getAttribute('data-day');
    expect(chosenDay).toBe('2026-12-01');
    expect(await page.locator('[data-testid="booking-days"] button[disabled]').count()).toBeGreaterThan(0); // the weekend
    const start = await slot.getAttribute('data-window');
    expect(await slot.textContent()).toMatch(/sisa \d+ dari \d+/);
    await slot.tap();
    await page.getByLabel('NIK (16 angka)').fill('3509010101900001');
    await page.getByRole('button', { name: 'Pesan', exact: true }).tap();
    const code = (await page.getByTestId('booking-code').textContent())!.trim();
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(await page.getByTestId('booking-when').textContent()).toContain(start!);
    const qr = page.getByRole('img', { name: `QR kode reservasi ${code}` });
    expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(fits).toBe(true);

    await page.getByRole('button', { name: 'Ubah atau batalkan' }).tap();
    await page.getByLabel('Kode reservasi').fill(code);
    await page.getByLabel('NIK (16 angka)').fill('3509010101900001');
    await page.getByRole('button', { name: 'Cari reservasi' }).tap();
    expect(await page.getByTestId('booking-code').textContent()).toBe(code);
    expect(await page.getByTestId('booking-status').textContent()).toBe('Aktif');
    await phone.close();

    // On arrival the booked resident checks in at the kiosk with the code and gets a ticket in the booking lane.
    const kiosk = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'id-ID' })).newPage();
    await kiosk.goto(`${url}/kiosk?lokasi=dinas`);
    await kiosk.getByRole('button', { name: 'Sudah reservasi? Check-in di sini' }).click();
    await kiosk.getByLabel('Kode reservasi').fill(code.toLowerCase());
    await kiosk.getByRole('button', { name: 'Check-in', exact: true }).click();
    expect(await kiosk.getByTestId('kiosk-number').textContent()).toMatch(/^A-\d{3}$/);
    expect(await kiosk.getByTestId('kiosk-ticket').textContent()).toContain('Jalur: Reservasi');
  });

  it('takes the slot an outage message offers with one tap', async () => {
    // The link an outage message carries (its token signs the code and the new slot), as the notifier makes it.
    const booked = await makeBooking(ctx, { siteId: 'dinas', service: 'kk', day: '2026-12-02', windowStart: '09:00', nik: '3509010101900002', lang: 'id' });
    const token = await offerToken(ctx.db, booked.code, '2026-12-03', '11:00');
    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'id-ID' })).newPage();
    await page.goto(`${url}/warga/pindah/${token}`);
    const offer = page.getByTestId('offer');
    await offer.waitFor();
    expect(await offer.textContent()).toContain(booked.codeDisplay);
    expect(await offer.textContent()).toContain('Kamis, 3 Desember 2026, 11:00–12:00');
    await page.getByRole('button', { name: 'Ambil jadwal baru' }).tap();
    await page.getByText('Jadwal baru sudah menjadi milik Anda.').waitFor();
    expect(await page.getByTestId('booking-when').textContent()).toBe('Kamis, 3 Desember 2026, 11:00–12:00');
    expect(await page.getByTestId('booking-code').textContent()).toBe(booked.codeDisplay);
  });

  it('shows the day’s statistics to the head as charts and a CSV download', async () => {
    const page = await (await browser.newContext({ locale: 'id-ID', acceptDownloads: true })).newPage();
    await page.goto(`${url}/pimpinan/masuk?next=/pimpinan/antrean`);
    await page.getByLabel('Nama pengguna').fill('kepala');
    await page.getByLabel('Kata sandi').fill('kepala-jember');
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.getByRole('heading', { name: 'Statistik antrean' }).waitFor();
    const totals = page.getByTestId('queue-chart-totals');
    await totals.waitFor();
    // Two perekaman tickets: the walk-in served at counter 3 and the booked arrival still waiting.
    expect(await totals.locator('figcaption').textContent()).toBe('2 nomor, 1 dilayani, 0 tidak hadir (0%).');
    expect(await totals.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);
    const waits = page.getByTestId('queue-chart-waits');
    expect(await waits.locator('.recharts-line').count()).toBe(3);
    expect(await waits.locator('tbody tr').count()).toBe(1);
    expect(await waits.locator('tbody tr th').textContent()).toMatch(/2026|Des/);
    const download = page.waitForEvent('download');
    await page.getByTestId('queue-stats-csv').click();
    const csv = await (await download).createReadStream().then(async (stream) => {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    });
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toBe('day,siteId,service,issued,served,noShow,closedUnserved,priority,fromBookings,bookings,bookingsCheckedIn,waitMedianMinutes,waitP90Minutes,serviceMedianMinutes');
    expect(lines.find((l) => l.startsWith('2026-12-01,dinas,perekaman,'))).toMatch(/^2026-12-01,dinas,perekaman,2,1,0,0,0,1,1,1,/);
  });

  it('falls back to polling when the event stream is refused, and still shows and speaks new calls', async () => {
    const tv = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'id-ID' });
    const board = await tv.newPage();
    // The office answers as it does when too many screens are connected.
    await board.route('**/api/antrean/papan/stream**', (route) => route.fulfill({ status: 503, contentType: 'application/json', headers: { 'retry-after': '30' }, body: JSON.stringify({ error: { code: 'QUEUE_STREAM_FULL', messages: { id: 'Penuh', en: 'Full' } } }) }));
    await board.goto(`${url}/layar?lokasi=dinas`);
    await board.getByTestId('board-mode').filter({ hasText: 'Diperbarui berkala' }).waitFor();
    await board.getByTestId('board-enable-sound').click();
    const operator = (await officeSessionStore(ctx.db).findLogin('operator'))!.user;
    const counter = await openCounter(ctx, { siteId: 'dinas', number: 7, services: ['pengambilan'] }, operator);
    const issued = await issueTicket(ctx, { siteId: 'dinas', service: 'pengambilan', priority: 'lansia', lang: 'id' });
    const called = await callNext(ctx, counter.id, operator);
    expect(called.ticket?.number).toBe(issued.ticket.number);
    await board.getByTestId('board-newest-number').filter({ hasText: issued.ticket.number }).waitFor({ timeout: 8_000 });
    expect(await board.getByTestId('board-newest').textContent()).toContain('Loket 7');
    await board.waitForFunction((n) => window.tangguhBoard?.spoken.some((s) => s.ticketNumber === n), issued.ticket.number, { timeout: 5_000 });
    // Calls made before this board opened are on it but not spoken again.
    expect(await board.evaluate(() => window.tangguhBoard!.spoken.map((s) => s.ticketNumber))).toEqual([issued.ticket.number]);
    await tv.close();
  });
});
