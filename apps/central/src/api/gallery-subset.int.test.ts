import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicKey } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticResidents } from '@tangguh/capture';
import { unpackSet } from '@tangguh/domain';
import { PROTOCOL_VERSION, SYNC_HEADERS, gallerySubsetEntriesSchema, gallerySubsetResponseSchema, pushResultSchema, type RecordingPacket } from '@tangguh/protocol';
import { generateSealingKeyPair, generateSigningKeyPair, unseal } from '@tangguh/protocol/node';
import { loadRegionDirectory } from '@tangguh/regions';
import type { Db } from '@tangguh/platform';
import { buildBatch, buildPacket, signedHeaders, testResidents, type TestOffice } from '../../../../test/builders.ts';
import { DIALECTS, freshLocation, setupOrFail } from '../../../../test/pg.ts';
import type { CentralDb } from '../db/schema.ts';
import { buildCentralApp } from '../app.ts';
import { openCentral, registerOffice } from '../services/provision.ts';
import { runDeduplication } from '../services/dedup.ts';

/**
 * GET /sync/gallery-subset on both databases: signed like every /sync route, it sends an office the gallery
 * entries of its kabupaten only — residents whose NIK carries its region code, wherever they were recorded,
 * and whoever it recorded itself — sealed to the key its signed request names.
 */
