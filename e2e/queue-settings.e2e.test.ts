import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { SERVICE_NAMES } from '@tangguh/domain';
import { queueFollowSchema, queueSettingsSchema, queueSlotsSchema } from '@tangguh/protocol';
import { launchChromium, signIn as signInAt } from './browser.ts';
import { freePort, provisionStack } from '../apps/cli/src/stack.ts';
import { buildOfficeApp } from '../apps/office/src/app.ts';
import { openOffice } from '../apps/office/src/runtime.ts';

// The queue's settings and end of day in Debian's Chromium against a real office (SQLite, its HTTP API
// and the built web UI on loopback). The office's clock is set to a working Tuesday morning in Jember and
// runs on from there, so the kiosk issues tickets whatever day the test runs. A supervisor lowers the
// KTP-el recording quotas on the settings page: the server's field message shows next to a quota that is
// too large, the save lists what changed, and the kiosk, the booking page and the API follow at once.
// Then the supervisor ends the day and sees what it closed.
const OFFICE_START = new Date('2026-12-01T09:00:00+07:00').getTime();

let browser: Browser;
let app: FastifyInstance;
let closeOffice: () => Promise<void>;
let dir: string;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tangguh-queue-settings-e2e-'));
  const paths = await provisionStack(dir);
  const office = await openOffice(paths.officeDb);
  const startedAt = Date.now();
  office.ctx.now = () => new Date(OFFICE_START + (Date.now() - startedAt));
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

/** The head-of-office login page, leading on to `next`. */
const signIn = (page: Page, next: string, username: string, password: string) => signInAt(page, `${url}/pimpinan/masuk?next=${encodeURIComponent(next)}`, username, password);

