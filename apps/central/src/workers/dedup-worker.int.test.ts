import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyBaseLogger } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@tangguh/platform';
import { buildBatch, buildPacket, registerTestOffice, testResidents } from '../../../../test/builders.ts';
import { makeTempDir, removeTempDir, waitFor } from '../../../../test/helpers.ts';
import type { CentralContext } from '../context.ts';
import type { CentralDb } from '../db/schema.ts';
import { openCentral } from '../services/provision.ts';
import { applyPushBatch } from '../services/inbox.ts';
import { runDeduplication } from '../services/dedup.ts';
import { startDedupWorker } from './dedup-worker.ts';

const silent = { error: () => undefined } as unknown as FastifyBaseLogger;

/*
 * The dedup worker's rounds on SQLite can be synchronous work and settled promises only — building card
 * packages is — and a backlog starts the next round at once. It must still give the event loop a turn between
 * rounds, or this process's signals, health checks and API requests wait until the whole backlog is done (the
 * centre did not stop on SIGTERM for minutes after a large deduplication).
 */
describe('the dedup worker with a backlog of card packages', () => {
  const dir = makeTempDir('tangguh-dedup-worker-');
  const file = join(dir, 'central.db');
  let handle: Db<CentralDb>;
  let ctx: CentralContext;
  const PEOPLE = 30;

  beforeAll(async () => {
    ({ handle, ctx } = await openCentral(file));
    const office = await registerTestOffice(ctx);
    const people = await testResidents(PEOPLE, 3131);
    const packets = await Promise.all(people.map((p) => buildPacket(ctx, p, { subjectKey: p.nik })));
    await applyPushBatch(ctx, office.officeId, buildBatch(office.officeId, 1, packets));
    await runDeduplication(ctx, PEOPLE);
  }, 120_000);
  afterAll(async () => {
    await ctx?.matcher?.close();
    await handle?.close();
    removeTempDir(dir);
  });

  it('lets a timer through between rounds, and stops when asked, while packages are still being built', async () => {
    const reader = new Database(file, { readonly: true });
    const packages = () => reader.prepare('select count(*) from print_packages').pluck().get() as number;
    try {
      expect(packages()).toBe(0);
      // Rounds of 5 packages: 6 rounds for the 30 print-ready records.
      const worker = startDedupWorker(ctx, silent, 50, 500, 5);
      const builtWhenTheTimerRan = await new Promise<number>((resolve) => setTimeout(() => resolve(packages()), 0));
      expect(builtWhenTheTimerRan).toBeLessThan(PEOPLE);
      await worker.stop();
      const afterStop = packages();
      expect(afterStop).toBeLessThan(PEOPLE);
      // Started again, it builds the rest, each once.
      const again = startDedupWorker(ctx, silent, 50, 500, 5);
      await waitFor(() => packages() === PEOPLE, { timeoutMs: 60_000, message: 'every package built' });
      await again.stop();
      expect(reader.prepare('select count(distinct record_id) from print_packages').pluck().get()).toBe(PEOPLE);
    } finally {
      reader.close();
    }
  }, 120_000);
});
