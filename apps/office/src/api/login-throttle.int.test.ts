/**
 * Login throttling (issue 7, hole 6) over real HTTP, against two API instances of one office, each with its
 * own connection to the same database file, as split API processes run. The office is in Asia/Jayapura, so
 * "try again at" must be written in WIT, not in the server's or Jakarta's time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountKey, THROTTLE } from '@tangguh/platform';
import { zonedParts } from '@tangguh/domain';
import { freePort, provisionStack } from '../../../cli/src/stack.ts';
import { buildCentralApp } from '../../../central/src/app.ts';
import { openCentral } from '../../../central/src/services/provision.ts';
import { freshLocation } from '../../../../test/pg.ts';
import { buildOfficeApp } from '../app.ts';
import { openOffice } from '../runtime.ts';
import type { OfficeContext } from '../context.ts';

interface Api {
  url: string;
  ctx: OfficeContext;
  close(): Promise<void>;
}

let dir: string;
let first: Api;
let second: Api;

async function startApi(officeDb: string): Promise<Api> {
  const opened = await openOffice(officeDb);
  const app: FastifyInstance = await buildOfficeApp(opened.ctx, { serveWeb: false });
  const port = await freePort();
  await app.listen({ port, host: '127.0.0.1' });
  return {
    url: `http://127.0.0.1:${port}`,
    ctx: opened.ctx,
    async close() {
      await app.close();
      await opened.handle.close();
    },
  };
}

interface LoginAnswer {
  status: number;
  retryAfter: string | null;
  body: { user?: { username: string }; error?: { code: string; messages: { id: string; en: string } } };
}

async function login(api: { url: string }, username: string, password: string): Promise<LoginAnswer> {
  const response = await fetch(`${api.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as LoginAnswer['body'] };
}

/** Time passes for a throttled key: its wait and its failures move into the past, as the clock would move them. */
async function letTimePass(key: string, ms: number) {
  const rows = await first.ctx.db.withTables<{ login_throttle: { key: string; last_failure_at: string; blocked_until: string | null } }>().selectFrom('login_throttle').selectAll().where('key', '=', key).execute();
  for (const row of rows) {
    const back = (iso: string | null) => (iso === null ? null : new Date(new Date(iso).getTime() - ms).toISOString());
    await sql`update login_throttle set last_failure_at = ${back(row.last_failure_at)}, blocked_until = ${back(row.blocked_until)} where key = ${key}`.execute(first.ctx.db);
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tangguh-throttle-'));
  const paths = await provisionStack(dir, { timeZone: 'Asia/Jayapura' });
  first = await startApi(paths.officeDb);
  second = await startApi(paths.officeDb);
}, 120_000);

