import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, SIGNATURE_MAX_SKEW_MS, SYNC_HEADERS, type PushBatch, type RecordingPacket } from '@tangguh/protocol';
import { generateSigningKey, toBase64Url } from '@tangguh/credential';
import { signOfficeRequest } from '@tangguh/protocol/node';
import { contractRoutes, type Db } from '@tangguh/platform';
import { DIALECTS, freshLocation, setupOrFail } from '../../../../test/pg.ts';
import { buildBatch, buildPacket, registerTestOffice, signedHeaders, testResidents, type TestOffice } from '../../../../test/builders.ts';
import type { CentralContext } from '../context.ts';
import type { CentralDb } from '../db/schema.ts';
import { buildCentralApp } from '../app.ts';
import { openCentral } from '../services/provision.ts';
import { forgetExpiredRequestIds, rememberRequestId } from '../repositories/request-ids.ts';

interface Answer {
  status: number;
  body: { error?: { code: string; messages: { id: string; en: string } } };
}

/*
 * Replays of signed office requests, over real HTTP against two API "processes" (two apps, each with its own
 * connection to one database): whichever process a replay reaches, it is refused with 409 REQUEST_REPLAYED.
 */
describe.each(DIALECTS)('replayed signed requests on %s', (dialect) => {
  let dir: string;
  let drop = async () => {};
  const handles: Db<CentralDb>[] = [];
  const apps: FastifyInstance[] = [];
  const urls: string[] = [];
  let ctx: CentralContext;
  let office: TestOffice;
  let packets: RecordingPacket[];

  setupOrFail(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tangguh-replay-'));
    const store = await freshLocation(dialect, dir, 'central');
    drop = store.drop;
    for (let i = 0; i < 2; i++) {
      const opened = await openCentral(store.location);
      handles.push(opened.handle);
      if (i === 0) ctx = opened.ctx;
      const app = await buildCentralApp(opened.ctx, { serveWeb: false });
      apps.push(app);
      urls.push(await app.listen({ port: 0, host: '127.0.0.1' }));
    }
    office = await registerTestOffice(ctx);
    const people = await testResidents(2, 2411);
    packets = [];
    for (const person of people) packets.push(await buildPacket(ctx, person, { subjectKey: person.nik }));
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const handle of handles) await handle.close();
    await drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const signer = () => ({ officeId: office.officeId, privateKey: office.keys.privateKey });
  const send = async (process: number, method: 'GET' | 'POST', path: string, headers: Record<string, string>, body = ''): Promise<Answer> => {
    const response = await fetch(new URL(path, urls[process]), { method, headers, body: method === 'POST' ? body : undefined });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  };
  /** Sends one signed request to the first process, then the very same bytes again to each process. */
  const sendTwice = async (method: 'GET' | 'POST', path: string, body = '') => {
    const headers = signedHeaders(signer(), method, path, body);
    const first = await send(0, method, path, headers, body);
    const replays = [await send(0, method, path, headers, body), await send(1, method, path, headers, body)];
    return { first, replays };
  };
  const expectReplayRefused = (answer: Answer) => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(409);
    expect(answer.body.error?.code).toBe('REQUEST_REPLAYED');
    expect(answer.body.error?.messages.id).toMatch(/sudah pernah diterima/);
    expect(answer.body.error?.messages.en).toMatch(/received before/);
  };

  it('a push is applied once, and its replay refused by either process', async () => {
    const batch: PushBatch = buildBatch(office.officeId, 1, packets.slice(0, 1));
    const { first, replays } = await sendTwice('POST', '/sync/push', JSON.stringify(batch));
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    replays.forEach(expectReplayRefused);
    const applied = await ctx.db.selectFrom('applied_entries').select((eb) => eb.fn.countAll().as('n')).where('office_id', '=', office.officeId).executeTakeFirstOrThrow();
    expect(Number(applied.n)).toBe(1);
    // The office's own retry is a new request (a new id), and is acknowledged as the replay of a batch.
    const retry = await send(1, 'POST', '/sync/push', signedHeaders(signer(), 'POST', '/sync/push', JSON.stringify(batch)), JSON.stringify(batch));
    expect(retry.body).toEqual({ appliedThrough: 1, applied: 0, replayed: 1 });
  });

  it('/sync/state and /sync/changes answer once', async () => {
    for (const path of ['/sync/state', '/sync/changes?after=0&limit=10']) {
      const { first, replays } = await sendTwice('GET', path);
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      replays.forEach(expectReplayRefused);
    }
  });

  it('/sync/document-keys certifies once', async () => {
    const body = JSON.stringify({ publicKey: toBase64Url(generateSigningKey().publicKey), purpose: 'SUKET' });
    const { first, replays } = await sendTwice('POST', '/sync/document-keys', body);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    replays.forEach(expectReplayRefused);
  });

  it('/sync/tte/sign answers once, whatever its first answer', async () => {
    const body = JSON.stringify({ signer: 'kepala', documents: [] });
    const { first, replays } = await sendTwice('POST', '/sync/tte/sign', body);
    // Whether the centre signs this batch is the TTE service's business; a second hearing is not.
    expect(first.status).not.toBe(409);
    replays.forEach(expectReplayRefused);
  });

  it('every signed route in the route table refuses a replay, whatever it made of the first request', async () => {
    const unsigned = { [SYNC_HEADERS.protocol]: String(PROTOCOL_VERSION) };
    const signedRoutes: string[] = [];
    for (const route of contractRoutes(apps[0]!)) {
      if (!route.url.startsWith('/sync/') || route.method === 'HEAD' || route.url.includes(':')) continue;
      const method = route.method as 'GET' | 'POST';
      // A route is signed when an unsigned call is refused as unsigned.
      const probe = await send(0, method, route.url, { ...unsigned, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) }, '{}');
      if (probe.body.error?.code !== 'SIGNATURE_MISSING') continue;
      signedRoutes.push(`${method} ${route.url}`);
      const headers = signedHeaders(signer(), method, route.url, method === 'POST' ? '{}' : '');
      const first = await send(0, method, route.url, headers, '{}');
      expect(first.status, `${method} ${route.url}`).not.toBe(409);
      expectReplayRefused(await send(1, method, route.url, headers, '{}'));
    }
    // The routes this file tests one by one are among them; a new signed route is covered here as it lands.
    expect(signedRoutes).toEqual(expect.arrayContaining(['POST /sync/push', 'GET /sync/state', 'GET /sync/changes', 'POST /sync/document-keys', 'POST /sync/tte/sign']));
  });

  it('the same request sent to both processes at the same moment is answered by exactly one', async () => {
    for (let round = 0; round < 5; round++) {
      const headers = signedHeaders(signer(), 'GET', '/sync/state', '');
      const answers = await Promise.all([send(0, 'GET', '/sync/state', headers), send(1, 'GET', '/sync/state', headers)]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    }
  });

  it('a request whose id was used for another request is refused too, and a fresh id is served', async () => {
    const requestId = `reuse-${Date.now()}-0123456789`;
    const firstHeaders = signedHeaders(signer(), 'GET', '/sync/state', '', new Date().toISOString(), requestId);
    expect((await send(0, 'GET', '/sync/state', firstHeaders)).status).toBe(200);
    // Another path, another timestamp, signed properly: still the same id.
    const reused = signedHeaders(signer(), 'GET', '/sync/changes?after=0', '', new Date(Date.now() + 1000).toISOString(), requestId);
    expectReplayRefused(await send(1, 'GET', '/sync/changes?after=0', reused));
    expect((await send(1, 'GET', '/sync/state', signedHeaders(signer(), 'GET', '/sync/state', ''))).status).toBe(200);
  });

  it('a malformed request id is refused with 401 REQUEST_ID_INVALID', async () => {
    const answer = await send(0, 'GET', '/sync/state', signedHeaders(signer(), 'GET', '/sync/state', '', new Date().toISOString(), 'short'));
    expect(answer.status).toBe(401);
    expect(answer.body.error?.code).toBe('REQUEST_ID_INVALID');
  });

  it('a v2 request (no request id) is served once: its replay, identical to the byte, is refused', async () => {
    const path = '/sync/state';
    const timestamp = new Date().toISOString();
    const headers = {
      [SYNC_HEADERS.protocol]: '2',
      [SYNC_HEADERS.office]: office.officeId,
      [SYNC_HEADERS.timestamp]: timestamp,
      [SYNC_HEADERS.signature]: signOfficeRequest(office.keys.privateKey, { officeId: office.officeId, method: 'GET', path, timestamp, body: '' }, 2),
    };
    expect((await send(0, 'GET', path, headers)).status).toBe(200);
    expectReplayRefused(await send(1, 'GET', path, headers));
    // The v2 office's next call is signed at another moment: a new request.
    const later = new Date(Date.parse(timestamp) + 1).toISOString();
    const next = { ...headers, [SYNC_HEADERS.timestamp]: later, [SYNC_HEADERS.signature]: signOfficeRequest(office.keys.privateKey, { officeId: office.officeId, method: 'GET', path, timestamp: later, body: '' }, 2) };
    expect((await send(1, 'GET', path, next)).status).toBe(200);
  });

  it('ids are remembered for the signature window and then forgotten', async () => {
    const now = Date.now();
    const expired = new Date(now - 1000).toISOString();
    const live = new Date(now + SIGNATURE_MAX_SKEW_MS).toISOString();
    expect(await rememberRequestId(ctx.db, office.officeId, 'expired-id-0123456789', expired)).toBe(true);
    expect(await rememberRequestId(ctx.db, office.officeId, 'live-id-0123456789ab', live)).toBe(true);
    expect(await rememberRequestId(ctx.db, office.officeId, 'live-id-0123456789ab', live)).toBe(false);
    expect(await forgetExpiredRequestIds(ctx.db, new Date(now).toISOString())).toBeGreaterThanOrEqual(1);
    const left = await ctx.db.selectFrom('office_request_ids').select('request_id').where('office_id', '=', office.officeId).execute();
    expect(left.map((r) => r.request_id)).toContain('live-id-0123456789ab');
    expect(left.map((r) => r.request_id)).not.toContain('expired-id-0123456789');
  });
});
