import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS, setupOrFail } from '../../../../test/pg.ts';
import { blankBalances, blankLedgerEntries } from '../repositories/blank-stock.ts';
import { upsertPrinter } from '../repositories/print-plan.ts';
import { createPrintBatch, printBatch } from './print-batches.ts';
import { printJobs } from './print-jobs.ts';
import { startPrintRoom, type PrintRoomHarness } from './print-room-harness.ts';

const STATION = join(import.meta.dirname, '../../../../test/print-job-station.ts');
const CARDS = 16;
const BLANKS = 12;
const PRINTERS = ['p1', 'p2', 'p3'];

/** Starts a station process; `ready` resolves when it has loaded, `done` with what it printed. */
function startStation(location: string, printerId: string, dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', STATION, location, printerId, dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.startsWith('ready\n')) markReady();
  });
  const done = new Promise<{ printerId: string; printed: number; files: string[] }>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.slice('ready\n'.length).trim())) : reject(new Error(`station ${printerId} exited ${code}`))));
  });
  return { ready, done, go: () => child.stdin.end('go\n') };
}

// Three print stations, each its own process on its own printer, print one batch from one database at once,
// with fewer blanks than cards: every blank goes to one card, the stock ends at zero and never below, and the
// cards without a blank wait in the queue saying why.
describe.each(DIALECTS)('several print stations printing real jobs at once on %s', (dialect) => {
  let room: PrintRoomHarness;

  setupOrFail(async () => {
    room = await startPrintRoom(dialect, { blanks: BLANKS });
    await room.printReady(CARDS, 9393);
    await room.deliverPackages();
    for (const id of PRINTERS.slice(1)) {
      await upsertPrinter(room.office.db, { id, siteId: 'dinas', name: `Printer ${id}`, capacityPerDay: 500, state: 'ready', ribbonLeft: 1000, filmLeft: 1000, printsPerRibbon: 1000, printsPerFilm: 1000, updatedAt: new Date().toISOString() });
    }
  });
  afterAll(async () => {
    await room?.close();
  });

  it('uses every blank once, never goes below zero, and prints no card twice', async () => {
    const batch = await createPrintBatch(room.office, { siteId: 'dinas', count: CARDS, by: 'supervisor' });
    const stations = PRINTERS.map((id) => startStation(room.officeLocation, id, room.dir));
    await Promise.all(stations.map((s) => s.ready));
    for (const s of stations) s.go();
    const results = await Promise.all(stations.map((s) => s.done));

    expect(results.reduce((sum, r) => sum + r.printed, 0)).toBe(BLANKS);
    const files = results.flatMap((r) => r.files);
    expect(new Set(files).size).toBe(BLANKS);
    const consumed = (await blankLedgerEntries(room.office.db, { limit: 1000 })).filter((e) => e.kind === 'consumption');
    expect(consumed).toHaveLength(BLANKS);
    expect(new Set(consumed.map((e) => e.serial)).size).toBe(BLANKS);
    expect(new Set(consumed.map((e) => e.recordId)).size).toBe(BLANKS);
    expect((await blankBalances(room.office.db, ['dinas'])).get('dinas')).toBe(0);

    const printed = await printJobs(room.office.db, { state: ['printed'], limit: 500 });
    expect(printed).toHaveLength(BLANKS);
    expect(new Set(printed.map((j) => j.blankSerial)).size).toBe(BLANKS);
    for (const job of printed) expect(files.filter((f) => f.includes(job.id))).toHaveLength(1);
    const waiting = await printJobs(room.office.db, { state: ['queued'], limit: 500 });
    expect(waiting).toHaveLength(CARDS - BLANKS);
    // The next in line says why it waits; the batch lists it with its reason.
    const next = waiting.reduce((a, b) => (a.seq < b.seq ? a : b));
    expect(next.problem?.en).toMatch(/Not enough blank cards/);
    expect((await printBatch(room.office.db, batch.id)).problems).toEqual([expect.objectContaining({ jobId: next.id, state: 'queued' })]);
    expect(await printBatch(room.office.db, batch.id)).toMatchObject({ state: 'running', progress: { total: CARDS, printed: BLANKS, queued: CARDS - BLANKS } });
  });
});
