// Base45 (RFC 9285), strict. A local implementation because the npm package `base45` uses Buffer
// (not available in the browser) and accepts invalid input (unknown characters, out-of-range groups).
import { CredentialFormatError } from './errors.ts';

export const BASE45_CHARSET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE45_CHARSET.length; i++) INDEX[BASE45_CHARSET.charCodeAt(i)] = i;

export function encodeBase45(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    let n = bytes[i]! * 256 + bytes[i + 1]!;
    const c = n % 45;
    n = (n - c) / 45;
    const d = n % 45;
    const e = (n - d) / 45;
    out += BASE45_CHARSET[c]! + BASE45_CHARSET[d]! + BASE45_CHARSET[e]!;
  }
  if (bytes.length % 2 === 1) {
    const n = bytes[bytes.length - 1]!;
    out += BASE45_CHARSET[n % 45]! + BASE45_CHARSET[Math.floor(n / 45)]!;
  }
  return out;
}

function digit(text: string, i: number): number {
  const code = text.charCodeAt(i);
  const v = code < 128 ? INDEX[code]! : -1;
  if (v < 0) throw new CredentialFormatError(`base45: invalid character at ${i}`);
  return v;
}

/** Throws CredentialFormatError on a character outside the alphabet, a bad length or a group out of range (RFC 9285 §4.2). */
export function decodeBase45(text: string): Uint8Array {
  if (text.length % 3 === 1) throw new CredentialFormatError('base45: bad length');
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 === 2 ? 1 : 0));
  let o = 0;
  let i = 0;
  for (; i + 2 < text.length; i += 3) {
    const n = digit(text, i) + digit(text, i + 1) * 45 + digit(text, i + 2) * 2025;
    if (n > 0xffff) throw new CredentialFormatError('base45: group out of range');
    out[o++] = n >> 8;
    out[o++] = n & 0xff;
  }
  if (i < text.length) {
    const n = digit(text, i) + digit(text, i + 1) * 45;
    if (n > 0xff) throw new CredentialFormatError('base45: group out of range');
    out[o] = n;
  }
  return out;
}
