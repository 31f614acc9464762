export { loadRegionDirectory } from './load.ts';
export { parseCsv } from './csv.ts';
