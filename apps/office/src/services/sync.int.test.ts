import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS, freshLocation, setupOrFail } from '../../../../test/pg.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { syntheticResidents } from '@tangguh/capture';
import { isRecordingEntry } from '@tangguh/protocol';
import { buildCentralApp } from '@tangguh/central';
import { openCentral } from '@tangguh/central/provision';
import type { CentralContext } from '@tangguh/central/context';
import { applyPushBatch } from '@tangguh/central/services/inbox';
import { registerOfficeEventHandler } from '@tangguh/central/services/office-events';
import { provisionStack, freePort } from '../../../cli/src/stack.ts';
import { syntheticRecording } from '../../../cli/src/seed.ts';
import { openOffice } from '../runtime.ts';
import type { OfficeContext } from '../context.ts';
import { officeSessionStore, type OfficeUser } from '../repositories/users.ts';
import { getSyncNumber, outboxBacklog, setSyncValue } from '../repositories/sync-state.ts';
import { recordResident } from './recording.ts';
import { enqueueOfficeEvent } from '../repositories/outbox.ts';
import { CentralClient, CentralUnavailable } from './central-client.ts';
import { nextOutboxBatch, pullOnce, pushBacklog, pushOnce } from './sync.ts';

describe.each(DIALECTS)('office sync against a real centre on %s', (dialect) => {
  let dir: string;
  let office: OfficeContext;
  let closeOffice: () => Promise<void>;
  let central: CentralContext;
  let closeCentral: () => Promise<void>;
  let centralApp: FastifyInstance;
  let client: CentralClient;
  let operator: OfficeUser;
  let nextResident = 0;

  async function record(count: number): Promise<void> {
    const people = syntheticResidents(count, { seed: 777 + nextResident, regencyCode: '35.09', regions: office.regions });
    nextResident += count;
    for (const person of people) await recordResident(office, { request: await syntheticRecording(person, person.nik), operator });
  }

  const centralCount = async (table: 'enrollments' | 'applied_entries') =>
    Number((await central.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  let dropStore = async () => {};
  setupOrFail(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tangguh-sync-'));
    const store = await freshLocation(dialect, dir, 'office');
    dropStore = store.drop;
    const paths = await provisionStack(dir, { officeDb: store.location });
    const c = await openCentral(paths.centralDb);
    central = c.ctx;
    closeCentral = () => c.handle.close();
    centralApp = await buildCentralApp(central, { serveWeb: false });
    const port = await freePort();
    await centralApp.listen({ port, host: '127.0.0.1' });
    const o = await openOffice(paths.officeDb);
    office = o.ctx;
    closeOffice = () => o.handle.close();
    operator = (await officeSessionStore(office.db).findLogin('operator'))!.user;
    client = new CentralClient({ baseUrl: `http://127.0.0.1:${port}`, officeId: office.office.id, signingPrivateKey: office.signingPrivateKey });
  });

  afterAll(async () => {
    await centralApp?.close();
    await closeOffice?.();
    await closeCentral?.();
    await dropStore();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('office sync against a real centre on loopback', () => {
    it('pushes the outbox in order and marks records SENT_FOR_ENROLLMENT with the acknowledgement', async () => {
      await record(5);
      expect((await outboxBacklog(office.db)).pending).toBe(5);
      expect(await pushOnce(office, client, 3)).toBe(3);
      expect(await getSyncNumber(office.db, 'acked_seq')).toBe(3);
      expect(await pushOnce(office, client, 3)).toBe(2);
      expect((await outboxBacklog(office.db)).pending).toBe(0);
      expect(await pushOnce(office, client, 3)).toBe(0);
      const statuses = await office.db.selectFrom('records').select('status').execute();
      expect(statuses.every((r) => r.status === 'SENT_FOR_ENROLLMENT')).toBe(true);
      expect(await centralCount('enrollments')).toBe(5);
    });

    it('after a lost acknowledgement, sends again and the centre applies nothing twice', async () => {
      await record(4);
      const batch = await nextOutboxBatch(office, 10);
      // The centre applied the batch but the office never heard back (the connection dropped).
      await applyPushBatch(central, office.office.id, { officeId: office.office.id, entries: batch });
      const before = await centralCount('enrollments');
      expect(await pushOnce(office, client, 10)).toBe(4);
      expect(await centralCount('enrollments')).toBe(before);
      expect(await centralCount('applied_entries')).toBe(9);
      expect((await outboxBacklog(office.db)).pending).toBe(0);
    });

    it('rewinds to the centre’s position when the centre lost entries (restored from backup)', async () => {
      await record(2);
      expect(await pushOnce(office, client, 10)).toBe(2);
      const acked = await getSyncNumber(office.db, 'acked_seq');
      // The centre is restored from a backup taken before the last two entries.
      const lost = (await nextOutboxBatchFrom(acked - 2)).flatMap((e) => (isRecordingEntry(e) ? [e.packet.recordId] : []));
      await central.db.transaction().execute(async (trx) => {
        await trx.updateTable('offices').set({ applied_seq: acked - 2 }).where('office_id', '=', office.office.id).execute();
        await trx.deleteFrom('applied_entries').where('seq', '>', acked - 2).execute();
        await trx.deleteFrom('enrollments').where('record_id', 'in', lost).execute();
      });
      await record(1);
      // The next batch starts past the centre's position: OUT_OF_ORDER, and the office rewinds.
      expect(await pushOnce(office, client, 10)).toBe(0);
      expect(await getSyncNumber(office.db, 'acked_seq')).toBe(acked - 2);
      expect(await pushOnce(office, client, 10)).toBe(3);
      expect(await getSyncNumber(office.db, 'acked_seq')).toBe(acked + 1);
      expect(await centralCount('enrollments')).toBe(await officeCount());
    });

    it('pulls the centre’s status changes by cursor, and a second pull brings nothing new', async () => {
      const { runDeduplication } = await import('@tangguh/central/services/dedup');
      while ((await runDeduplication(central)) > 0);
      let applied = 0;
      for (;;) {
        const page = await pullOnce(office, client, 7);
        applied += page.applied;
        if (!page.hasMore) break;
      }
      expect(applied).toBeGreaterThan(0);
      const cursor = await getSyncNumber(office.db, 'pull_cursor');
      expect(await pullOnce(office, client, 7)).toEqual({ applied: 0, hasMore: false });
      expect(await getSyncNumber(office.db, 'pull_cursor')).toBe(cursor);
      const statuses = await office.db.selectFrom('records').select('status').execute();
      expect(statuses.every((r) => r.status === 'PRINT_READY_RECORD')).toBe(true);
      // A record of the first test: the rewind test above replays two others, which legitimately hear RECEIVED twice.
      const one = await office.db.selectFrom('records').select('id').orderBy('registration_number').executeTakeFirstOrThrow();
      const timeline = (await office.db.selectFrom('status_events').select('status').where('record_id', '=', one.id).orderBy('id').execute()).map((e) => e.status);
      expect(timeline).toEqual(['BIO_CAPTURED', 'SENT_FOR_ENROLLMENT', 'RECEIVED_AT_CENTRAL', 'PROCESSING', 'PRINT_READY_RECORD']);
    });

    it('carries office events in the same ordered outbox; the centre logs each exactly once and runs its handler', async () => {
      const seen: string[] = [];
      registerOfficeEventHandler('test.noted', async (_trx, _ctx, officeId, event) => {
        seen.push(`${officeId}:${event.subjectId}`);
      });
      await office.db.transaction().execute((trx) => enqueueOfficeEvent(trx, { kind: 'test.noted', subjectId: 'S-1', payload: { why: 'uji' }, at: new Date().toISOString() }));
      await record(1);
      const batch = await nextOutboxBatch(office, 10);
      expect(batch.map((e) => e.kind)).toEqual(['test.noted', 'recording.created']);
      // Delivered once, then replayed after a lost acknowledgement: logged and handled once.
      await applyPushBatch(central, office.office.id, { officeId: office.office.id, entries: batch });
      expect(await pushOnce(office, client, 10)).toBe(2);
      const logged = await central.db.selectFrom('office_events').selectAll().where('subject_id', '=', 'S-1').execute();
      expect(logged).toHaveLength(1);
      expect(JSON.parse(logged[0]!.payload)).toEqual({ why: 'uji' });
      expect(seen).toEqual([`${office.office.id}:S-1`]);
    });

    it('keeps the outbox when the centre is unreachable or answers with a truncated body', async () => {
      await record(1);
      const down = new CentralClient({ baseUrl: `http://127.0.0.1:${await freePort()}`, officeId: office.office.id, signingPrivateKey: office.signingPrivateKey, timeoutMs: 2000 });
      await expect(pushOnce(office, down, 10)).rejects.toBeInstanceOf(CentralUnavailable);
      const truncating: Server = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"appliedThrough": 99');
      });
      const port = await freePort();
      await new Promise<void>((resolve) => truncating.listen(port, '127.0.0.1', resolve));
      try {
        const broken = new CentralClient({ baseUrl: `http://127.0.0.1:${port}`, officeId: office.office.id, signingPrivateKey: office.signingPrivateKey });
        await expect(pushOnce(office, broken, 10)).rejects.toThrow(/truncated|terpotong/);
      } finally {
        truncating.close();
      }
      expect((await outboxBacklog(office.db)).pending).toBe(1);
      expect(await pushOnce(office, client, 10)).toBe(1);
    });

    it('drains a backlog batch after batch (the next read while the centre applies the last), each entry applied once, stopping at its time budget', async () => {
      await record(8);
      const applied = await centralCount('applied_entries');
      // The centre already applied the first batch, but the office never heard back: a replay, acknowledged.
      await applyPushBatch(central, office.office.id, { officeId: office.office.id, entries: await nextOutboxBatch(office, 3) });
      // A spent budget: one batch, then the caller gets to pull.
      expect(await pushBacklog(office, client, 3, { budgetMs: 0 })).toBe(3);
      expect((await outboxBacklog(office.db)).pending).toBe(5);
      expect(await pushBacklog(office, client, 3, { budgetMs: 60_000 })).toBe(5);
      expect((await outboxBacklog(office.db)).pending).toBe(0);
      expect(await pushBacklog(office, client, 3, { budgetMs: 60_000 })).toBe(0);
      expect(await centralCount('applied_entries')).toBe(applied + 8);
      expect(await centralCount('enrollments')).toBe(await officeCount());
      const waiting = await office.db.selectFrom('records').select('id').where('status', '=', 'BIO_CAPTURED').execute();
      expect(waiting).toEqual([]);
    });
  });

  async function officeCount(): Promise<number> {
    return Number((await office.db.selectFrom('records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  }

  async function nextOutboxBatchFrom(afterSeq: number) {
    const saved = await getSyncNumber(office.db, 'acked_seq');
    await setSyncValue(office.db, 'acked_seq', afterSeq);
    const batch = await nextOutboxBatch(office, 100);
    await setSyncValue(office.db, 'acked_seq', saved);
    return batch;
  }
});
