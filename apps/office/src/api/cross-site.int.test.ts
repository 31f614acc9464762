/**
 * Cross-site requests (issue 7, hole 1), over real HTTP against a provisioned office. The attacker is a page
 * on the same *site* but another port (http://127.0.0.1:<other port>): SameSite=Strict lets the browser send
 * the head's and the operator's cookies to it, so the office itself must refuse by Origin, Sec-Fetch-Site,
 * content type and CSRF token — and change nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freePort, provisionStack } from '../../../cli/src/stack.ts';
import { buildCentralApp } from '../../../central/src/app.ts';
import { openCentral } from '../../../central/src/services/provision.ts';
import { getTteAvailability } from '../../../central/src/services/tte.ts';
import { startTestOffice, type TestOfficeApi } from './test-office.ts';

let office: TestOfficeApi;
let foreignOrigin: string;
const cookies: Record<string, string> = {};
const PROXY_ORIGIN = 'https://kantor.disdukcapil.example';

interface Answer {
  status: number;
  body: { error?: { code: string; messages: { id: string; en: string } } } & Record<string, unknown>;
  setCookies: string[];
}

async function send(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  const response = await fetch(`${office.url}${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : JSON.parse(text), setCookies: response.headers.getSetCookie() };
}

async function logIn(username: string): Promise<string> {
  const answer = await send('POST', '/api/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ username, password: `${username}-jember` }));
  expect(answer.status).toBe(200);
  return answer.setCookies.map((c) => c.split(';')[0]).join('; ');
}

/** What a state-changing request would leave behind: every table these routes write to, and the outbox. */
async function footprint() {
  const count = async (table: string) => Number((await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(office.ctx.db)).rows[0]!.n);
  const documents = (await sql<{ id: string; status: string }>`select id, status from documents order by id`.execute(office.ctx.db)).rows;
  return { sukets: await count('sukets'), keys: await count('document_signing_keys'), outbox: await count('outbox'), audit: await count('signature_audit'), documents };
}

beforeAll(async () => {
  process.env.TANGGUH_ALLOWED_ORIGINS = PROXY_ORIGIN;
  office = await startTestOffice('sqlite');
  delete process.env.TANGGUH_ALLOWED_ORIGINS;
  foreignOrigin = `http://127.0.0.1:${await freePort()}`;
  for (const who of ['kepala', 'operator', 'admin']) cookies[who] = await logIn(who);
}, 120_000);

afterAll(async () => {
  await office?.close();
});

