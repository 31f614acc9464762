import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, SYNC_HEADERS, centralReconcileResponseSchema, pushResultSchema, type RecordingPacket } from '@tangguh/protocol';
import type { Db } from '@tangguh/platform';
import { buildBatch, buildPacket, registerTestOffice, signedHeaders, testResidents, type TestOffice } from '../../../../test/builders.ts';
import { DIALECTS, freshLocation, setupOrFail } from '../../../../test/pg.ts';
import type { CentralDb } from '../db/schema.ts';
import { buildCentralApp } from '../app.ts';
import { openCentral } from '../services/provision.ts';

/**
 * GET /sync/reconcile on both databases: signed like every /sync route, it answers an office with its own
 * recordings (and their status and time of arrival) and events in the window, never another office's.
 */
describe.each(DIALECTS)("the centre's view of an office's window on %s", (dialect) => {
  let dir: string;
  let drop: () => Promise<void>;
  let handle: Db<CentralDb>;
  let app: FastifyInstance;
  let office: TestOffice;
  let other: TestOffice;
  let packets: RecordingPacket[];

  const signer = (o: TestOffice) => ({ officeId: o.officeId, privateKey: o.keys.privateKey });
  const ask = (by: TestOffice, from: string, to: string) => {
    const url = `/sync/reconcile?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    return app.inject({ method: 'GET', url, headers: signedHeaders(signer(by), 'GET', url, '') });
  };

  setupOrFail(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tangguh-reconcile-'));
    const store = await freshLocation(dialect, dir, 'central');
    drop = store.drop;
    const opened = await openCentral(store.location);
    handle = opened.handle;
    app = await buildCentralApp(opened.ctx, { serveWeb: false });
    office = await registerTestOffice(opened.ctx);
    other = await registerTestOffice(opened.ctx);
    packets = [];
    for (const person of await testResidents(4, 4410)) packets.push(await buildPacket(opened.ctx, person, { subjectKey: person.nik }));
    for (const [by, some] of [
      [office, packets.slice(0, 3)],
      [other, packets.slice(3)],
    ] as const) {
      const body = JSON.stringify(buildBatch(by.officeId, 1, [...some]));
      const pushed = await app.inject({ method: 'POST', url: '/sync/push', headers: signedHeaders(signer(by), 'POST', '/sync/push', body), payload: body });
      expect(pushed.statusCode, pushed.body).toBe(200);
      expect(pushResultSchema.parse(pushed.json()).appliedThrough).toBe(some.length);
    }
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
    await drop?.();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("answers an office with its own recordings in the window — status and arrival — and nobody else's", async () => {
    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const answer = await ask(office, from, to);
    expect(answer.statusCode, answer.body).toBe(200);
    const view = centralReconcileResponseSchema.parse(answer.json());
    expect(view.officeId).toBe(office.officeId);
    expect(view.appliedSeq).toBe(3);
    expect(view.records.map((r) => r.recordId).sort()).toEqual(packets.slice(0, 3).map((p) => p.recordId).sort());
    expect(view.records.every((r) => r.receivedAt >= r.recordedAt && r.status.length > 0)).toBe(true);
    expect(view.truncated).toBe(false);
    const theirs = centralReconcileResponseSchema.parse((await ask(other, from, to)).json());
    expect(theirs.records.map((r) => r.recordId)).toEqual([packets[3]!.recordId]);
  });

  it('leaves out recordings outside the window, refuses a backwards or over-long one, and refuses an unsigned request', async () => {
    const earlier = centralReconcileResponseSchema.parse((await ask(office, '2020-01-01T00:00:00Z', '2020-01-02T00:00:00Z')).json());
    expect(earlier.records).toEqual([]);
    expect((await ask(office, '2020-01-02T00:00:00Z', '2020-01-01T00:00:00Z')).json()).toMatchObject({ error: { code: 'RECONCILE_WINDOW_INVALID' } });
    expect((await ask(office, '2020-01-01T00:00:00Z', '2020-03-01T00:00:00Z')).statusCode).toBe(400);
    const unsigned = await app.inject({ method: 'GET', url: '/sync/reconcile?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z', headers: { [SYNC_HEADERS.protocol]: String(PROTOCOL_VERSION) } });
    expect(unsigned.statusCode).toBe(401);
  });
});
