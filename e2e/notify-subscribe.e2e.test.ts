import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './browser.ts';
import { TestStack, login, waitFor, type HttpClient } from '../test/helpers.ts';

// The office process (API, worker with its notifier, built web UI) on loopback with no mail server or
// gateway configured: every message goes to the development sink, which the head reads. A resident on a
// phone-sized Chromium subscribes, confirms with the code, and later unsubscribes from a message's link.
let stack: TestStack;
let browser: Browser;
let phone: BrowserContext;
let head: HttpClient;

interface SinkItem {
  to: string;
  body: string;
}

beforeAll(async () => {
  stack = await TestStack.create();
  await stack.startOffice();
  head = await login(stack.officeUrl, 'kepala', 'kepala-jember');
  browser = await launchChromium();
  phone = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'id-ID' });
});

afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

const fitsThePhone = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
const sinkTo = async (to: string, pattern: RegExp) =>
  waitFor(
    async () => {
      const answer = await head.get<{ items: SinkItem[] }>('/api/notifikasi/sink?limit=200');
      return answer.body.items.find((m) => m.to === to && pattern.test(m.body));
    },
    { timeoutMs: 30_000 },
  );

describe('/langganan on a phone', () => {
  it('subscribes by SMS with the code that was sent, and unsubscribes from the link in a later message', async () => {
    const page = await phone.newPage();
    await page.goto(`${stack.officeUrl}/langganan`);
    await page.getByRole('heading', { name: 'Kabar layanan lewat SMS, WhatsApp atau e-mail' }).waitFor();
    await page.getByLabel('Nomor HP').fill('0812 3456 7009');
    await page.getByLabel('Lokasi layanan').selectOption({ index: 1 });
    await page.getByRole('checkbox', { name: 'Cetak KTP-el' }).check();
    expect(await page.getByRole('checkbox', { name: 'Semua layanan' }).isChecked()).toBe(false);
    expect(await fitsThePhone(page)).toBe(true);
    await page.getByRole('button', { name: 'Kirim kode konfirmasi' }).click();
    await page.getByRole('heading', { name: 'Masukkan kode konfirmasi' }).waitFor();

    const codeMessage = await sinkTo('6281234567009', /Kode konfirmasi/);
    const code = /: (\d{6})/.exec(codeMessage.body)![1]!;
    await page.getByLabel('Kode 6 angka').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Konfirmasi' }).click();
    await page.getByRole('alert').getByText(/Kode salah atau sudah tidak berlaku/).waitFor();
    await page.getByLabel('Kode 6 angka').fill(code);
    await page.getByRole('button', { name: 'Konfirmasi' }).click();
    expect(await page.getByTestId('subscribe-done').textContent()).toBe('Langganan aktif untuk 1 pilihan.');
    expect(await fitsThePhone(page)).toBe(true);

    // The head's announcement reaches the subscriber with an unsubscribe link; opening it changes nothing until the button.
    const announced = await head.request('PUT', '/api/status/announcement', { siteId: null, text: { id: 'Layanan Sabtu buka pukul 08.00.', en: 'Saturday service opens at 08:00.' }, expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(announced.status).toBe(200);
    const announcement = await sinkTo('6281234567009', /Layanan Sabtu buka/);
    const link = /(http:\/\/\S+\/l\/\S+)/.exec(announcement.body)![1]!;
    const unsubscribe = await phone.newPage();
    await unsubscribe.goto(link);
    await unsubscribe.getByRole('heading', { name: 'Berhenti berlangganan' }).waitFor();
    await unsubscribe.getByRole('button', { name: 'Berhenti berlangganan' }).click();
    expect(await unsubscribe.getByTestId('notify-done').textContent()).toBe('Anda tidak akan menerima kabar layanan lagi di alamat ini.');
  });

  it('shows the head every message with its attempts and the sink’s texts at /pimpinan/pesan', async () => {
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'id-ID' });
    const page = await desk.newPage();
    await page.goto(`${stack.officeUrl}/pimpinan/masuk`);
    await page.getByLabel('Nama pengguna').fill('kepala');
    await page.getByLabel('Kata sandi').fill('kepala-jember');
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.getByRole('link', { name: 'Pesan' }).click();
    await page.getByRole('heading', { name: 'Pesan kepada warga' }).waitFor();
    const log = page.getByTestId('delivery-log');
    await log.getByText('announcement').first().waitFor();
    expect(await log.textContent()).toContain('62812****7009');
    expect(await log.textContent()).not.toContain('6281234567009');
    await page.getByTestId('sink-list').getByText(/Layanan Sabtu buka pukul 08\.00\./).first().waitFor();
    await desk.close();
  });
});