describe('a page on the same site but another port', () => {
  const attacks = () => [
    { name: 'signing every waiting document as the head', cookie: cookies.kepala!, path: '/api/documents/sign-all' },
    { name: 'rotating the document key as an admin', cookie: cookies.admin!, path: '/api/trust/document-keys/rotate' },
    { name: 'issuing a Suket (superseding the last) as an operator', cookie: cookies.operator!, path: `/api/recordings/${office.residents.elsewhere.recordId}/suket` },
  ];

  it('is refused with 403 CROSS_SITE_REQUEST in both languages, with the victim’s cookie and no body, and nothing changes', async () => {
    const before = await footprint();
    for (const attack of attacks()) {
      for (const extra of [{}, { 'sec-fetch-site': 'same-site' }] as Record<string, string>[]) {
        const answer = await send('POST', attack.path, { cookie: attack.cookie, origin: foreignOrigin, ...extra });
        expect(answer.status, attack.name).toBe(403);
        expect(answer.body.error?.code, attack.name).toBe('CROSS_SITE_REQUEST');
        expect(answer.body.error?.messages.id).toMatch(/situs lain/);
        expect(answer.body.error?.messages.en).toMatch(/another site/);
      }
    }
    expect(await footprint()).toEqual(before);
  });

  it('is refused when it sends no Origin but the browser says Sec-Fetch-Site: same-site, or as a text/plain form', async () => {
    const before = await footprint();
    const bySite = await send('POST', '/api/documents/sign-all', { cookie: cookies.kepala!, 'sec-fetch-site': 'same-site' });
    expect(bySite.body.error?.code).toBe('CROSS_SITE_REQUEST');
    const plain = await send('POST', '/api/documents/sign-all', { cookie: cookies.kepala!, 'content-type': 'text/plain' }, '{"ids":[]}');
    expect(plain.status).toBe(415);
    expect(plain.body.error?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const empty = await send('POST', `/api/recordings/${office.residents.elsewhere.recordId}/suket`, { cookie: cookies.operator! });
    expect(empty.status).toBe(415);
    expect(await footprint()).toEqual(before);
  });
});

describe('the office’s own pages', () => {
  async function tokenFor(cookie: string) {
    const answer = await send('GET', '/api/auth/csrf', { cookie, 'sec-fetch-site': 'same-origin' });
    expect(answer.status).toBe(200);
    const secret = answer.setCookies.map((c) => c.split(';')[0]).join('; ');
    return { token: String(answer.body.token), cookie: secret === '' ? cookie : `${cookie}; ${secret}` };
  }

  it('issue a Suket and rotate the document key from the node’s own origin with the CSRF token', async () => {
    const own = { origin: office.url, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' };
    const operator = await tokenFor(cookies.operator!);
    const before = await footprint();
    const suket = await send('POST', `/api/recordings/${office.residents.elsewhere.recordId}/suket`, { ...own, cookie: operator.cookie, 'x-csrf-token': operator.token }, '{}');
    expect(suket.status).toBeLessThan(300);
    const admin = await tokenFor(cookies.admin!);
    const rotation = await send('POST', '/api/trust/document-keys/rotate', { ...own, cookie: admin.cookie, 'x-csrf-token': admin.token }, JSON.stringify({ purpose: 'SUKET' }));
    expect(rotation.status).toBe(202);
    const after = await footprint();
    expect(after.sukets).toBe(before.sukets + 1);
    expect(after.keys).toBe(before.keys + 1);
  });

  it('still need the token: the right origin with the cookie alone gets 403 CSRF_TOKEN_INVALID', async () => {
    const before = await footprint();
    const answer = await send('POST', `/api/recordings/${office.residents.elsewhere.recordId}/suket`, { origin: office.url, 'content-type': 'application/json', cookie: cookies.operator! }, '{}');
    expect(answer.status).toBe(403);
    expect(answer.body.error?.code).toBe('CSRF_TOKEN_INVALID');
    const head = await tokenFor(cookies.kepala!);
    const signAll = await send('POST', '/api/documents/sign-all', { origin: office.url, 'content-type': 'application/json', cookie: head.cookie, 'x-csrf-token': 'forged' }, '{}');
    expect(signAll.body.error?.code).toBe('CSRF_TOKEN_INVALID');
    expect(await footprint()).toEqual(before);
  });

  it('accept the origin of a reverse proxy listed in TANGGUH_ALLOWED_ORIGINS', async () => {
    const operator = await tokenFor(cookies.operator!);
    const answer = await send(
      'POST',
      `/api/recordings/${office.residents.kaliwatesResident.recordId}/suket`,
      { origin: PROXY_ORIGIN, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json', cookie: operator.cookie, 'x-csrf-token': operator.token },
      '{}',
    );
    expect(answer.status).toBeLessThan(300);
  });
});

describe('what the rule leaves open on purpose', () => {
  it('the public verifier answers a JSON check from any origin, and a client that is not a browser needs no token', async () => {
    const verify = await send('POST', '/api/verifikasi', { origin: foreignOrigin, 'content-type': 'application/json' }, JSON.stringify({ text: 'TGH1:BUKAN' }));
    expect(verify.status).toBe(200);
    const cli = await send('POST', `/api/recordings/${office.residents.recordedAtKaliwates.recordId}/suket`, { 'content-type': 'application/json', cookie: cookies.operator! }, '{}');
    expect(cli.status).toBeLessThan(300);
  });
});

describe('the centre, seen from the office’s page on another port of the same host', () => {
  let centreDir: string;
  let centre: Awaited<ReturnType<typeof openCentral>>;
  let app: FastifyInstance;
  let centreUrl: string;

  beforeAll(async () => {
    centreDir = mkdtempSync(join(tmpdir(), 'tangguh-cross-site-centre-'));
    const paths = await provisionStack(centreDir);
    centre = await openCentral(paths.centralDb);
    app = await buildCentralApp(centre.ctx, { serveWeb: false });
    const port = await freePort();
    await app.listen({ port, host: '127.0.0.1' });
    centreUrl = `http://127.0.0.1:${port}`;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await centre?.handle.close();
    if (centreDir) rmSync(centreDir, { recursive: true, force: true });
  });

  const tteHealth = () => getTteAvailability(centre.ctx);

  it('refuses to switch the TTE service off with the centre admin’s cookie, and it stays on; from its own origin with the token it works', async () => {
    const loggedIn = await fetch(`${centreUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-pusat' }) });
    const cookie = loggedIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const before = await tteHealth();
    const forged = await fetch(`${centreUrl}/api/admin/tte`, { method: 'POST', headers: { cookie, origin: office.url, 'content-type': 'application/json' }, body: '{"available":false}' });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as Answer['body']).error?.code).toBe('CROSS_SITE_REQUEST');
    expect(await tteHealth()).toEqual(before);

    const issued = await fetch(`${centreUrl}/api/auth/csrf`, { headers: { cookie } });
    const { token } = (await issued.json()) as { token: string };
    const withSecret = `${cookie}; ${issued.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')}`;
    const own = await fetch(`${centreUrl}/api/admin/tte`, { method: 'POST', headers: { cookie: withSecret, origin: centreUrl, 'x-csrf-token': token, 'content-type': 'application/json' }, body: '{"available":false}' });
    expect(own.status).toBe(200);
    expect((await tteHealth()).available).toBe(false);
  });
});