const quota = (page: Page, service: string, lane: 'online' | 'walkIn') => page.locator(`#qset-quotas-${service}-${lane}`);
const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('queue settings and end of day in the browser', () => {
  it('a supervisor changes the KTP-el quotas: a bad value is refused in place, the save lists what changed, and the kiosk, booking and API follow', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'id-ID' });
    const page = await context.newPage();
    await signIn(page, '/pimpinan/antrean', 'supervisor', 'supervisor-jember');
    // Reached from the queue statistics page (and from the head's navigation).
    await page.getByRole('heading', { name: 'Statistik antrean' }).waitFor();
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Pengaturan antrean' }).count()).toBe(1);
    await page.getByRole('main').getByRole('link', { name: 'Pengaturan antrean' }).click();
    await page.getByRole('heading', { name: 'Pengaturan antrean dan tutup hari' }).waitFor();
    await quota(page, 'perekaman', 'walkIn').waitFor();
    // Every field of the settings is on the page, with the values the office has.
    const api = queueSettingsSchema.parse(await (await context.request.get(`${url}/api/antrean/pengaturan`)).json());
    expect(await quota(page, 'perekaman', 'walkIn').inputValue()).toBe(String(api.quotas.perekaman.walkIn));
    for (const id of ['opensAt', 'closesAt', 'windowMinutes', 'perPhonePerDay', 'bookingDaysAhead', 'checkInEarlyMinutes', 'checkInLateMinutes', 'starvationEvery', 'defaultServiceMinutes-low', 'defaultServiceMinutes-high']) {
      expect(await page.locator(`#qset-${id}`).count(), id).toBe(1);
    }
    expect(await page.locator('table.qset-quotas tbody tr').count()).toBe(Object.keys(api.quotas).length);
    expect(await page.getByTestId('qset-windows').textContent()).toContain('7 jendela reservasi: 08:00–09:00');

    // Too many walk-ins: the server refuses, and says so next to that very box; nothing is saved.
    await quota(page, 'perekaman', 'walkIn').fill('6000');
    await page.getByRole('button', { name: 'Simpan pengaturan' }).click();
    const fieldError = page.locator('#qset-quotas-perekaman-walkIn-error');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toBe(`Langsung (kios) — ${SERVICE_NAMES.perekaman.id} maksimal 5000.`);
    expect(await quota(page, 'perekaman', 'walkIn').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('alert').textContent()).toContain('Pengaturan tidak disimpan');
    expect(queueSettingsSchema.parse(await (await context.request.get(`${url}/api/antrean/pengaturan`)).json()).quotas.perekaman.walkIn).toBe(api.quotas.perekaman.walkIn);

    // One walk-in and seven bookings a day (one per window): saved, and the page says what changed.
    await quota(page, 'perekaman', 'walkIn').fill('1');
    await quota(page, 'perekaman', 'online').fill('7');
    await page.getByRole('button', { name: 'Simpan pengaturan' }).click();
    const saved = page.getByTestId('qset-saved');
    await saved.waitFor();
    const changes = await saved.locator('li').allTextContents();
    expect(changes).toEqual(expect.arrayContaining([`Langsung (kios) — ${SERVICE_NAMES.perekaman.id}: ${api.quotas.perekaman.walkIn} → 1`, `Daring (reservasi) — ${SERVICE_NAMES.perekaman.id}: ${api.quotas.perekaman.online} → 7`]));
    expect(changes).toHaveLength(2);
    expect(await fieldError.count()).toBe(0);
    const after = queueSettingsSchema.parse(await (await context.request.get(`${url}/api/antrean/pengaturan`)).json());
    expect(after.quotas.perekaman).toEqual({ online: 7, walkIn: 1 });
    expect(after.quotas.cetak).toEqual(api.quotas.cetak);

    // Another supervisor saves meanwhile (another browser, or the API): this page's next save does not undo it.
    const other = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-jember' }) });
    const cookie = other.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const put = await fetch(`${url}/api/antrean/pengaturan`, { method: 'PUT', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ ...after, perPhonePerDay: after.perPhonePerDay + 3 }) });
    expect(put.status).toBe(200);
    await page.locator('#qset-starvationEvery').fill('6');
    await page.getByRole('button', { name: 'Simpan pengaturan' }).click();
    const conflict = page.getByTestId('qset-conflict');
    await conflict.waitFor();
    expect(await conflict.locator('li').allTextContents()).toEqual([`Reservasi per nomor telepon per hari: ${after.perPhonePerDay} → ${after.perPhonePerDay + 3}`]);
    expect(await page.locator('#qset-perPhonePerDay').inputValue()).toBe(String(after.perPhonePerDay + 3));
    expect(await page.locator('#qset-starvationEvery').inputValue()).toBe('6');
    expect(queueSettingsSchema.parse(await (await context.request.get(`${url}/api/antrean/pengaturan`)).json()).starvationEvery).toBe(after.starvationEvery);
    await page.getByRole('button', { name: 'Simpan pengaturan' }).click();
    await page.getByTestId('qset-saved').filter({ hasText: 'Setiap panggilan ke-N' }).waitFor();
    expect(await page.getByTestId('qset-saved').locator('li').allTextContents()).toEqual([`Setiap panggilan ke-N mengambil nomor langsung yang paling lama menunggu: ${after.starvationEvery} → 6`]);
    expect(await conflict.count()).toBe(0);
    const both = queueSettingsSchema.parse(await (await context.request.get(`${url}/api/antrean/pengaturan`)).json());
    expect([both.perPhonePerDay, both.starvationEvery, both.quotas.perekaman.walkIn]).toEqual([after.perPhonePerDay + 3, 6, 1]);

    // The booking API and the booking page: seven a day over seven windows is one per window.
    const slots = queueSlotsSchema.parse(await (await context.request.get(`${url}/api/reservasi/slot?siteId=dinas&service=perekaman&from=2026-12-02&days=1`)).json());
    expect(slots.onlineQuota).toBe(7);
    expect(slots.days[0]!.windows.map((w) => w.capacity)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'id-ID' });
    const booking = await phone.newPage();
    await booking.goto(`${url}/warga/antrean`);
    await booking.locator('[data-testid="booking-services"] [data-service="perekaman"]').tap();
    const slot = booking.locator('[data-testid="booking-windows"] button:not([disabled])').first();
    await slot.waitFor();
    expect(await slot.textContent()).toMatch(/sisa 1 dari 1/);

    // The kiosk: one walk-in ticket, then the quota is used up and the kiosk says why and what to do.
    const kioskContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true, locale: 'id-ID' });
    const kiosk = await kioskContext.newPage();
    await kiosk.goto(`${url}/kiosk?lokasi=dinas`);
    await kiosk.locator('[data-testid="kiosk-services"] [data-service="perekaman"]').tap();
    await kiosk.getByRole('button', { name: 'Tidak — antrean biasa' }).tap();
    const number = (await kiosk.getByTestId('kiosk-number').textContent())!.trim();
    expect(number).toMatch(/^[A-Z]-\d{3}$/);
    await kiosk.goto(`${url}/kiosk?lokasi=dinas`);
    await kiosk.locator('[data-testid="kiosk-services"] [data-service="perekaman"]').tap();
    await kiosk.getByRole('button', { name: 'Tidak — antrean biasa' }).tap();
    const refused = kiosk.getByTestId('kiosk-refused');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('Kuota antrean langsung Perekaman KTP-el hari ini sudah habis');
    await kioskContext.close();
    await phone.close();

    // In English too, and the page fits a phone.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Queue settings and end of day' }).waitFor();
    expect(await page.getByTestId('qset-saved').locator('li').allTextContents()).toEqual([`Every Nth call takes the longest-waiting walk-in: ${after.starvationEvery} → 6`]);
    expect(await page.locator('#qset-quotas-perekaman-walkIn').getAttribute('aria-label')).toBe(`Walk-in (kiosk) — ${SERVICE_NAMES.perekaman.en}`);
    await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('heading', { name: 'Pengaturan antrean dan tutup hari' }).waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await context.close();
  });

  it('a supervisor ends the day after a confirmation that says what it does, and sees what it closed', async () => {
    const kioskContext = await browser.newContext({ locale: 'id-ID' });
    const kiosk = await kioskContext.newPage();
    await kiosk.goto(`${url}/kiosk?lokasi=dinas`);
    await kiosk.locator('[data-testid="kiosk-services"] [data-service="cetak"]').click();
    const issuedResponse = kiosk.waitForResponse((r) => r.url().endsWith('/api/antrean/tiket') && r.request().method() === 'POST');
    await kiosk.getByRole('button', { name: 'Tidak — antrean biasa' }).click();
    const issued = (await (await issuedResponse).json()) as { followPath: string };
    await kiosk.getByTestId('kiosk-number').waitFor();

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'id-ID' });
    const page = await context.newPage();
    await signIn(page, '/pimpinan/antrean/pengaturan', 'supervisor', 'supervisor-jember');
    await page.getByRole('heading', { name: 'Tutup hari', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Tutup hari…' }).tap();
    const confirm = page.getByTestId('qset-eod-confirm');
    await confirm.waitFor();
    const said = (await confirm.textContent())!;
    expect(said).toContain('Tutup hari untuk hari ini?');
    expect(said).toContain('Semua nomor yang masih menunggu pada hari ini ditutup dengan alasan');
    expect(said).toContain('Nomor yang sedang dilayani di loket dibiarkan sampai selesai');
    expect(said).toContain('Reservasi hari itu yang belum check-in menjadi kedaluwarsa');
    expect(said).toContain('Tidak dapat dibatalkan');
    // Cancel does nothing: the ticket still waits.
    await confirm.getByRole('button', { name: 'Batal' }).tap();
    expect(await confirm.count()).toBe(0);
    const follow = `${url}/api/antrean/ikuti/${issued.followPath.split('/antrean/')[1]}`;
    expect(queueFollowSchema.parse(await (await kioskContext.request.get(follow)).json()).status).toBe('waiting');

    await page.getByRole('button', { name: 'Tutup hari…' }).tap();
    await page.getByRole('button', { name: 'Ya, tutup hari' }).tap();
    const result = page.getByTestId('qset-eod-result');
    await result.waitFor();
    // The first test's walk-in and this one: both were waiting.
    expect(await result.getByRole('status').textContent()).toBe('Hari 1 Desember 2026 ditutup: 2 nomor ditutup tanpa dilayani, 0 reservasi kedaluwarsa.');
    const row = result.locator('tr[data-service="cetak"]');
    expect(await row.locator('td[data-label="Nomor"]').textContent()).toBe('1');
    expect(await row.locator('td[data-label="Ditutup"]').textContent()).toBe('1');
    expect(await result.locator('tr[data-service="perekaman"] td[data-label="Ditutup"]').textContent()).toBe('1');
    expect(queueFollowSchema.parse(await (await kioskContext.request.get(follow)).json()).status).toBe('closed');
    expect(await fitsWidth(page)).toBe(true);
    await context.close();
    await kioskContext.close();
  });

  it('shows the head of office why the settings are not for them', async () => {
    const context = await browser.newContext({ locale: 'id-ID' });
    const page = await context.newPage();
    await signIn(page, '/pimpinan/antrean/pengaturan', 'kepala', 'kepala-jember');
    await page.getByText('Hanya supervisor dan admin yang dapat melihat dan mengubah pengaturan antrean.').waitFor();
    expect(await page.locator('#qset-opensAt').count()).toBe(0);
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Pengaturan antrean' }).count()).toBe(0);
    await page.goto(`${url}/pimpinan/antrean`);
    await page.getByRole('heading', { name: 'Statistik antrean' }).waitFor();
    expect(await page.getByRole('link', { name: 'Pengaturan antrean' }).count()).toBe(0);
    await context.close();
  });
});
