// This test runs in Node, not the browser: a real HTTP server stands in for the node the web calls.
// eslint-disable-next-line no-restricted-imports
import { createServer, type Server } from 'node:http';
// eslint-disable-next-line no-restricted-imports
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { okSchema } from '@tangguh/protocol';
import { contractApi } from './api.ts';

/**
 * The web's side of the CSRF defence, against a real HTTP server that checks the token as a node does:
 * the token is fetched once, sent on every state-changing call, never on reads, and fetched again when the
 * node says it no longer matches.
 */
let server: Server;
let base: string;
const log: string[] = [];
let issued = 0;
let valid = '';

beforeAll(async () => {
  server = createServer((request, response) => {
    const token = request.headers['x-csrf-token'];
    log.push(`${request.method} ${request.url}${token ? ` ${String(token)}` : ''}`);
    response.setHeader('content-type', 'application/json');
    if (request.url === '/api/auth/csrf') {
      valid = `token-${++issued}`;
      response.end(JSON.stringify({ token: valid }));
    } else if (request.method !== 'GET' && token !== valid) {
      response.statusCode = 403;
      response.end(JSON.stringify({ error: { code: 'CSRF_TOKEN_INVALID', message: 'x', messages: { id: 'Token tidak berlaku.', en: 'Token not valid.' } } }));
    } else {
      response.end(JSON.stringify({ ok: true }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The browser resolves the web's relative paths against the page; Node's fetch needs the origin spelled out.
  const realFetch = globalThis.fetch;
  vi.stubGlobal('location', new URL(`${base}/petugas/dokumen`));
  vi.stubGlobal('fetch', (input: string, init?: RequestInit) => realFetch(new URL(input, base), init));
});

afterAll(async () => {
  vi.unstubAllGlobals();
  await new Promise((resolve) => server.close(resolve));
});

describe('the web sends the CSRF token', () => {
  it('asks for it once, sends it with every state-changing call and never with a read', async () => {
    await contractApi.post(okSchema, '/api/a', {});
    await contractApi.put(okSchema, '/api/b', {});
    await contractApi.get(okSchema, '/api/c');
    expect(log).toEqual(['GET /api/auth/csrf', 'POST /api/a token-1', 'PUT /api/b token-1', 'GET /api/c']);
  });

  it('asks again and repeats the call once when the node says the token no longer matches', async () => {
    log.length = 0;
    valid = 'changed-in-another-tab';
    await expect(contractApi.post(okSchema, '/api/d', {})).resolves.toEqual({ ok: true });
    expect(log).toEqual(['POST /api/d token-1', 'GET /api/auth/csrf', 'POST /api/d token-2']);
  });
});
