import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PUSH_IMAGE_BYTES, changesResponseSchema, isRecordingEntry, pushFeedResultSchema, type PushBatch, type RecordingPacket } from '@tangguh/protocol';
import { CBOR_CONTENT_TYPE, encodeCbor, officeRequestHeaders } from '@tangguh/protocol/node';
import type { Db } from '@tangguh/platform';
import { buildBatch, buildPacket, registerTestOffice, testResidents, type TestOffice } from '../../../../test/builders.ts';
import type { CentralContext } from '../context.ts';
import type { CentralDb } from '../db/schema.ts';
import { buildCentralApp } from '../app.ts';
import { openCentral } from '../services/provision.ts';

interface ErrorBody {
  error: { code: string; message: string; messages: { id: string; en: string } };
}

function expectError(response: LightMyRequestResponse, status: number, code: string): ErrorBody['error'] {
  expect(response.statusCode, response.body).toBe(status);
  const { error } = response.json<ErrorBody>();
  expect(error.code).toBe(code);
  expect(error.messages.id.length).toBeGreaterThan(5);
  expect(error.messages.en.length).toBeGreaterThan(5);
  expect(error.messages.id).not.toBe(error.messages.en);
  return error;
}

/** A packet with its images and sealed templates as bytes, as the office's drain sends it. */
const asBytes = (p: RecordingPacket) => ({
  ...p,
  photo: { ...p.photo, data: new Uint8Array(Buffer.from(p.photo.data, 'base64')) },
  signature: { ...p.signature, data: new Uint8Array(Buffer.from(p.signature.data, 'base64')) },
  sealedBiometrics: new Uint8Array(Buffer.from(p.sealedBiometrics, 'base64')),
});

/*
 * POST /sync/push with a binary body (application/cbor, within protocol v3) and ?feed=1, over the route as
 * offices call it: applied exactly once like a JSON push, the feed entries it appended in the answer, malformed
 * or oversized bodies refused with a bilingual 400, and the request id — remembered in the push's own
 * transaction — still refused on a second hearing, also when the first hearing failed.
 */
