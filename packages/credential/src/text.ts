// Packed text (TGH1): static, canonical Huffman codes over a small alphabet tuned to Indonesian
// names, places and addresses, one code per context (the class of the previous character: word
// start, vowel, consonant, digit). Code lengths are in text-model.generated.ts, built by
// scripts/build-text-model.ts from idn-area-data place names and SIAK-style names and addresses.
//
//   Text := mode:2  symbol* END
//   mode: 0 UPPER (letters upper case), 1 TITLE (upper at a word start, lower elsewhere), 2 LOWER; 3 invalid
//   FLIP before a letter inverts the case the mode expects; ESC is followed by a 21-bit code point
//   for any character outside the alphabet. The encoder picks the mode with the fewest FLIPs
//   (ties: UPPER, TITLE, LOWER), so each string has exactly one packing.
// The alphabet and the code lengths are frozen for the TGH1 format.
import { BitReader, BitWriter, HuffmanCode } from './bits.ts';
import { CredentialFormatError } from './errors.ts';
import { TEXT_CODE_LENGTHS } from './text-model.generated.ts';

export const SYM_END = 0;
export const SYM_FLIP = 1;
export const SYM_ESC = 2;
const SYM_SPACE = 3;
const SYM_A = 4;
const SYM_0 = 30;
const PUNCT = ".,-/()':&\";+#@_!?*%=";
const SYM_PUNCT = 40;
export const TEXT_ALPHABET_SIZE = SYM_PUNCT + PUNCT.length;
export const MAX_TEXT_CHARS = 256;

const MODE_UPPER = 0;
const MODE_TITLE = 1;
const MODE_LOWER = 2;

export const TEXT_CONTEXTS = 4;
const codes = TEXT_CODE_LENGTHS.map((lengths) => new HuffmanCode(lengths));
if (codes.length !== TEXT_CONTEXTS || codes.some((c) => c.size !== TEXT_ALPHABET_SIZE)) throw new Error('text model does not match the alphabet');

/** Context for the next symbol: 0 start/space/punctuation/other, 1 after a vowel, 2 after a consonant, 3 after a digit. */
export function textContext(prev: number): number {
  if (prev >= 48 && prev <= 57) return 3;
  const lower = prev | 32;
  if (lower >= 97 && lower <= 122) return 'aeiou'.includes(String.fromCharCode(lower)) ? 1 : 2;
  return 0;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}
function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}
function isLetter(c: number): boolean {
  return isUpper(c) || isLower(c);
}

/** Symbol for a non-letter character in the alphabet, or -1. */
function plainSymbol(c: number): number {
  if (c === 32) return SYM_SPACE;
  if (c >= 48 && c <= 57) return SYM_0 + (c - 48);
  const p = c < 128 ? PUNCT.indexOf(String.fromCharCode(c)) : -1;
  return p >= 0 ? SYM_PUNCT + p : -1;
}

function plainChar(symbol: number): number {
  if (symbol === SYM_SPACE) return 32;
  if (symbol >= SYM_0 && symbol < SYM_0 + 10) return 48 + symbol - SYM_0;
  return PUNCT.charCodeAt(symbol - SYM_PUNCT);
}

/** Whether the mode expects upper case for a letter after `prev` (-1 at the start). */
function expectsUpper(mode: number, prev: number): boolean {
  if (mode === MODE_UPPER) return true;
  if (mode === MODE_LOWER) return false;
  return prev < 0 || !(isLetter(prev) || prev === 39);
}

function codePoints(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(ch.codePointAt(0)!);
  return out;
}

function flipsFor(mode: number, cps: number[]): number {
  let flips = 0;
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    if (isLetter(c) && isUpper(c) !== expectsUpper(mode, i > 0 ? cps[i - 1]! : -1)) flips++;
  }
  return flips;
}

/** The mode and symbol sequence (with END, without ESC payloads) and each symbol's context; used by the encoder and the model builder. */
export function textSymbols(text: string): { mode: number; symbols: number[]; contexts: number[]; escaped: number[] } {
  const cps = codePoints(text);
  let mode = MODE_UPPER;
  let best = flipsFor(MODE_UPPER, cps);
  for (const m of [MODE_TITLE, MODE_LOWER]) {
    const f = flipsFor(m, cps);
    if (f < best) {
      best = f;
      mode = m;
    }
  }
  const symbols: number[] = [];
  const contexts: number[] = [];
  const escaped: number[] = [];
  const emit = (symbol: number, prev: number): void => {
    symbols.push(symbol);
    contexts.push(textContext(prev));
  };
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    const prev = i > 0 ? cps[i - 1]! : -1;
    if (isLetter(c)) {
      if (isUpper(c) !== expectsUpper(mode, prev)) emit(SYM_FLIP, prev);
      emit(SYM_A + ((c | 32) - 97), prev);
      continue;
    }
    const s = plainSymbol(c);
    if (s >= 0) {
      emit(s, prev);
    } else {
      emit(SYM_ESC, prev);
      escaped.push(c);
    }
  }
  emit(SYM_END, cps.length > 0 ? cps[cps.length - 1]! : -1);
  return { mode, symbols, contexts, escaped };
}

export function writeText(w: BitWriter, text: string): void {
  if ([...text].length > MAX_TEXT_CHARS) throw new TypeError(`text longer than ${MAX_TEXT_CHARS} characters`);
  const { mode, symbols, contexts, escaped } = textSymbols(text);
  w.write(mode, 2);
  let e = 0;
  for (let i = 0; i < symbols.length; i++) {
    const s = symbols[i]!;
    codes[contexts[i]!]!.write(w, s);
    if (s === SYM_ESC) w.write(escaped[e++]!, 21);
  }
}

function bad(message: string): never {
  throw new CredentialFormatError(`packed text: ${message}`);
}

export function readText(r: BitReader): string {
  const mode = r.read(2);
  if (mode > MODE_LOWER) bad('invalid mode');
  const cps: number[] = [];
  let flip = false;
  for (;;) {
    const prev = cps.length > 0 ? cps[cps.length - 1]! : -1;
    const s = codes[textContext(prev)]!.read(r);
    if (s === SYM_END) break;
    if (cps.length >= MAX_TEXT_CHARS) bad('too long');
    if (s === SYM_FLIP) {
      if (flip) bad('double flip');
      flip = true;
      continue;
    }
    if (s >= SYM_A && s < SYM_A + 26) {
      const upper = expectsUpper(mode, prev) !== flip;
      cps.push((upper ? 65 : 97) + s - SYM_A);
      flip = false;
      continue;
    }
    if (flip) bad('flip before a non-letter');
    if (s === SYM_ESC) {
      const c = r.read(21);
      if (c > 0x10ffff || isLetter(c) || plainSymbol(c) >= 0) bad('invalid escaped character');
      cps.push(c);
    } else {
      cps.push(plainChar(s));
    }
  }
  if (flip) bad('flip at the end');
  return String.fromCodePoint(...cps);
}

/** A text packed on its own (zero-padded to a byte). */
export function packText(text: string): Uint8Array {
  const w = new BitWriter();
  writeText(w, text);
  return w.finish();
}

export function unpackText(bytes: Uint8Array): string {
  const r = new BitReader(bytes);
  const text = readText(r);
  r.finish();
  return text;
}
