/**
 * Deduplication searches a whole batch against the gallery at once (one message per shard) and then decides
 * the records in arrival order. The verdicts must be those of deciding the records one by one: the same
 * database, copied, deduplicated once in a single batch over two shards and once a record at a time, gives
 * every record the same status, note (best candidate and score) and adjudication case — including a person
 * recorded twice inside the batch, and one recorded twice with a poor capture.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShardedMatcher } from '@tangguh/matcher';
import { generateSealingKeyPair } from '@tangguh/protocol/node';
import { openCentral } from '../apps/central/src/services/provision.ts';
import { applyPushBatch } from '../apps/central/src/services/inbox.ts';
import { runDeduplication } from '../apps/central/src/services/dedup.ts';
import { GalleryMirror } from '../apps/central/src/matcher/gallery-mirror.ts';
import type { CentralContext } from '../apps/central/src/context.ts';
import { buildBatch, buildPacket, registerTestOffice, testResidents } from './builders.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tangguh-dedup-batch-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function verdicts(ctx: CentralContext, recordIds: string[]) {
  const out = new Map<string, { status: string; note: string | null; candidate?: string; score?: number }>();
  for (const recordId of recordIds) {
    const change = await ctx.db.selectFrom('status_changes').select(['status', 'note']).where('record_id', '=', recordId).orderBy('cursor', 'desc').executeTakeFirstOrThrow();
    const adjudication = await ctx.db.selectFrom('adjudications').selectAll().where('record_id', '=', recordId).executeTakeFirst();
    out.set(recordId, {
      status: change.status,
      note: change.note,
      ...(adjudication ? { candidate: adjudication.candidate_record_id, score: Number(adjudication.score) } : {}),
    });
  }
  return out;
}

describe('a batch searched at once', () => {
  it('gets the verdicts of searching its records one by one, mates inside the batch included', async () => {
    const batchPath = join(dir, 'batch.db');
    const people = await testResidents(16, 4713);
    const setup = await openCentral(batchPath);
    const office = await registerTestOffice(setup.ctx);
    // The gallery: four people deduplicated before.
    const enrolled = await Promise.all(people.slice(0, 4).map((p, i) => buildPacket(setup.ctx, p, { subjectKey: `enrolled-${i}` })));
    await applyPushBatch(setup.ctx, office.officeId, buildBatch(office.officeId, 1, enrolled));
    expect(await runDeduplication(setup.ctx)).toBe(4);

    // The batch, in arrival order.
    const queued = [
      await buildPacket(setup.ctx, people[4]!, { subjectKey: 'enrolled-0', attempt: 1 }), // the gallery's, again
      await buildPacket(setup.ctx, people[5]!, { subjectKey: 'enrolled-1', attempt: 2, noise: 0.2 }), // the gallery's, poor capture
      await buildPacket(setup.ctx, people[6]!, { subjectKey: 'new-a' }),
      await buildPacket(setup.ctx, people[7]!, { subjectKey: 'new-b' }),
      await buildPacket(setup.ctx, people[8]!, { subjectKey: 'new-a', attempt: 1 }), // new-a twice in this batch
      await buildPacket(setup.ctx, people[9]!, { subjectKey: 'new-c' }),
      await buildPacket(setup.ctx, people[10]!, { subjectKey: 'new-b', attempt: 3, noise: 0.2 }), // new-b again, poor
      await buildPacket(setup.ctx, people[11]!, { subjectKey: 'sealed-elsewhere', sealTo: generateSealingKeyPair().publicKey }),
      await buildPacket(setup.ctx, people[12]!, { subjectKey: 'new-a', attempt: 2 }), // new-a a third time
      await buildPacket(setup.ctx, people[13]!, { subjectKey: 'new-d' }),
    ];
    await applyPushBatch(setup.ctx, office.officeId, buildBatch(office.officeId, 5, queued));
    await setup.handle.close();
    const onePath = join(dir, 'one-by-one.db');
    await copyFile(batchPath, onePath);
    const ids = queued.map((p) => p.recordId);

    // All ten in one batch, searched at once over two shards.
    const batch = await openCentral(batchPath);
    batch.ctx.matcher = new GalleryMirror(batch.ctx.galleryKey, new ShardedMatcher({ shards: 2 }));
    let atOnce;
    try {
      // Sent to the shards three records a message, the one that cannot be opened among them.
      expect(await runDeduplication(batch.ctx, 100, 3)).toBe(ids.length);
      atOnce = await verdicts(batch.ctx, ids);
      // The print-ready records went to the shards after the commit: let them land before the threads stop.
      await batch.ctx.matcher.ready();
    } finally {
      await batch.ctx.matcher.close();
      await batch.handle.close();
    }

    // The same records a batch of one at a time.
    const single = await openCentral(onePath);
    let oneByOne;
    try {
      let runs = 0;
      while ((await runDeduplication(single.ctx, 1)) > 0) runs++;
      expect(runs).toBe(ids.length);
      oneByOne = await verdicts(single.ctx, ids);
    } finally {
      await single.handle.close();
    }

    expect([...atOnce.entries()]).toEqual([...oneByOne.entries()]);
    const status = (i: number) => atOnce.get(ids[i]!)!.status;
    expect(status(0)).toBe('DUPLICATE_RECORD');
    expect(atOnce.get(ids[0]!)!.note).toContain(enrolled[0]!.recordId);
    expect(status(1)).toBe('ADJUDICATE_RECORD');
    expect(atOnce.get(ids[1]!)!.candidate).toBe(enrolled[1]!.recordId);
    expect([status(2), status(3), status(5), status(9)]).toEqual(['PRINT_READY_RECORD', 'PRINT_READY_RECORD', 'PRINT_READY_RECORD', 'PRINT_READY_RECORD']);
    // Mates inside the batch: found among the records before them, by the record they came after.
    expect(status(4)).toBe('DUPLICATE_RECORD');
    expect(atOnce.get(ids[4]!)!.note).toContain(ids[2]);
    expect(status(6)).toBe('ADJUDICATE_RECORD');
    expect(atOnce.get(ids[6]!)!.candidate).toBe(ids[3]);
    expect(status(7)).toBe('ENROLL_FAILURE_AT_CENTRAL');
    // The third new-a: its first recording stands (the second was a duplicate, not admitted to the gallery).
    expect(status(8)).toBe('DUPLICATE_RECORD');
    expect(atOnce.get(ids[8]!)!.note).toContain(ids[2]);
  });
});
