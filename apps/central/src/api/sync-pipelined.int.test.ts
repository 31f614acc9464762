import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushFeedResultSchema, type RecordingPacket } from '@tangguh/protocol';
import { officeRequestHeaders } from '@tangguh/protocol/node';
import type { Db } from '@tangguh/platform';
import { buildBatch, buildPacket, registerTestOffice, testResidents, type TestOffice } from '../../../../test/builders.ts';
import type { CentralContext } from '../context.ts';
import type { CentralDb } from '../db/schema.ts';
import { buildCentralApp } from '../app.ts';
import { openCentral } from '../services/provision.ts';

/*
 * An office draining a backlog keeps two batches on the wire, the second marked `pipelined=1`: the centre
 * holds such a push until the batch before it is applied instead of refusing the gap, so the two apply in
 * order, each once. An unmarked push with a gap is refused at once as before, and a marked one whose
 * predecessor never comes is refused the same way after the wait, with nothing applied.
 */
describe('pipelined pushes wait for the batch before them', () => {
  let dir: string;
  let handle: Db<CentralDb>;
  let ctx: CentralContext;
  let app: FastifyInstance;
  let office: TestOffice;
  let packets: RecordingPacket[];

  const push = (firstSeq: number, slice: RecordingPacket[], pipelined: boolean) => {
    const url = pipelined ? '/sync/push?feed=1&pipelined=1' : '/sync/push?feed=1';
    const body = JSON.stringify(buildBatch(office.officeId, firstSeq, slice));
    const headers = officeRequestHeaders({ officeId: office.officeId, privateKey: office.keys.privateKey }, 'POST', url, body);
    return app.inject({ method: 'POST', url, headers, payload: body });
  };
  const applied = async () => Number((await ctx.db.selectFrom('offices').select('applied_seq').where('office_id', '=', office.officeId).executeTakeFirstOrThrow()).applied_seq);
  const enrolled = async () => Number((await ctx.db.selectFrom('enrollments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tangguh-sync-pipelined-'));
    ({ handle, ctx } = await openCentral(join(dir, 'central.db')));
    app = await buildCentralApp(ctx, { serveWeb: false });
    office = await registerTestOffice(ctx);
    packets = [];
    for (const person of await testResidents(8, 2207)) packets.push(await buildPacket(ctx, person, { subjectKey: person.nik }));
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('holds a pipelined push that arrives before its predecessor, then applies both in order, each once', async () => {
    const second = push(4, packets.slice(3, 6), true);
    // The second is held: nothing of it is applied while the first has not come.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await applied()).toBe(0);
    const first = await push(1, packets.slice(0, 3), false);
    expect(first.statusCode, first.body).toBe(200);
    expect(pushFeedResultSchema.parse(first.json()).appliedThrough).toBe(3);
    const held = await second;
    expect(held.statusCode, held.body).toBe(200);
    const result = pushFeedResultSchema.parse(held.json());
    expect(result).toMatchObject({ appliedThrough: 6, applied: 3, replayed: 0 });
    expect(result.feed?.map((c) => c.recordId)).toEqual(packets.slice(3, 6).map((p) => p.recordId));
    expect(await applied()).toBe(6);
    expect(await enrolled()).toBe(6);
  });

  it('refuses an unmarked push with a gap at once, and a pipelined one whose predecessor never comes after the wait, applying nothing', async () => {
    const unmarked = await push(8, packets.slice(7, 8), false);
    expect(unmarked.statusCode).toBe(409);
    expect(unmarked.json().error.code).toBe('OUT_OF_ORDER');
    const orphan = await push(8, packets.slice(7, 8), true);
    expect(orphan.statusCode).toBe(409);
    expect(orphan.json().error.code).toBe('OUT_OF_ORDER');
    expect(orphan.json().error.messages.id).toContain('7');
    expect(await applied()).toBe(6);
    expect(await enrolled()).toBe(6);
  }, 20_000);
});