afterAll(async () => {
  await first?.close();
  await second?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('sessions', () => {
  it('that have expired are deleted from the database when someone logs in', async () => {
    const expired = new Date(Date.now() - 60_000).toISOString();
    await sql`insert into sessions (token_hash, username, expires_at) values (${'kedaluwarsa'}, ${'operator'}, ${expired})`.execute(first.ctx.db);
    expect((await login(first, 'supervisor', 'supervisor-jember')).status).toBe(200);
    const left = await sql<{ n: number }>`select count(*) as n from sessions where expires_at <= ${new Date().toISOString()}`.execute(first.ctx.db);
    expect(Number(left.rows[0]!.n)).toBe(0);
  });
});

describe('failed logins', () => {
  it('slow an attacked account down with a 429 that names the time to try again in the office’s zone (WIT), in both languages', async () => {
    for (let i = 0; i < THROTTLE.accountFreeFailures; i++) expect((await login(i % 2 ? first : second, 'operator', 'salah')).status).toBe(401);
    const sixth = await login(first, 'operator', 'salah');
    expect(sixth.status).toBe(401);
    const before = Date.now();
    const refused = await login(second, 'operator', 'operator-jember');
    expect(refused.status).toBe(429);
    expect(refused.body.error?.code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
    const waitSeconds = Number(refused.retryAfter);
    expect(waitSeconds).toBeGreaterThan(0);
    expect(waitSeconds).toBeLessThanOrEqual(THROTTLE.accountBaseDelayMs / 1000);
    const { hour, minute } = zonedParts(new Date(before + waitSeconds * 1000), 'Asia/Jayapura');
    const hhmm = (sep: string) => `${String(hour).padStart(2, '0')}${sep}${String(minute).padStart(2, '0')}`;
    // A second's rounding may fall across a minute: accept the minute the server meant or the one before.
    const earlier = zonedParts(new Date(before + waitSeconds * 1000 - 1000), 'Asia/Jayapura');
    const alt = (sep: string) => `${String(earlier.hour).padStart(2, '0')}${sep}${String(earlier.minute).padStart(2, '0')}`;
    expect(refused.body.error?.messages.id).toMatch(new RegExp(`^Terlalu banyak percobaan masuk\\. Coba lagi pukul (${hhmm('\\.')}|${alt('\\.')}) WIT\\.$`));
    expect(refused.body.error?.messages.en).toMatch(new RegExp(`^Too many login attempts\\. Try again at (${hhmm(':')}|${alt(':')}) WIT\\.$`));
  });

  it('never block another account from the same address, even after more wrong passwords than the old per-address limit of 30', async () => {
    for (let i = 0; i < 35; i++) {
      const answer = await login(i % 2 ? first : second, 'operator', `salah-${i}`);
      expect([401, 429]).toContain(answer.status);
    }
    const colleague = await login(second, 'supervisor', 'supervisor-jember');
    expect(colleague.status).toBe(200);
    expect(colleague.body.user?.username).toBe('supervisor');
  });

  it('grow the wait of an attacked account but never lock it for good: once the wait is over, the right password works', async () => {
    const waits: number[] = [];
    for (let round = 0; round < 8; round++) {
      await letTimePass(accountKey('kepala'), 0);
      const answer = await login(first, 'kepala', 'salah');
      if (answer.status === 429) {
        waits.push(Number(answer.retryAfter));
        await letTimePass(accountKey('kepala'), Number(answer.retryAfter) * 1000 + 1000);
      }
    }
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1]!);
    expect(Math.max(...waits)).toBeLessThanOrEqual(THROTTLE.accountMaxDelayMs / 1000);
    const row = await sql<{ blocked_until: string }>`select blocked_until from login_throttle where key = ${accountKey('kepala')}`.execute(first.ctx.db);
    await letTimePass(accountKey('kepala'), new Date(row.rows[0]!.blocked_until).getTime() - Date.now() + 1000);
    const head = await login(second, 'kepala', 'kepala-jember');
    expect(head.status).toBe(200);
    // A success starts the account afresh: one more typo is just a typo.
    expect((await login(first, 'kepala', 'salah')).status).toBe(401);
    expect((await login(first, 'kepala', 'kepala-jember')).status).toBe(200);
  });

  it('from one address across many accounts (spraying) slow that address down, shared by both API processes', async () => {
    for (let i = 0; i < THROTTLE.addressFailures; i++) await login(i % 2 ? first : second, `tidak-ada-${i}`, 'salah');
    const refused = await login(second, 'admin', 'admin-jember');
    expect(refused.status).toBe(429);
    expect(refused.body.error?.messages.en).toMatch(/Try again at \d\d:\d\d WIT\./);
  });
});

describe('the centre on PostgreSQL', () => {
  it('throttles an account in the database shared by two API instances, and tells the time in WIB', async () => {
    const pgDir = mkdtempSync(join(tmpdir(), 'tangguh-throttle-pg-'));
    const store = await freshLocation('postgres', pgDir, 'central');
    await provisionStack(pgDir, { centralDb: store.location });
    const nodes = [await openCentral(store.location), await openCentral(store.location)];
    const apps = await Promise.all(nodes.map((n) => buildCentralApp(n.ctx, { serveWeb: false })));
    try {
      const urls = await Promise.all(apps.map(async (app) => `http://127.0.0.1:${(await app.listen({ port: await freePort(), host: '127.0.0.1' })).split(':').pop()}`));
      const apis = urls.map((url) => ({ url }));
      for (let i = 0; i <= THROTTLE.accountFreeFailures; i++) expect((await login(apis[i % 2]!, 'adjudikator', 'salah')).status).toBe(401);
      const refused = await login(apis[1]!, 'adjudikator', 'adjudikator-pusat');
      expect(refused.status).toBe(429);
      expect(refused.body.error?.messages.id).toMatch(/Coba lagi pukul \d\d\.\d\d WIB\.$/);
      expect((await login(apis[0]!, 'admin', 'admin-pusat')).status).toBe(200);
    } finally {
      for (const app of apps) await app.close();
      for (const node of nodes) await node.handle.close();
      await store.drop();
      rmSync(pgDir, { recursive: true, force: true });
    }
  });
});

describe('behind a reverse proxy (TANGGUH_TRUST_PROXY)', () => {
  it('counts each client’s address from X-Forwarded-For, so one sprayed address does not slow the others, and sees the origin the browser used', async () => {
    process.env.TANGGUH_TRUST_PROXY = '127.0.0.1';
    const proxied = await startApi(join(dir, 'office', 'office.db')).finally(() => delete process.env.TANGGUH_TRUST_PROXY);
    try {
      const from = (address: string, body: unknown, headers: Record<string, string> = {}) =>
        fetch(`${proxied.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address, ...headers }, body: JSON.stringify(body) });
      for (let i = 0; i < THROTTLE.addressFailures; i++) await from('10.20.0.7', { username: `proxy-spray-${i}`, password: 'salah' });
      expect((await from('10.20.0.7', { username: 'supervisor', password: 'supervisor-jember' })).status).toBe(429);
      expect((await from('10.20.0.8', { username: 'supervisor', password: 'supervisor-jember' })).status).toBe(200);

      const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'kantor.disdukcapil.example' };
      const ownOrigin = await from('10.20.0.8', { username: 'supervisor', password: 'supervisor-jember' }, { ...forwarded, origin: 'https://kantor.disdukcapil.example' });
      expect(ownOrigin.status).toBe(200);
      const foreign = await from('10.20.0.8', { username: 'supervisor', password: 'supervisor-jember' }, { ...forwarded, origin: 'https://lain.example' });
      expect(foreign.status).toBe(403);
    } finally {
      await proxied.close();
    }
  });
});
