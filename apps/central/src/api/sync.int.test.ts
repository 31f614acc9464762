import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, SIGNATURE_MAX_SKEW_MS, SYNC_HEADERS, changesResponseSchema, pushResultSchema, type PushBatch, type RecordingPacket } from '@tangguh/protocol';
import { signOfficeRequest, signRequest } from '@tangguh/protocol/node';
import type { Db } from '@tangguh/platform';
import { buildBatch, buildPacket, registerTestOffice, signedHeaders, testResidents, type TestOffice } from '../../../../test/builders.ts';
import type { CentralContext } from '../context.ts';
import type { CentralDb } from '../db/schema.ts';
import { buildCentralApp } from '../app.ts';
import { openCentral } from '../services/provision.ts';
import { findOffice } from '../repositories/offices.ts';
import { recordStatusChanges } from '../repositories/changes.ts';

interface ErrorBody {
  error: { code: string; message: string; messages: { id: string; en: string } };
}

/** An error response: the status, the stable code, and a message in both languages. */
function expectError(response: LightMyRequestResponse, status: number, code: string): ErrorBody['error'] {
  expect(response.statusCode, response.body).toBe(status);
  const { error } = response.json<ErrorBody>();
  expect(error.code).toBe(code);
  expect(error.messages.id).toEqual(expect.any(String));
  expect(error.messages.en).toEqual(expect.any(String));
  expect(error.messages.id.length).toBeGreaterThan(5);
  expect(error.messages.en.length).toBeGreaterThan(5);
  expect(error.messages.id).not.toBe(error.messages.en);
  // Indonesian unless the client asks for English.
  expect(error.message).toBe(error.messages.id);
  return error;
}

