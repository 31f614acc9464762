/**
 * Deduplication with more than one writer. A gallery entry committed by another process while the dedup
 * worker searches a batch it has already caught up for: the worker checks the gallery under its lock before
 * committing and searches the batch again (the other process's commit is a real write through a second
 * SQLite connection, made at that exact moment). And two dedup workers on one PostgreSQL database: each
 * record is taken by one of them and gets one verdict, and a person recorded twice is caught either way.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCentral } from '../apps/central/src/services/provision.ts';
import { applyPushBatch } from '../apps/central/src/services/inbox.ts';
import { loadMatcher, runDeduplication } from '../apps/central/src/services/dedup.ts';
import { buildBatch, buildPacket, registerTestOffice, testResidents } from './builders.ts';
import { freshPgDatabase } from './pg.ts';

let dir: string;
let path: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tangguh-dedup-race-'));
  path = join(dir, 'central.db');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface GalleryRow {
  record_id: string;
  templates: Buffer;
  added_at: string;
  seq: number;
}

describe('a gallery entry committed by another process during a search', () => {
  it('is not missed: the batch is searched again and the record found to be its duplicate', async () => {
    const [resident, returning] = await testResidents(2, 4711);

    // The entry the other process will commit: person X's record, admitted the ordinary way, then taken out
    // of the table again (its row kept aside) so it can be put back at the chosen moment.
    const first = await openCentral(path);
    const office = await registerTestOffice(first.ctx);
    const intruder = await buildPacket(first.ctx, resident!, { subjectKey: 'person-x', attempt: 1 });
    await applyPushBatch(first.ctx, office.officeId, buildBatch(office.officeId, 1, [intruder]));
    expect(await runDeduplication(first.ctx)).toBe(1);
    await first.handle.close();
    const other = new Database(path);
    other.pragma('busy_timeout = 5000');
    const row = other.prepare('select record_id, templates, added_at, seq from gallery where record_id = ?').get(intruder.recordId) as GalleryRow;
    other.prepare('delete from gallery where record_id = ?').run(intruder.recordId);
    other.prepare("update counters set value = value - 1 where name = 'gallery_seq'").run();

    // The worker: X again, under another NIK. Its matcher is up to date, and the gallery is empty.
    const { ctx, handle } = await openCentral(path);
    const probe = await buildPacket(ctx, returning!, { subjectKey: 'person-x' });
    await applyPushBatch(ctx, office.officeId, buildBatch(office.officeId, 2, [probe]));
    const mirror = await loadMatcher(ctx);
    expect(mirror.size).toBe(0);
    const search = mirror.search.bind(mirror);
    let searches = 0;
    mirror.search = (set, options) => {
      // The other process commits X's entry while the worker searches (a synchronous write, as it happens).
      if (searches++ === 0) {
        other.transaction(() => {
          other.prepare("update counters set value = value + 1 where name = 'gallery_seq'").run();
          other.prepare('insert into gallery (record_id, templates, added_at, seq) values (?, ?, ?, ?)').run(row.record_id, row.templates, row.added_at, row.seq);
        })();
      }
      return search(set, options);
    };

    expect(await runDeduplication(ctx)).toBe(1);
    expect(searches).toBe(2);
    const status = await ctx.db.selectFrom('enrollments').select('status').where('record_id', '=', probe.recordId).executeTakeFirstOrThrow();
    expect(status.status).toBe('DUPLICATE_RECORD');
    const verdict = await ctx.db.selectFrom('status_changes').select('note').where('record_id', '=', probe.recordId).orderBy('cursor', 'desc').executeTakeFirstOrThrow();
    expect(verdict.note).toContain(intruder.recordId);
    expect(mirror.size).toBe(1);
    other.close();
    await handle.close();
  });
});

describe('two dedup workers on one PostgreSQL database', () => {
  it('give each record one verdict, and catch a person recorded twice whichever of them sees which recording', async () => {
    const pg = await freshPgDatabase();
    const a = await openCentral(pg.url);
    const b = await openCentral(pg.url);
    try {
      const people = await testResidents(9, 4712);
      const office = await registerTestOffice(a.ctx);
      const originals = await Promise.all(people.slice(0, 6).map((p, i) => buildPacket(a.ctx, p, { subjectKey: `twice-${i}` })));
      const again = await Promise.all(people.slice(6).map((p, i) => buildPacket(a.ctx, p, { subjectKey: `twice-${i}`, attempt: 1 })));
      await applyPushBatch(a.ctx, office.officeId, buildBatch(office.officeId, 1, [...originals, ...again]));

      // Small batches, both workers at once, until nothing is left.
      for (let rounds = 0; rounds < 50; rounds++) {
        const done = await Promise.all([runDeduplication(a.ctx, 3), runDeduplication(b.ctx, 3)]);
        if (done[0] + done[1] === 0) break;
      }

      const feed = await a.ctx.db.selectFrom('status_changes').select(['record_id', 'status']).where('office_id', '=', office.officeId).orderBy('cursor').execute();
      const statuses = (id: string) => feed.filter((c) => c.record_id === id).map((c) => c.status);
      for (const p of [...originals, ...again]) {
        expect(statuses(p.recordId).slice(0, 2)).toEqual(['RECEIVED_AT_CENTRAL', 'PROCESSING']);
        expect(statuses(p.recordId)).toHaveLength(3);
      }
      for (let i = 0; i < 3; i++) {
        const pair = [statuses(originals[i]!.recordId).at(-1), statuses(again[i]!.recordId).at(-1)].sort();
        expect(pair, `person ${i} recorded twice`).toEqual(['DUPLICATE_RECORD', 'PRINT_READY_RECORD']);
      }
      for (let i = 3; i < 6; i++) expect(statuses(originals[i]!.recordId).at(-1)).toBe('PRINT_READY_RECORD');
      const gallery = await a.ctx.db.selectFrom('gallery').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(gallery.n)).toBe(6);
    } finally {
      await a.handle.close();
      await b.handle.close();
      await pg.drop();
    }
  });
});
