import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyCreatedSchema, apiKeyListSchema, errorBodySchema, verificationResponseSchema, type ApiErrorBody } from '@tangguh/protocol';
import { sessionCookies, startOfficeOverHttp, type OfficeOverHttp } from './office-http-harness.ts';

// The office over real HTTP on loopback, its own SQLite database; no centre needed to verify.
let office: OfficeOverHttp;
let base: string;
let cookies: Record<string, string>;

async function call(method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
}
const verifyWith = (headers: Record<string, string>) => call('POST', '/api/verifikasi', { body: { text: 'TGH1:BUKAN-DOKUMEN' }, headers });
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function newKey(perMinute: number, perDay: number, institution = 'Bank Jatim Cabang Jember'): Promise<{ id: string; secret: string }> {
  const response = await call('POST', '/api/api-keys', { body: { institution, perMinute, perDay }, headers: { cookie: cookies.admin! } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  const created = apiKeyCreatedSchema.parse(response.body);
  return { id: created.key.id, secret: created.secret };
}

function expectRefusal(response: { status: number; body: unknown }, status: number, code: string): ApiErrorBody['error'] {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  const { error } = errorBodySchema.parse(response.body);
  expect(error.code).toBe(code);
  expect(error.messages.id).not.toBe(error.messages.en);
  expect(error.message).toBe(error.messages.id);
  return error;
}

beforeAll(async () => {
  office = await startOfficeOverHttp('tangguh-api-keys-');
  base = office.base;
  cookies = await sessionCookies(base, [['admin', 'admin-jember'], ['operator', 'operator-jember']] as const);
});

afterAll(async () => {
  await office?.close();
});

describe('API keys for institutions that verify in bulk', () => {
  it('are created by an admin only, shown once, and listed without the key', async () => {
    expectRefusal(await call('POST', '/api/api-keys', { body: { institution: 'Bank X', perMinute: 1, perDay: 1 }, headers: { cookie: cookies.operator! } }), 403, 'FORBIDDEN');
    const { id, secret } = await newKey(10, 100, 'Bank Rakyat Indonesia');
    expect(secret).toMatch(/^tgh_[A-Za-z0-9_-]{32}$/);
    const listed = await call('GET', '/api/api-keys', { headers: { cookie: cookies.admin! } });
    const key = apiKeyListSchema.parse(listed.body).items.find((k) => k.id === id)!;
    expect(key).toMatchObject({ institution: 'Bank Rakyat Indonesia', perMinute: 10, perDay: 100, usedToday: 0, revokedAt: null });
    expect(secret.startsWith(key.prefix)).toBe(true);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
  });

  it('verify under the key’s own minute quota, then answer 429 saying in both languages when it resets', async () => {
    const { secret } = await newKey(3, 1000);
    for (let i = 0; i < 3; i++) {
      const ok = await verifyWith(i % 2 === 0 ? bearer(secret) : { 'x-api-key': secret });
      expect(ok.status).toBe(200);
      expect(verificationResponseSchema.parse(ok.body).verdict).toBe('UNREADABLE');
    }
    const refused = await verifyWith(bearer(secret));
    const error = expectRefusal(refused, 429, 'API_KEY_MINUTE_QUOTA_EXCEEDED');
    expect(error.messages.id).toMatch(/3 pemeriksaan per menit.*pulih pada \d+ \w+ \d{4} \d\d\.\d\d WIB/);
    expect(error.messages.en).toMatch(/3 checks a minute.*resets at \d+ \w+ \d{4} \d\d:\d\d WIB/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  });

  it('stop at the daily quota until the office’s next midnight', async () => {
    const { id, secret } = await newKey(100, 2);
    expect((await verifyWith(bearer(secret))).status).toBe(200);
    expect((await verifyWith(bearer(secret))).status).toBe(200);
    const error = expectRefusal(await verifyWith(bearer(secret)), 429, 'API_KEY_DAILY_QUOTA_EXCEEDED');
    expect(error.messages.id).toMatch(/harian.*\(2 pemeriksaan\).*pulih pada \d+ \w+ \d{4} 00\.00 WIB/);
    expect(error.messages.en).toMatch(/daily quota \(2 checks\).*resets at \d+ \w+ \d{4} 00:00 WIB/);
    const listed = apiKeyListSchema.parse((await call('GET', '/api/api-keys', { headers: { cookie: cookies.admin! } })).body);
    expect(listed.items.find((k) => k.id === id)!.lastUsedAt).not.toBeNull();
  });

  it('refuse an unknown or revoked key with 401 and a bilingual message', async () => {
    expectRefusal(await verifyWith(bearer('tgh_bukan-kunci-yang-pernah-dibuat-xxxxxx')), 401, 'API_KEY_INVALID');
    const { id, secret } = await newKey(10, 100);
    expect((await verifyWith(bearer(secret))).status).toBe(200);
    const revoked = await call('POST', `/api/api-keys/${id}/revoke`, { body: {}, headers: { cookie: cookies.admin! } });
    expect(revoked.status).toBe(200);
    expectRefusal(await verifyWith({ 'x-api-key': secret }), 401, 'API_KEY_INVALID');
  });

  it('are not held to the per-address limit of the public verifier, which still holds for everyone else', async () => {
    const { secret } = await newKey(1000, 10_000);
    for (let i = 0; i < 125; i++) expect((await verifyWith(bearer(secret))).status).toBe(200);
    let publicChecks = 0;
    let last = await verifyWith({});
    while (last.status === 200 && publicChecks < 200) {
      publicChecks++;
      last = await verifyWith({});
    }
    expect(publicChecks).toBe(120);
    expectRefusal(last, 429, 'TOO_MANY_CHECKS');
    expect((await verifyWith(bearer(secret))).status).toBe(200);
  });
});
