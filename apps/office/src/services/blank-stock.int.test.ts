import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '@tangguh/platform';
import { DIALECTS, freshLocation, setupOrFail } from '../../../../test/pg.ts';
import { migrateOffice } from '../db/migrate.ts';
import type { OfficeDb } from '../db/schema.ts';
import { blankBalances, blankLedgerEntries } from '../repositories/blank-stock.ts';
import { insertSites } from '../repositories/sites.ts';
import { consumeBlank, recordBlankEntry } from './blank-stock.ts';

/** Starts a station process; `ready` resolves when it has loaded, `done` with what it printed. */
function startStation(location: string, siteId: string, station: string, count: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', STATION, location, siteId, station, String(count)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.startsWith('ready\n')) markReady();
  });
  const done = new Promise<{ station: string; serials: number[]; refused: string[] }>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.slice('ready\n'.length).trim())) : reject(new Error(`station ${station} exited ${code}`))));
  });
  return { ready, done, go: () => child.stdin.end('go\n') };
}
const STATION = join(import.meta.dirname, '../../../../test/print-station.ts');
const at = '2026-12-21T02:00:00.000Z';

const refusal = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
};

describe.each(DIALECTS)('blank-card stock on %s', (dialect) => {
  let dir: string;
  let location: string;
  let handle: Db<OfficeDb>;
  let close = async () => {};

  setupOrFail(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tangguh-blanks-'));
    const store = await freshLocation(dialect, dir, 'office');
    location = store.location;
    handle = openDatabase<OfficeDb>(store.location);
    close = async () => {
      await handle.close();
      await store.drop();
    };
    await migrateOffice(handle);
    await insertSites(handle.db, [
      { id: 'dinas', name: 'Dinas', kind: 'dinas', district_code: null },
      { id: 'ambulu', name: 'Kecamatan Ambulu', kind: 'kecamatan', district_code: null },
      { id: 'puger', name: 'Kecamatan Puger', kind: 'kecamatan', district_code: null },
    ]);
  });
  afterAll(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('derives balances from receipts, transfers and loans, and refuses what would go below zero', async () => {
    await recordBlankEntry(handle.db, { kind: 'receipt', siteId: 'dinas', tranche: 'T1', quantity: 50, serials: { from: 1, to: 50 } }, 'admin', at);
    await recordBlankEntry(handle.db, { kind: 'transfer', fromSiteId: 'dinas', toSiteId: 'ambulu', quantity: 20 }, 'admin', at);
    await recordBlankEntry(handle.db, { kind: 'loan_out', siteId: 'dinas', office: '3510', quantity: 5 }, 'admin', at);
    expect(await refusal(recordBlankEntry(handle.db, { kind: 'transfer', fromSiteId: 'ambulu', toSiteId: 'puger', quantity: 21 }, 'admin', at))).toBe('BLANK_STOCK_INSUFFICIENT');
    expect(await refusal(recordBlankEntry(handle.db, { kind: 'receipt', siteId: 'dinas', tranche: 'T2', quantity: 10, serials: { from: 45, to: 54 } }, 'admin', at))).toBe('BLANK_RANGE_OVERLAP');
    expect(await refusal(recordBlankEntry(handle.db, { kind: 'transfer', fromSiteId: 'dinas', toSiteId: 'nowhere', quantity: 1 }, 'admin', at))).toBe('SITE_NOT_FOUND');
    const balances = await blankBalances(handle.db);
    expect([balances.get('dinas'), balances.get('ambulu'), balances.get('puger') ?? 0]).toEqual([25, 20, 0]);
  });

  it('uses each serial once: printed or spoiled, a serial cannot come back', async () => {
    const first = await consumeBlank(handle.db, { siteId: 'ambulu', recordId: 'r1', by: 'op', at });
    expect(first).toBe(1);
    expect(await refusal(recordBlankEntry(handle.db, { kind: 'spoilage', siteId: 'ambulu', serial: 1, reason: 'misprint' }, 'op', at))).toBe('BLANK_SERIAL_USED');
    expect(await refusal(consumeBlank(handle.db, { siteId: 'ambulu', recordId: 'r2', serial: 999, by: 'op', at }))).toBe('BLANK_SERIAL_UNKNOWN');
    await recordBlankEntry(handle.db, { kind: 'spoilage', siteId: 'ambulu', serial: 2, reason: 'overheating' }, 'op', at);
    expect(await consumeBlank(handle.db, { siteId: 'ambulu', recordId: 'r3', by: 'op', at })).toBe(3);
    expect((await blankBalances(handle.db)).get('ambulu')).toBe(17);
  });

  it('refuses to change or delete a ledger row, even by SQL', async () => {
    await expect(sql`update blank_ledger set quantity = 1000`.execute(handle.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from blank_ledger`.execute(handle.db)).rejects.toThrow(/append-only/);
    expect((await blankLedgerEntries(handle.db, { siteId: 'ambulu' })).map((e) => e.kind)).toEqual(['consumption', 'spoilage', 'consumption', 'transfer_in']);
  });

  it('keeps stock at or above zero and every serial unique with four print stations printing at once', { timeout: 120_000 }, async () => {
    await recordBlankEntry(handle.db, { kind: 'receipt', siteId: 'puger', tranche: 'T3', quantity: 60, serials: { from: 1000, to: 1059 } }, 'admin', at);
    const processes = ['s1', 's2', 's3', 's4'].map((station) => startStation(location, 'puger', station, 25));
    await Promise.all(processes.map((p) => p.ready));
    for (const p of processes) p.go();
    const stations = await Promise.all(processes.map((p) => p.done));
    const serials = stations.flatMap((s) => s.serials);
    // 100 cards tried, 60 blanks at Puger (and 16 spare serials left in the first range, which Puger may use).
    expect(serials.length).toBe(60);
    expect(new Set(serials).size).toBe(60);
    expect(stations.flatMap((s) => s.refused).every((code) => code === 'BLANK_STOCK_INSUFFICIENT')).toBe(true);
    expect(stations.flatMap((s) => s.refused).length).toBe(40);
    expect((await blankBalances(handle.db)).get('puger')).toBe(0);
    const used = await sql<{ serial: number | string }>`select serial from blank_ledger where serial is not null`.execute(handle.db);
    expect(new Set(used.rows.map((r) => Number(r.serial))).size).toBe(used.rows.length);
    // The stations really printed at the same time: more than one of them got blanks (SQLite's busy
    // handler is not fair, so one station may get none; PostgreSQL's row lock queues them in turn).
    expect(stations.filter((s) => s.serials.length > 0).length).toBeGreaterThan(1);
  });

  it('carries serials with loans: a lent blank is never printed here, a borrowed one is, a returned one again', async () => {
    await recordBlankEntry(handle.db, { kind: 'receipt', siteId: 'dinas', tranche: 'T4', quantity: 10, serials: { from: 5000, to: 5009 } }, 'admin', at);
    await recordBlankEntry(handle.db, { kind: 'loan_out', siteId: 'dinas', office: '3510', quantity: 3, serials: { from: 5003, to: 5005 } }, 'admin', at);
    expect(await refusal(consumeBlank(handle.db, { siteId: 'dinas', recordId: 'lent', serial: 5004, by: 'op', at }))).toBe('BLANK_SERIAL_NOT_HELD');
    await consumeBlank(handle.db, { siteId: 'dinas', recordId: 'kept', serial: 5006, by: 'op', at });
    // Only blanks held and unused can leave: one already printed, or one lent already, cannot.
    expect(await refusal(recordBlankEntry(handle.db, { kind: 'loan_out', siteId: 'dinas', office: '3511', quantity: 2, serials: { from: 5006, to: 5007 } }, 'admin', at))).toBe('BLANK_LOAN_RANGE_NOT_HELD');
    expect(await refusal(recordBlankEntry(handle.db, { kind: 'loan_out', siteId: 'dinas', office: '3511', quantity: 1, serials: { from: 5004, to: 5004 } }, 'admin', at))).toBe('BLANK_LOAN_RANGE_NOT_HELD');
    // Borrowed blanks carry their own serials and print here; serials already held cannot arrive again.
    await recordBlankEntry(handle.db, { kind: 'loan_in', siteId: 'dinas', office: '3511', quantity: 2, serials: { from: 9000, to: 9001 } }, 'admin', at);
    expect(await consumeBlank(handle.db, { siteId: 'dinas', recordId: 'borrowed', serial: 9000, by: 'op', at })).toBe(9000);
    expect(await refusal(recordBlankEntry(handle.db, { kind: 'loan_in', siteId: 'dinas', office: '3511', quantity: 2, serials: { from: 5008, to: 5009 } }, 'admin', at))).toBe('BLANK_RANGE_OVERLAP');
    // The lent blanks come back: printable again.
    await recordBlankEntry(handle.db, { kind: 'loan_in', siteId: 'dinas', office: '3510', quantity: 3, purpose: 'return', serials: { from: 5003, to: 5005 } }, 'admin', at);
    expect(await consumeBlank(handle.db, { siteId: 'dinas', recordId: 'returned', serial: 5004, by: 'op', at })).toBe(5004);
    expect(await refusal(recordBlankEntry(handle.db, { kind: 'loan_out', siteId: 'dinas', office: '3510', quantity: 2, serials: { from: 5003, to: 5003 } }, 'admin', at))).toBe('BLANK_LOAN_RANGE');
  });
});
