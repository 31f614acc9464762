import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError, unpackSet, type Biodata, type RecordStatus } from '@tangguh/domain';
import { type PushBatch, type RecordingPacket } from '@tangguh/protocol';
import { generateSealingKeyPair, unseal } from '@tangguh/protocol/node';
import type { Db } from '@tangguh/platform';
import { buildBatch, buildPacket, registerTestOffice, testResidents, type TestOffice } from '../../../test/builders.ts';
import { freshStore, setupOrFail, type FreshStore } from '../../../test/pg.ts';
import { rejection } from '../../../test/refusal.ts';
import type { CentralContext } from './context.ts';
import type { CentralDb } from './db/schema.ts';
import { migrateCentral } from './db/migrate.ts';
import { openCentral } from './services/provision.ts';
import { applyPushBatch } from './services/inbox.ts';
import { loadMatcher, runDeduplication } from './services/dedup.ts';
import { decideCase, listOpenCases } from './services/adjudication.ts';
import { listChanges } from './repositories/changes.ts';
import { findEnrollment } from './repositories/enrollments.ts';
import { gallerySize } from './repositories/gallery.ts';
import { findOffice } from './repositories/offices.ts';

/** What one office has left at the centre: rows in each table and the office's counters. */
async function footprint(ctx: CentralContext, officeId: string) {
  const n = (row: { n: unknown }) => Number(row.n);
  const enrollments = await ctx.db.selectFrom('enrollments').select((eb) => eb.fn.countAll().as('n')).where('office_id', '=', officeId).executeTakeFirstOrThrow();
  const applied = await ctx.db.selectFrom('applied_entries').select((eb) => eb.fn.countAll().as('n')).where('office_id', '=', officeId).executeTakeFirstOrThrow();
  const changes = await ctx.db.selectFrom('status_changes').select((eb) => eb.fn.countAll().as('n')).where('office_id', '=', officeId).executeTakeFirstOrThrow();
  const office = await findOffice(ctx.db, officeId);
  return {
    enrollments: n(enrollments),
    appliedEntries: n(applied),
    changes: n(changes),
    appliedSeq: Number(office?.applied_seq),
    changeSeq: Number(office?.change_seq),
  };
}

async function appliedSeqs(ctx: CentralContext, officeId: string) {
  const rows = await ctx.db.selectFrom('applied_entries').select(['seq', 'record_id']).where('office_id', '=', officeId).orderBy('seq').execute();
  return rows.map((r) => ({ seq: Number(r.seq), recordId: r.record_id }));
}

/** The office's whole change feed must be numbered 1, 2, 3 … with nothing skipped or repeated. */
async function expectGaplessFeed(ctx: CentralContext, officeId: string) {
  const feed = await listChanges(ctx.db, officeId, 0, 100_000);
  const cursors = feed.map((c) => Number(c.cursor));
  expect(cursors).toEqual(cursors.map((_, i) => i + 1));
  expect(Number((await findOffice(ctx.db, officeId))?.change_seq)).toBe(cursors.length);
  return feed;
}

async function statusOf(ctx: CentralContext, recordId: string): Promise<string | undefined> {
  return (await findEnrollment(ctx.db, recordId))?.status;
}

async function feedOf(ctx: CentralContext, officeId: string, recordId: string): Promise<{ status: RecordStatus; note: string | null }[]> {
  const feed = await listChanges(ctx.db, officeId, 0, 100_000);
  return feed.filter((c) => c.record_id === recordId).map((c) => ({ status: c.status as RecordStatus, note: c.note }));
}

