import { join } from 'node:path';
import { DomainError } from '@tangguh/domain';
import type { PrinterConnection } from '@tangguh/protocol';
import { CUPS_QUEUE_NAME, CupsPrinter, type CupsPrinterOptions } from './cups-printer.ts';
import { FolderPrinter } from './folder-printer.ts';
import { runCommand } from './commands.ts';
import type { CardPrinter } from './types.ts';

export * from './types.ts';
export { renderCard, cardBackCode, ID1 } from './card-pdf.ts';
export { CupsPrinter, CUPS_QUEUE_NAME, ID1_MEDIA } from './cups-printer.ts';
export { FolderPrinter } from './folder-printer.ts';
export { SimulatedChipEncoder } from './chip-encoder.ts';

export interface PrinterForOptions {
  /**
   * A printer no admin has connected yet prints into `<fallbackFolder>/<printer id>` (the demo); without it,
   * such a printer is refused — an office never sends cards somewhere nobody chose.
   */
  fallbackFolder?: string;
  /** Passed to every CUPS printer (time limits, media, where lp/lpstat are). */
  cups?: Omit<CupsPrinterOptions, 'id' | 'queue'>;
}

const notConnected = (id: string) =>
  new DomainError(
    'PRINTER_NOT_CONNECTED',
    { id: `Printer ${id} belum disambungkan (antrean CUPS atau folder); admin mengaturnya di halaman printer.`, en: `Printer ${id} is not connected (CUPS queue or folder); an admin sets it on the printers page.` },
    'unavailable',
  );

/** The `CardPrinter` for a row of `printers`: its CUPS queue or its folder, as its connection says. */
export function printerFor(row: { id: string; connection?: PrinterConnection | null }, options: PrinterForOptions = {}): CardPrinter {
  const connection = row.connection;
  if (connection?.driver === 'cups') return new CupsPrinter({ ...options.cups, id: row.id, queue: connection.target });
  if (connection?.driver === 'folder') return new FolderPrinter({ id: row.id, folder: connection.target });
  if (options.fallbackFolder) return new FolderPrinter({ id: row.id, folder: join(options.fallbackFolder, row.id.replace(/[^A-Za-z0-9._-]/g, '_')) });
  throw notConnected(row.id);
}

/**
 * The CUPS queue this server would print to: the default destination (`lpstat -d`), else the first
 * enabled queue (`lpstat -p`); undefined when CUPS is not installed, not running, or has no queue. Bounded
 * (2 s per command): asked at the demo's start, which must not hang on a broken CUPS.
 */
export async function findCupsQueue(): Promise<string | undefined> {
  try {
    const dflt = await runCommand('lpstat', ['-d'], { timeoutMs: 2000 });
    const named = /system default destination: (\S+)/.exec(dflt.stdout)?.[1];
    if (named && CUPS_QUEUE_NAME.test(named)) return named;
    const listed = await runCommand('lpstat', ['-p'], { timeoutMs: 2000 });
    const enabled = listed.stdout.split('\n').map((line) => /^printer (\S+) (is idle|now printing)/.exec(line)?.[1]).find((q) => q && CUPS_QUEUE_NAME.test(q));
    return enabled;
  } catch {
    return undefined;
  }
}
