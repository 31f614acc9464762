// A head of office signs for the first time: the centre makes and certifies a brand-new TTE key while
// signing. The office must serve a trust list carrying that key by the time the head sees "signed" —
// not at the sync worker's next pass — or every verifier reads the fresh documents as "unknown issuer".
// No sync worker runs here, so only the signing path itself can bring the key.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { decodeCredential, fromBase64Url, openRevocationList, openTrustList, verifyCredential } from '@tangguh/credential';
import { buildCentralApp } from '@tangguh/central';
import { openCentral } from '@tangguh/central/provision';
import { buildOfficeApp } from '../apps/office/src/app.ts';
import { openOffice } from '../apps/office/src/runtime.ts';
import { freePort, provisionStack } from '../apps/cli/src/stack.ts';
import { login, type HttpClient } from './helpers.ts';
import { enrolHead, signAllAsHead, type HeadKey } from './tte-head.ts';
import { setupOrFail } from './pg.ts';

let dir: string;
let officeUrl: string;
let operator: HttpClient;
let head: HttpClient;
let headKey: HeadKey;
let closeAll: () => Promise<void> = async () => {};

setupOrFail(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tangguh-tte-reach-'));
  const paths = await provisionStack(dir);
  const c = await openCentral(paths.centralDb);
  const centralApp = await buildCentralApp(c.ctx, { serveWeb: false });
  const centralPort = await freePort();
  await centralApp.listen({ port: centralPort, host: '127.0.0.1' });
  const o = await openOffice(paths.officeDb);
  const officeApp = await buildOfficeApp(o.ctx, { serveWeb: false, centralUrl: `http://127.0.0.1:${centralPort}` });
  const officePort = await freePort();
  await officeApp.listen({ port: officePort, host: '127.0.0.1' });
  officeUrl = `http://127.0.0.1:${officePort}`;
  operator = await login(officeUrl, 'operator', 'operator-jember');
  head = await login(officeUrl, 'kepala', 'kepala-jember');
  headKey = await enrolHead(head, await login(`http://127.0.0.1:${centralPort}`, 'admin', 'admin-pusat'));
  closeAll = async () => {
    await officeApp.close();
    await centralApp.close();
    await o.handle.close();
    await c.handle.close();
  };
});

afterAll(async () => {
  await closeAll();
  rmSync(dir, { recursive: true, force: true });
});

it('a document signed with a brand-new TTE key verifies ASLI at the office, and with the lists it serves, the moment signing returns', async () => {
  const public_ = (path: string) => fetch(new URL(path, officeUrl)).then((r) => r.json() as Promise<Record<string, unknown>>);
  const root = fromBase64Url((await public_('/api/trust/root')).publicKey as string);
  const listedBefore = openTrustList((await public_('/api/trust/list')).signed as string, root).keys.filter((k) => k.purpose === 'TTE');

  const created = await operator.post<{ document: { id: string } }>('/api/documents', { type: 'KK', nik: '3509124507900003', name: 'Siti Rahayu', nomor: '3509120101230001', fields: { kepala_keluarga: 'Siti Rahayu', alamat: 'Jl. Kenanga 5' } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const signed = await signAllAsHead(head, headKey);
  expect(signed.status, JSON.stringify(signed.body)).toBe(200);
  expect(signed.body.signed).toBe(1);
  const { document } = (await operator.get<{ document: { qrText: string } }>(`/api/documents/${created.body.document.id}`)).body;
  const kid = decodeCredential(document.qrText).kid;
  expect(listedBefore.map((k) => k.kid), 'the key is brand-new: not in the list the office held before').not.toContain(kid);

  const atOffice = await operator.post<{ verdict: string }>('/api/verifikasi', { text: document.qrText });
  expect(atOffice.body.verdict).toBe('VALID');
  // What the CLI's trust-fetch and the web verifier download, opened and applied as they do.
  const trust = openTrustList((await public_('/api/trust/list')).signed as string, root);
  const revocations = openRevocationList((await public_('/api/trust/revocations')).signed as string, root);
  expect(trust.keys.find((k) => k.kid === kid)?.purpose).toBe('TTE');
  expect(verifyCredential(document.qrText, { trust, revocations, now: Math.floor(Date.now() / 1000) }).verdict).toBe('VALID');
});
