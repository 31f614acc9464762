import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createRegionDirectory, parentRegionCode, type Region, type RegionDirectory } from '@tangguh/domain';
import { parseCsv } from './csv.ts';

type Level = 'provinces' | 'regencies' | 'districts' | 'villages';

function dataDirectory(): string {
  const manifest = createRequire(import.meta.url).resolve('idn-area-data/package.json');
  return join(dirname(manifest), 'data');
}

/** Every file starts with a header row whose first column is the code and last column the name. */
function rowsOf(text: string, level: Level): string[][] {
  const [header, ...body] = parseCsv(text);
  if (!header || header[0] !== 'code' || header[header.length - 1] !== 'name') {
    throw new Error(`idn-area-data ${level}.csv has an unexpected header: ${header?.join(',') ?? '(empty)'}`);
  }
  return body;
}

async function readLevel(directory: string, level: Level): Promise<Region[]> {
  return rowsOf(await readFile(join(directory, `${level}.csv`), 'utf8'), level).map((row) => ({ code: row[0] ?? '', name: row[row.length - 1] ?? '' }));
}

/**
 * The 83,000 villages, compact: one flat string per district ("\n2001\tKeude Bakongan\n2002\t…", by code)
 * instead of an object, two strings and two map entries per village — which, with the 2.7 MB file the
 * substrings kept alive, held about 20 MiB of every node's heap for lists read a district at a time.
 * A village's Region is made when asked for (a scan of its district's few hundred characters).
 */
class VillageTable {
  private readonly byDistrict = new Map<string, string>();

  constructor(text: string) {
    const groups = new Map<string, string[]>();
    for (const row of rowsOf(text, 'villages')) {
      const code = row[0] ?? '';
      const district = parentRegionCode(code);
      if (district === undefined) continue;
      const line = `${code.slice(district.length + 1)}\t${row[row.length - 1] ?? ''}`;
      const group = groups.get(district);
      if (group) group.push(line);
      else groups.set(district, [line]);
    }
    // A copy of the characters (a round trip through bytes): joined or concatenated strings may still point
    // into the file's text (V8's sliced and cons strings), and one such pointer keeps all 5 MB of it alive.
    for (const [district, lines] of groups) this.byDistrict.set(district, Buffer.from(`\n${lines.sort().join('\n')}`, 'utf8').toString('utf8'));
  }

  village(code: string): Region | undefined {
    const district = parentRegionCode(code);
    const text = district === undefined ? undefined : this.byDistrict.get(district);
    if (text === undefined) return undefined;
    const local = code.slice(district!.length + 1);
    if (local.length === 0 || local.includes('\t') || local.includes('\n')) return undefined;
    const at = text.indexOf(`\n${local}\t`);
    if (at < 0) return undefined;
    const start = at + local.length + 2;
    const end = text.indexOf('\n', start);
    return { code, name: text.slice(start, end < 0 ? text.length : end) };
  }

  villagesOf(district: string): Region[] {
    const text = this.byDistrict.get(district);
    if (text === undefined) return [];
    return text
      .slice(1)
      .split('\n')
      .map((line) => {
        const tab = line.indexOf('\t');
        return { code: `${district}.${line.slice(0, tab)}`, name: line.slice(tab + 1) };
      });
  }
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
    readFile(join(directory, 'villages.csv'), 'utf8').then((text) => new VillageTable(text)),
  ]);
  const upper = createRegionDirectory({ provinces, regencies, districts, villages: [] });
  return {
    province: upper.province,
    regency: upper.regency,
    district: upper.district,
    districtsOf: upper.districtsOf,
    village: (code) => villages.village(code),
    villagesOf: (districtCode) => villages.villagesOf(districtCode),
  };
}
