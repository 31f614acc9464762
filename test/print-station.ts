// One print station as its own process: it opens the office database (SQLite file or PostgreSQL URL) and
// takes one blank per card for `count` cards, as fast as it can, while other stations do the same.
// Prints "ready", waits for a line on stdin, then one JSON line: the serials it used and how many cards found no blank.
import { isDomainError } from '@tangguh/domain';
import { openDatabase } from '@tangguh/platform';
import type { OfficeDb } from '../apps/office/src/db/schema.ts';
import { consumeBlank } from '../apps/office/src/services/blank-stock.ts';

const [location, siteId, station, countText] = process.argv.slice(2);
if (!location || !siteId || !station || !countText) throw new Error('usage: print-station <db> <site> <station> <count>');
const handle = openDatabase<OfficeDb>(location);
// Start together: say "ready", then wait for the test's "go" on stdin, so that no station finishes
// before a slower one has even loaded.
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
process.stdin.pause();
const serials: number[] = [];
const refused: string[] = [];
for (let i = 0; i < Number(countText); i++) {
  try {
    serials.push(await consumeBlank(handle.db, { siteId, recordId: `${station}-${i}`, by: station, at: new Date().toISOString() }));
  } catch (error) {
    if (!isDomainError(error)) throw error;
    refused.push(error.code);
  }
}
await handle.close();
process.stdout.write(`${JSON.stringify({ station, serials, refused })}\n`);
