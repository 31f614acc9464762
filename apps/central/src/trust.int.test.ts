import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import {
  encodeCredential,
  fromBase64Url,
  generateSigningKey,
  openRevocationList,
  openTrustList,
  toBase64Url,
  type SigningKey,
  type TrustedKey,
  type VerificationResult,
} from '@tangguh/credential';
import type { Db } from '@tangguh/platform';
import { PROTOCOL_VERSION, SYNC_HEADERS, type OfficeEventEntryWire } from '@tangguh/protocol';
import { registerTestOffice, signedHeaders, type TestOffice } from '../../../test/builders.ts';
import { freshStore, setupOrFail, type FreshStore } from '../../../test/pg.ts';
import { rejection } from '../../../test/refusal.ts';
import { buildCentralApp } from './app.ts';
import type { CentralContext } from './context.ts';
import type { CentralDb } from './db/schema.ts';
import { trustDb } from './db/migrations-trust.ts';
import { addCentralUser, openCentral } from './services/provision.ts';
import { applyPushBatch } from './services/inbox.ts';
import { certifyDocumentKey, currentRevocationList, currentTrustList, revokeDocumentKey, trustRoot, trustRootInfo } from './services/trust.ts';

function expectError(response: LightMyRequestResponse, status: number, code: string): void {
  expect(response.statusCode, response.body).toBe(status);
  const { error } = response.json<{ error: { code: string; messages: { id: string; en: string } } }>();
  expect(error.code).toBe(code);
  expect(error.messages.id.length).toBeGreaterThan(5);
  expect(error.messages.en.length).toBeGreaterThan(5);
  expect(error.messages.id).not.toBe(error.messages.en);
}

const DAY = 86_400;
/** The offices' document keys: the list also holds the centre's own card-signing key (purpose CARD). */
const officeKeys = (key: TrustedKey) => key.purpose !== 'CARD';
let serialCounter = 0;
const serialOf = (officeId: string) => `SKT-${officeId}-20261124-${String(++serialCounter).padStart(6, '0')}`;

