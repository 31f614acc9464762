import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser.ts';
import { TestStack, login } from '../test/helpers.ts';

// A real centre and office (with the built web UI) on loopback, driven through Debian's Chromium.
let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  stack = await TestStack.create();
  await stack.startCentral();
  await stack.startOffice();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

async function signIn(page: Page, path: string, username: string, password: string): Promise<void> {
  await page.goto(`${stack.officeUrl}${path}`);
  await page.getByLabel('Nama pengguna').fill(username);
  await page.getByLabel('Kata sandi').fill(password);
  await page.getByRole('button', { name: 'Masuk' }).click();
}

/** The balance the stock table shows for a site, as a number ("1.000" in Indonesian). */
async function balanceOf(page: Page, siteId: string): Promise<number> {
  const text = await page.locator(`[data-testid="stock-balance"] tr[data-site="${siteId}"] [data-testid="site-balance"]`).innerText();
  return Number(text.replace(/\D/g, ''));
}

describe('the blank-stock screen', () => {
  it('records a receipt and a spoilage and shows the balance change, with the server’s refusal in Indonesian', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, '/petugas/masuk?next=/petugas/stok', 'supervisor', 'supervisor-jember');
    await page.getByRole('heading', { name: 'Stok blangko KTP-el' }).waitFor();
    await page.locator('[data-testid="stock-balance"] tr[data-site="dinas"]').waitFor();
    expect(await balanceOf(page, 'dinas')).toBe(0);

    // A receipt of the centre's allocation: 500 blanks, serials 7000–7499, tranche 2026-T4.
    await page.getByRole('button', { name: 'Penerimaan', exact: true }).click();
    const receipt = page.getByRole('form', { name: 'Penerimaan' });
    await receipt.getByLabel('Lokasi', { exact: true }).selectOption('dinas');
    await receipt.getByLabel('Tahap (tranche) alokasi').fill('2026-T4');
    await receipt.getByLabel('Nomor seri awal').fill('7000');
    await receipt.getByLabel('Nomor seri akhir').fill('7499');
    await receipt.getByText('Dihitung dari rentang: 500 blangko').waitFor();
    await receipt.getByRole('button', { name: 'Catat' }).click();
    await page.getByRole('status').filter({ hasText: 'Tercatat. Stok blangko:' }).waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="stock-balance"] tr[data-site="dinas"] [data-testid="site-balance"]')?.textContent?.replace(/\D/g, '') === '500');
    const ledger = page.locator('[data-testid="stock-ledger"] tbody tr');
    expect(await ledger.filter({ hasText: 'Penerimaan' }).filter({ hasText: 'tahap 2026-T4' }).filter({ hasText: 'seri 7000–7499' }).count()).toBe(1);

    // The same range again: the server refuses it, and the screen says why in Indonesian.
    await receipt.getByLabel('Tahap (tranche) alokasi').fill('2026-T4');
    await receipt.getByLabel('Nomor seri awal').fill('7400');
    await receipt.getByLabel('Nomor seri akhir').fill('7599');
    await receipt.getByRole('button', { name: 'Catat' }).click();
    await receipt.getByRole('alert').filter({ hasText: 'Rentang nomor seri sudah pernah diterima.' }).waitFor();
    expect(await balanceOf(page, 'dinas')).toBe(500);

    // A spoiled blank with its reason: the balance goes down by one.
    await page.getByRole('button', { name: 'Kerusakan', exact: true }).click();
    const spoilage = page.getByRole('form', { name: 'Kerusakan' });
    await spoilage.getByLabel('Nomor seri blangko yang rusak').fill('7003');
    await spoilage.getByLabel('Sebab').selectOption('overheating');
    await spoilage.getByRole('button', { name: 'Catat' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="stock-balance"] tr[data-site="dinas"] [data-testid="site-balance"]')?.textContent?.replace(/\D/g, '') === '499');
    expect(await ledger.filter({ hasText: 'Rusak' }).filter({ hasText: 'seri 7003' }).filter({ hasText: 'Printer terlalu panas' }).count()).toBe(1);

    // More blanks moved than the site holds: BLANK_STOCK_INSUFFICIENT, in Indonesian, nothing changes.
    await page.getByRole('button', { name: 'Pemindahan', exact: true }).click();
    const transfer = page.getByRole('form', { name: 'Pemindahan' });
    await transfer.getByLabel('Dari lokasi').selectOption('dinas');
    await transfer.getByLabel('Ke lokasi').selectOption('kec-35.09.19');
    await transfer.getByLabel('Jumlah blangko').fill('600');
    await transfer.getByRole('button', { name: 'Catat' }).click();
    await transfer.getByRole('alert').filter({ hasText: 'Stok blangko di lokasi dinas tidak cukup.' }).waitFor();
    expect(await balanceOf(page, 'dinas')).toBe(499);

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'e-KTP blank-card stock' }).waitFor();
    expect(await ledger.filter({ hasText: 'Spoiled' }).filter({ hasText: 'Printer overheating' }).count()).toBe(1);
  });
});

describe('the public stock page', () => {
  it('shows the day’s stock per site on a phone, with no login', async () => {
    const supervisor = await login(stack.officeUrl, 'supervisor', 'supervisor-jember');
    const received = await supervisor.post('/api/stok-blangko/penerimaan', { siteId: 'kec-35.09.19', tranche: '2026-T5', quantity: 120, serialFrom: 90_000, serialTo: 90_119 });
    expect(received.status).toBe(201);

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${stack.officeUrl}/stok`);
    await page.getByRole('heading', { name: 'Stok blangko KTP-el hari ini' }).waitFor();
    const kaliwates = page.locator('[data-testid="public-site"][data-site="kec-35.09.19"]');
    await kaliwates.waitFor();
    const numberIn = async (text: Promise<string>) => Number((await text).replace(/\D/g, ''));
    expect(await numberIn(kaliwates.locator('.public-stock__n').innerText())).toBe(120);
    const sites = page.locator('[data-testid="public-site"]');
    expect(await sites.count()).toBeGreaterThan(10);
    // The total is the sum of the sites (whatever the other test left at the Dinas), and an empty site says so.
    const figures = await sites.locator('.public-stock__n').allInnerTexts();
    const sum = figures.reduce((total, text) => total + (Number(text.replace(/\D/g, '')) || 0), 0);
    expect(await numberIn(page.getByTestId('public-total').innerText())).toBe(sum);
    expect(figures.filter((text) => text === 'habis').length).toBeGreaterThan(0);
    // Nothing wider than the phone's screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await context.close();
  });
});