describe('HTTP sync protocol', () => {
  let dir: string;
  let handle: Db<CentralDb>;
  let ctx: CentralContext;
  let app: FastifyInstance;
  let office: TestOffice;
  let other: TestOffice;
  let packets: RecordingPacket[];
  const signer = (o: TestOffice) => ({ officeId: o.officeId, privateKey: o.keys.privateKey });

  const push = (body: string, headers: Record<string, string>) => app.inject({ method: 'POST', url: '/sync/push', headers, payload: body });
  const signedPush = (by: TestOffice, batch: PushBatch) => {
    const body = JSON.stringify(batch);
    return push(body, signedHeaders(signer(by), 'POST', '/sync/push', body));
  };
  const signedGet = (by: TestOffice, url: string) => app.inject({ method: 'GET', url, headers: signedHeaders(signer(by), 'GET', url, '') });
  const appliedSeq = async (o: TestOffice) => Number((await findOffice(ctx.db, o.officeId))?.applied_seq);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tangguh-sync-'));
    ({ handle, ctx } = await openCentral(join(dir, 'central.db')));
    app = await buildCentralApp(ctx, { serveWeb: false });
    office = await registerTestOffice(ctx);
    other = await registerTestOffice(ctx);
    const people = await testResidents(12, 1709);
    packets = [];
    for (const person of people) packets.push(await buildPacket(ctx, person, { subjectKey: person.nik }));
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe('refuses', () => {
    it('an unsigned push with 401 SIGNATURE_MISSING', async () => {
      const body = JSON.stringify(buildBatch(office.officeId, 1, packets.slice(0, 1)));
      expectError(await push(body, { 'content-type': 'application/json', [SYNC_HEADERS.protocol]: String(PROTOCOL_VERSION) }), 401, 'SIGNATURE_MISSING');
      // Any one of the signing headers missing is the same.
      for (const name of [SYNC_HEADERS.office, SYNC_HEADERS.timestamp, SYNC_HEADERS.signature, SYNC_HEADERS.requestId, SYNC_HEADERS.contentHash]) {
        const headers = signedHeaders(signer(office), 'POST', '/sync/push', body);
        delete headers[name];
        expectError(await push(body, headers), 401, 'SIGNATURE_MISSING');
      }
      // Posing as the version before, whose signature input differs, breaks the signature: no downgrade.
      const downgraded = { ...signedHeaders(signer(office), 'POST', '/sync/push', body), [SYNC_HEADERS.protocol]: String(PROTOCOL_VERSION - 1) };
      expectError(await push(body, downgraded), 401, 'SIGNATURE_INVALID');
      // Without a version header it is a v1 request, which this centre no longer serves.
      const unversioned = signedHeaders(signer(office), 'POST', '/sync/push', body);
      delete unversioned[SYNC_HEADERS.protocol];
      expectError(await push(body, unversioned), 400, 'PROTOCOL_VERSION_UNSUPPORTED');
      expect(await appliedSeq(office)).toBe(0);
    });

    it("a push signed with another office's key with 401 SIGNATURE_INVALID", async () => {
      const body = JSON.stringify(buildBatch(office.officeId, 1, packets.slice(0, 1)));
      const forged = signedHeaders({ officeId: office.officeId, privateKey: other.keys.privateKey }, 'POST', '/sync/push', body);
      expectError(await push(body, forged), 401, 'SIGNATURE_INVALID');
      expect(await appliedSeq(office)).toBe(0);
    });

    it('a body altered after signing with 401 SIGNATURE_INVALID', async () => {
      const batch = buildBatch(office.officeId, 1, packets.slice(0, 1));
      const body = JSON.stringify(batch);
      const headers = () => signedHeaders(signer(office), 'POST', '/sync/push', body);
      const altered = JSON.stringify({ ...batch, entries: [{ ...batch.entries[0]!, packet: { ...batch.entries[0]!.packet, biodata: { ...batch.entries[0]!.packet.biodata, fullName: 'ORANG LAIN' } } }] });
      expectError(await push(altered, headers()), 401, 'SIGNATURE_INVALID');
      // The same JSON with one more space is other bytes, and so not what was signed either.
      expectError(await push(`${body} `, headers()), 401, 'SIGNATURE_INVALID');
      expect(await appliedSeq(office)).toBe(0);
    });

    it('a signature made for another path or method with 401 SIGNATURE_INVALID', async () => {
      const body = JSON.stringify(buildBatch(office.officeId, 1, packets.slice(0, 1)));
      expectError(await push(body, signedHeaders(signer(office), 'POST', '/sync/state', body)), 401, 'SIGNATURE_INVALID');
      expectError(await push(body, { ...signedHeaders(signer(office), 'GET', '/sync/push', body), 'content-type': 'application/json' }), 401, 'SIGNATURE_INVALID');
    });

    it('a stale, a future or an unreadable timestamp with 401 SIGNATURE_EXPIRED', async () => {
      const body = JSON.stringify(buildBatch(office.officeId, 1, packets.slice(0, 1)));
      const margin = 60_000;
      for (const timestamp of [
        new Date(Date.now() - SIGNATURE_MAX_SKEW_MS - margin).toISOString(),
        new Date(Date.now() + SIGNATURE_MAX_SKEW_MS + margin).toISOString(),
        'kemarin',
      ]) {
        const error = expectError(await push(body, signedHeaders(signer(office), 'POST', '/sync/push', body, timestamp)), 401, 'SIGNATURE_EXPIRED');
        expect(error.messages.en).toMatch(/clock/);
      }
      expect(await appliedSeq(office)).toBe(0);
    });

    it('a push from an office the centre does not know with 401 SIGNATURE_INVALID', async () => {
      const body = JSON.stringify(buildBatch('GHOST', 1, packets.slice(0, 1)));
      expectError(await push(body, signedHeaders({ officeId: 'GHOST', privateKey: office.keys.privateKey }, 'POST', '/sync/push', body)), 401, 'SIGNATURE_INVALID');
    });

    it("a batch for another office than the signer's with 401 OFFICE_MISMATCH", async () => {
      const error = expectError(await signedPush(other, buildBatch(office.officeId, 1, packets.slice(0, 1))), 401, 'OFFICE_MISMATCH');
      expect(error.messages.en).toMatch(/office/i);
      expect(await appliedSeq(office)).toBe(0);
      expect(await appliedSeq(other)).toBe(0);
    });

    it('malformed JSON with 400 BODY_INVALID, and a JSON body that is not a batch with 400 INVALID_INPUT', async () => {
      const broken = '{"officeId": "' + office.officeId + '", "entries": [';
      expectError(await push(broken, signedHeaders(signer(office), 'POST', '/sync/push', broken)), 400, 'BODY_INVALID');
      const notABatch = JSON.stringify({ officeId: office.officeId, entries: [] });
      const response = await push(notABatch, signedHeaders(signer(office), 'POST', '/sync/push', notABatch));
      expectError(response, 400, 'INVALID_INPUT');
      expect(JSON.stringify(response.json())).toContain('entries');
      expect(await appliedSeq(office)).toBe(0);
    });

    it('answers in English when the client prefers it', async () => {
      const body = JSON.stringify(buildBatch(office.officeId, 1, packets.slice(0, 1)));
      const response = await app.inject({ method: 'POST', url: '/sync/push', headers: { 'content-type': 'application/json', 'accept-language': 'en-GB,en;q=0.9', [SYNC_HEADERS.protocol]: String(PROTOCOL_VERSION) }, payload: body });
      expect(response.statusCode).toBe(401);
      const { error } = response.json<ErrorBody>();
      expect(error.message).toBe(error.messages.en);
    });
  });

  describe('accepts', () => {
    it('a good push and answers { appliedThrough, applied, replayed }', async () => {
      const response = await signedPush(office, buildBatch(office.officeId, 1, packets.slice(0, 3)));
      expect(response.statusCode, response.body).toBe(200);
      const result = pushResultSchema.parse(response.json());
      expect(response.json()).toEqual({ appliedThrough: 3, applied: 3, replayed: 0 });
      expect(result.appliedThrough).toBe(3);
      expect(await appliedSeq(office)).toBe(3);
    });

    it('a replay of the same batch, acknowledged and not applied again', async () => {
      for (let i = 0; i < 2; i++) {
        const response = await signedPush(office, buildBatch(office.officeId, 1, packets.slice(0, 3)));
        expect(response.statusCode).toBe(200);
        expect(response.json()).toEqual({ appliedThrough: 3, applied: 0, replayed: 3 });
      }
      const overlapping = await signedPush(office, buildBatch(office.officeId, 2, packets.slice(1, 5)));
      expect(overlapping.json()).toEqual({ appliedThrough: 5, applied: 2, replayed: 2 });
      const enrolled = await ctx.db.selectFrom('enrollments').select((eb) => eb.fn.countAll().as('n')).where('office_id', '=', office.officeId).executeTakeFirstOrThrow();
      expect(Number(enrolled.n)).toBe(5);
    });

    it('but refuses an out-of-order batch with 409 OUT_OF_ORDER', async () => {
      const error = expectError(await signedPush(office, buildBatch(office.officeId, 8, packets.slice(7, 9))), 409, 'OUT_OF_ORDER');
      expect(error.messages.en).toContain('expected seq 6, got 8');
      expect(await appliedSeq(office)).toBe(5);
    });

    it('reports the applied seq on /sync/state', async () => {
      const response = await signedGet(office, '/sync/state');
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ appliedSeq: 5, changeSeq: 5 });
      expectError(await app.inject({ method: 'GET', url: '/sync/state', headers: { [SYNC_HEADERS.protocol]: String(PROTOCOL_VERSION) } }), 401, 'SIGNATURE_MISSING');
    });
  });

  describe('/sync/changes', () => {
    const page = async (by: TestOffice, after: number, limit: number) => {
      const response = await signedGet(by, `/sync/changes?after=${after}&limit=${limit}`);
      expect(response.statusCode, response.body).toBe(200);
      return changesResponseSchema.parse(response.json());
    };

    it('pages through the feed by cursor', async () => {
      const first = await page(office, 0, 2);
      expect(first.changes.map((c) => c.cursor)).toEqual([1, 2]);
      expect(first).toMatchObject({ nextCursor: 2, hasMore: true });
      expect(first.changes.map((c) => [c.recordId, c.status])).toEqual(packets.slice(0, 2).map((p) => [p.recordId, 'RECEIVED_AT_CENTRAL']));

      const second = await page(office, first.nextCursor, 2);
      expect(second.changes.map((c) => c.cursor)).toEqual([3, 4]);
      expect(second).toMatchObject({ nextCursor: 4, hasMore: true });

      const last = await page(office, second.nextCursor, 2);
      expect(last.changes.map((c) => c.cursor)).toEqual([5]);
      expect(last).toMatchObject({ nextCursor: 5, hasMore: false });

      // Exactly `limit` left: no more after it.
      expect(await page(office, 3, 2)).toMatchObject({ nextCursor: 5, hasMore: false });
      // At the end: nothing, and the cursor stays where it was.
      expect(await page(office, 5, 2)).toEqual({ changes: [], nextCursor: 5, hasMore: false });
      expect(await page(office, 40, 2)).toEqual({ changes: [], nextCursor: 40, hasMore: false });
      const all = await page(office, 0, 500);
      expect(all.changes.map((c) => c.recordId)).toEqual(packets.slice(0, 5).map((p) => p.recordId));
    });

    it("shows each office only its own feed", async () => {
      expect((await page(other, 0, 100)).changes).toEqual([]);
      const response = await signedPush(other, buildBatch(other.officeId, 1, packets.slice(10, 12)));
      expect(response.json()).toEqual({ appliedThrough: 2, applied: 2, replayed: 0 });
      const theirs = await page(other, 0, 100);
      expect(theirs.changes.map((c) => [c.cursor, c.recordId])).toEqual([[1, packets[10]!.recordId], [2, packets[11]!.recordId]]);
      expect((await page(office, 0, 100)).changes).toHaveLength(5);
    });

    it('refuses a query altered after signing, and a bad cursor', async () => {
      const headers = signedHeaders(signer(office), 'GET', '/sync/changes?after=0&limit=2', '');
      expectError(await app.inject({ method: 'GET', url: '/sync/changes?after=3&limit=2', headers }), 401, 'SIGNATURE_INVALID');
      expectError(await app.inject({ method: 'GET', url: '/sync/changes?after=0&limit=2', headers: { [SYNC_HEADERS.protocol]: String(PROTOCOL_VERSION) } }), 401, 'SIGNATURE_MISSING');
      expectError(await signedGet(office, '/sync/changes?after=-1'), 400, 'INVALID_INPUT');
      expectError(await signedGet(office, '/sync/changes?after=0&limit=5000'), 400, 'INVALID_INPUT');
    });
  });

  describe('protocol versions', () => {
    it('reports the versions it serves on /sync/version: the current one and the one before', async () => {
      const response = await app.inject({ method: 'GET', url: '/sync/version' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ current: PROTOCOL_VERSION, supported: { min: PROTOCOL_VERSION - 1, max: PROTOCOL_VERSION } });
    });

    it('refuses a version it does not serve with 400 PROTOCOL_VERSION_UNSUPPORTED naming the range it serves', async () => {
      const body = JSON.stringify(buildBatch(office.officeId, 6, packets.slice(5, 6)));
      for (const version of [String(PROTOCOL_VERSION + 1), '0', 'dua']) {
        const headers = { ...signedHeaders(signer(office), 'POST', '/sync/push', body), [SYNC_HEADERS.protocol]: version };
        const error = expectError(await push(body, headers), 400, 'PROTOCOL_VERSION_UNSUPPORTED');
        expect(error.messages.id).toContain(`${PROTOCOL_VERSION - 1}–${PROTOCOL_VERSION}`);
        expect(error.messages.en).toContain(`${PROTOCOL_VERSION - 1}–${PROTOCOL_VERSION}`);
        // Public /sync routes too: an office that is too old hears it on its first call.
        expectError(await app.inject({ method: 'GET', url: '/sync/tte/health', headers: { [SYNC_HEADERS.protocol]: version } }), 400, 'PROTOCOL_VERSION_UNSUPPORTED');
      }
      expect(await appliedSeq(office)).toBe(5);
    });

    it('serves a v2 office (signed as v2 signs, with no request id) the same page as a current office, and refuses a v1 office', async () => {
      const third = await registerTestOffice(ctx);
      expect((await signedPush(third, buildBatch(third.officeId, 1, packets.slice(6, 7)))).statusCode).toBe(200);
      const note = 'Templat biometrik tidak dapat dibuka / biometric templates could not be opened';
      await ctx.db.transaction().execute((trx) =>
        recordStatusChanges(trx, [{ officeId: third.officeId, recordId: packets[6]!.recordId, status: 'ENROLL_FAILURE_AT_CENTRAL', at: new Date().toISOString(), note }]),
      );
      const current = changesResponseSchema.parse((await signedGet(third, '/sync/changes?after=0')).json());
      expect(current.changes.map((c) => c.note)).toEqual([null, { id: 'Templat biometrik tidak dapat dibuka', en: 'biometric templates could not be opened' }]);

      const url = '/sync/changes?after=0';
      const timestamp = new Date().toISOString();
      const request = { officeId: third.officeId, method: 'GET', path: url, timestamp, body: '' };
      const v2Headers = { [SYNC_HEADERS.protocol]: '2', [SYNC_HEADERS.office]: third.officeId, [SYNC_HEADERS.timestamp]: timestamp, [SYNC_HEADERS.signature]: signOfficeRequest(third.keys.privateKey, request, 2) };
      const v2 = await app.inject({ method: 'GET', url, headers: v2Headers });
      expect(v2.statusCode, v2.body).toBe(200);
      expect(changesResponseSchema.parse(v2.json())).toEqual(current);

      // A v1 office (no version header, as released before versioning) is told to update, whatever it signs.
      const v1Headers = { [SYNC_HEADERS.office]: third.officeId, [SYNC_HEADERS.timestamp]: timestamp, [SYNC_HEADERS.signature]: signRequest(third.keys.privateKey, 'GET', url, timestamp, '') };
      expectError(await app.inject({ method: 'GET', url, headers: v1Headers }), 400, 'PROTOCOL_VERSION_UNSUPPORTED');
    });
  });
});
