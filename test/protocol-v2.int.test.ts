import { createHash, createPrivateKey, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fromBase64Url, openTrustList } from '@tangguh/credential';
import { RECORD_STATUSES } from '@tangguh/domain';
import type { Db } from '@tangguh/platform';
import type { PushBatch } from '@tangguh/protocol';
import { buildCentralApp } from '@tangguh/central';
import type { CentralContext } from '@tangguh/central/context';
import { addCentralUser, openCentral } from '@tangguh/central/provision';
import { runDeduplication } from '@tangguh/central/services/dedup';
import type { CentralDb } from '../apps/central/src/db/schema.ts';
import { CentralClient } from '../apps/office/src/services/central-client.ts';
import { buildBatch, buildPacket, registerTestOffice, testResidents, type TestOffice } from './builders.ts';
import { login } from './helpers.ts';

/*
 * An office one release behind (wire protocol v2) against today's centre (v3), over real HTTP.
 *
 * The v2 client below is a frozen copy of how the released office built its requests and read the answers:
 * a version header, a signature over version, office, method, path, timestamp and body hash — no request id,
 * no body-hash header — and its own schemas (change notes as { id, en }). It must not import today's protocol
 * helpers: those move on, v2 offices do not. (v1, two releases behind, is refused: see the last test.)
 */

const V2 = {
  headers: { office: 'x-tangguh-office', timestamp: 'x-tangguh-timestamp', signature: 'x-tangguh-signature', protocol: 'x-tangguh-protocol' },
  pushResult: z.object({ appliedThrough: z.number().int().nonnegative(), applied: z.number().int().nonnegative(), replayed: z.number().int().nonnegative() }),
  changes: z.object({
    changes: z.array(z.object({ cursor: z.number().int().positive(), recordId: z.string(), status: z.enum(RECORD_STATUSES), at: z.string(), note: z.object({ id: z.string(), en: z.string() }).nullable() })),
    nextCursor: z.number().int().nonnegative(),
    hasMore: z.boolean(),
  }),
  state: z.object({ appliedSeq: z.number() }),
  tteHealth: z.object({ available: z.boolean(), since: z.string().nullable() }),
  tteSigned: z.object({ signed: z.array(z.object({ documentId: z.string(), qrText: z.string().min(1), signedAt: z.string() })) }),
  documentKey: z.object({ key: z.object({ kid: z.string(), officeId: z.string(), purpose: z.enum(['SUKET', 'TTE']), publicKey: z.string(), notBefore: z.number(), notAfter: z.number() }) }),
  signedList: z.object({ signed: z.string().min(1) }),
};

class V2OfficeClient {
  constructor(
    private readonly baseUrl: string,
    private readonly office: TestOffice,
  ) {}

  headers(method: 'GET' | 'POST', path: string, body: string): Record<string, string> {
    const timestamp = new Date().toISOString();
    const input = `tangguh-sync/2\n${this.office.officeId}\n${method}\n${path}\n${timestamp}\n${createHash('sha256').update(body).digest('hex')}`;
    const signature = sign(null, Buffer.from(input), createPrivateKey(this.office.keys.privateKey)).toString('base64');
    return {
      [V2.headers.protocol]: '2',
      [V2.headers.office]: this.office.officeId,
      [V2.headers.timestamp]: timestamp,
      [V2.headers.signature]: signature,
      ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
    };
  }

  async call<T>(schema: z.ZodType<T>, method: 'GET' | 'POST', path: string, body = ''): Promise<{ status: number; body: T }> {
    const response = await fetch(new URL(path, this.baseUrl), { method, headers: this.headers(method, path, body), body: method === 'POST' ? body : undefined });
    const text = await response.text();
    expect(response.ok, `${method} ${path}: ${response.status} ${text}`).toBe(true);
    return { status: response.status, body: schema.parse(JSON.parse(text)) };
  }

  push = (batch: PushBatch) => this.call(V2.pushResult, 'POST', '/sync/push', JSON.stringify(batch));
  changes = (after: number, limit: number) => this.call(V2.changes, 'GET', `/sync/changes?after=${after}&limit=${limit}`);
  state = () => this.call(V2.state, 'GET', '/sync/state');
  tteHealth = () => this.call(V2.tteHealth, 'GET', '/sync/tte/health');
  tteSign = (request: unknown) => this.call(V2.tteSigned, 'POST', '/sync/tte/sign', JSON.stringify(request));
  certify = (publicKey: string, purpose: 'SUKET' | 'TTE') => this.call(V2.documentKey, 'POST', '/sync/document-keys', JSON.stringify({ publicKey, purpose }));
  list = (path: '/trust/list' | '/trust/revocations') => this.call(V2.signedList, 'GET', path);
}

