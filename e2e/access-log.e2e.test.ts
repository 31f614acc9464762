import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, signIn as signInAt } from './browser.ts';
import { TestStack, login, residentRequests, type RecordingCreated } from '../test/helpers.ts';

// A real centre and office (with the built web UI) on loopback, driven through Debian's Chromium.
let stack: TestStack;
let browser: Browser;
let record: { id: string; nik: string };

beforeAll(async () => {
  stack = await TestStack.create();
  await stack.startCentral();
  await stack.startOffice();
  const operator = await login(stack.officeUrl, 'operator', 'operator-jember');
  const [resident] = await residentRequests(1, 6100);
  const created = await operator.post<RecordingCreated>('/api/recordings', resident!.request);
  expect(created.status).toBe(201);
  record = { id: created.body.record.id, nik: resident!.biodata.nik };
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

const signIn = (page: Page, path: string, username: string, password: string) => signInAt(page, `${stack.officeUrl}${path}`, username, password);

describe('the access log in the browser', () => {
  it('shows the head of office which operator opened a record and its photo, from which screen, in both languages', async () => {
    const operatorPage = await (await browser.newContext()).newPage();
    await signIn(operatorPage, `/petugas/masuk?next=/petugas/rekaman/${record.id}`, 'operator', 'operator-jember');
    await operatorPage.getByText(record.nik).first().waitFor();
    await operatorPage.waitForFunction(() => [...document.images].some((image) => image.src.endsWith('/photo') && image.complete && image.naturalWidth > 0));

    const head = await (await browser.newContext()).newPage();
    await signIn(head, '/pimpinan/masuk?next=/pimpinan/akses', 'kepala', 'kepala-jember');
    await head.getByRole('heading', { name: 'Log akses data penduduk' }).waitFor();
    await head.getByLabel('NIK penduduk').fill(record.nik);
    await head.getByRole('button', { name: 'Tampilkan' }).click();
    const rows = head.locator('table.records tbody tr');
    await rows.filter({ hasText: 'Rincian rekaman' }).first().waitFor();
    const screen = `/petugas/rekaman/${record.id}`;
    expect(await rows.filter({ hasText: 'Rincian rekaman' }).filter({ hasText: screen }).count()).toBe(1);
    expect(await rows.filter({ hasText: 'Foto' }).filter({ hasText: screen }).count()).toBe(1);
    expect(await rows.filter({ hasText: 'operator' }).count()).toBeGreaterThanOrEqual(2);

    await head.getByRole('button', { name: 'English' }).click();
    await head.getByRole('heading', { name: 'Access log of residents’ data' }).waitFor();
    expect(await rows.filter({ hasText: 'Record details' }).count()).toBe(1);
  });

  it('refuses the log to an operator who opens the page, with the reason in Indonesian', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, '/pimpinan/masuk?next=/pimpinan/akses', 'operator', 'operator-jember');
    await page.getByText('Peran Anda tidak diizinkan melakukan ini.').waitFor();
    expect(await page.locator('table.records tbody tr').count()).toBe(0);
  });
});
