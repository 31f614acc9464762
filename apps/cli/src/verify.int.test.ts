import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestStack, makeTempDir, removeTempDirs, residentRequests } from '../../../test/helpers.ts';
import { alterPayload } from '../../../test/tamper.ts';
import { setupOrFail } from '../../../test/pg.ts';
import { runTangguh } from './test-support.ts';

const tangguh = (...args: string[]) => runTangguh(args);

describe('tangguh verify, against a running office with the centre down', () => {
  let stack: TestStack;
  let dir: string;
  let cookie: string;
  let qrText: string;
  let rootKey: string;
  const files: Record<'png' | 'pdf', string> = { png: '', pdf: '' };

  async function call(path: string, init: RequestInit = {}): Promise<Response> {
    const headers: Record<string, string> = { cookie, ...(init.body ? { 'content-type': 'application/json' } : {}) };
    const response = await fetch(new URL(path, stack.officeUrl), { ...init, headers });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response;
  }

  setupOrFail(async () => {
    stack = await TestStack.create();
    await stack.startOffice();
    dir = makeTempDir('tangguh-verify-');
    const login = await fetch(new URL('/api/auth/login', stack.officeUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'operator', password: 'operator-jember' }) });
    cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const [resident] = await residentRequests(1, 9101);
    const recorded = (await (await call('/api/recordings', { method: 'POST', body: JSON.stringify(resident!.request) })).json()) as { record: { id: string } };
    const issued = (await (await call(`/api/recordings/${recorded.record.id}/suket`, { method: 'POST', body: '{}' })).json()) as { suket: { serial: string; qrText: string } };
    qrText = issued.suket.qrText;
    files.png = join(dir, 'suket-qr.png');
    files.pdf = join(dir, 'suket.pdf');
    writeFileSync(files.png, new Uint8Array(await (await call(`/api/sukets/${issued.suket.serial}/qr.png`)).arrayBuffer()));
    writeFileSync(files.pdf, new Uint8Array(await (await call(`/api/sukets/${issued.suket.serial}/pdf`)).arrayBuffer()));
    rootKey = ((await (await fetch(new URL('/api/trust/root', stack.officeUrl))).json()) as { publicKey: string }).publicKey;
  });

  afterAll(async () => {
    await stack?.dispose();
    removeTempDirs();
  });

  it('reads the QR from a PNG and says ASLI (exit 0), with the fields', async () => {
    const run = await tangguh('verify', files.png, '--from', stack.officeUrl);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('ASLI / Valid');
    expect(run.stdout).toContain('NIK');
    expect(run.stdout).toMatch(/SKT-3509-\d{8}-\d{6}/);
    // Not pinned: the root came from the same server, and the clerk is told so.
    expect(run.stderr).toMatch(/tidak dipin|not pinned/);
  });

  it('reads the credential embedded in the PDF and says ASLI (exit 0)', async () => {
    const run = await tangguh('verify', files.pdf, '--from', stack.officeUrl, '--root', rootKey);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('ASLI');
    expect(run.stderr).not.toMatch(/not pinned/);
  });

  it('says PALSU (exit 1) for an altered text', async () => {
    const run = await tangguh('verify', alterPayload(qrText), '--from', stack.officeUrl, '--root', rootKey);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('PALSU');
  });

  it('a Suket superseded while the centre is down reads DIGANTI at once: through the office’s API, the CLI, and lists saved by trust-fetch', async () => {
    const [resident] = await residentRequests(1, 9102);
    const recorded = (await (await call('/api/recordings', { method: 'POST', body: JSON.stringify(resident!.request) })).json()) as { record: { id: string } };
    const issue = async () => ((await (await call(`/api/recordings/${recorded.record.id}/suket`, { method: 'POST', body: '{}' })).json()) as { suket: { serial: string; qrText: string } }).suket;
    const first = await issue();
    expect((await tangguh('verify', first.qrText, '--from', stack.officeUrl, '--root', rootKey)).code).toBe(0);
    const second = await issue();

    const api = (await (await call('/api/verifikasi', { method: 'POST', body: JSON.stringify({ text: first.qrText }) })).json()) as { verdict: string };
    expect(api.verdict).toBe('SUPERSEDED');
    const online = await tangguh('verify', first.qrText, '--from', stack.officeUrl, '--root', rootKey);
    expect(online.code, online.stderr).toBe(1);
    expect(online.stdout).toContain('DIGANTI');
    expect(online.stdout).toContain(second.serial);

    const saved = join(dir, 'lists-after-supersede');
    const fetched = await tangguh('trust-fetch', '--from', stack.officeUrl, '--out', saved, '--root', rootKey);
    expect(fetched.code, fetched.stderr).toBe(0);
    expect(fetched.stdout).toMatch(/dicabut kantor\/revoked by the office 3509/);
    const offline = await tangguh('verify', first.qrText, '--lists', saved, '--root', rootKey);
    expect(offline.stdout).toContain('DIGANTI');
    expect((await tangguh('verify', second.qrText, '--lists', saved, '--root', rootKey)).code).toBe(0);
  });

  it('works offline from lists saved by trust-fetch, and refuses lists that the pinned root did not sign', async () => {
    const lists = join(dir, 'lists');
    const fetched = await tangguh('trust-fetch', '--from', stack.officeUrl, '--out', lists, '--root', rootKey);
    expect(fetched.code, fetched.stderr).toBe(0);
    await stack.stopOffice();
    const run = await tangguh('verify', qrText, '--lists', lists, '--root', rootKey);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('ASLI');
    const wrongRoot = await tangguh('verify', qrText, '--lists', lists, '--root', 'A'.repeat(43));
    expect(wrongRoot.code).toBe(2);
  });

  it('exits 2 on a usage error', async () => {
    expect((await tangguh('verify')).code).toBe(2);
    expect((await tangguh('verify', join(dir, 'missing.png'), '--lists', dir)).code).toBe(2);
    expect((await tangguh('verify', qrText, '--bogus')).code).toBe(2);
  });
});
