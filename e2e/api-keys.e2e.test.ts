import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { apiKeyListSchema, errorBodySchema, verificationResponseSchema } from '@tangguh/protocol';
import { launchChromium, signIn as signInAt } from './browser.ts';
import { freePort, provisionStack } from '../apps/cli/src/stack.ts';
import { buildOfficeApp } from '../apps/office/src/app.ts';
import { openOffice } from '../apps/office/src/runtime.ts';

// Institutions' API keys in Debian's Chromium against a real office (SQLite, its HTTP API and the built
// web UI on loopback; no centre is needed to verify). The office's admin creates a key for a bank at phone
// width, copies the secret shown once, the bank verifies with it (x-api-key), the admin revokes it after a
// confirmation and the bank's next check is refused with 401.
let browser: Browser;
let app: FastifyInstance;
let closeOffice: () => Promise<void>;
let dir: string;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tangguh-api-keys-e2e-'));
  const paths = await provisionStack(dir);
  const office = await openOffice(paths.officeDb);
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

/** The bank's side: a plain HTTP client, no browser, no session, the key in the x-api-key header. */
async function verifyAsBank(secret: string) {
  const response = await fetch(`${url}/api/verifikasi`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': secret }, body: JSON.stringify({ text: 'TGH1:BUKAN-DOKUMEN' }) });
  return { status: response.status, body: (await response.json()) as unknown };
}

describe('institutions’ API keys in the browser', () => {
  it('an admin creates a key (shown once, copied), the bank verifies with it, the admin revokes it and the key is refused', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'id-ID' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
    const page = await context.newPage();
    await signIn(page, '/pimpinan', 'admin', 'admin-jember');
    await page.getByRole('navigation').getByRole('link', { name: 'Kunci API' }).tap();
    await page.getByRole('heading', { name: 'Kunci API lembaga' }).waitFor();
    await page.getByText('Belum ada kunci API.').waitFor();

    // A name too short: the server's message sits under the field; no key is made.
    await page.getByLabel('Lembaga').fill('BJ');
    await page.getByRole('button', { name: 'Buat kunci' }).tap();
    const institutionError = page.locator('#apikey-institution-error');
    await institutionError.waitFor();
    expect(await institutionError.textContent()).toContain('minimal 3 karakter');
    expect(await page.getByLabel('Lembaga').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Lembaga').fill('Bank Jatim Cabang Jember');
    await page.getByLabel('Kuota per menit').fill('5');
    await page.getByLabel('Kuota per hari').fill('100');
    await page.getByRole('button', { name: 'Buat kunci' }).tap();
    const panel = page.getByTestId('apikey-secret-panel');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('hanya ditampilkan SEKALI');
    const secret = (await page.getByTestId('apikey-secret').textContent())!.trim();
    expect(secret).toMatch(/^tgh_[A-Za-z0-9_-]{32}$/);
    await panel.getByRole('button', { name: 'Salin kunci' }).tap();
    await panel.getByText('Tersalin ke papan klip.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    // The list shows the key by its first characters, its quotas, never the key itself.
    const row = page.getByTestId('apikey-row').filter({ hasText: 'Bank Jatim Cabang Jember' });
    await row.waitFor();
    expect(await row.textContent()).toContain('5/menit · 100/hari');
    expect(await row.textContent()).toContain('Belum pernah');
    expect(await row.textContent()).not.toContain(secret);

    // The bank verifies with the key it was given.
    const ok = await verifyAsBank(secret);
    expect(ok.status).toBe(200);
    expect(verificationResponseSchema.parse(ok.body).verdict).toBe('UNREADABLE');

    // Once dismissed, the secret is gone from the page for good; the list shows the use.
    await panel.getByRole('button', { name: 'Saya sudah menyimpan kunci ini' }).tap();
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(await row.locator('td[data-label="Dipakai hari ini"]').textContent()).toBe('1');
    expect(await row.locator('td[data-label="Terakhir dipakai"]').textContent()).not.toBe('Belum pernah');

    // Revoking asks first and says what it does; cancel keeps the key.
    await row.getByRole('button', { name: /^Cabut…/ }).tap();
    const confirm = row.getByTestId('apikey-revoke-confirm');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('ditolak (401)');
    await confirm.getByRole('button', { name: 'Batal' }).tap();
    expect((await verifyAsBank(secret)).status).toBe(200);
    await row.getByRole('button', { name: /^Cabut…/ }).tap();
    await row.getByRole('button', { name: 'Ya, cabut kunci' }).tap();
    await page.getByRole('status').filter({ hasText: 'telah dicabut' }).waitFor();
    await row.getByText(/^Dicabut .* oleh admin$/).waitFor();

    const refused = await verifyAsBank(secret);
    expect(refused.status).toBe(401);
    expect(errorBodySchema.parse(refused.body).error.code).toBe('API_KEY_INVALID');
    const listed = apiKeyListSchema.parse(await (await context.request.get(`${url}/api/api-keys`)).json());
    expect(listed.items.find((k) => k.institution === 'Bank Jatim Cabang Jember')?.revokedBy).toBe('admin');

    await page.getByRole('button', { name: 'English' }).tap();
    await page.getByRole('heading', { name: 'Institutions’ API keys' }).waitFor();
    await row.getByText(/^Revoked .* by admin$/).waitFor();
    await context.close();
  });

  it('tells a supervisor the keys are for the admin, and shows them no link', async () => {
    const context = await browser.newContext({ locale: 'id-ID' });
    const page = await context.newPage();
    await signIn(page, '/pimpinan/kunci-api', 'supervisor', 'supervisor-jember');
    await page.getByText('Hanya admin kantor yang dapat membuat, melihat, dan mencabut kunci API.').waitFor();
    expect(await page.getByRole('button', { name: 'Buat kunci' }).count()).toBe(0);
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Kunci API' }).count()).toBe(0);
    await context.close();
  });
});
