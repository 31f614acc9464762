import { join } from 'node:path';
import type { PrinterConnection } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import { listPrinters, upsertPrinter } from '../repositories/print-plan.ts';
import { listSites } from '../repositories/sites.ts';
import { renderCard } from './card-pdf.ts';
import { SimulatedChipEncoder } from './chip-encoder.ts';
import { findCupsQueue, printerFor } from './index.ts';
import type { CardPrinter, ChipEncoder, RenderCard } from './types.ts';

/**
 * The print room's devices for a node whose data lives in `dataDir`: each printer by its connection (an
 * unconnected one writes PDFs under `<dataDir>/kartu-tercetak/<printer id>`), the simulated chip encoder
 * keeping chips under `<dataDir>/cip`, and the card renderer.
 */
export function printRoomDevices(dataDir: string): { printer(row: { id: string; connection?: PrinterConnection | null }): CardPrinter; encoder: ChipEncoder; render: RenderCard } {
  const fallbackFolder = join(dataDir, 'kartu-tercetak');
  return { printer: (row) => printerFor(row, { fallbackFolder }), encoder: new SimulatedChipEncoder({ folder: join(dataDir, 'cip') }), render: renderCard };
}

/**
 * For the demo: the Dinas gets a card printer connected to this machine's CUPS queue if it has one, else a
 * folder printer under the demo's data; printers saved without a connection are connected the same way.
 * Returns what it chose, to be said at start-up.
 */
export async function connectDemoPrinters(ctx: Pick<OfficeContext, 'db' | 'now'>, dataDir: string): Promise<{ described: string; printers: string[] }> {
  const queue = await findCupsQueue();
  const connectionOf = (id: string): PrinterConnection => (queue ? { driver: 'cups', target: queue } : { driver: 'folder', target: join(dataDir, 'kartu-tercetak', id.replace(/[^A-Za-z0-9._-]/g, '_')) });
  const described = queue ? `CUPS ${queue}` : join(dataDir, 'kartu-tercetak');
  const updatedAt = ctx.now().toISOString();
  const printers = await listPrinters(ctx.db);
  if (printers.length === 0) {
    const sites = await listSites(ctx.db);
    const dinas = sites.find((s) => s.kind === 'DINAS') ?? sites[0];
    if (!dinas) return { described, printers: [] };
    const id = 'dinas-1';
    await upsertPrinter(ctx.db, {
      id,
      siteId: dinas.id,
      name: queue ? `Printer kartu (CUPS ${queue})` : 'Printer kartu (folder demo)',
      capacityPerDay: 250,
      state: 'ready',
      ribbonLeft: 500,
      filmLeft: 500,
      printsPerRibbon: 500,
      printsPerFilm: 500,
      updatedAt,
      connection: connectionOf(id),
    });
    return { described, printers: [id] };
  }
  const unconnected = printers.filter((p) => !p.connection);
  for (const p of unconnected) await upsertPrinter(ctx.db, { ...p, updatedAt, connection: connectionOf(p.id) });
  return { described, printers: unconnected.map((p) => p.id) };
}
