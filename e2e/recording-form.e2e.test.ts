import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { recordingCreatedSchema } from '@tangguh/protocol';
import { launchChromium } from './browser.ts';
import { TestStack } from '../test/helpers.ts';

// An office alone (recording never waits on the centre), its built web UI, Debian's Chromium.
let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  stack = await TestStack.create();
  await stack.startOffice();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

/** zod's own English, which must never reach the operator. */
const ZOD_TEXT = /Invalid input|expected \w+|received \w+|Too small|Too big|Invalid string/;

async function recordingForm(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${stack.officeUrl}/petugas/masuk`);
  await page.getByLabel('Nama pengguna').fill('operator');
  await page.getByLabel('Kata sandi').fill('operator-jember');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL(/\/petugas\/?$/);
  await page.getByRole('link', { name: 'Rekam penduduk baru' }).click();
  await page.getByRole('button', { name: 'Isi contoh data' }).click();
  await expect.poll(() => page.getByLabel('NIK', { exact: true }).inputValue()).toMatch(/^\d{16}$/);
  return page;
}

const recordsWithNik = (nik: string) => stack.officeDb((db) => (db.prepare('select count(*) as n from records where nik = ?').get(nik) as { n: number }).n);

describe('the recording form in the browser', () => {
  it('saved before scanning, says in the form to scan the biometrics first, in the chosen language, with no zod text', async () => {
    const page = await recordingForm();
    await page.getByRole('button', { name: 'Simpan rekaman' }).click();
    const step2 = page.locator('section', { has: page.getByRole('heading', { name: '2. Biometrik' }) });
    await expect.poll(() => step2.getByText('Pindai biometrik dulu', { exact: false }).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator('body').innerText()).not.toMatch(ZOD_TEXT);

    await page.getByRole('button', { name: 'English' }).click();
    const step2en = page.locator('section', { has: page.getByRole('heading', { name: '2. Biometrics' }) });
    await expect.poll(() => step2en.getByText('Scan the biometrics first', { exact: false }).count()).toBeGreaterThan(0);
    expect(await page.locator('body').innerText()).not.toMatch(ZOD_TEXT);
    await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();
    await page.close();
  });

  it('retried after the answer to the first save was lost, shows the first receipt instead of "NIK already recorded"', async () => {
    const page = await recordingForm();
    const nik = await page.getByLabel('NIK', { exact: true }).inputValue();
    await page.getByRole('button', { name: 'Pindai biometrik' }).click();
    await page.getByAltText('Foto').waitFor();

    // The first save reaches the office and is committed; its answer never reaches the browser.
    const sent: unknown[] = [];
    let firstReceipt: string | undefined;
    await page.route('**/api/recordings', async (route) => {
      sent.push(route.request().postDataJSON());
      if (firstReceipt !== undefined) return route.continue();
      const answer = await route.fetch();
      expect(answer.status()).toBe(201);
      firstReceipt = recordingCreatedSchema.parse(await answer.json()).receipt.registrationNumber;
      await route.abort('connectionreset');
    });
    await page.getByRole('button', { name: 'Simpan rekaman' }).click();
    await expect.poll(() => page.getByText('Server tidak menjawab', { exact: false }).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(firstReceipt).toMatch(/^3509-\d{8}-\d{6}$/);
    expect(recordsWithNik(nik)).toBe(1);

    // The operator presses save again: the same request id, and the office answers with the first receipt.
    const replayed = page.waitForResponse((response) => response.url().endsWith('/api/recordings') && response.request().method() === 'POST');
    await page.getByRole('button', { name: 'Simpan rekaman' }).click();
    expect((await replayed).status()).toBe(200);
    const regno = page.getByTestId('receipt-regno');
    await regno.waitFor({ timeout: 15_000 });
    expect((await regno.textContent())!.trim()).toBe(firstReceipt);
    expect(recordsWithNik(nik)).toBe(1);

    const [first, second] = sent as { clientRequestId?: string }[];
    expect(first!.clientRequestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second!.clientRequestId).toBe(first!.clientRequestId);

    // The next resident is a new form, with a new request id.
    await page.getByRole('link', { name: 'Rekam berikutnya' }).click();
    await page.getByRole('button', { name: 'Isi contoh data' }).click();
    await expect.poll(() => page.getByLabel('NIK', { exact: true }).inputValue()).toMatch(/^\d{16}$/);
    await page.getByRole('button', { name: 'Simpan rekaman' }).click();
    await expect.poll(() => sent.length, { timeout: 10_000 }).toBe(3);
    expect((sent[2] as { clientRequestId?: string }).clientRequestId).not.toBe(first!.clientRequestId);
    await page.close();
  });
});
