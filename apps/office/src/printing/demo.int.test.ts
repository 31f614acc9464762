import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionStack } from '../../../cli/src/stack.ts';
import type { OfficeContext } from '../context.ts';
import { listPrinters, upsertPrinter } from '../repositories/print-plan.ts';
import { openOffice } from '../runtime.ts';
import { connectDemoPrinters, printRoomDevices } from './demo.ts';
import { findCupsQueue } from './index.ts';

// The demo's print room: connected to this machine's CUPS queue when there is one, else to a folder.
describe('the demo print room', () => {
  let dir: string;
  let ctx: OfficeContext;
  let close = async () => {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tangguh-demo-printers-'));
    const paths = await provisionStack(dir);
    const office = await openOffice(paths.officeDb);
    ctx = office.ctx;
    close = () => office.handle.close();
  });
  afterAll(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the Dinas a connected card printer, and connects a printer saved without a connection', async () => {
    const queue = await findCupsQueue();
    const first = await connectDemoPrinters(ctx, dir);
    expect(first.printers).toEqual(['dinas-1']);
    const expected = (id: string) => (queue ? { driver: 'cups', target: queue } : { driver: 'folder', target: join(dir, 'kartu-tercetak', id) });
    expect(first.described).toBe(queue ? `CUPS ${queue}` : join(dir, 'kartu-tercetak'));
    expect((await listPrinters(ctx.db)).map((p) => [p.id, p.siteId, p.connection])).toEqual([['dinas-1', 'dinas', expected('dinas-1')]]);

    await upsertPrinter(ctx.db, { id: 'dinas-2', siteId: 'dinas', name: 'Kedua', capacityPerDay: 100, state: 'ready', ribbonLeft: 10, filmLeft: 10, printsPerRibbon: 500, printsPerFilm: 500, updatedAt: '2026-11-28T00:00:00.000Z' });
    expect((await connectDemoPrinters(ctx, dir)).printers).toEqual(['dinas-2']);
    expect((await listPrinters(ctx.db)).map((p) => p.connection)).toEqual([expected('dinas-1'), expected('dinas-2')]);
  });

  it('keeps chips and unconnected printers’ cards under the data folder', () => {
    const devices = printRoomDevices(dir);
    expect(devices.printer({ id: 'p-9', connection: null })).toMatchObject({ kind: 'folder', folder: join(dir, 'kartu-tercetak', 'p-9') });
    expect(devices.encoder).toMatchObject({ folder: join(dir, 'cip') });
  });
});
