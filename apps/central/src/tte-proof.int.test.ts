import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { decodeCredential, verifyCredential } from '@tangguh/credential';
import type { TteClaims, TteProof, TteSignRequest } from '@tangguh/protocol';
import { CentralClient, CentralUnavailable } from '../../office/src/services/central-client.ts';
import { registerTestOffice, type TestOffice } from '../../../test/builders.ts';
import { login, type HttpClient } from '../../../test/helpers.ts';
import { DIALECTS, freshLocation, setupOrFail } from '../../../test/pg.ts';
import { makeHeadKey, proofFor, type HeadKey } from '../../../test/tte-head.ts';
import { buildCentralApp } from './app.ts';
import type { CentralContext } from './context.ts';
import { tteDb } from './db/migrations-tte.ts';
import { addCentralUser, openCentral } from './services/provision.ts';
import { currentRevocationList, currentTrustList } from './services/trust.ts';

const HEAD = { username: 'kepala', fullName: 'Drs. Hadi Santoso' };

describe.each(DIALECTS)('the TTE service signs only on the head’s own proof, on %s', (dialect) => {
  // A real centre on loopback; the office's side is its real CentralClient, so each request below is one a
  // compromised office (holding only the office key) could send.
  let dir: string;
  let ctx: CentralContext;
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let office: TestOffice;
  let client: CentralClient;
  let centreAdmin: HttpClient;
  let headKey: HeadKey;

  setupOrFail(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tangguh-tte-proof-'));
    const store = await freshLocation(dialect, dir, 'central');
    const opened = await openCentral(store.location);
    ctx = opened.ctx;
    app = await buildCentralApp(ctx, { serveWeb: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    office = await registerTestOffice(ctx);
    client = new CentralClient({ baseUrl, officeId: office.officeId, signingPrivateKey: office.keys.privateKey });
    await addCentralUser(ctx, { username: 'admin', fullName: 'Admin Pusat', role: 'admin', password: 'admin-pusat' });
    centreAdmin = await login(baseUrl, 'admin', 'admin-pusat');
    close = async () => {
      await app.close();
      await opened.handle.close();
      await store.drop();
    };
  });
  afterAll(async () => {
    await close?.();
    rmSync(dir, { recursive: true, force: true });
  });

  let serialNo = 0;
  const documentFor = () => {
    serialNo += 1;
    const ser = `${office.officeId}-DOK-20261128-${String(serialNo).padStart(6, '0')}`;
    return { documentId: randomUUID(), claims: { typ: 'KK', ser, iss: office.officeId, sub: { nomor: `3509-${serialNo}`, nik: '3509124507900003', nama: 'Siti Rahayu' } } satisfies TteClaims };
  };

  /** The centre's refusal of a request the office sends, as code and status (or the answer when it signed). */
  async function refusal(request: TteSignRequest): Promise<{ status?: number; code?: string }> {
    try {
      await client.tteSign(request);
      return {};
    } catch (error) {
      if (!(error instanceof CentralUnavailable)) throw error;
      return { status: error.status, code: error.code };
    }
  }

  const countWhere = async (table: 'tte_signers' | 'tte_signatures', username: string) =>
    (await tteDb(ctx.db).selectFrom(table).select('office_id').where(table === 'tte_signers' ? 'username' : 'signer_username', '=', username).where('office_id', '=', office.officeId).execute()).length;

  it('refuses a request signed only with the office key, for the operator or for the head, and certifies no key', async () => {
    // Before the centre knows who heads this office, nobody can enrol or sign.
    const early = await refusal({ documents: [documentFor()], signer: HEAD });
    expect(early).toEqual({ status: 403, code: 'TTE_SIGNER_NOT_AUTHORISED' });
    await expect(client.tteEnrol({ ...HEAD, publicKey: makeHeadKey().publicKey })).rejects.toMatchObject({ status: 403, code: 'TTE_SIGNER_NOT_AUTHORISED' });

    const setHead = await centreAdmin.request<{ head: { username: string } }>('PUT', `/api/admin/tte/heads/${office.officeId}`, HEAD);
    expect(setHead.status).toBe(200);
    expect(setHead.body.head.username).toBe('kepala');

    // The office names the operator as signer: refused, and no TTE key is made or certified for the operator.
    const operator = await refusal({ documents: [documentFor()], signer: { username: 'operator', fullName: 'Siti Aminah' } });
    expect(operator).toEqual({ status: 403, code: 'TTE_SIGNER_NOT_AUTHORISED' });
    await expect(client.tteEnrol({ username: 'operator', fullName: 'Siti Aminah', publicKey: makeHeadKey().publicKey })).rejects.toMatchObject({ status: 403 });
    expect(await countWhere('tte_signers', 'operator')).toBe(0);

    // The head named, but no key approved yet: the office's word is still all there is.
    const enrolment = await client.tteEnrol({ ...HEAD, publicKey: (headKey = makeHeadKey()).publicKey });
    expect(enrolment).toMatchObject({ status: 'PENDING', username: 'kepala', officeId: office.officeId });
    expect(enrolment.fingerprint).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){9}$/);
    const documents = [documentFor()];
    expect(await refusal({ documents, signer: HEAD, proof: proofFor(headKey, office.officeId, HEAD.username, documents) })).toEqual({ status: 403, code: 'TTE_SIGNER_NOT_AUTHORISED' });

    const approved = await centreAdmin.post<{ enrolment: { status: string } }>(`/api/admin/tte/enrolments/${enrolment.id}/decision`, { approve: true });
    expect(approved.body.enrolment.status).toBe('APPROVED');
    expect((await client.tteEnrolmentStatus('kepala')).enrolment?.status).toBe('APPROVED');

    // Approved key, but the request carries no proof: 403, and nothing signed.
    expect(await refusal({ documents: [documentFor()], signer: HEAD })).toEqual({ status: 403, code: 'TTE_PROOF_INVALID' });
    // A "proof" the office made with a key of its own (here: a fresh one it holds) does not verify.
    expect(await refusal({ documents, signer: HEAD, proof: proofFor(makeHeadKey(), office.officeId, HEAD.username, documents) })).toEqual({ status: 403, code: 'TTE_PROOF_INVALID' });
    expect(await countWhere('tte_signatures', 'kepala')).toBe(0);
    expect(await countWhere('tte_signers', 'kepala')).toBe(0);
  });

  it('signs with the head’s proof: the document verifies ASLI with the name the centre holds for the head', async () => {
    const documents = [documentFor(), documentFor()];
    // The office sends another name; the centre puts its own record of the head on the document.
    const signed = await client.tteSign({ documents, signer: { ...HEAD, fullName: 'Siti Aminah' }, proof: proofFor(headKey, office.officeId, HEAD.username, documents) });
    expect(signed.signed.map((s) => s.documentId)).toEqual(documents.map((d) => d.documentId));
    const trust = (await currentTrustList(ctx)).list;
    const revocations = (await currentRevocationList(ctx)).list;
    for (const item of signed.signed) {
      expect(decodeCredential(item.qrText).claims.sub.ttd).toBe(HEAD.fullName);
      expect(verifyCredential(item.qrText, { trust, revocations, now: Math.floor(Date.now() / 1000) }).verdict).toBe('VALID');
    }
  });

  it('refuses the head’s proof replayed on another batch, used twice, or out of date', async () => {
    const batchA = [documentFor()];
    const proofA = proofFor(headKey, office.officeId, HEAD.username, batchA);
    const batchB = [documentFor()];
    // Batch A's proof on batch B, and on A with one more document or with altered claims.
    expect(await refusal({ documents: batchB, signer: HEAD, proof: proofA })).toEqual({ status: 403, code: 'TTE_PROOF_INVALID' });
    expect(await refusal({ documents: [...batchA, ...batchB], signer: HEAD, proof: proofA })).toEqual({ status: 403, code: 'TTE_PROOF_INVALID' });
    const altered = [{ ...batchA[0]!, claims: { ...batchA[0]!.claims, sub: { ...batchA[0]!.claims.sub, nama: 'Orang Lain' } } }];
    expect(await refusal({ documents: altered, signer: HEAD, proof: proofA })).toEqual({ status: 403, code: 'TTE_PROOF_INVALID' });
    expect(await countWhere('tte_signatures', 'kepala')).toBe(2);

    // Its own batch once; a second use of the same proof, even for the same batch, is refused.
    expect(await refusal({ documents: batchA, signer: HEAD, proof: proofA })).toEqual({});
    expect(await refusal({ documents: batchA, signer: HEAD, proof: proofA })).toEqual({ status: 403, code: 'TTE_PROOF_INVALID' });

    const stale: TteProof = proofFor(headKey, office.officeId, HEAD.username, batchB, new Date(Date.now() - 11 * 60_000).toISOString());
    expect(await refusal({ documents: batchB, signer: HEAD, proof: stale })).toEqual({ status: 403, code: 'TTE_PROOF_INVALID' });
    expect(await countWhere('tte_signatures', 'kepala')).toBe(3);
  });

  it('a new head at the centre retires the old head’s key; only the centre’s admin decides enrolments', async () => {
    const successor = { username: 'kepala.baru', fullName: 'Dr. Ratna Dewi' };
    expect((await centreAdmin.request('PUT', `/api/admin/tte/heads/${office.officeId}`, successor)).status).toBe(200);
    const documents = [documentFor()];
    expect(await refusal({ documents, signer: HEAD, proof: proofFor(headKey, office.officeId, HEAD.username, documents) })).toEqual({ status: 403, code: 'TTE_SIGNER_NOT_AUTHORISED' });

    const key = makeHeadKey();
    const enrolment = await client.tteEnrol({ ...successor, publicKey: key.publicKey });
    const list = await centreAdmin.get<{ items: { id: string; status: string }[]; heads: { officeId: string; username: string }[] }>('/api/admin/tte/enrolments');
    expect(list.body.items.find((e) => e.id === enrolment.id)?.status).toBe('PENDING');
    expect(list.body.heads.find((h) => h.officeId === office.officeId)?.username).toBe('kepala.baru');
    expect((await app.inject({ method: 'POST', url: `/api/admin/tte/enrolments/${enrolment.id}/decision`, payload: { approve: true } })).statusCode).toBe(401);
    expect((await centreAdmin.post('/api/admin/tte/enrolments/' + enrolment.id + '/decision', { approve: false })).status).toBe(200);
    expect((await centreAdmin.post<{ error: { code: string } }>('/api/admin/tte/enrolments/' + enrolment.id + '/decision', { approve: true })).body.error.code).toBe('ENROLMENT_DECIDED');
    expect(await refusal({ documents, signer: successor, proof: proofFor(key, office.officeId, successor.username, documents) })).toEqual({ status: 403, code: 'TTE_SIGNER_NOT_AUTHORISED' });
  });
});