describe.each(DIALECTS)("the centre's gallery subset for an office's provisional search on %s", (dialect) => {
  let dir: string;
  let drop: () => Promise<void>;
  let handle: Db<CentralDb>;
  let app: FastifyInstance;
  const jember: TestOffice = { officeId: '3509', keys: generateSigningKeyPair() };
  const banyuwangi: TestOffice = { officeId: '3510', keys: generateSigningKeyPair() };
  const boxKeys = generateSealingKeyPair();
  const sealTo = createPublicKey(boxKeys.privateKey).export({ format: 'jwk' }).x as string;
  let jemberOwn: RecordingPacket[];
  let jemberResidentElsewhere: RecordingPacket;
  let banyuwangiOwn: RecordingPacket[];

  const signer = (o: TestOffice) => ({ officeId: o.officeId, privateKey: o.keys.privateKey });
  const ask = (by: TestOffice, after: number, limit: number, key = sealTo) => {
    const url = `/sync/gallery-subset?after=${after}&limit=${limit}&sealTo=${key}`;
    return app.inject({ method: 'GET', url, headers: signedHeaders(signer(by), 'GET', url, '') });
  };
  async function page(by: TestOffice, after: number, limit: number) {
    const response = await ask(by, after, limit);
    expect(response.statusCode, response.body).toBe(200);
    const body = gallerySubsetResponseSchema.parse(response.json());
    const entries = body.sealed ? gallerySubsetEntriesSchema.parse(JSON.parse(Buffer.from(unseal(boxKeys.privateKey, Buffer.from(body.sealed, 'base64url'))).toString('utf8'))) : [];
    return { ...body, entries };
  }
  async function everything(by: TestOffice, limit: number) {
    const all = [];
    let after = 0;
    for (let guard = 0; guard < 50; guard++) {
      const p = await page(by, after, limit);
      all.push(...p.entries);
      expect(p.nextCursor).toBeGreaterThanOrEqual(after);
      after = p.nextCursor;
      if (!p.hasMore) return all;
    }
    throw new Error('the feed never ended');
  }

  setupOrFail(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tangguh-gallery-subset-'));
    const store = await freshLocation(dialect, dir, 'central');
    drop = store.drop;
    const opened = await openCentral(store.location);
    handle = opened.handle;
    app = await buildCentralApp(opened.ctx, { serveWeb: false });
    await registerOffice(opened.ctx, { officeId: jember.officeId, name: 'Disdukcapil Kabupaten Jember', regencyCode: '35.09', publicKey: jember.keys.publicKey });
    await registerOffice(opened.ctx, { officeId: banyuwangi.officeId, name: 'Disdukcapil Kabupaten Banyuwangi', regencyCode: '35.10', publicKey: banyuwangi.keys.publicKey });
    const jemberPeople = await testResidents(4, 5120);
    const banyuwangiPeople = syntheticResidents(2, { seed: 5130, regencyCode: '35.10', regions: await loadRegionDirectory(), today: new Date('2026-11-23T00:00:00Z') });
    jemberOwn = [];
    for (const person of jemberPeople.slice(0, 3)) jemberOwn.push(await buildPacket(opened.ctx, person, { subjectKey: person.nik }));
    // A Jember resident recorded at the Banyuwangi office: Jember's gallery must hold them too.
    jemberResidentElsewhere = await buildPacket(opened.ctx, jemberPeople[3]!, { subjectKey: jemberPeople[3]!.nik });
    banyuwangiOwn = [];
    for (const person of banyuwangiPeople) banyuwangiOwn.push(await buildPacket(opened.ctx, person, { subjectKey: person.nik }));
    for (const [by, some] of [
      [jember, jemberOwn],
      [banyuwangi, [...banyuwangiOwn, jemberResidentElsewhere]],
    ] as const) {
      const body = JSON.stringify(buildBatch(by.officeId, 1, [...some]));
      const pushed = await app.inject({ method: 'POST', url: '/sync/push', headers: signedHeaders(signer(by), 'POST', '/sync/push', body), payload: body });
      expect(pushed.statusCode, pushed.body).toBe(200);
      expect(pushResultSchema.parse(pushed.json()).appliedThrough).toBe(some.length);
    }
    while ((await runDeduplication(opened.ctx)) > 0);
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
    await drop?.();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("sends an office its kabupaten's residents and its own recordings, sealed to its key, and nobody else's", async () => {
    const jemberGallery = await everything(jember, 500);
    expect(jemberGallery.map((e) => e.recordId).sort()).toEqual([...jemberOwn, jemberResidentElsewhere].map((p) => p.recordId).sort());
    expect(jemberGallery.every((e) => e.nik.startsWith('3509'))).toBe(true);
    // The templates are the person's: twelve positions unpacked from what the centre deduplicated.
    expect(Object.keys(unpackSet(new Uint8Array(Buffer.from(jemberGallery[0]!.templates, 'base64')))).length).toBe(12);

    const banyuwangiGallery = await everything(banyuwangi, 500);
    expect(banyuwangiGallery.map((e) => e.recordId).sort()).toEqual([...banyuwangiOwn, jemberResidentElsewhere].map((p) => p.recordId).sort());
  });

  it('pages by the gallery seq: one entry a page gives the same entries in order, and the last page says so', async () => {
    const onePerPage = await everything(jember, 1);
    expect(onePerPage.map((e) => e.recordId)).toEqual((await everything(jember, 500)).map((e) => e.recordId));
    const seqs = onePerPage.map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    const last = await page(jember, seqs[seqs.length - 1]!, 10);
    expect(last).toMatchObject({ count: 0, sealed: null, hasMore: false });
  });

  it('cannot be opened with another key, refuses a malformed key, an over-long page and an unsigned request', async () => {
    const response = await ask(jember, 0, 10);
    const body = gallerySubsetResponseSchema.parse(response.json());
    expect(() => unseal(generateSealingKeyPair().privateKey, Buffer.from(body.sealed!, 'base64url'))).toThrow();
    expect((await ask(jember, 0, 10, 'not-a-key')).statusCode).toBe(400);
    expect((await ask(jember, 0, 5000)).statusCode).toBe(400);
    const unsigned = await app.inject({ method: 'GET', url: `/sync/gallery-subset?after=0&limit=10&sealTo=${sealTo}`, headers: { [SYNC_HEADERS.protocol]: String(PROTOCOL_VERSION) } });
    expect(unsigned.statusCode).toBe(401);
  });
});
