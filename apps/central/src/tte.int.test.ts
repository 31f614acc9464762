import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { decodeCredential, fromBase64Url, verifyCredential } from '@tangguh/credential';
import { PROTOCOL_VERSION, SYNC_HEADERS, type TteClaims, type TteSignResponse } from '@tangguh/protocol';
import { registerTestOffice, signedHeaders, type TestOffice } from '../../../test/builders.ts';
import { freshStore, setupOrFail, type FreshStore } from '../../../test/pg.ts';
import { buildCentralApp } from './app.ts';
import type { CentralContext } from './context.ts';
import { tteDb } from './db/migrations-tte.ts';
import { addCentralUser, openCentral } from './services/provision.ts';
import { applyPushBatch } from './services/inbox.ts';
import { currentRevocationList, currentTrustList, revokeDocumentKey } from './services/trust.ts';
import { decideEnrolment, enrolHeadKey, setOfficeHead } from './services/tte-heads.ts';
import { makeHeadKey, proofFor, type HeadKey } from '../../../test/tte-head.ts';

interface Reply<T = unknown> {
  status: number;
  body: T;
}
type ErrorReply = { error: { code: string; messages: { id: string; en: string } } };

const HEAD_A = { username: 'kepala', fullName: 'Drs. Hadi Santoso' };
const HEAD_B = { username: 'kepala2', fullName: 'Dr. Ratna Dewi' };

