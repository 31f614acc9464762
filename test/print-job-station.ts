// One print station as its own process, driving one printer with the office's real print worker code:
// it opens the office database (SQLite file or PostgreSQL URL), says "ready", waits for "go" on stdin, then
// prints passes until its printer has nothing more it may print, and writes one JSON line: what it printed.
import { join } from 'node:path';
import { openOffice } from '../apps/office/src/runtime.ts';
import { printRoomPass } from '../apps/office/src/services/print-run.ts';
import { CountingFolderPrinter, FolderChipEncoder, renderTestCard } from '../apps/office/src/services/print-room-harness.ts';

const [location, printerId, dataDir] = process.argv.slice(2);
if (!location || !printerId || !dataDir) throw new Error('usage: print-job-station <db> <printer id> <data dir>');
const { ctx, handle } = await openOffice(location);
const printer = new CountingFolderPrinter(printerId, join(dataDir, 'printed', printerId));
const devices = { printer: () => printer, encoder: new FolderChipEncoder(join(dataDir, 'chips')), render: renderTestCard, pollMs: 5, waitMs: 5000 };
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
process.stdin.pause();
let printed = 0;
for (;;) {
  const outcome = await printRoomPass(ctx, devices, { worker: `system:${printerId}`, printerIds: [printerId] });
  printed += outcome.printed;
  if (outcome.printed === 0) break;
}
await handle.close();
process.stdout.write(`${JSON.stringify({ printerId, printed, files: printer.printed() })}\n`);
