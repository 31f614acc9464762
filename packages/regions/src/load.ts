import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createRegionDirectory, type Region, type RegionDirectory } from '@tangguh/domain';
import { parseCsv } from './csv.ts';

type Level = 'provinces' | 'regencies' | 'districts' | 'villages';

function dataDirectory(): string {
  const manifest = createRequire(import.meta.url).resolve('idn-area-data/package.json');
  return join(dirname(manifest), 'data');
}

/** Every file starts with a header row whose first column is the code and last column the name. */
async function readLevel(directory: string, level: Level): Promise<Region[]> {
  const rows = parseCsv(await readFile(join(directory, `${level}.csv`), 'utf8'));
  const [header, ...body] = rows;
  if (!header || header[0] !== 'code' || header[header.length - 1] !== 'name') {
    throw new Error(`idn-area-data ${level}.csv has an unexpected header: ${header?.join(',') ?? '(empty)'}`);
  }
  return body.map((row) => ({ code: row[0] ?? '', name: row[row.length - 1] ?? '' }));
}

let cached: Promise<RegionDirectory> | undefined;

/**
 * The Kemendagri region list shipped with idn-area-data, read once per process (about 0.3 s for
 * 83,000 villages). The CSV files are read directly rather than through the package's getters so
 * that the apostrophe quirk is handled in one place (see csv.ts).
 */
export function loadRegionDirectory(): Promise<RegionDirectory> {
  cached ??= build().catch((error: unknown) => {
    // Forget a failed load so the next call can try again instead of failing forever.
    cached = undefined;
    throw error;
  });
  return cached;
}

async function build(): Promise<RegionDirectory> {
  const directory = dataDirectory();
  const [provinces, regencies, districts, villages] = await Promise.all([
    readLevel(directory, 'provinces'),
    readLevel(directory, 'regencies'),
    readLevel(directory, 'districts'),
    readLevel(directory, 'villages'),
  ]);
  return createRegionDirectory({ provinces, regencies, districts, villages });
}