describe.each(['sqlite', 'postgres'] as const)('central services on %s', (dialect) => {
  let people: Biodata[];
  const person = (i: number) => people[i]!;

  beforeAll(async () => {
    people = await testResidents(60, 3509);
  });

  describe('migrations', () => {
    let store: FreshStore;
    setupOrFail(async () => {
      store = await freshStore(dialect, 'tangguh-central-');
    });
    afterAll(async () => {
      await store?.cleanup();
    });

    it('run again on an existing database without error, keeping the sealing keys and the data', async () => {
      const first = await openCentral(store.location);
      expect(first.handle.dialect).toBe(dialect);
      const office = await registerTestOffice(first.ctx);
      const packet = await buildPacket(first.ctx, person(0), { subjectKey: person(0).nik });
      await applyPushBatch(first.ctx, office.officeId, buildBatch(office.officeId, 1, [packet]));
      // A third run of the migrations on the open database, then a restart.
      expect(await migrateCentral(first.handle)).toEqual([]);
      const before = await footprint(first.ctx, office.officeId);
      await first.handle.close();

      const second = await openCentral(store.location);
      try {
        expect(second.ctx.sealingPublicKey).toBe(first.ctx.sealingPublicKey);
        expect(second.ctx.sealingPrivateKey).toBe(first.ctx.sealingPrivateKey);
        expect(await footprint(second.ctx, office.officeId)).toEqual(before);
        expect(before).toMatchObject({ enrollments: 1, appliedEntries: 1, changes: 1, appliedSeq: 1 });
        const settings = await second.ctx.db.selectFrom('settings').select('key').orderBy('key').execute();
        expect(settings.map((s) => s.key)).toEqual(['card_signing_private_key', 'gallery_data_key', 'gallery_sealed', 'master_key_check', 'sealing_private_key', 'sealing_public_key', 'trust_root_private_key']);
        // The record applied before the restart is still acknowledged as applied.
        const replay = await applyPushBatch(second.ctx, office.officeId, buildBatch(office.officeId, 1, [packet]));
        expect(replay).toEqual({ appliedThrough: 1, applied: 0, replayed: 1 });
      } finally {
        await second.handle.close();
      }
    });

    it('can be run by several processes starting at once on an empty database', async () => {
      const empty = await freshStore(dialect, 'tangguh-central-');
      const outcomes = await Promise.allSettled([1, 2, 3].map(() => openCentral(empty.location)));
      try {
        for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
        const results = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
        // They all agree on one sealing key pair.
        expect(new Set(results.map((r) => r.ctx.sealingPublicKey)).size).toBe(1);
        expect(new Set(results.map((r) => r.ctx.sealingPrivateKey)).size).toBe(1);
      } finally {
        for (const outcome of outcomes) if (outcome.status === 'fulfilled') await outcome.value.handle.close();
        await empty.cleanup();
      }
    });
  });

  describe('inbox: applyPushBatch', () => {
    let store: FreshStore;
    let handle: Db<CentralDb>;
    let ctx: CentralContext;
    let office: TestOffice;
    let packets: RecordingPacket[];
    const batch = (startSeq: number, from: number, to: number): PushBatch => buildBatch(office.officeId, startSeq, packets.slice(from, to));

    setupOrFail(async () => {
      store = await freshStore(dialect, 'tangguh-central-');
      ({ handle, ctx } = await openCentral(store.location));
      office = await registerTestOffice(ctx);
      packets = [];
      for (let i = 0; i < 10; i++) packets.push(await buildPacket(ctx, person(i), { subjectKey: person(i).nik }));
    });
    afterAll(async () => {
      await handle?.close();
      await store?.cleanup();
    });

    it('applies a new batch: enrollments, the (office, seq) record, the applied seq and the feed together', async () => {
      const result = await applyPushBatch(ctx, office.officeId, batch(1, 0, 3));
      expect(result).toEqual({ appliedThrough: 3, applied: 3, replayed: 0 });
      expect(await footprint(ctx, office.officeId)).toEqual({ enrollments: 3, appliedEntries: 3, changes: 3, appliedSeq: 3, changeSeq: 3 });
      expect(await appliedSeqs(ctx, office.officeId)).toEqual(packets.slice(0, 3).map((p, i) => ({ seq: i + 1, recordId: p.recordId })));

      const packet = packets[0]!;
      const row = (await findEnrollment(ctx.db, packet.recordId))!;
      expect(row).toMatchObject({
        office_id: office.officeId,
        registration_number: packet.registrationNumber,
        nik: packet.biodata.nik,
        full_name: packet.biodata.fullName,
        birth_date: packet.biodata.birthDate,
        status: 'RECEIVED_AT_CENTRAL',
        recorded_at: packet.recordedAt,
      });
      expect(JSON.parse(row.biodata)).toEqual(packet.biodata);
      expect(Buffer.from(row.photo).toString('base64')).toBe(packet.photo.data);
      expect(Buffer.from(row.signature).toString('base64')).toBe(packet.signature.data);
      expect(Buffer.from(row.sealed_biometrics).toString('base64')).toBe(packet.sealedBiometrics);
      const set = unpackSet(unseal(ctx.sealingPrivateKey, new Uint8Array(row.sealed_biometrics)));
      expect(Object.keys(set)).toHaveLength(12);

      const feed = await expectGaplessFeed(ctx, office.officeId);
      expect(feed.map((c) => [c.record_id, c.status])).toEqual(packets.slice(0, 3).map((p) => [p.recordId, 'RECEIVED_AT_CENTRAL']));
    });

    it('acknowledges replays of the same batch without applying them again', async () => {
      const before = await footprint(ctx, office.officeId);
      for (let i = 0; i < 3; i++) {
        expect(await applyPushBatch(ctx, office.officeId, batch(1, 0, 3))).toEqual({ appliedThrough: 3, applied: 0, replayed: 3 });
      }
      expect(await applyPushBatch(ctx, office.officeId, batch(2, 1, 2))).toEqual({ appliedThrough: 3, applied: 0, replayed: 1 });
      expect(await footprint(ctx, office.officeId)).toEqual(before);
      await expectGaplessFeed(ctx, office.officeId);
    });

    it('applies only the new half of an overlapping batch', async () => {
      // seq 2, 3 were applied; 4, 5 are new.
      const result = await applyPushBatch(ctx, office.officeId, batch(2, 1, 5));
      expect(result).toEqual({ appliedThrough: 5, applied: 2, replayed: 2 });
      expect(await footprint(ctx, office.officeId)).toEqual({ enrollments: 5, appliedEntries: 5, changes: 5, appliedSeq: 5, changeSeq: 5 });
      expect(await appliedSeqs(ctx, office.officeId)).toEqual(packets.slice(0, 5).map((p, i) => ({ seq: i + 1, recordId: p.recordId })));
      const feed = await expectGaplessFeed(ctx, office.officeId);
      expect(feed.map((c) => c.record_id)).toEqual(packets.slice(0, 5).map((p) => p.recordId));
    });

    it('refuses a batch that would leave a gap with OUT_OF_ORDER, and changes nothing', async () => {
      const before = await footprint(ctx, office.officeId);
      const error = await rejection(applyPushBatch(ctx, office.officeId, batch(7, 6, 8)));
      expect(error.code).toBe('OUT_OF_ORDER');
      expect(error.kind).toBe('conflict');
      expect(error.messages.en).toContain('expected seq 6, got 7');
      expect(error.messages.id).toContain('6');
      expect(await footprint(ctx, office.officeId)).toEqual(before);
      expect(await findEnrollment(ctx.db, packets[6]!.recordId)).toBeUndefined();
    });

    it('refuses non-contiguous seqs and applies none of the entries', async () => {
      const before = await footprint(ctx, office.officeId);
      const [p5, p6] = [packets[5]!, packets[6]!];
      const gapped: PushBatch = { officeId: office.officeId, entries: [...batch(6, 5, 6).entries, ...batch(8, 6, 7).entries] };
      const repeated: PushBatch = { officeId: office.officeId, entries: [...batch(6, 5, 6).entries, ...batch(6, 6, 7).entries] };
      const backwards: PushBatch = { officeId: office.officeId, entries: [...batch(7, 6, 7).entries, ...batch(6, 5, 6).entries] };
      for (const bad of [gapped, repeated, backwards]) {
        expect((await rejection(applyPushBatch(ctx, office.officeId, bad))).code).toBe('BATCH_NOT_CONTIGUOUS');
      }
      expect(await footprint(ctx, office.officeId)).toEqual(before);
      expect(await findEnrollment(ctx.db, p5.recordId)).toBeUndefined();
      expect(await findEnrollment(ctx.db, p6.recordId)).toBeUndefined();
    });

    it('refuses a batch from an office the centre does not know', async () => {
      const error = await rejection(applyPushBatch(ctx, 'NOPE', buildBatch('NOPE', 1, packets.slice(5, 6))));
      expect(error.code).toBe('OFFICE_UNKNOWN');
      expect(error.kind).toBe('unauthenticated');
      expect(await findEnrollment(ctx.db, packets[5]!.recordId)).toBeUndefined();
    });

    it('leaves nothing half-applied when the transaction fails part-way', async () => {
      const before = await footprint(ctx, office.officeId);
      // A stray feed row where the batch's second change will go makes its feed insert fail.
      await ctx.db
        .insertInto('status_changes')
        .values({ office_id: office.officeId, cursor: before.changeSeq + 2, record_id: 'stray', status: 'PROCESSING', at: new Date().toISOString(), note: null })
        .execute();
      await expect(applyPushBatch(ctx, office.officeId, batch(6, 5, 8))).rejects.toThrow();
      await ctx.db.deleteFrom('status_changes').where('record_id', '=', 'stray').execute();
      expect(await footprint(ctx, office.officeId)).toEqual(before);
      for (const p of packets.slice(5, 8)) expect(await findEnrollment(ctx.db, p.recordId)).toBeUndefined();
      await expectGaplessFeed(ctx, office.officeId);
    });

    it('applies the same batch delivered several times at once exactly once', async () => {
      const results = await Promise.all([1, 2, 3].map(() => applyPushBatch(ctx, office.officeId, batch(6, 5, 8))));
      expect(results.map((r) => r.appliedThrough)).toEqual([8, 8, 8]);
      expect(results.reduce((sum, r) => sum + r.applied, 0)).toBe(3);
      expect(results.reduce((sum, r) => sum + r.replayed, 0)).toBe(6);
      expect(await footprint(ctx, office.officeId)).toEqual({ enrollments: 8, appliedEntries: 8, changes: 8, appliedSeq: 8, changeSeq: 8 });
      await expectGaplessFeed(ctx, office.officeId);
    });

    it("keeps each office's sequence and change feed separate", async () => {
      const other = await registerTestOffice(ctx);
      const theirs = [await buildPacket(ctx, person(40), { subjectKey: person(40).nik }), await buildPacket(ctx, person(41), { subjectKey: person(41).nik })];
      expect(await applyPushBatch(ctx, other.officeId, buildBatch(other.officeId, 1, theirs))).toEqual({ appliedThrough: 2, applied: 2, replayed: 0 });
      expect(await footprint(ctx, other.officeId)).toEqual({ enrollments: 2, appliedEntries: 2, changes: 2, appliedSeq: 2, changeSeq: 2 });
      expect(await footprint(ctx, office.officeId)).toMatchObject({ enrollments: 8, appliedSeq: 8, changeSeq: 8 });
      // The first office's next seq is still 9, whatever the other office sent.
      expect((await rejection(applyPushBatch(ctx, office.officeId, batch(10, 9, 10)))).code).toBe('OUT_OF_ORDER');
      expect(await applyPushBatch(ctx, office.officeId, batch(9, 8, 10))).toEqual({ appliedThrough: 10, applied: 2, replayed: 0 });
      await expectGaplessFeed(ctx, other.officeId);
    });

    it('hands out change-feed cursors strictly increasing with no gaps, and pages by cursor', async () => {
      const feed = await expectGaplessFeed(ctx, office.officeId);
      expect(feed).toHaveLength(10);
      const pages: number[][] = [];
      for (let after = 0; ; ) {
        const page = await listChanges(ctx.db, office.officeId, after, 3);
        if (page.length === 0) break;
        pages.push(page.map((c) => Number(c.cursor)));
        after = Number(page[page.length - 1]!.cursor);
      }
      expect(pages).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10]]);
    });
  });

  describe('deduplication and adjudication', () => {
    let store: FreshStore;
    let handle: Db<CentralDb>;
    let ctx: CentralContext;
    let office: TestOffice;
    let nextSeq = 1;
    const originals: RecordingPacket[] = [];
    const cases: Record<'same' | 'different', RecordingPacket | undefined> = { same: undefined, different: undefined };

    async function push(packets: RecordingPacket[]) {
      const result = await applyPushBatch(ctx, office.officeId, buildBatch(office.officeId, nextSeq, packets));
      expect(result.applied).toBe(packets.length);
      nextSeq += packets.length;
    }

    setupOrFail(async () => {
      store = await freshStore(dialect, 'tangguh-central-');
      ({ handle, ctx } = await openCentral(store.location));
      office = await registerTestOffice(ctx);
    });
    afterAll(async () => {
      await handle?.close();
      await store?.cleanup();
    });

    it('makes distinct people PRINT_READY_RECORD and adds them to the gallery', async () => {
      for (let i = 0; i < 4; i++) originals.push(await buildPacket(ctx, person(i), { subjectKey: person(i).nik }));
      await push(originals);
      expect(await runDeduplication(ctx)).toBe(4);
      for (const p of originals) {
        expect(await statusOf(ctx, p.recordId)).toBe('PRINT_READY_RECORD');
        expect((await feedOf(ctx, office.officeId, p.recordId)).map((c) => c.status)).toEqual(['RECEIVED_AT_CENTRAL', 'PROCESSING', 'PRINT_READY_RECORD']);
      }
      expect(await gallerySize(ctx.db)).toBe(4);
      expect(ctx.matcher!.size).toBe(4);
      expect(await runDeduplication(ctx)).toBe(0);
    });

    it('finds the same person under another NIK, sends a poor capture to adjudication and fails a box it cannot open', async () => {
      const duplicate = await buildPacket(ctx, person(10), { subjectKey: person(0).nik, attempt: 1 });
      const sameSubject = await buildPacket(ctx, person(11), { subjectKey: person(1).nik, noise: 0.2 });
      const otherSubject = await buildPacket(ctx, person(12), { subjectKey: person(2).nik, noise: 0.2 });
      const foreignSeal = await buildPacket(ctx, person(13), { subjectKey: person(13).nik, sealTo: generateSealingKeyPair().publicKey });
      const newcomer = await buildPacket(ctx, person(14), { subjectKey: person(14).nik });
      await push([duplicate, sameSubject, otherSubject, foreignSeal, newcomer]);
      expect(await runDeduplication(ctx)).toBe(5);

      expect(await statusOf(ctx, duplicate.recordId)).toBe('DUPLICATE_RECORD');
      const dupNote = (await feedOf(ctx, office.officeId, duplicate.recordId)).at(-1)!;
      expect(dupNote.status).toBe('DUPLICATE_RECORD');
      expect(dupNote.note).toContain(originals[0]!.recordId);
      expect(await statusOf(ctx, sameSubject.recordId)).toBe('ADJUDICATE_RECORD');
      expect(await statusOf(ctx, otherSubject.recordId)).toBe('ADJUDICATE_RECORD');
      expect(await statusOf(ctx, foreignSeal.recordId)).toBe('ENROLL_FAILURE_AT_CENTRAL');
      expect(await statusOf(ctx, newcomer.recordId)).toBe('PRINT_READY_RECORD');
      expect(await gallerySize(ctx.db)).toBe(5);
      expect(ctx.matcher!.size).toBe(5);

      const open = await listOpenCases(ctx);
      expect(open).toHaveLength(2);
      const byRecord = new Map(open.map((c) => [c.recordId, c]));
      const first = byRecord.get(sameSubject.recordId)!;
      expect(first.candidate.recordId).toBe(originals[1]!.recordId);
      expect(first.probe.nik).toBe(person(11).nik);
      expect(first.candidate.nik).toBe(person(1).nik);
      expect(first.officeId).toBe(office.officeId);
      expect(byRecord.get(otherSubject.recordId)!.candidate.recordId).toBe(originals[2]!.recordId);
      for (const c of open) {
        expect(c.score).toBeGreaterThanOrEqual(ctx.policy.adjudicateFrom);
        expect(c.score).toBeLessThan(ctx.policy.duplicateAt);
      }
      cases.same = sameSubject;
      cases.different = otherSubject;
    });

    it('keeps the earlier recording of a person sent twice in one batch and marks the later one', async () => {
      // Record ids chosen so the later recording sorts first: the order must come from the recording, not the id.
      const earlierId = `f${randomUUID().slice(1)}`;
      const laterId = `0${randomUUID().slice(1)}`;
      const earlier = await buildPacket(ctx, person(15), { subjectKey: person(15).nik, recordId: earlierId });
      const later = await buildPacket(ctx, person(16), { subjectKey: person(15).nik, attempt: 1, recordId: laterId });
      await push([earlier, later]);
      expect(await runDeduplication(ctx)).toBe(2);
      expect(await statusOf(ctx, earlier.recordId)).toBe('PRINT_READY_RECORD');
      expect(await statusOf(ctx, later.recordId)).toBe('DUPLICATE_RECORD');
      expect((await feedOf(ctx, office.officeId, later.recordId)).at(-1)!.note).toContain(earlier.recordId);
    });

    it('decides a case as the same person: the record becomes a duplicate, and cannot be decided again', async () => {
      const open = await listOpenCases(ctx);
      const theCase = open.find((c) => c.recordId === cases.same!.recordId)!;
      const galleryBefore = await gallerySize(ctx.db);
      const result = await decideCase(ctx, { caseId: theCase.caseId, decision: 'SAME_PERSON', decidedBy: 'adj1', note: 'sidik jari sama' });
      expect(result).toEqual({ caseId: theCase.caseId, decision: 'SAME_PERSON', resultingStatus: 'DUPLICATE_RECORD' });
      expect(await statusOf(ctx, theCase.recordId)).toBe('DUPLICATE_RECORD');
      expect((await feedOf(ctx, office.officeId, theCase.recordId)).map((c) => c.status)).toEqual(['RECEIVED_AT_CENTRAL', 'PROCESSING', 'ADJUDICATE_RECORD', 'DUPLICATE_RECORD']);
      expect(await gallerySize(ctx.db)).toBe(galleryBefore);
      const row = await ctx.db.selectFrom('adjudications').selectAll().where('case_id', '=', theCase.caseId).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ decision: 'SAME_PERSON', decided_by: 'adj1', note: 'sidik jari sama' });

      for (const decision of ['SAME_PERSON', 'DIFFERENT_PERSON'] as const) {
        const again = await rejection(decideCase(ctx, { caseId: theCase.caseId, decision, decidedBy: 'adj2' }));
        expect(again.code).toBe('CASE_ALREADY_DECIDED');
        expect(again.kind).toBe('conflict');
      }
      expect(await statusOf(ctx, theCase.recordId)).toBe('DUPLICATE_RECORD');
      expect((await listOpenCases(ctx)).map((c) => c.recordId)).toEqual([cases.different!.recordId]);
    });

    it('decides a case as a different person once, even when two adjudicators decide at the same moment', async () => {
      const [theCase] = await listOpenCases(ctx);
      const galleryBefore = await gallerySize(ctx.db);
      const matcherBefore = ctx.matcher!.size;
      const outcomes = await Promise.allSettled([
        decideCase(ctx, { caseId: theCase!.caseId, decision: 'DIFFERENT_PERSON', decidedBy: 'adj1' }),
        decideCase(ctx, { caseId: theCase!.caseId, decision: 'DIFFERENT_PERSON', decidedBy: 'adj2' }),
      ]);
      const fulfilled = outcomes.filter((o) => o.status === 'fulfilled');
      const rejected = outcomes.filter((o) => o.status === 'rejected');
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      expect(fulfilled[0]!.value).toEqual({ caseId: theCase!.caseId, decision: 'DIFFERENT_PERSON', resultingStatus: 'PRINT_READY_RECORD' });
      expect((rejected[0]!.reason as DomainError).code).toBe('CASE_ALREADY_DECIDED');

      expect(await statusOf(ctx, cases.different!.recordId)).toBe('PRINT_READY_RECORD');
      const statuses = (await feedOf(ctx, office.officeId, cases.different!.recordId)).map((c) => c.status);
      expect(statuses).toEqual(['RECEIVED_AT_CENTRAL', 'PROCESSING', 'ADJUDICATE_RECORD', 'PRINT_READY_RECORD']);
      expect(await gallerySize(ctx.db)).toBe(galleryBefore + 1);
      // The decision only wrote to the database; the dedup worker's matcher reads it on its next catch-up.
      expect(ctx.matcher!.size).toBe(matcherBefore);
      expect((await loadMatcher(ctx)).size).toBe(matcherBefore + 1);
      expect(await listOpenCases(ctx)).toEqual([]);
      expect((await rejection(decideCase(ctx, { caseId: theCase!.caseId, decision: 'SAME_PERSON', decidedBy: 'adj3' }))).code).toBe('CASE_ALREADY_DECIDED');
    });

    it('refuses a decision on a case that does not exist', async () => {
      const error = await rejection(decideCase(ctx, { caseId: randomUUID(), decision: 'SAME_PERSON', decidedBy: 'adj1' }));
      expect(error.code).toBe('CASE_NOT_FOUND');
      expect(error.kind).toBe('not_found');
    });

    it('picks up a record left PROCESSING by a crash', async () => {
      const packet = await buildPacket(ctx, person(20), { subjectKey: person(20).nik });
      await push([packet]);
      await ctx.db.updateTable('enrollments').set({ status: 'PROCESSING' }).where('record_id', '=', packet.recordId).execute();
      expect(await runDeduplication(ctx)).toBe(1);
      expect(await statusOf(ctx, packet.recordId)).toBe('PRINT_READY_RECORD');
    });

    it('still finds the duplicate after a restart, from the gallery reloaded from the database', async () => {
      const inGallery = await gallerySize(ctx.db);
      await handle.close();
      ({ handle, ctx } = await openCentral(store.location));
      expect(ctx.matcher).toBeUndefined();
      expect((await loadMatcher(ctx)).size).toBe(inGallery);

      const returning = await buildPacket(ctx, person(30), { subjectKey: person(3).nik, attempt: 2 });
      const stranger = await buildPacket(ctx, person(31), { subjectKey: person(31).nik });
      await push([returning, stranger]);
      expect(await runDeduplication(ctx)).toBe(2);
      expect(await statusOf(ctx, returning.recordId)).toBe('DUPLICATE_RECORD');
      expect((await feedOf(ctx, office.officeId, returning.recordId)).at(-1)!.note).toContain(originals[3]!.recordId);
      expect(await statusOf(ctx, stranger.recordId)).toBe('PRINT_READY_RECORD');
    });

    it('kept one gapless change feed through all of it', async () => {
      const feed = await expectGaplessFeed(ctx, office.officeId);
      // Every applied record has RECEIVED_AT_CENTRAL, PROCESSING and a verdict at least.
      expect(feed.length).toBeGreaterThanOrEqual((nextSeq - 1) * 3);
    });
  });
});
