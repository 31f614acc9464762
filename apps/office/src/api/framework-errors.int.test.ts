/**
 * What Fastify answers by itself (issue 7, hole 13) — a URL it cannot decode, an over-long path parameter,
 * headers over Node's limit, a request that arrives while the node shuts down — comes out in the bilingual
 * error shape; every answer carries the security headers; cookies can be marked Secure. Real office, real
 * sockets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, provisionStack } from '../../../cli/src/stack.ts';
import { buildOfficeApp } from '../app.ts';
import { openOffice } from '../runtime.ts';
import type { OfficeContext } from '../context.ts';

interface ErrorShape {
  error: { code: string; message: string; messages: { id: string; en: string } };
}

let dir: string;
let ctx: OfficeContext;
let closeDb: () => Promise<void>;
let app: FastifyInstance;
let port: number;

async function listen(): Promise<{ app: FastifyInstance; port: number }> {
  const built = await buildOfficeApp(ctx, { serveWeb: false });
  const at = await freePort();
  await built.listen({ port: at, host: '127.0.0.1' });
  return { app: built, port: at };
}

/** One request by node:http, which sends what it is given (fetch would normalise the URL first). */
function raw(path: string, headers: Record<string, string> = {}, at = port): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: at, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function expectBilingual(body: string, code: string) {
  const parsed = JSON.parse(body) as ErrorShape;
  expect(parsed.error.code).toBe(code);
  expect(parsed.error.messages.id.length).toBeGreaterThan(5);
  expect(parsed.error.messages.en.length).toBeGreaterThan(5);
  expect(parsed.error.messages.id).not.toBe(parsed.error.messages.en);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tangguh-fastify-errors-'));
  const paths = await provisionStack(dir);
  const opened = await openOffice(paths.officeDb);
  ctx = opened.ctx;
  closeDb = () => opened.handle.close();
  ({ app, port } = await listen());
}, 120_000);

afterAll(async () => {
  await app?.close();
  await closeDb?.();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Fastify’s own refusals', () => {
  it('answer a URL that cannot be decoded with 400 BAD_URL in both languages', async () => {
    const answer = await raw('/api/recordings/%E0%A4%A');
    expect(answer.status).toBe(400);
    expectBilingual(answer.body, 'BAD_URL');
  });

  it('answer a path parameter longer than any id with 414 URL_TOO_LONG in both languages', async () => {
    const answer = await raw(`/api/recordings/${'a'.repeat(500)}`);
    expect(answer.status).toBe(414);
    expectBilingual(answer.body, 'URL_TOO_LONG');
  });

  it('answer headers over the limit with 431 HEADERS_TOO_LARGE in both languages', async () => {
    const answer = await raw('/api/auth/me', { 'x-padding': 'x'.repeat(20_000) });
    expect(answer.status).toBe(431);
    expectBilingual(answer.body, 'HEADERS_TOO_LARGE');
  });

  it('answer a request that arrives while the node shuts down with 503 SHUTTING_DOWN in both languages', async () => {
    const closing = await listen();
    const socket = connect(closing.port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    // The first request is under way (its body half sent) when close() begins, so the connection is not idle.
    const body = '{"text":"TGH1:X"}';
    socket.write(`POST /api/verifikasi HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = closing.app.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.write(`${body.slice(5)}GET /api/auth/me HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await closed;
    const second = received.indexOf('HTTP/1.1', 1);
    expect(second, received).toBeGreaterThan(0);
    const [head, payload] = received.slice(second).split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 503/);
    expectBilingual(payload!.replace(/^[0-9a-f]+\r\n|\r\n0\r\n$/g, '').trim(), 'SHUTTING_DOWN');
  });
});

describe('every answer', () => {
  it('carries a CSP that forbids framing, nosniff and a same-origin referrer policy', async () => {
    const answer = await raw('/health');
    const csp = String(answer.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['referrer-policy']).toBe('same-origin');
    expect(answer.headers['x-frame-options']).toBe('SAMEORIGIN');
  });
});

describe('cookies', () => {
  async function loginCookies(at: number) {
    const response = await fetch(`http://127.0.0.1:${at}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'operator', password: 'operator-jember' }) });
    expect(response.status).toBe(200);
    return response.headers.getSetCookie();
  }

  it('are not Secure by default, so the office works over plain HTTP on its LAN', async () => {
    expect(await loginCookies(port)).not.toEqual(expect.arrayContaining([expect.stringMatching(/;\s*Secure/i)]));
  });

  it('are Secure, HttpOnly and SameSite=Strict when TANGGUH_SECURE_COOKIES=1 (served over HTTPS)', async () => {
    process.env.TANGGUH_SECURE_COOKIES = '1';
    const secure = await listen().finally(() => delete process.env.TANGGUH_SECURE_COOKIES);
    try {
      const [session] = await loginCookies(secure.port);
      expect(session).toMatch(/^tangguh_session=/);
      expect(session).toMatch(/;\s*Secure/i);
      expect(session).toMatch(/;\s*HttpOnly/i);
      expect(session).toMatch(/;\s*SameSite=Strict/i);
      const hsts = await raw('/health', {}, secure.port);
      expect(hsts.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    } finally {
      await secure.app.close();
    }
  });
});
