// Builds src/text-model.generated.ts: code lengths of the static Huffman code used for packed text.
// Run: npx tsx packages/credential/scripts/build-text-model.ts
// The table is part of the TGH1 wire format. Re-running it with a changed corpus changes the format:
// only do so together with a new prefix (TGH2) and keep the TGH1 table for reading old credentials.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEXT_ALPHABET_SIZE, TEXT_CONTEXTS, textSymbols } from '../src/text.ts';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const areaDir = join(dirname(require.resolve('idn-area-data/package.json')), 'data');

function csvNames(file: string): string[] {
  return readFileSync(join(areaDir, file), 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').slice(2).join(',').replace(/^"|"$/g, '').trim())
    .filter(Boolean);
}
const villages = csvNames('villages.csv');
const districts = csvNames('districts.csv');
const regencies = csvNames('regencies.csv');
const namesSource = readFileSync(join(here, '../../capture/src/names.ts'), 'utf8');
const nameTokens = [...namesSource.matchAll(/'([^']+)'|"([^"]+)"/g)].map((m) => (m[1] ?? m[2])!).filter((s) => /^[A-Za-z .']+$/.test(s) && s !== 'L' && s !== 'P');

// Deterministic PRNG (mulberry32) so the table is reproducible.
let seed = 0x7a6e9;
function rand(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
const pad = (n: number, w: number): string => String(n).padStart(w, '0');
const STREET_WORDS = ['MAWAR', 'MELATI', 'KENANGA', 'DIPONEGORO', 'GAJAH MADA', 'SUDIRMAN', 'KARTINI', 'HAYAM WURUK', 'KH. AGUS SALIM', 'AHMAD YANI', 'PB. SUDIRMAN', 'RA. KARTINI', 'MH. THAMRIN', 'TRUNOJOYO', 'BRAWIJAYA', 'MERDEKA', 'PAHLAWAN', 'SUMATRA', 'KALIMANTAN', 'JAWA', 'WR. SUPRATMAN', 'DR. SOETOMO'];
const place = (): string => pick(regencies).replace(/^(KABUPATEN|KOTA) /, '');
function address(): string {
  const street = rand() < 0.5 ? pick(STREET_WORDS) : pick(villages).toUpperCase();
  switch (int(0, 5)) {
    case 0:
      return `JL. ${street} NO. ${int(1, 250)}`;
    case 1:
      return `JL. ${street} GG. ${pick(STREET_WORDS)} NO. ${int(1, 150)}`;
    case 2:
      return `DUSUN ${pick(villages).toUpperCase()}`;
    case 3:
      return `PERUM ${pick(villages).toUpperCase()} BLOK ${String.fromCharCode(65 + int(0, 7))}-${int(1, 40)}`;
    case 4:
      return `JL. ${street} ${int(1, 99)}`;
    default:
      return `KP. ${pick(villages).toUpperCase()} RT ${pad(int(1, 15), 3)} RW ${pad(int(1, 9), 3)}`;
  }
}
function personName(): string {
  const parts = int(1, 3);
  const out: string[] = [];
  for (let i = 0; i < parts; i++) out.push(pick(nameTokens));
  const name = out.join(' ');
  return rand() < 0.8 ? name.toUpperCase() : name;
}
function texts(): string[] {
  const date = `${int(2024, 2030)}${pad(int(1, 12), 2)}${pad(int(1, 28), 2)}`;
  return [
    personName(),
    place(),
    address(),
    `${pad(int(1, 20), 3)}/${pad(int(1, 12), 3)}`,
    rand() < 0.5 ? pick(villages) : pick(villages).toUpperCase(),
    rand() < 0.5 ? pick(districts) : pick(districts).toUpperCase(),
    pick(regencies),
    `SKT-${pad(int(1101, 9471), 4)}-${date}-${pad(int(1, 5000), 6)}`,
    rand() < 0.3 ? `${pad(int(1101, 9471), 4)}-LU-${date}-${pad(int(1, 9999), 4)}` : personName(),
  ];
}

const counts = Array.from({ length: TEXT_CONTEXTS }, () => new Array<number>(TEXT_ALPHABET_SIZE).fill(0));
let chars = 0;
for (let i = 0; i < 50_000; i++) {
  for (const t of texts()) {
    chars += t.length;
    const { symbols, contexts } = textSymbols(t);
    symbols.forEach((s, j) => counts[contexts[j]!]![s]!++);
  }
}

/** Huffman code lengths (ties broken by symbol number, so the result is reproducible). */
function huffmanLengths(w: number[]): number[] {
  type Node = { weight: number; order: number; symbols: number[] };
  let nodes: Node[] = w.map((weight, s) => ({ weight, order: s, symbols: [s] }));
  const lengths = new Array<number>(w.length).fill(0);
  let order = w.length;
  while (nodes.length > 1) {
    nodes.sort((a, b) => a.weight - b.weight || a.order - b.order);
    const [a, b] = nodes as [Node, Node];
    for (const s of [...a.symbols, ...b.symbols]) lengths[s]!++;
    nodes = [{ weight: a.weight + b.weight, order: order++, symbols: [...a.symbols, ...b.symbols] }, ...nodes.slice(2)];
  }
  return lengths;
}
// Every symbol gets a code in every context: floor the counts so no code is longer than 15 bits.
const tables = counts.map((c) => {
  const total = c.reduce((a, b) => a + b, 0);
  const floor = Math.max(1, Math.ceil(total / 2 ** 12));
  return huffmanLengths(c.map((n) => Math.max(n, floor)));
});
const maxLength = Math.max(...tables.flat());
if (maxLength > 15) throw new Error('code too long');
let bits = 0;
counts.forEach((c, k) => c.forEach((n, s) => (bits += n * tables[k]![s]!)));
const perChar = (bits / chars).toFixed(2);

writeFileSync(
  join(here, '../src/text-model.generated.ts'),
  `// Generated by scripts/build-text-model.ts — part of the TGH1 wire format, do not edit.
// Code lengths of the static Huffman codes for packed text: one table per context (word start, after
// a vowel, after a consonant, after a digit), one length per symbol of the alphabet in text.ts.
// Corpus: 50,000 simulated Suket texts (names, places from idn-area-data, addresses, serials);
// ${perChar} bits per character on that corpus, END included.
export const TEXT_CODE_LENGTHS: readonly (readonly number[])[] = [
${tables.map((t) => `  [${t.join(', ')}],`).join('\n')}
];
`,
);
console.log(`symbols ${TEXT_ALPHABET_SIZE}, chars ${chars}, ${perChar} bits/char, max length ${maxLength}`);
