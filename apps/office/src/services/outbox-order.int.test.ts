import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticResidents } from '@tangguh/capture';
import { DomainError } from '@tangguh/domain';
import { openDatabase, type Db } from '@tangguh/platform';
import type { RecordingRequest } from '@tangguh/protocol';
import { provisionStack } from '../../../cli/src/stack.ts';
import { syntheticRecording } from '../../../cli/src/seed.ts';
import { DIALECTS, freshLocation, setupOrFail } from '../../../../test/pg.ts';
import { openOffice } from '../runtime.ts';
import type { OfficeContext } from '../context.ts';
import type { OfficeDb } from '../db/schema.ts';
import { officeSessionStore, type OfficeUser } from '../repositories/users.ts';
import { enqueueOfficeEvent } from '../repositories/outbox.ts';
import { recordResident } from './recording.ts';

/**
 * What the centre relies on and what today rests on the database, not on SQLite's single writer: outbox
 * seqs without gaps and visible in order (a reader never sees seq n+1 committed before n), and one
 * active record per NIK however many counters record it at once.
 */
describe.each(DIALECTS)('the office outbox and NIK rule under concurrent writers on %s', (dialect) => {
  let dir: string;
  let office: OfficeContext;
  let operator: OfficeUser;
  /** A connection of its own, as another process would read: on SQLite too it does not queue behind the writers. */
  let reader: Db<OfficeDb>;
  let close = async () => {};
  let seed = 9100;

  const requests = async (count: number): Promise<RecordingRequest[]> => {
    const people = syntheticResidents(count, { seed: seed++, regencyCode: '35.09', regions: office.regions });
    return Promise.all(people.map((p) => syntheticRecording(p, p.nik)));
  };
  const seqs = async (db = office.db) => (await db.selectFrom('outbox').select('seq').orderBy('seq').execute()).map((r) => Number(r.seq));
  const contiguous = (list: number[]) => list.every((seq, i) => seq === i + 1);

  setupOrFail(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tangguh-outbox-'));
    const store = await freshLocation(dialect, dir, 'office');
    const paths = await provisionStack(dir, { officeDb: store.location });
    const o = await openOffice(paths.officeDb);
    office = o.ctx;
    reader = openDatabase<OfficeDb>(paths.officeDb);
    close = async () => {
      await reader.close();
      await o.handle.close();
      await store.drop();
    };
    operator = (await officeSessionStore(office.db).findLogin('operator'))!.user;
  });
  afterAll(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('numbers N concurrent recordings 1..N, and a reader polling meanwhile never sees a gap', async () => {
    const batch = await requests(16);
    const seen: number[][] = [];
    let writing = true;
    const polling = (async () => {
      while (writing) {
        seen.push(await seqs(reader.db));
        // Not a timer: better-sqlite3 answers at once, so SQLite writers only ever yield microtasks.
        await Promise.resolve();
      }
    })();
    const outcomes = await Promise.allSettled(batch.map((request) => recordResident(office, { request, operator })));
    writing = false;
    await polling;
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    expect(await seqs()).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(seen.length).toBeGreaterThan(1);
    for (const snapshot of seen) expect(contiguous(snapshot)).toBe(true);
  });

  it('records one of two concurrent recordings of the same NIK and refuses the other with NIK_ALREADY_RECORDED, leaving no gap', async () => {
    const [request] = await requests(1);
    const twice = [request!, { ...request!, clientRequestId: undefined }];
    const outcomes = await Promise.allSettled(twice.map((r) => recordResident(office, { request: r, operator })));
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(DomainError);
    expect((refused[0] as DomainError).code).toBe('NIK_ALREADY_RECORDED');
    const rows = await office.db.selectFrom('records').select('id').where('nik', '=', request!.biodata.nik).execute();
    expect(rows).toHaveLength(1);
    expect(await seqs()).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
  });

  it('gives one record and one receipt to a request retried while the first is still being written', async () => {
    const [request] = await requests(1);
    const retried = { ...request!, clientRequestId: `retry-${dialect}-${Date.now()}` };
    const [a, b] = await Promise.all([recordResident(office, { request: retried, operator }), recordResident(office, { request: retried, operator })]);
    expect(a.receipt.registrationNumber).toBe(b.receipt.registrationNumber);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(contiguous(await seqs())).toBe(true);
  });

  it('keeps other office events in the same sequence as recordings when both are written at once', async () => {
    const before = (await seqs()).length;
    const batch = await requests(6);
    await Promise.all([
      ...batch.map((request) => recordResident(office, { request, operator })),
      ...[1, 2, 3, 4, 5, 6].map((n) =>
        office.db.transaction().execute((trx) => enqueueOfficeEvent(trx, { kind: 'test.event', subjectId: `S${n}`, payload: { n }, at: new Date().toISOString() })),
      ),
    ]);
    const all = await seqs();
    expect(all).toHaveLength(before + 12);
    expect(contiguous(all)).toBe(true);
  });
});
