import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, signIn } from './browser.ts';
import { TestStack } from '../test/helpers.ts';

// A real centre and office (with the built web UI) on loopback; the public /status page open in Debian's
// Chromium at a phone's size changes by itself, without a reload, when the centre stops and comes back and
// when the head publishes an announcement.
let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  stack = await TestStack.create({ officeArgs: ['--backoff-cap-ms', '500', '--idle-ms', '200', '--status-interval-ms', '300', '--status-fail-after', '3', '--status-recover-after', '2'] });
  await stack.startCentral();
  await stack.startOffice();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

describe('the public status page in the browser', () => {
  it('shows each service at the chosen site and changes live when the centre stops, an announcement is made, and the centre returns', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'id-ID' });
    const page = await context.newPage();
    await page.goto(`${stack.officeUrl}/status`);
    await page.getByRole('heading', { name: 'Status layanan' }).waitFor();
    const service = (name: string) => page.locator(`[data-testid="status-service"][data-service="${name}"]`);
    await service('cetak').and(page.locator('[data-state="normal"]')).waitFor();
    await page.getByTestId('status-live').filter({ hasText: 'Langsung' }).waitFor();
    expect(await page.getByTestId('status-updated').textContent()).toMatch(/diperbarui \d{2}[.:]\d{2}/);
    expect(await page.locator('.status-history__bars').count()).toBe(8);
    // Marks this document: a reload would lose it, so the changes below must arrive live.
    await page.evaluate(() => ((window as unknown as { liveMark: number }).liveMark = 1));

    await stack.stopCentral('SIGTERM');
    await service('cetak').and(page.locator('[data-state="terganggu"]')).waitFor({ timeout: 30_000 });
    expect(await service('cetak').textContent()).toContain('Terganggu');
    expect(await service('perekaman').getAttribute('data-state')).toBe('normal');
    expect(await service('perekaman').textContent()).toContain('perekaman tetap berjalan');
    expect(await service('tte_dokumen').getAttribute('data-state')).toBe('gangguan');
    await page.getByTestId('status-incident').filter({ hasText: 'Gangguan: Sinkronisasi dengan pusat data' }).waitFor();

    // The head, on the officers' page, sees the failed check and publishes an announcement from the form.
    const head = await (await browser.newContext()).newPage();
    await signIn(head, `${stack.officeUrl}/pimpinan/masuk?next=/pimpinan/status`, 'kepala', 'kepala-jember');
    await head.getByRole('heading', { name: 'Status layanan — petugas' }).waitFor();
    await head.locator('[data-testid="status-capability"][data-capability="central_sync"][data-state="down"]').waitFor();
    await head.getByLabel('Isi (Bahasa Indonesia)').fill('Pencetakan KTP-el ditunda sampai jaringan pusat pulih.');
    await head.getByLabel('Berakhir', { exact: true }).fill('2099-01-01T10:00');
    await head.getByRole('button', { name: 'Terbitkan' }).click();
    await head.getByText('Tersimpan.').waitFor();
    await page.getByTestId('status-announcement').filter({ hasText: 'Pencetakan KTP-el ditunda' }).waitFor({ timeout: 5_000 });

    // The head's other forms: an update to the open incident (the form empties once sent), a state set by hand
    // with its reason and then ended, and maintenance scheduled and then cancelled.
    const incident = head.locator('article.status-incident--open').first();
    await incident.getByLabel('Kabar (Bahasa Indonesia)').fill('Tim jaringan sedang memeriksa sambungan ke pusat.');
    await incident.getByRole('button', { name: 'Tambah kabar' }).click();
    await incident.locator('.status-timeline li').filter({ hasText: 'Tim jaringan sedang memeriksa' }).waitFor();
    expect(await incident.getByLabel('Kabar (Bahasa Indonesia)').inputValue()).toBe('');
    const overrides = head.locator('section[aria-labelledby="status-overrides"]');
    await overrides.getByLabel('Alasan (Bahasa Indonesia)').fill('Printer Dinas sedang diperbaiki.');
    await overrides.getByRole('button', { name: 'Tetapkan' }).click();
    await overrides.locator('li').filter({ hasText: 'Printer Dinas sedang diperbaiki.' }).waitFor();
    await overrides.getByRole('button', { name: 'Akhiri' }).click();
    await overrides.getByText('Tidak ada.').waitFor();
    const maintenance = head.locator('section[aria-labelledby="status-maint"]');
    await maintenance.getByLabel('Mulai').fill('2099-02-01T08:00');
    await maintenance.getByLabel('Selesai').fill('2099-02-01T12:00');
    await maintenance.getByLabel('Alasan (Bahasa Indonesia)').fill('Pemeliharaan server.');
    await maintenance.getByRole('button', { name: 'Jadwalkan' }).click();
    await maintenance.locator('li').filter({ hasText: 'Pemeliharaan server.' }).waitFor();
    await maintenance.getByRole('button', { name: 'Batalkan' }).click();
    await maintenance.getByText('Tidak ada.').waitFor();

    await stack.startCentral();
    await service('cetak').and(page.locator('[data-state="normal"]')).waitFor({ timeout: 60_000 });
    await page.getByTestId('status-incident').filter({ hasText: 'Selesai' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { liveMark?: number }).liveMark)).toBe(1);

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Service status' }).waitFor();
    await context.close();
  });
});
