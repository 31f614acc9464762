import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { pipelineSummarySchema } from '@tangguh/protocol';
import { launchChromium } from './browser.ts';
import { TestStack, login, residentRequests, waitFor } from '../test/helpers.ts';

// A real centre and office (with the built web UI) on loopback, driven through Debian's Chromium.
let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  stack = await TestStack.create({ officeArgs: ['--idle-ms', '200', '--backoff-cap-ms', '1000'] });
  await stack.startCentral();
  await stack.startOffice();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

async function operatorPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${stack.officeUrl}/petugas/masuk`);
  await page.getByLabel('Nama pengguna').fill('operator');
  await page.getByLabel('Kata sandi').fill('operator-jember');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL(/\/petugas\/?$/);
  return page;
}

/** Fills the form from the sample resident, scans the synthetic device, saves; returns the receipt number. */
async function recordSampleResident(page: Page): Promise<string> {
  await page.getByRole('link', { name: 'Rekam penduduk baru' }).click();
  await page.getByRole('button', { name: 'Isi contoh data' }).click();
  await expect.poll(() => page.getByLabel('NIK', { exact: true }).inputValue()).toMatch(/^\d{16}$/);
  await page.getByRole('button', { name: 'Pindai biometrik' }).click();
  await page.getByAltText('Foto').waitFor();
  await page.getByRole('button', { name: 'Simpan rekaman' }).click();
  const regno = page.getByTestId('receipt-regno');
  await regno.waitFor({ timeout: 15_000 });
  await expect.poll(() => page.getByRole('heading', { name: 'Tanda terima perekaman' }).isVisible()).toBe(true);
  return (await regno.textContent())!.trim();
}

async function statusOf(page: Page): Promise<string | null> {
  return page.getByTestId('record-status').getAttribute('data-status');
}

describe('operator in the browser', () => {
  it('logs in, records a resident, and watches the status reach PRINT_READY_RECORD', async () => {
    const page = await operatorPage();
    await expect.poll(() => page.getByTestId('sync-badge').getAttribute('data-state'), { timeout: 15_000 }).toBe('online');
    const regno = await recordSampleResident(page);
    expect(regno).toMatch(/^3509-\d{8}-\d{6}$/);
    await page.getByRole('link', { name: 'Lihat status' }).click();
    await expect.poll(() => statusOf(page), { timeout: 60_000, interval: 500 }).toBe('PRINT_READY_RECORD');
    // The whole timeline is on the page, each step with its time.
    for (const label of ['Biodata terekam', 'Dikirim ke pusat', 'Diterima di pusat', 'Proses penunggalan']) {
      await expect.poll(() => page.getByText(label).count()).toBeGreaterThan(0);
    }
    await page.close();
  });

  it('keeps recording while the centre is down, tells the operator, and catches up when it returns', async () => {
    const page = await operatorPage();
    await stack.stopCentral();
    await expect.poll(() => page.getByTestId('sync-badge').getAttribute('data-state'), { timeout: 20_000 }).toBe('offline');
    await expect.poll(() => page.getByTestId('sync-badge').textContent()).toContain('perekaman tetap berjalan');

    await recordSampleResident(page);
    await page.getByRole('link', { name: 'Lihat status' }).click();
    expect(await statusOf(page)).toBe('BIO_CAPTURED');
    await expect.poll(async () => Number(await page.getByTestId('outbox-count').getAttribute('data-count')), { timeout: 10_000 }).toBeGreaterThan(0);

    await stack.startCentral();
    await expect.poll(() => statusOf(page), { timeout: 60_000, interval: 500 }).toBe('PRINT_READY_RECORD');
    await expect.poll(() => page.getByTestId('sync-badge').getAttribute('data-state'), { timeout: 20_000 }).toBe('online');
    await page.close();
  });

  it('shows a centre adjudicator an undecidable match; "different person" makes the record print-ready at the office', async () => {
    // Two recordings of one person under two NIKs, the second a poor capture: it lands in adjudication.
    const office = await login(stack.officeUrl, 'operator', 'operator-jember');
    const [first, second] = await residentRequests(2, 99);
    await office.post('/api/recordings', first!.request);
    const capture = await office.post<{ photo: unknown; signature: unknown; biometrics: unknown }>('/api/capture/synthetic', { subjectKey: `subject-99-${first!.biodata.nik}`, noise: 0.2 });
    const poor = { ...second!.request, photo: capture.body.photo, signature: capture.body.signature, biometrics: capture.body.biometrics };
    const created = await office.post<{ record: { id: string } }>('/api/recordings', poor);
    expect(created.status).toBe(201);
    await waitFor(async () => (await office.get<{ record: { status: string } }>(`/api/recordings/${created.body.record.id}`)).body.record.status === 'ADJUDICATE_RECORD', { timeoutMs: 60_000 });

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${stack.centralUrl}/pusat/masuk`);
    await page.getByLabel('Nama pengguna').fill('adjudikator');
    await page.getByLabel('Kata sandi').fill('adjudikator-pusat');
    await page.getByRole('button', { name: 'Masuk' }).click();
    const card = page.getByRole('article').filter({ hasText: second!.biodata.nik });
    await card.waitFor({ timeout: 15_000 });
    // The gallery size the centre reports, on the page (it once read a field the centre never sent, and showed "—").
    const centre = await login(stack.centralUrl, 'adjudikator', 'adjudikator-pusat');
    const { gallerySize } = pipelineSummarySchema.parse((await centre.get('/api/pipeline/summary')).body);
    expect(gallerySize).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('gallery-size').textContent(), { timeout: 10_000 }).toBe(new Intl.NumberFormat('id-ID').format(gallerySize));
    await card.getByRole('button', { name: 'Orang berbeda' }).click();
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(0);
    await waitFor(async () => (await office.get<{ record: { status: string } }>(`/api/recordings/${created.body.record.id}`)).body.record.status === 'PRINT_READY_RECORD', { timeoutMs: 60_000 });
    await page.close();
  });
});
