import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser.ts';
import { TestStack, login, residentRequests, waitFor, type HttpClient } from '../test/helpers.ts';

// A clerk opened the verifier in the morning; since then the office's key was rotated (or a head signed
// for the first time with a new TTE key). A document signed with the new key must read ASLI on that
// same page, not "unknown issuer" until the page's next scheduled refresh.
let stack: TestStack;
let browser: Browser;
let operator: HttpClient;
let admin: HttpClient;

beforeAll(async () => {
  stack = await TestStack.create({ officeArgs: ['--idle-ms', '200', '--backoff-cap-ms', '1000'] });
  await stack.startCentral();
  await stack.startOffice();
  operator = await login(stack.officeUrl, 'operator', 'operator-jember');
  admin = await login(stack.officeUrl, 'admin', 'admin-jember');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

it('a Suket signed with a key certified after the page loaded reads ASLI on that page', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`${stack.officeUrl}/verifikasi`);
  await expect.poll(() => page.getByTestId('trust-lists').getAttribute('data-ready'), { timeout: 20_000 }).toBe('yes');

  // The admin rotates the Suket key; the sync worker has the new one certified and makes it current.
  const rotated = await admin.post<{ key: { kid: string } }>('/api/trust/document-keys/rotate', {});
  expect(rotated.status).toBe(202);
  const kid = rotated.body.key.kid;
  await waitFor(async () => (await admin.get<{ items: { kid: string; state: string }[] }>('/api/trust/document-keys')).body.items.find((k) => k.kid === kid)?.state === 'CURRENT', {
    timeoutMs: 30_000,
    message: 'the new key is certified and current',
  });

  const [resident] = await residentRequests(1, 1618);
  const created = await operator.post<{ record: { id: string } }>('/api/recordings', resident!.request);
  expect(created.status).toBe(201);
  const issued = await operator.post<{ suket: { qrText: string } }>(`/api/recordings/${created.body.record.id}/suket`, {});
  expect(issued.status).toBe(201);

  await page.getByLabel('Tempel teks QR').fill(issued.body.suket.qrText);
  await page.getByRole('button', { name: 'Periksa', exact: true }).click();
  await page.getByTestId('verdict').waitFor({ timeout: 20_000 });
  expect(await page.getByTestId('verdict').getAttribute('data-verdict')).toBe('VALID');
  await context.close();
});