/** What a v2 office holds after pulling: each record's latest status and note, and its cursor. */
async function pullAll(client: V2OfficeClient, from: { cursor: number; records: Map<string, { status: string; note: { id: string; en: string } | null }> }) {
  for (;;) {
    const page = (await client.changes(from.cursor, 3)).body;
    for (const change of page.changes) from.records.set(change.recordId, { status: change.status, note: change.note });
    from.cursor = page.nextCursor;
    if (!page.hasMore) return from;
  }
}

describe('an office one protocol version behind (v2) against the current centre', () => {
  let dir: string;
  let handle: Db<CentralDb>;
  let ctx: CentralContext;
  let app: FastifyInstance;
  let baseUrl: string;
  let office: TestOffice;
  let v2: V2OfficeClient;
  const mirror = { cursor: 0, records: new Map<string, { status: string; note: { id: string; en: string } | null }>() };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tangguh-v2-'));
    ({ handle, ctx } = await openCentral(join(dir, 'central.db')));
    app = await buildCentralApp(ctx, { serveWeb: false });
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    office = await registerTestOffice(ctx);
    v2 = new V2OfficeClient(baseUrl, office);
    await addCentralUser(ctx, { username: 'adjudikator', fullName: 'Adjudikator', role: 'adjudicator', password: 'adjudikator-pusat' });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('pushes, replays, is deduplicated and adjudicated, pulls every change, and ends with the centre’s statuses', async () => {
    const [a, b, c, d] = await testResidents(4, 4242);
    const packets = [
      await buildPacket(ctx, a!, { subjectKey: a!.nik }),
      await buildPacket(ctx, b!, { subjectKey: b!.nik }),
      // The same fingers as A under another NIK: a duplicate, whose note names the match.
      await buildPacket(ctx, c!, { subjectKey: a!.nik, attempt: 1 }),
      // A poor capture of B: undecidable, for a human at the centre.
      await buildPacket(ctx, d!, { subjectKey: b!.nik, noise: 0.2 }),
    ];
    expect((await v2.push(buildBatch(office.officeId, 1, packets.slice(0, 2)))).body).toEqual({ appliedThrough: 2, applied: 2, replayed: 0 });
    expect((await v2.push(buildBatch(office.officeId, 1, packets))).body).toEqual({ appliedThrough: 4, applied: 2, replayed: 2 });
    while ((await runDeduplication(ctx)) > 0);

    const adjudicator = await login(baseUrl, 'adjudikator', 'adjudikator-pusat');
    const cases = (await adjudicator.get<{ items: { caseId: string; recordId: string }[] }>('/api/adjudications')).body.items;
    expect(cases.map((item) => item.recordId)).toEqual([packets[3]!.recordId]);
    expect((await adjudicator.post(`/api/adjudications/${cases[0]!.caseId}/decision`, { decision: 'DIFFERENT_PERSON' })).status).toBe(200);

    await pullAll(v2, mirror);
    const centre = await ctx.db.selectFrom('enrollments').select(['record_id', 'status']).where('office_id', '=', office.officeId).execute();
    expect(Object.fromEntries([...mirror.records].map(([id, r]) => [id, r.status]))).toEqual(Object.fromEntries(centre.map((r) => [r.record_id, r.status])));
    expect(mirror.records.get(packets[2]!.recordId)?.status).toBe('DUPLICATE_RECORD');
    expect(mirror.records.get(packets[3]!.recordId)?.status).toBe('PRINT_READY_RECORD');
    // Notes arrive as the centre wrote them ("Indonesian / English"), the two halves apart, as v2 always read them.
    const stored = await ctx.db.selectFrom('status_changes').select(['record_id', 'note']).where('office_id', '=', office.officeId).orderBy('cursor', 'desc').execute();
    const joined = (note: { id: string; en: string } | null) => (note ? (note.id === note.en ? note.id : `${note.id} / ${note.en}`) : null);
    for (const [recordId, held] of mirror.records) expect(joined(held.note)).toBe(stored.find((s) => s.record_id === recordId)!.note);
    expect(mirror.records.get(packets[2]!.recordId)?.note?.id).toMatch(/^Cocok dengan rekaman lain/);
    expect(mirror.records.get(packets[2]!.recordId)?.note?.en).toMatch(/^matches another record/);
    expect(mirror.records.get(packets[3]!.recordId)?.note?.id).toMatch(/^Adjudikasi: orang berbeda/);
    expect(mirror.records.get(packets[3]!.recordId)?.note?.en).toMatch(/^adjudicated: different person/);

    // Its cursor is the end of its feed, and the centre holds all it sent.
    const office_ = await ctx.db.selectFrom('offices').select(['applied_seq', 'change_seq']).where('office_id', '=', office.officeId).executeTakeFirstOrThrow();
    expect(mirror.cursor).toBe(Number(office_.change_seq));
    expect((await v2.state()).body.appliedSeq).toBe(4);
  });

  it('has a document key certified and reads the signed lists that carry it', async () => {
    const publicKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!;
    const certified = await v2.certify(publicKey, 'SUKET');
    expect(certified.status).toBe(201);
    expect(certified.body.key).toMatchObject({ officeId: office.officeId, purpose: 'SUKET', publicKey });
    const root = await (await fetch(new URL('/trust/root', baseUrl))).json() as { publicKey: string };
    const trust = openTrustList((await v2.list('/trust/list')).body.signed, fromBase64Url(root.publicKey));
    expect(trust.keys.map((k) => k.kid)).toContain(certified.body.key.kid);
    expect((await v2.list('/trust/revocations')).body.signed.length).toBeGreaterThan(0);
  });

  it("asks whether the TTE service is up; a signing request of its kind, with no head's proof, is refused as unauthorised", async () => {
    expect((await v2.tteHealth()).body.available).toBe(true);
    // Since the centre signs only on the head's own proof (issue 7, hole 5), a v2 office cannot have documents
    // TTE-signed: it is told so plainly (403), not with a malformed-request error.
    const documentId = randomUUID();
    const claims = { typ: 'KK', ser: `${office.officeId}-DOK-20261128-000001`, iss: office.officeId, sub: { nomor: '3509-1', nik: '3509124507900003', nama: 'Siti Rahayu' } };
    const body = JSON.stringify({ documents: [{ documentId, claims }], signer: { username: 'kepala', fullName: 'Drs. Hadi Santoso' } });
    const response = await fetch(new URL('/sync/tte/sign', baseUrl), { method: 'POST', headers: v2.headers('POST', '/sync/tte/sign', body), body });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toMatch(/^TTE_/);
  });

  it('is refused when it sends the very same request twice (a replay), and served when it signs again', async () => {
    const headers = v2.headers('GET', '/sync/state', '');
    const send = () => fetch(new URL('/sync/state', baseUrl), { headers });
    expect((await send()).status).toBe(200);
    const replay = await send();
    expect(replay.status).toBe(409);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('REQUEST_REPLAYED');
    expect((await v2.state()).status).toBe(200);
  });

  it('is served side by side with a current (v3) office, while an office two versions behind (v1) is told to update', async () => {
    const current = await registerTestOffice(ctx);
    const client = new CentralClient({ baseUrl, officeId: current.officeId, signingPrivateKey: current.keys.privateKey });
    const [e] = await testResidents(1, 4243);
    const [first] = await testResidents(1, 4242);
    // The same fingers as the v2 office's first resident: a duplicate across offices.
    const packet = await buildPacket(ctx, e!, { subjectKey: first!.nik, attempt: 2 });
    expect(await client.push(buildBatch(current.officeId, 1, [packet]))).toEqual({ appliedThrough: 1, applied: 1, replayed: 0 });
    while ((await runDeduplication(ctx)) > 0);
    const page = await client.changes(0, 100);
    const last = page.changes.at(-1)!;
    expect(last.status).toBe('DUPLICATE_RECORD');
    expect(last.note?.id).toMatch(/^Cocok dengan rekaman lain/);
    expect(last.note?.en).toMatch(/^matches another record/);
    // The v2 office, meanwhile, keeps reading its own feed as before.
    expect((await v2.changes(0, 1)).body.changes[0]!.note).toBeNull();
    // A v1 request: no version header, signed over method, path, timestamp and body hash.
    const timestamp = new Date().toISOString();
    const v1Input = `GET\n/sync/state\n${timestamp}\n${createHash('sha256').update('').digest('hex')}`;
    const v1 = await fetch(new URL('/sync/state', baseUrl), {
      headers: { [V2.headers.office]: office.officeId, [V2.headers.timestamp]: timestamp, [V2.headers.signature]: sign(null, Buffer.from(v1Input), createPrivateKey(office.keys.privateKey)).toString('base64') },
    });
    expect(v1.status).toBe(400);
    expect(((await v1.json()) as { error: { code: string } }).error.code).toBe('PROTOCOL_VERSION_UNSUPPORTED');
  });
});
