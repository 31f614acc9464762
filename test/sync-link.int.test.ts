/**
 * The office's link to the centre as stored by the sync worker and read by the API (services/sync-monitor.ts),
 * on a real office database: what one connection records, another reads; a worker that fell silent is not
 * believed forever.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite, type Db } from '@tangguh/platform';
import type { OfficeDb } from '../apps/office/src/db/schema.ts';
import { provisionStack } from '../apps/cli/src/stack.ts';
import { WORKER_SILENT_AFTER_MS, readCentralLink, recordSyncFailure, recordSyncSuccess, syncStatus } from '../apps/office/src/services/sync-monitor.ts';
import { makeTempDir, removeTempDirs } from './helpers.ts';

let worker: Db<OfficeDb>;
let api: Db<OfficeDb>;
const t0 = new Date('2026-11-28T01:00:00.000Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

beforeAll(async () => {
  const paths = await provisionStack(makeTempDir(), { users: false });
  worker = openSqlite<OfficeDb>(paths.officeDb);
  api = openSqlite<OfficeDb>(paths.officeDb);
});
afterAll(async () => {
  await worker?.close();
  await api?.close();
  removeTempDirs();
});

describe('the stored link to the centre', () => {
  it('is unknown before any worker has tried', async () => {
    expect(await readCentralLink(api.db, t0)).toEqual({ reachable: null, lastSuccessAt: null, lastAttemptAt: null, lastError: null, nextAttemptAt: null });
  });

  it('shows a failure the worker recorded through another connection, with its error and the next try', async () => {
    await recordSyncFailure(worker.db, t0, 'connect ECONNREFUSED 127.0.0.1:7100', later(2_000));
    expect(await readCentralLink(api.db, later(500))).toEqual({
      reachable: false,
      lastSuccessAt: null,
      lastAttemptAt: t0.toISOString(),
      lastError: 'connect ECONNREFUSED 127.0.0.1:7100',
      nextAttemptAt: later(2_000).toISOString(),
    });
  });

  it('shows the success that followed, clearing the error, and keeps its time for the status screen', async () => {
    await recordSyncSuccess(worker.db, later(2_000), later(2_300));
    const status = await syncStatus(api.db, later(3_000));
    expect(status.central).toEqual({ reachable: true, lastSuccessAt: later(2_300).toISOString(), lastAttemptAt: later(2_000).toISOString(), lastError: null, nextAttemptAt: null });
    expect(status.outbox).toEqual({ pending: 0, oldestPendingAt: null });
  });

  it('stops claiming "reachable" once no worker has reported for a long while, but keeps the last success', async () => {
    const link = await readCentralLink(api.db, later(2_000 + WORKER_SILENT_AFTER_MS + 1));
    expect(link.reachable).toBeNull();
    expect(link.lastSuccessAt).toBe(later(2_300).toISOString());
    expect((await readCentralLink(api.db, later(2_000 + WORKER_SILENT_AFTER_MS))).reachable).toBe(true);
  });
});
