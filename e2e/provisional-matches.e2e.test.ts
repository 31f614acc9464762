import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { syntheticResidents } from '@tangguh/capture';
import { loadRegionDirectory } from '@tangguh/regions';
import { launchChromium, signIn as signInAt } from './browser.ts';
import { syntheticRecording } from '../apps/cli/src/seed.ts';
import { TestStack, login, type RecordingCreated } from '../test/helpers.ts';

// An office on loopback with its centre down (never started), driven through Debian's Chromium.
let stack: TestStack;
let browser: Browser;
let first: { id: string; nik: string; fullName: string };
let second: { id: string; nik: string; fullName: string };

beforeAll(async () => {
  stack = await TestStack.create();
  await stack.startOffice();
  const operator = await login(stack.officeUrl, 'operator', 'operator-jember');
  const [a, b] = syntheticResidents(2, { seed: 8120, regencyCode: '35.09', regions: await loadRegionDirectory() });
  // One person, two NIKs: the second recording reads the same fingers and irises.
  const one = await operator.post<RecordingCreated>('/api/recordings', await syntheticRecording(a!, 'satu-orang'));
  const two = await operator.post<RecordingCreated>('/api/recordings', await syntheticRecording(b!, 'satu-orang'));
  expect([one.status, two.status]).toEqual([201, 201]);
  first = { id: one.body.record.id, nik: a!.nik, fullName: a!.fullName };
  second = { id: two.body.record.id, nik: b!.nik, fullName: b!.fullName };
  expect((await operator.post(`/api/recordings/${first.id}/suket`, {})).status).toBe(201);
  const held = await operator.post<{ error: { code: string } }>(`/api/recordings/${second.id}/suket`, {});
  expect(held.status).toBe(409);
  expect(held.body.error.code).toBe('SUKET_HELD_PROVISIONAL_MATCH');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

const signIn = (page: Page, path: string, username: string, password: string) => signInAt(page, `${stack.officeUrl}${path}`, username, password);

describe('the supervisor’s provisional matches screen', () => {
  it('shows both records side by side with photos and the score, and releases the hold with a reason', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, '/petugas/masuk?next=/petugas/kemiripan', 'supervisor', 'supervisor-jember');
    await page.getByRole('heading', { name: 'Kemiripan biometrik sementara' }).waitFor();
    const card = page.getByTestId('provisional-match');
    await card.waitFor();
    expect(await card.count()).toBe(1);
    expect(await card.getAttribute('data-state')).toBe('HELD');
    for (const record of [first, second]) {
      await card.getByText(record.nik).waitFor();
      await card.getByText(record.fullName).waitFor();
    }
    await page.waitForFunction(() => [...document.images].filter((image) => image.src.endsWith('/photo') && image.complete && image.naturalWidth > 0).length === 2);
    await card.getByText(/Kemiripan: \d+/).waitFor();

    const release = card.getByRole('button', { name: /Lepas/ });
    expect(await release.isDisabled()).toBe(true);
    await card.getByLabel(/Alasan/).fill('kembar identik; KK dan akta kelahiran diperiksa');
    await release.click();
    await page.getByText('Keputusan disimpan.').waitFor();
    await page.getByLabel('Tampilkan').selectOption('RELEASED');
    await page.getByText(/Dilepas oleh supervisor/).waitFor();

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Provisional biometric matches' }).waitFor();
    await page.getByText(/Released by supervisor/).waitFor();

    const operator = await login(stack.officeUrl, 'operator', 'operator-jember');
    expect((await operator.post(`/api/recordings/${second.id}/suket`, {})).status).toBe(201);
  });

  it('does not offer the screen’s decisions to an operator, who is refused the list', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, '/petugas/masuk?next=/petugas/kemiripan', 'operator', 'operator-jember');
    await page.getByText('Peran Anda tidak diizinkan melakukan ini.').waitFor();
    expect(await page.getByTestId('provisional-match').count()).toBe(0);
  });
});
