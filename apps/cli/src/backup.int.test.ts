import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOffice } from '@tangguh/office/runtime';
import type { OfficeContext } from '@tangguh/office/context';
import { officeSessionStore, type OfficeUser } from '@tangguh/office/repositories/users';
import { recordResident } from '@tangguh/office/services/recording';
import { pullOnce, pushOnce } from '@tangguh/office/services/sync';
import { CentralClient } from '@tangguh/office/services/central-client';
import { inspectBackup } from '@tangguh/office/services/backup';
import { residentRequests } from '../../../test/helpers.ts';
import { provisionStack } from './stack.ts';
import { centreOnLoopback, runTangguh } from './test-support.ts';

const tangguh = (...args: string[]) => runTangguh(args);

/**
 * Backup while the office records, then the worst restore: the office goes back to that copy after the
 * centre has applied more of its outbox than the copy holds. The centre acknowledges a seq it has seen as a
 * replay without applying it, so the restored office must continue after the centre's seq, or its next
 * recordings would be dropped.
 */
describe('tangguh backup and restore of an office', () => {
  let dir: string;
  let officeDb: string;
  let central: Awaited<ReturnType<typeof centreOnLoopback>>;
  let centralUrl: string;
  let office: { ctx: OfficeContext; close(): Promise<void> };
  let operator: OfficeUser;
  const recorded: string[] = [];
  let people: Awaited<ReturnType<typeof residentRequests>>;
  let next = 0;

  async function openTheOffice() {
    const o = await openOffice(officeDb);
    office = { ctx: o.ctx, close: () => o.handle.close() };
    operator = (await officeSessionStore(o.ctx.db).findLogin('operator'))!.user;
  }
  const client = () => new CentralClient({ baseUrl: centralUrl, officeId: office.ctx.office.id, signingPrivateKey: office.ctx.signingPrivateKey });
  async function record(n: number) {
    for (let i = 0; i < n; i++) recorded.push((await recordResident(office.ctx, { request: people[next++]!.request, operator })).record.id);
  }
  async function pushAll() {
    while ((await pushOnce(office.ctx, client(), 50)) > 0);
  }
  const appliedAtCentre = async () =>
    (await central.ctx.db.selectFrom('applied_entries').select(['seq', 'record_id']).where('office_id', '=', office.ctx.office.id).orderBy('seq').execute()).map((r) => ({ seq: Number(r.seq), recordId: r.record_id }));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tangguh-backup-'));
    ({ officeDb } = await provisionStack(dir));
    central = await centreOnLoopback(join(dir, 'central', 'central.db'));
    centralUrl = central.url;
    people = await residentRequests(200, 5150);
    await openTheOffice();
  }, 60_000);

  afterAll(async () => {
    await office?.close();
    await central?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies a running office consistently while operators keep recording', async () => {
    await record(5);
    await pushAll();
    const atStart = recorded.length;
    let copying = true;
    const copy = tangguh('backup', '--out', join(dir, 'backup.db'), '--db', officeDb).finally(() => (copying = false));
    // Operators go on recording for as long as the copy runs (and at least once after it started).
    do {
      await record(1);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } while (copying && next < people.length - 10);
    const result = await copy;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Backup of office 3509 written to');
    const summary = inspectBackup(join(dir, 'backup.db'));
    console.log(`[backup] the copy holds ${summary.records} of the ${recorded.length} recordings made before and while it ran`);
    // One moment of the office: every record in the copy has its outbox entry and no entry lacks its record.
    // Recording went on while the copy ran; the copy is one moment in between.
    expect(recorded.length).toBeGreaterThan(atStart + 5);
    expect(summary.records).toBeGreaterThanOrEqual(atStart);
    expect(summary.records).toBeLessThanOrEqual(recorded.length);
    expect(summary.outboxSeq).toBe(summary.records);
    expect(statSync(join(dir, 'backup.db')).mode & 0o777).toBe(0o600);
  });

  it('refuses to restore over an office that is still running, and changes nothing', async () => {
    const before = statSync(officeDb).mtimeMs;
    const result = await tangguh('restore', '--from', join(dir, 'backup.db'), '--db', officeDb, '--central', centralUrl);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('masih dipakai kantor yang berjalan');
    expect(result.stderr).toContain('stop the office (API and worker) first');
    expect(statSync(officeDb).mtimeMs).toBe(before);
    expect(await office.ctx.db.selectFrom('records').select('id').execute()).toHaveLength(recorded.length);
  });

  it('refuses to restore while the centre cannot be asked, and leaves the office database untouched', async () => {
    await office.close();
    const before = statSync(officeDb).mtimeMs;
    const result = await tangguh('restore', '--from', join(dir, 'backup.db'), '--db', officeDb, '--central', 'http://127.0.0.1:9');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Pemulihan dibatalkan');
    expect(result.stderr).toContain('Restore cancelled');
    expect(statSync(officeDb).mtimeMs).toBe(before);
    expect(existsSync(`${officeDb}.restoring`)).toBe(false);
    await openTheOffice();
  });

  it('restores an office behind the centre so that it resumes sync with nothing lost and nothing applied twice', async () => {
    await record(3);
    await pushAll();
    const appliedBefore = (await appliedAtCentre()).length;
    expect(appliedBefore).toBe(recorded.length);
    await office.close();

    const result = await tangguh('restore', '--from', join(dir, 'backup.db'), '--db', officeDb, '--central', centralUrl);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`the next entry is seq ${appliedBefore + 1}`);
    await openTheOffice();
    const restoredRecords = await office.ctx.db.selectFrom('records').select('id').execute();
    expect(restoredRecords.length).toBeLessThan(appliedBefore);

    await record(4);
    await pushAll();
    const applied = await appliedAtCentre();
    const total = appliedBefore + 4;
    expect(applied.map((a) => a.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(new Set(applied.map((a) => a.recordId)).size).toBe(total);
    expect(applied.map((a) => a.recordId).sort()).toEqual([...recorded].sort());
    const enrolled = await central.ctx.db.selectFrom('enrollments').select('record_id').where('record_id', 'in', recorded.slice(-4)).execute();
    expect(enrolled.length).toBe(4);
    const after = await office.ctx.db.selectFrom('outbox').select('seq').where('seq', '>', appliedBefore).execute();
    expect(after.map((p) => Number(p.seq))).toEqual([1, 2, 3, 4].map((i) => appliedBefore + i));
    // The changes the centre made since the copy are pulled again: those of records the copy holds apply.
    for (let page = 0; page < 20 && (await pullOnce(office.ctx, client(), 200)).hasMore; page++);
    const statuses = await office.ctx.db.selectFrom('records').select('status').execute();
    expect(statuses.length).toBe(restoredRecords.length + 4);
  });
});
