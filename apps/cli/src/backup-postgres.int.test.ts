import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openOffice } from '@tangguh/office/runtime';
import type { OfficeContext } from '@tangguh/office/context';
import { officeSessionStore, type OfficeUser } from '@tangguh/office/repositories/users';
import { recordResident } from '@tangguh/office/services/recording';
import { pushOnce } from '@tangguh/office/services/sync';
import { CentralClient } from '@tangguh/office/services/central-client';
import { residentRequests } from '../../../test/helpers.ts';
import { freshPgDatabase, type FreshPgDatabase } from '../../../test/pg.ts';
import { provisionStack } from './stack.ts';
import { centreOnLoopback, runTangguh } from './test-support.ts';

const tangguh = (...args: string[]) => runTangguh(args, 90_000);

/** The same backup and restore as on SQLite (backup.int.test.ts), for an office on PostgreSQL: pg_dump and pg_restore. */
describe('tangguh backup and restore of an office on PostgreSQL', () => {
  let dir: string;
  let store: FreshPgDatabase;
  let central: Awaited<ReturnType<typeof centreOnLoopback>>;
  let centralUrl: string;
  let office: { ctx: OfficeContext; close(): Promise<void> } | undefined;
  let operator: OfficeUser;
  const recorded: string[] = [];
  let people: Awaited<ReturnType<typeof residentRequests>>;
  let next = 0;

  async function openTheOffice() {
    const o = await openOffice(store.url);
    office = { ctx: o.ctx, close: () => o.handle.close() };
    operator = (await officeSessionStore(o.ctx.db).findLogin('operator'))!.user;
  }
  const ctx = () => office!.ctx;
  const client = () => new CentralClient({ baseUrl: centralUrl, officeId: ctx().office.id, signingPrivateKey: ctx().signingPrivateKey });
  async function record(n: number) {
    for (let i = 0; i < n; i++) recorded.push((await recordResident(ctx(), { request: people[next++]!.request, operator })).record.id);
  }
  async function pushAll() {
    while ((await pushOnce(ctx(), client(), 50)) > 0);
  }
  const appliedAtCentre = async () =>
    (await central.ctx.db.selectFrom('applied_entries').select(['seq', 'record_id']).where('office_id', '=', '3509').orderBy('seq').execute()).map((r) => ({ seq: Number(r.seq), recordId: r.record_id }));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tangguh-pgbackup-'));
    store = await freshPgDatabase();
    await provisionStack(dir, { officeDb: store.url });
    central = await centreOnLoopback(join(dir, 'central', 'central.db'));
    centralUrl = central.url;
    people = await residentRequests(120, 6262);
    await openTheOffice();
  }, 90_000);

  afterAll(async () => {
    await office?.close();
    await central?.close();
    await store?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('dumps a running office from one snapshot while operators record, and restores it behind the centre with nothing lost or applied twice', async () => {
    await record(5);
    await pushAll();
    const dump = join(dir, 'office.dump');
    const atStart = recorded.length;
    let copying = true;
    const copy = tangguh('backup', '--out', dump, '--db', store.url).finally(() => (copying = false));
    do {
      await record(1);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } while (copying && next < people.length - 10);
    const backup = await copy;
    expect(backup.code, backup.stderr).toBe(0);
    const held = Number(/: (\d+) records, outbox up to seq (\d+)/.exec(backup.stdout)?.[1]);
    console.log(`[backup on PostgreSQL] the dump holds ${held} of the ${recorded.length} recordings made before and while it ran`);
    expect(held).toBeGreaterThanOrEqual(atStart);
    expect(backup.stdout).toContain(`outbox up to seq ${held}`);
    expect(statSync(dump).mode & 0o777).toBe(0o600);

    await record(3);
    await pushAll();
    const appliedBefore = (await appliedAtCentre()).length;
    expect(appliedBefore).toBe(recorded.length);
    await office!.close();
    office = undefined;

    const restore = await tangguh('restore', '--from', dump, '--db', store.url, '--central', centralUrl);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toContain(`the next entry is seq ${appliedBefore + 1}`);
    await openTheOffice();
    const restoredRecords = await ctx().db.selectFrom('records').select('id').execute();
    expect(restoredRecords.length).toBe(held);
    // The access log's triggers come back with the dump: it is still append-only.
    await sql`insert into access_log (at, username, role, site_id, action, screen) values (${new Date().toISOString()}, 'kepala', 'head', 'dinas', 'record.view', 'api')`.execute(ctx().db);
    await expect(sql`delete from access_log`.execute(ctx().db)).rejects.toThrow(/append-only/);

    await record(4);
    await pushAll();
    const applied = await appliedAtCentre();
    const total = appliedBefore + 4;
    expect(applied.map((a) => a.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(applied.map((a) => a.recordId).sort()).toEqual([...recorded].sort());
  });
});