describe.each(['sqlite', 'postgres'] as const)('the TTE service on %s', (dialect) => {
  let store: FreshStore;
  let close: () => Promise<void>;
  let ctx: CentralContext;
  let app: FastifyInstance;
  let office: TestOffice;
  let other: TestOffice;
  let adminCookie: string;
  let adjudicatorCookie: string;

  setupOrFail(async () => {
    store = await freshStore(dialect, 'tangguh-tte-');
    const opened = await openCentral(store.location);
    ctx = opened.ctx;
    app = await buildCentralApp(ctx, { serveWeb: false });
    close = async () => {
      await app.close();
      await opened.handle.close();
    };
    office = await registerTestOffice(ctx);
    other = await registerTestOffice(ctx);
    await addCentralUser(ctx, { username: 'admin', fullName: 'Admin Pusat', role: 'admin', password: 'admin-pusat' });
    await addCentralUser(ctx, { username: 'adjudikator', fullName: 'Adjudikator', role: 'adjudicator', password: 'adjudikator-pusat' });
    adminCookie = await loginCookie('admin', 'admin-pusat');
    adjudicatorCookie = await loginCookie('adjudikator', 'adjudikator-pusat');
  });
  afterAll(async () => {
    await close?.();
    await store?.cleanup();
  });

  async function loginCookie(username: string, password: string): Promise<string> {
    const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    expect(response.statusCode).toBe(200);
    return response.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  async function switchTte(available: boolean, cookie = adminCookie): Promise<Reply<{ available: boolean; since: string | null } & Partial<ErrorReply>>> {
    const response = await app.inject({ method: 'POST', url: '/api/admin/tte', payload: { available }, headers: cookie ? { cookie } : {} });
    return { status: response.statusCode, body: response.json() };
  }

  async function health(): Promise<{ available: boolean; since: string | null }> {
    return (await app.inject({ method: 'GET', url: '/sync/tte/health', headers: { [SYNC_HEADERS.protocol]: String(PROTOCOL_VERSION) } })).json();
  }

  /** Makes `signer` the office's head at the centre, with an approved personal key (made once per person). */
  const headKeys = new Map<string, Promise<HeadKey>>();
  async function asHead(from: TestOffice, signer: typeof HEAD_A): Promise<HeadKey> {
    const person = `${from.officeId}/${signer.username}`;
    // Requests sent together for one new head share one enrolment.
    if (!headKeys.has(person)) {
      headKeys.set(
        person,
        (async () => {
          const key = makeHeadKey();
          await setOfficeHead(ctx, { officeId: from.officeId, ...signer, by: 'test' });
          const enrolment = await enrolHeadKey(ctx, from.officeId, { ...signer, publicKey: key.publicKey });
          await decideEnrolment(ctx, { id: enrolment.id, approve: true, by: 'admin' });
          return key;
        })(),
      );
    }
    const key = await headKeys.get(person)!;
    await setOfficeHead(ctx, { officeId: from.officeId, ...signer, by: 'test' });
    return key;
  }

  /** POST /sync/tte/sign signed with the office's key, as an office sends it, with the head's proof over the batch. */
  async function sign<T = TteSignResponse>(from: TestOffice, documents: { documentId: string; claims: TteClaims }[], signer = HEAD_A): Promise<Reply<T>> {
    const proof = proofFor(await asHead(from, signer), from.officeId, signer.username, documents);
    const body = JSON.stringify({ documents, signer, proof });
    const response = await app.inject({ method: 'POST', url: '/sync/tte/sign', payload: body, headers: signedHeaders({ officeId: from.officeId, privateKey: from.keys.privateKey }, 'POST', '/sync/tte/sign', body) });
    return { status: response.statusCode, body: response.json() };
  }

  let serialNo = 0;
  const documentFor = (from: TestOffice, typ = 'KK') => {
    serialNo += 1;
    const ser = `${from.officeId}-DOK-20261124-${String(serialNo).padStart(6, '0')}`;
    return { documentId: randomUUID(), claims: { typ, ser, iss: from.officeId, sub: { nomor: `3509-${serialNo}`, nik: '3509124507900003', nama: 'Siti Rahayu' } } };
  };

  const count = async (table: 'tte_signers' | 'tte_signatures') =>
    Number((await tteDb(ctx.db).selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('is up by default; only the centre’s admin can switch it off, and while off it refuses to sign, changing nothing', async () => {
    expect(await health()).toEqual({ available: true, since: null });
    expect((await switchTte(false, '')).status).toBe(401);
    expect((await switchTte(false, adjudicatorCookie)).status).toBe(403);

    const off = await switchTte(false);
    expect(off.status).toBe(200);
    expect(off.body.available).toBe(false);
    expect(Date.parse(off.body.since!)).toBeGreaterThan(Date.now() - 60_000);
    expect(await health()).toEqual({ available: false, since: off.body.since });
    // Switching off again does not move the start of the outage.
    expect((await switchTte(false)).body.since).toBe(off.body.since);

    const refused = await sign<ErrorReply>(office, [documentFor(office)]);
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('TTE_UNAVAILABLE');
    expect(refused.body.error.messages.id).toContain('tidak tersedia');
    expect(refused.body.error.messages.en).toContain('unavailable');
    expect(await count('tte_signers')).toBe(0);
    expect(await count('tte_signatures')).toBe(0);

    const on = await switchTte(true);
    expect(on.body.available).toBe(true);
    expect((await health()).available).toBe(true);
  });

  it('signs a batch with the head’s TTE key, certified in the trust list with purpose TTE', async () => {
    const documents = [documentFor(office, 'KK'), documentFor(office, 'AKTA_KELAHIRAN'), documentFor(office, 'AKTA_KEMATIAN')];
    const reply = await sign(office, documents);
    expect(reply.status).toBe(200);
    expect(reply.body.signed.map((s) => s.documentId)).toEqual(documents.map((d) => d.documentId));

    const trust = (await currentTrustList(ctx)).list;
    const revocations = (await currentRevocationList(ctx)).list;
    const kids = new Set<string>();
    for (const [i, signed] of reply.body.signed.entries()) {
      const decoded = decodeCredential(signed.qrText);
      expect(decoded.claims).toMatchObject({ ...documents[i]!.claims, sub: { ...documents[i]!.claims.sub, ttd: HEAD_A.fullName } });
      expect(decoded.claims.iat).toBe(Math.floor(Date.parse(signed.signedAt) / 1000));
      const key = trust.keys.find((k) => k.kid === decoded.kid);
      expect(key).toMatchObject({ purpose: 'TTE', officeId: office.officeId });
      expect(decoded.verifyWith(fromBase64Url(key!.publicKey))).toBe(true);
      expect(verifyCredential(signed.qrText, { trust, revocations, now: Math.floor(Date.now() / 1000) }).verdict).toBe('VALID');
      kids.add(decoded.kid);
    }
    expect(kids.size).toBe(1);
    expect(await count('tte_signers')).toBe(1);
    expect(await count('tte_signatures')).toBe(3);

    // A retry after a lost answer gets the first signatures back, not new ones.
    const again = await sign(office, documents);
    expect(again.body).toEqual(reply.body);
    expect(await count('tte_signatures')).toBe(3);

    // Another head of the same office has a key of their own.
    const byB = await sign(office, [documentFor(office)], HEAD_B);
    const kidB = decodeCredential(byB.body.signed[0]!.qrText).kid;
    expect(kids.has(kidB)).toBe(false);
    expect((await currentTrustList(ctx)).list.keys.filter((k) => k.purpose === 'TTE' && k.officeId === office.officeId)).toHaveLength(2);
  });

  it('signs up to 200 documents in one request and refuses 201', async () => {
    const batch = Array.from({ length: 200 }, () => documentFor(office));
    const reply = await sign(office, batch);
    expect(reply.status).toBe(200);
    expect(new Set(reply.body.signed.map((s) => s.qrText)).size).toBe(200);
    expect((await sign<ErrorReply>(office, [...Array.from({ length: 201 }, () => documentFor(office))])).status).toBe(400);
  });

  it('refuses unsigned requests, another office’s documents and Suket claims', async () => {
    const unsigned = await app.inject({ method: 'POST', url: '/sync/tte/sign', payload: { documents: [documentFor(office)], signer: HEAD_A }, headers: { [SYNC_HEADERS.protocol]: String(PROTOCOL_VERSION) } });
    expect(unsigned.statusCode).toBe(401);
    const foreign = await sign<ErrorReply>(office, [documentFor(other)]);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('ISSUER_MISMATCH');
    expect((await sign<ErrorReply>(office, [documentFor(office, 'SUKET')])).status).toBe(400);
  });

  it('gives one key and one signature when the first requests for a new head arrive together', async () => {
    const head = { username: `kepala-${randomUUID().slice(0, 6)}`, fullName: 'Ir. Bambang' };
    const documents = [documentFor(office), documentFor(office)];
    const replies = await Promise.all([sign(office, documents, head), sign(office, documents, head), sign(office, documents, head)]);
    for (const reply of replies) expect(reply.status).toBe(200);
    expect(replies[1]!.body).toEqual(replies[0]!.body);
    expect(replies[2]!.body).toEqual(replies[0]!.body);
    const signers = await tteDb(ctx.db).selectFrom('tte_signers').select('kid').where('username', '=', head.username).execute();
    expect(signers).toHaveLength(1);
    expect((await currentTrustList(ctx)).list.keys.filter((k) => k.kid === signers[0]!.kid)).toHaveLength(1);
  });

  it('replaces a head’s key the centre revoked: later documents carry a new certified key and verify', async () => {
    const head = { username: `kepala-${randomUUID().slice(0, 6)}`, fullName: 'Hj. Lestari' };
    const first = (await sign(office, [documentFor(office)], head)).body.signed[0]!;
    const oldKid = decodeCredential(first.qrText).kid;
    await revokeDocumentKey(ctx, { kid: oldKid, reason: 'KEY_COMPROMISE' });

    const next = (await sign(office, [documentFor(office)], head)).body.signed[0]!;
    const newKid = decodeCredential(next.qrText).kid;
    expect(newKid).not.toBe(oldKid);
    const trust = (await currentTrustList(ctx)).list;
    expect(trust.keys.find((k) => k.kid === newKid)).toMatchObject({ purpose: 'TTE', officeId: office.officeId });
    expect(trust.keys.find((k) => k.kid === newKid)?.revokedAt).toBeUndefined();
    const revocations = (await currentRevocationList(ctx)).list;
    const now = Math.floor(Date.now() / 1000);
    expect(verifyCredential(next.qrText, { trust, revocations, now }).verdict).toBe('VALID');
    expect(verifyCredential(first.qrText, { trust, revocations, now }).verdict).toBe('FORGED');
  });

  it('puts a superseded document’s serial on the revocation list, only for the office that issued it', async () => {
    const old = documentFor(office);
    const newer = documentFor(office);
    const [signedOld] = (await sign(office, [old])).body.signed;
    const event = (seq: number, ser: string, supersededBy: string) => ({ seq, kind: 'document.superseded', occurredAt: new Date().toISOString(), subjectId: ser, payload: { ser, supersededBy } });
    await applyPushBatch(ctx, office.officeId, { officeId: office.officeId, entries: [event(1, old.claims.ser, newer.claims.ser), event(2, `${other.officeId}-DOK-20261124-000001`, newer.claims.ser)] });
    const revocations = (await currentRevocationList(ctx)).list;
    expect(revocations.entries.find((e) => e.ser === old.claims.ser)).toMatchObject({ reason: 'SUPERSEDED', supersededBy: newer.claims.ser });
    expect(revocations.entries.some((e) => e.ser.startsWith(other.officeId))).toBe(false);
    const trust = (await currentTrustList(ctx)).list;
    expect(verifyCredential(signedOld!.qrText, { trust, revocations, now: Math.floor(Date.now() / 1000) }).verdict).toBe('SUPERSEDED');
  });
});