describe('binary push (application/cbor) and the feed in its answer', () => {
  let dir: string;
  let handle: Db<CentralDb>;
  let ctx: CentralContext;
  let app: FastifyInstance;
  let office: TestOffice;
  let packets: RecordingPacket[];
  const signer = () => ({ officeId: office.officeId, privateKey: office.keys.privateKey });

  const headersFor = (url: string, body: Uint8Array | string, contentType = CBOR_CONTENT_TYPE) => officeRequestHeaders(signer(), 'POST', url, body, undefined, undefined, contentType);
  const send = (url: string, body: Uint8Array | string, headers: Record<string, string>) => app.inject({ method: 'POST', url, headers, payload: Buffer.from(body) });
  const pushCbor = (batch: unknown, url = '/sync/push?feed=1') => {
    const body = encodeCbor(batch);
    return send(url, body, headersFor(url, body));
  };
  const count = async (table: 'enrollments' | 'applied_entries' | 'office_request_ids') =>
    Number((await ctx.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tangguh-sync-binary-'));
    ({ handle, ctx } = await openCentral(join(dir, 'central.db')));
    app = await buildCentralApp(ctx, { serveWeb: false });
    office = await registerTestOffice(ctx);
    const people = await testResidents(4, 1811);
    packets = [];
    for (const person of people) packets.push(await buildPacket(ctx, person, { subjectKey: person.nik }));
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('applies a binary push once, stores the very bytes, and answers with the feed entries it appended', async () => {
    const batch = { officeId: office.officeId, entries: buildBatch(office.officeId, 1, packets.slice(0, 3)).entries.map((e) => (isRecordingEntry(e) ? { ...e, packet: asBytes(e.packet as RecordingPacket) } : e)) };
    const binary = encodeCbor(batch);
    expect(binary.length).toBeLessThan(Buffer.byteLength(JSON.stringify(buildBatch(office.officeId, 1, packets.slice(0, 3)))));
    const answer = await pushCbor(batch);
    expect(answer.statusCode, answer.body).toBe(200);
    const result = pushFeedResultSchema.parse(answer.json());
    expect(result).toMatchObject({ appliedThrough: 3, applied: 3, replayed: 0 });
    expect(result.feed?.map((c) => [c.recordId, c.status])).toEqual(packets.slice(0, 3).map((p) => [p.recordId, 'RECEIVED_AT_CENTRAL']));
    // The feed entries are exactly the office's change feed from its start.
    const url = '/sync/changes?after=0&limit=10';
    const page = changesResponseSchema.parse((await app.inject({ method: 'GET', url, headers: officeRequestHeaders(signer(), 'GET', url, '') })).json());
    expect(page.changes).toEqual(result.feed);
    for (const p of packets.slice(0, 3)) {
      const row = await ctx.db.selectFrom('enrollments').selectAll().where('record_id', '=', p.recordId).executeTakeFirstOrThrow();
      expect(Buffer.from(row.photo).toString('base64')).toBe(p.photo.data);
      expect(Buffer.from(row.signature).toString('base64')).toBe(p.signature.data);
      expect(Buffer.from(row.sealed_biometrics).toString('base64')).toBe(p.sealedBiometrics);
      expect(JSON.parse(row.biodata)).toEqual(p.biodata);
    }
    // The same batch again, as JSON this time: a replay, acknowledged, nothing applied twice, no feed.
    const body = JSON.stringify(buildBatch(office.officeId, 1, packets.slice(0, 3)));
    const again = await send('/sync/push?feed=1', body, headersFor('/sync/push?feed=1', body, 'application/json'));
    expect(again.json()).toEqual({ appliedThrough: 3, applied: 0, replayed: 3 });
    expect(await count('enrollments')).toBe(3);
    // Without ?feed=1 the answer is the plain result, as offices before the feed read it.
    const plain = await pushCbor({ officeId: office.officeId, entries: buildBatch(office.officeId, 4, packets.slice(3, 4)).entries }, '/sync/push');
    expect(plain.json()).toEqual({ appliedThrough: 4, applied: 1, replayed: 0 });
  });

  it('refuses a body that is not CBOR of the accepted subset with 400 BODY_INVALID, saying why', async () => {
    const cases: [string, Uint8Array, RegExp][] = [
      ['truncated', encodeCbor({ officeId: office.officeId, entries: [] }).subarray(0, 10), /ends|longer than the body/],
      ['trailing bytes', Buffer.concat([encodeCbor({ officeId: office.officeId }), Buffer.from([0])]), /bytes after the item/],
      ['a tag', Buffer.from([0xc1, 0x00]), /tags/],
      ['__proto__', Buffer.from([0xa1, 0x69, ...Buffer.from('__proto__'), 0xa0]), /__proto__/],
      ['a lying length', Buffer.from([0x9a, 0x7f, 0xff, 0xff, 0xff, 0x00]), /array longer than the body/],
      ['too deep', new Uint8Array(5000).fill(0x81), /nested deeper/],
    ];
    const before = await count('enrollments');
    for (const [name, body, why] of cases) {
      const error = expectError(await send('/sync/push', body, headersFor('/sync/push', body)), 400, 'BODY_INVALID');
      expect(error.messages.en, name).toMatch(why);
      expect(error.messages.id, name).toMatch(/bukan CBOR yang sah/);
    }
    expect(await count('enrollments')).toBe(before);
  });

  it('refuses a CBOR batch of the wrong shape or with oversized bytes with 400 INVALID_INPUT, and an unsigned one with 401 before its body', async () => {
    const packet = asBytes(packets[3]!);
    const huge = { ...packet, photo: { ...packet.photo, data: new Uint8Array(MAX_PUSH_IMAGE_BYTES + 1) } };
    expectError(await pushCbor({ officeId: office.officeId, entries: [{ seq: 5, kind: 'recording.created', occurredAt: new Date().toISOString(), packet: huge }] }), 400, 'INVALID_INPUT');
    expectError(await pushCbor({ officeId: office.officeId, entries: 'nope' }), 400, 'INVALID_INPUT');
    const body = encodeCbor({ officeId: office.officeId, entries: [] });
    expectError(await send('/sync/push', body, { 'content-type': CBOR_CONTENT_TYPE, 'x-tangguh-protocol': '3' }), 401, 'SIGNATURE_MISSING');
  });

  it('refuses the second hearing of a push request (409 REQUEST_REPLAYED), whether its first hearing was applied or refused', async () => {
    const batch = { officeId: office.officeId, entries: buildBatch(office.officeId, 5, packets.slice(3, 4)).entries };
    const body = encodeCbor(batch);
    const headers = headersFor('/sync/push', body);
    expect((await send('/sync/push', body, headers)).json()).toEqual({ appliedThrough: 5, applied: 1, replayed: 0 });
    expectError(await send('/sync/push', body, headers), 409, 'REQUEST_REPLAYED');
    // Refused the first time (not CBOR): its id is remembered all the same.
    const junk = Buffer.from([0xff]);
    const junkHeaders = headersFor('/sync/push', junk);
    expectError(await send('/sync/push', junk, junkHeaders), 400, 'BODY_INVALID');
    expectError(await send('/sync/push', junk, junkHeaders), 409, 'REQUEST_REPLAYED');
    // Out of order the first time: remembered too.
    const gap = encodeCbor({ officeId: office.officeId, entries: buildBatch(office.officeId, 9, packets.slice(0, 1)).entries });
    const gapHeaders = headersFor('/sync/push', gap);
    expectError(await send('/sync/push', gap, gapHeaders), 409, 'OUT_OF_ORDER');
    expectError(await send('/sync/push', gap, gapHeaders), 409, 'REQUEST_REPLAYED');
  });

  it('applies two hearings of one push request sent at the same moment once, and refuses the other', async () => {
    const batch: PushBatch = { officeId: office.officeId, entries: buildBatch(office.officeId, 6, packets.slice(0, 1)).entries };
    const body = encodeCbor(batch);
    const headers = headersFor('/sync/push', body);
    const answers = await Promise.all([send('/sync/push', body, headers), send('/sync/push', body, headers)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
  });
});