describe.each(['sqlite', 'postgres'] as const)('root of trust on %s', (dialect) => {
  let store: FreshStore;
  let handle: Db<CentralDb>;
  let ctx: CentralContext;
  let app: FastifyInstance;
  let office: TestOffice;
  let other: TestOffice;
  let admin: string;
  let adjudicator: string;
  let nextSeq = 1;
  const suketKey: SigningKey = generateSigningKey();
  let suketEntry: TrustedKey;

  const signer = (o: TestOffice) => ({ officeId: o.officeId, privateKey: o.keys.privateKey });
  const rootPublic = async () => (await trustRoot(ctx)).publicKey;
  const cookieOf = (response: LightMyRequestResponse) => response.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const event = (kind: string, subjectId: string, payload: Record<string, unknown>): Omit<OfficeEventEntryWire, 'seq'> => ({ kind, subjectId, payload, occurredAt: new Date().toISOString() });
  async function push(events: Omit<OfficeEventEntryWire, 'seq'>[]) {
    const entries = events.map((e, i) => ({ ...e, seq: nextSeq + i }));
    const result = await applyPushBatch(ctx, office.officeId, { officeId: office.officeId, entries });
    nextSeq += events.length;
    return { result, entries };
  }
  const suketText = (ser: string, iatOffset = 0) =>
    encodeCredential({ typ: 'SUKET', ser, iss: office.officeId, iat: Math.floor(Date.now() / 1000) + iatOffset, exp: Math.floor(Date.now() / 1000) + 180 * DAY, sub: { nik: '3509015203990001', nama: 'SITI AMINAH' } }, suketKey);
  const verify = async (text: string) => {
    const response = await app.inject({ method: 'POST', url: '/api/verifikasi', payload: { text } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<VerificationResult & { listsFetchedAt: { trustList: string } }>();
  };

  setupOrFail(async () => {
    store = await freshStore(dialect, 'tangguh-trust-');
    ({ handle, ctx } = await openCentral(store.location));
    app = await buildCentralApp(ctx, { serveWeb: false });
    office = await registerTestOffice(ctx);
    other = await registerTestOffice(ctx);
    await addCentralUser(ctx, { username: 'admin', fullName: 'Admin Pusat', role: 'admin', password: 'admin-pusat-uji' });
    await addCentralUser(ctx, { username: 'adj', fullName: 'Adjudikator', role: 'adjudicator', password: 'adj-pusat-uji' });
    admin = cookieOf(await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'admin-pusat-uji' } }));
    adjudicator = cookieOf(await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'adj', password: 'adj-pusat-uji' } }));
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
    await store?.cleanup();
  });

  it('makes one root key on first start and keeps it across restarts; serves it publicly', async () => {
    const root = await trustRootInfo(ctx);
    expect(fromBase64Url(root.publicKey)).toHaveLength(32);
    const response = await app.inject({ method: 'GET', url: '/trust/root' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(root);
    expect(response.headers['cache-control']).toMatch(/public/);

    const again = await openCentral(store.location);
    try {
      expect(await trustRootInfo(again.ctx)).toEqual(root);
    } finally {
      await again.handle.close();
    }
  });

  it('publishes a trust list signed by the root, with only the centre’s card-signing key at first, rebuilt only when its content changes', async () => {
    const first = await currentTrustList(ctx);
    expect(first.list.keys.map((k) => [k.officeId, k.purpose])).toEqual([['PUSAT', 'CARD']]);
    expect(openTrustList(first.signed, await rootPublic())).toEqual(first.list);
    // Nothing changed: the same signed bytes and sequence, not a new signature.
    const again = await currentTrustList(ctx);
    expect(again.signed).toBe(first.signed);
    expect(again.sequence).toBe(first.sequence);
    // Another root does not open it, and a trust list is not a revocation list.
    expect(() => openTrustList(first.signed, generateSigningKey().publicKey)).toThrow();
    const root = await rootPublic();
    expect(() => openRevocationList(first.signed, root)).toThrow();
  });

  it('certifies an office SUKET key for two years; asking again returns the same certificate', async () => {
    const before = await currentTrustList(ctx);
    suketEntry = await certifyDocumentKey(ctx, { officeId: office.officeId, purpose: 'SUKET', publicKey: toBase64Url(suketKey.publicKey) });
    expect(suketEntry).toMatchObject({ kid: suketKey.kid, officeId: office.officeId, officeName: `Disdukcapil uji ${office.officeId}`, purpose: 'SUKET' });
    expect(suketEntry.notAfter - suketEntry.notBefore).toBe(730 * DAY);
    expect(suketEntry.revokedAt).toBeUndefined();
    expect(await certifyDocumentKey(ctx, { officeId: office.officeId, purpose: 'SUKET', publicKey: suketKey.publicKey })).toEqual(suketEntry);

    const after = await currentTrustList(ctx);
    expect(after.sequence).toBe(before.sequence + 1);
    const opened = openTrustList(after.signed, await rootPublic());
    expect(opened.keys.filter(officeKeys)).toEqual([suketEntry]);
    expect(opened.sequence).toBe(after.sequence);
  });

  it('refuses a malformed key, an unknown office, and another office’s key', async () => {
    expect((await rejection(certifyDocumentKey(ctx, { officeId: office.officeId, purpose: 'SUKET', publicKey: 'abc' }))).code).toBe('PUBLIC_KEY_INVALID');
    expect((await rejection(certifyDocumentKey(ctx, { officeId: 'NOPE', purpose: 'SUKET', publicKey: generateSigningKey().publicKey }))).code).toBe('OFFICE_UNKNOWN');
    const taken = await rejection(certifyDocumentKey(ctx, { officeId: other.officeId, purpose: 'SUKET', publicKey: suketKey.publicKey }));
    expect(taken.code).toBe('KEY_ALREADY_CERTIFIED');
    expect(taken.kind).toBe('conflict');
  });

  it('rotates: an office has its new key certified over the signed channel, and the old key stays valid', async () => {
    const before = await currentTrustList(ctx);
    const fresh = generateSigningKey();
    const body = JSON.stringify({ publicKey: toBase64Url(fresh.publicKey), purpose: 'SUKET' });
    const response = await app.inject({ method: 'POST', url: '/sync/document-keys', headers: signedHeaders(signer(office), 'POST', '/sync/document-keys', body), payload: body });
    expect(response.statusCode, response.body).toBe(201);
    const { key } = response.json<{ key: TrustedKey }>();
    expect(key).toMatchObject({ kid: fresh.kid, officeId: office.officeId, purpose: 'SUKET' });

    const after = openTrustList((await currentTrustList(ctx)).signed, await rootPublic());
    expect(after.sequence).toBe(before.sequence + 1);
    expect(after.keys.filter(officeKeys).map((k) => k.kid).sort()).toEqual([suketKey.kid, fresh.kid].sort());
    expect(after.keys.find((k) => k.kid === suketKey.kid)).toEqual(suketEntry);
    // What the old key signed still verifies.
    expect((await verify(suketText(serialOf(office.officeId)))).verdict).toBe('VALID');

    // Unsigned, or signed by a key the centre does not know: refused.
    expectError(await app.inject({ method: 'POST', url: '/sync/document-keys', headers: { 'content-type': 'application/json', [SYNC_HEADERS.protocol]: String(PROTOCOL_VERSION) }, payload: body }), 401, 'SIGNATURE_MISSING');
    const forged = signedHeaders({ officeId: office.officeId, privateKey: other.keys.privateKey }, 'POST', '/sync/document-keys', body);
    expectError(await app.inject({ method: 'POST', url: '/sync/document-keys', headers: forged, payload: body }), 401, 'SIGNATURE_INVALID');
  });

  it('answers an up-to-date poller with 304 and a changed list with the new signed copy', async () => {
    const current = await app.inject({ method: 'GET', url: '/trust/list' });
    expect(current.statusCode).toBe(200);
    expect(current.headers['cache-control']).toMatch(/max-age=\d{1,2}\b/);
    const etag = current.headers.etag as string;
    expect(openTrustList(current.json<{ signed: string }>().signed, await rootPublic()).sequence).toBe(Number(etag.replaceAll('"', '')));
    expect((await app.inject({ method: 'GET', url: '/trust/list', headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    await certifyDocumentKey(ctx, { officeId: other.officeId, purpose: 'SUKET', publicKey: generateSigningKey().publicKey });
    const changed = await app.inject({ method: 'GET', url: '/trust/list', headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('builds one new sequence when many readers ask at once after a change', async () => {
    const before = (await currentTrustList(ctx)).sequence;
    await certifyDocumentKey(ctx, { officeId: other.officeId, purpose: 'TTE', publicKey: generateSigningKey().publicKey, holder: 'Kepala Dinas' });
    const lists = await Promise.all(Array.from({ length: 6 }, () => currentTrustList(ctx)));
    expect(new Set(lists.map((l) => l.sequence))).toEqual(new Set([before + 1]));
    expect(new Set(lists.map((l) => l.signed)).size).toBe(1);
  });

  it('lets only an admin list and revoke keys; a revoked key stops vouching for what it signs from then on', async () => {
    expectError(await app.inject({ method: 'GET', url: '/api/trust/keys' }), 401, 'UNAUTHENTICATED');
    expectError(await app.inject({ method: 'GET', url: '/api/trust/keys', headers: { cookie: adjudicator } }), 403, 'FORBIDDEN');
    const listed = await app.inject({ method: 'GET', url: `/api/trust/keys?officeId=${office.officeId}`, headers: { cookie: admin } });
    expect(listed.statusCode).toBe(200);
    expect(listed.json<{ items: { kid: string }[] }>().items.map((k) => k.kid)).toContain(suketKey.kid);

    // Certified an hour ago, so a document signed a minute ago falls inside its validity.
    const victim = generateSigningKey();
    const realNow = ctx.now;
    ctx.now = () => new Date(Date.now() - 3600_000);
    await certifyDocumentKey(ctx, { officeId: office.officeId, purpose: 'SUKET', publicKey: victim.publicKey }).finally(() => (ctx.now = realNow));
    const signedBefore = encodeCredential({ typ: 'SUKET', ser: serialOf(office.officeId), iss: office.officeId, iat: Math.floor(Date.now() / 1000) - 60, exp: Math.floor(Date.now() / 1000) + DAY, sub: { nik: '3509015203990001' } }, victim);
    const before = (await currentTrustList(ctx)).sequence;
    expectError(await app.inject({ method: 'POST', url: `/api/trust/keys/${victim.kid}/revoke`, headers: { cookie: adjudicator }, payload: { reason: 'OFFICE_CLOSED' } }), 403, 'FORBIDDEN');
    expectError(await app.inject({ method: 'POST', url: `/api/trust/keys/${victim.kid}/revoke`, headers: { cookie: admin }, payload: { reason: 'BECAUSE' } }), 400, 'INVALID_INPUT');
    const revoked = await app.inject({ method: 'POST', url: `/api/trust/keys/${victim.kid}/revoke`, headers: { cookie: admin }, payload: { reason: 'OFFICE_CLOSED', note: 'kantor pindah' } });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json<{ key: TrustedKey }>().key.revokedAt).toEqual(expect.any(Number));
    expectError(await app.inject({ method: 'POST', url: `/api/trust/keys/${victim.kid}/revoke`, headers: { cookie: admin }, payload: { reason: 'OTHER' } }), 409, 'KEY_ALREADY_REVOKED');
    expectError(await app.inject({ method: 'POST', url: '/api/trust/keys/AAAAAAAAAAA/revoke', headers: { cookie: admin }, payload: { reason: 'OTHER' } }), 404, 'KEY_NOT_FOUND');

    const list = await currentTrustList(ctx);
    expect(list.sequence).toBe(before + 1);
    expect(openTrustList(list.signed, await rootPublic()).keys.find((k) => k.kid === victim.kid)?.revokedAt).toEqual(expect.any(Number));
    // Signed before the revocation: judged on the rest. Signed after it: forged.
    expect((await verify(signedBefore)).verdict).toBe('VALID');
    const signedAfter = encodeCredential({ typ: 'SUKET', ser: serialOf(office.officeId), iat: Math.floor(Date.now() / 1000) + 5, iss: office.officeId, sub: { nik: '3509015203990001' } }, victim);
    expect((await verify(signedAfter)).verdict).toBe('FORGED');

    // A compromised key is revoked back to its first day: everything it signed is forged.
    const stolen = generateSigningKey();
    await certifyDocumentKey(ctx, { officeId: office.officeId, purpose: 'SUKET', publicKey: stolen.publicKey });
    const early = encodeCredential({ typ: 'SUKET', ser: serialOf(office.officeId), iat: Math.floor(Date.now() / 1000), iss: office.officeId, sub: { nik: '3509015203990001' } }, stolen);
    const entry = await revokeDocumentKey(ctx, { kid: stolen.kid, reason: 'KEY_COMPROMISE' });
    expect(entry.revokedAt).toBe(entry.notBefore);
    expect((await verify(early)).verdict).toBe('FORGED');
  });

  it('grows the revocation list from the offices’ suket.revoked events, once per serial, and logs every Suket once', async () => {
    const issued = serialOf(office.officeId);
    const text = suketText(issued);
    expect((await verify(text)).verdict).toBe('VALID');
    const before = await currentRevocationList(ctx);
    const at = new Date().toISOString();
    const issuedPayload = { serial: issued, recordId: 'rec-1', nik: '3509015203990001', issuedAt: at, expiresAt: new Date(Date.now() + 180 * DAY * 1000).toISOString(), kid: suketKey.kid, issuedBy: 'operator' };
    const revokedPayload = { serial: issued, recordId: 'rec-1', revokedAt: at, reason: 'CARD_ISSUED', revokedBy: 'pusat' };
    const { entries } = await push([event('suket.issued', issued, issuedPayload), event('suket.revoked', issued, revokedPayload)]);

    const log = await trustDb(ctx.db).selectFrom('sukets').selectAll().where('serial', '=', issued).execute();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ office_id: office.officeId, nik: '3509015203990001', kid: suketKey.kid, issued_by: 'operator', revoke_reason: 'CARD_ISSUED' });

    const after = await currentRevocationList(ctx);
    expect(after.sequence).toBe(before.sequence + 1);
    const opened = openRevocationList(after.signed, await rootPublic());
    expect(opened.entries).toContainEqual({ ser: issued, revokedAt: Math.floor(Date.parse(at) / 1000), reason: 'CARD_ISSUED' });
    const verdict = await verify(text);
    expect(verdict.verdict).toBe('REVOKED');
    expect(verdict.label.id).toBe('DICABUT');

    // The same batch again (a lost acknowledgement): nothing logged or listed twice, no new sequence.
    await applyPushBatch(ctx, office.officeId, { officeId: office.officeId, entries });
    expect(await trustDb(ctx.db).selectFrom('sukets').selectAll().where('serial', '=', issued).execute()).toHaveLength(1);
    const replayed = await currentRevocationList(ctx);
    expect(replayed.sequence).toBe(after.sequence);
    expect(openRevocationList(replayed.signed, await rootPublic()).entries.filter((e) => e.ser === issued)).toHaveLength(1);

    // Superseded: listed with the newer serial, and the verdict says so.
    const older = serialOf(office.officeId);
    const newer = serialOf(office.officeId);
    await push([event('suket.revoked', older, { serial: older, revokedAt: at, reason: 'SUPERSEDED', supersededBy: newer })]);
    expect(openRevocationList((await currentRevocationList(ctx)).signed, await rootPublic()).entries).toContainEqual({ ser: older, revokedAt: Math.floor(Date.parse(at) / 1000), reason: 'SUPERSEDED', supersededBy: newer });
    expect((await verify(suketText(older))).verdict).toBe('SUPERSEDED');
  });

  it('keeps an invalid or foreign Suket event in the log without blocking the office’s queue or revoking anything', async () => {
    const before = await currentRevocationList(ctx);
    const foreign = serialOf(other.officeId);
    const { result, entries } = await push([
      event('suket.revoked', 'rubbish', { serial: 'not-a-serial', revokedAt: 'yesterday', reason: 'BORED' }),
      event('suket.revoked', foreign, { serial: foreign, revokedAt: new Date().toISOString(), reason: 'OTHER' }),
      event('suket.issued', 'x', { serial: serialOf(office.officeId) }),
    ]);
    expect(result).toEqual({ appliedThrough: entries.at(-1)!.seq, applied: 3, replayed: 0 });
    const logged = await ctx.db.selectFrom('office_events').select('seq').where('office_id', '=', office.officeId).where('seq', 'in', entries.map((e) => e.seq)).execute();
    expect(logged).toHaveLength(3);
    const after = await currentRevocationList(ctx);
    expect(after.sequence).toBe(before.sequence);
    expect(openRevocationList(after.signed, await rootPublic()).entries.map((e) => e.ser)).not.toContain(foreign);
  });

  it('verifies at the centre: forged, unknown issuer, unreadable, and bilingual 400s for a missing or oversize body', async () => {
    const text = suketText(serialOf(office.officeId));
    const payload = text.slice(5);
    // One Base45 character changed in the middle: the envelope may still open, but the signature cannot hold.
    const i = Math.floor(payload.length / 2);
    const tampered = `TGH1:${payload.slice(0, i)}${payload[i] === '0' ? '1' : '0'}${payload.slice(i + 1)}`;
    expect(['FORGED', 'UNREADABLE']).toContain((await verify(tampered)).verdict);
    const stranger = encodeCredential({ typ: 'SUKET', ser: serialOf(office.officeId), iss: office.officeId, iat: Math.floor(Date.now() / 1000), sub: { nik: '1' } }, generateSigningKey());
    const unknown = await verify(stranger);
    expect(unknown.verdict).toBe('UNKNOWN_ISSUER');
    expect(unknown.label.id).toBe('TIDAK DIKENAL');
    expect((await verify('hello')).verdict).toBe('UNREADABLE');
    const valid = await verify(text);
    expect(valid.verdict).toBe('VALID');
    expect(valid.issuer).toMatchObject({ officeId: office.officeId, kid: suketKey.kid });
    expect(valid.listsFetchedAt.trustList).toEqual(expect.any(String));

    expectError(await app.inject({ method: 'POST', url: '/api/verifikasi', payload: {} }), 400, 'CREDENTIAL_TEXT_MISSING');
    expectError(await app.inject({ method: 'POST', url: '/api/verifikasi', payload: { text: `TGH1:${'A'.repeat(5000)}` } }), 400, 'CREDENTIAL_TEXT_TOO_LONG');
    expectError(await app.inject({ method: 'POST', url: '/api/verifikasi/gambar', headers: { 'content-type': 'image/png' }, payload: Buffer.from('not a png') }), 400, 'UPLOAD_UNSUPPORTED');
  });

  it('rate-limits uploads per address, with a bilingual 429', async () => {
    const upload = () => app.inject({ method: 'POST', url: '/api/verifikasi/gambar', remoteAddress: '10.9.8.7', headers: { 'content-type': 'image/png' }, payload: Buffer.from('x') });
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await upload()).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 400)).toBe(true);
    expect(statuses[30]).toBe(429);
    expectError(await upload(), 429, 'TOO_MANY_CHECKS');
    // Another address is not affected.
    expect((await app.inject({ method: 'POST', url: '/api/verifikasi/gambar', remoteAddress: '10.9.8.6', headers: { 'content-type': 'image/png' }, payload: Buffer.from('x') })).statusCode).toBe(400);
  });
});
