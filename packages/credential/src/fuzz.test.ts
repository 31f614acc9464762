// Property-based and exhaustive fuzzing of the decoder and verifier: whatever the input, verifyCredential
// returns a verdict (never throws) and says VALID only for the exact text that was issued.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { zlibSync } from 'fflate';
import { encodeBase45, BASE45_CHARSET } from './base45.ts';
import { cborEncode, Tag } from './cbor.ts';
import { coseToText, decodeEnvelope } from './credential.ts';
import { CREDENTIAL_PREFIX, encodeCredential, verifyCredential, type Verdict } from './index.ts';
import { NOW, fullSuket, kartuKeluarga, world } from './test-support.ts';

const w = world();
const lists = { trust: w.trust, revocations: w.revocations, now: NOW };
const original = encodeCredential(fullSuket(), w.suketKey);
const originalDoc = encodeCredential(kartuKeluarga(), w.tteKey);
const originals = new Set([original, originalDoc]);

function judge(text: string): Verdict {
  let verdict: Verdict | undefined;
  expect(() => {
    verdict = verifyCredential(text, lists).verdict;
  }).not.toThrow();
  if (verdict === 'VALID') expect(originals.has(text)).toBe(true);
  return verdict!;
}

const CHARS = [...BASE45_CHARSET, 'a', 'z', '\n', '\u00e9', '_'];
let runs = 0;
const tally = new Map<Verdict, number>();
function count(v: Verdict): void {
  runs++;
  tally.set(v, (tally.get(v) ?? 0) + 1);
}

describe('fuzzing verifyCredential', () => {
  it('sanity: the originals are VALID', () => {
    expect(judge(original)).toBe('VALID');
    expect(judge(originalDoc)).toBe('VALID');
  });

  it('random strings, with and without the prefix', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 600 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: fc.constantFrom(...BASE45_CHARSET), maxLength: 600 }).map((s) => CREDENTIAL_PREFIX + s)), (s) => {
        const v = judge(s);
        count(v);
        expect(v).not.toBe('VALID');
      }),
      { numRuns: 2000 },
    );
  });

  it('random bytes, Base45-encoded with the prefix (raw and zlib-wrapped so the inner layers are reached)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (bytes, wrap) => {
        const v = judge(CREDENTIAL_PREFIX + encodeBase45(wrap ? zlibSync(bytes, { level: 9 }) : bytes));
        count(v);
        expect(v).not.toBe('VALID');
      }),
      { numRuns: 2000 },
    );
  });

  it('random COSE-shaped structures with a trusted kid', () => {
    const env = decodeEnvelope(original);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.boolean(), (payload, signature, keepPayload) => {
        const cose = cborEncode(new Tag([env.protectedBytes, new Map(), keepPayload ? env.payload : payload, signature], 18));
        const v = judge(coseToText(cose));
        count(v);
        expect(v).not.toBe('VALID');
      }),
      { numRuns: 500 },
    );
  }, 60_000);

  it('single-character substitutions, insertions, deletions, truncations and slice duplications of a valid credential', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('sub' as const), at: fc.nat(), ch: fc.constantFrom(...CHARS) }),
      fc.record({ kind: fc.constant('ins' as const), at: fc.nat(), ch: fc.constantFrom(...CHARS) }),
      fc.record({ kind: fc.constant('del' as const), at: fc.nat(), ch: fc.constant('') }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), ch: fc.constant('') }),
      fc.record({ kind: fc.constant('dup' as const), at: fc.nat(), ch: fc.constant('') }),
    );
    fc.assert(
      fc.property(fc.constantFrom(original, originalDoc), mutation, (text, m) => {
        const at = m.at % text.length;
        const mutated =
          m.kind === 'sub'
            ? text.slice(0, at) + m.ch + text.slice(at + 1)
            : m.kind === 'ins'
              ? text.slice(0, at) + m.ch + text.slice(at)
              : m.kind === 'del'
                ? text.slice(0, at) + text.slice(at + 1)
                : m.kind === 'cut'
                  ? text.slice(0, at)
                  : text.slice(0, at) + text.slice(at, at + 3) + text.slice(at);
        const v = judge(mutated);
        if (mutated === text) return;
        count(v);
        expect(v).not.toBe('VALID');
      }),
      { numRuns: 3000 },
    );
  });

  it('exhaustive: every single-character substitution of the Base45 text is rejected', () => {
    const seen = new Map<Verdict, number>();
    for (let i = 0; i < original.length; i++) {
      for (const ch of BASE45_CHARSET) {
        if (ch === original[i]) continue;
        const v = judge(original.slice(0, i) + ch + original.slice(i + 1));
        seen.set(v, (seen.get(v) ?? 0) + 1);
        count(v);
        expect(v).not.toBe('VALID');
      }
    }
    console.info('substitutions:', Object.fromEntries(seen));
  }, 60_000);

  it('exhaustive: every single-bit flip of the COSE bytes (re-compressed, so it reaches the signature check) is rejected', () => {
    const env = decodeEnvelope(original);
    const bytes = cborEncode(new Tag([env.protectedBytes, new Map(), env.payload, env.signature], 18));
    const seen = new Map<Verdict, number>();
    for (let i = 0; i < bytes.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const flipped = bytes.slice();
        flipped[i]! ^= 1 << bit;
        const v = judge(coseToText(flipped));
        seen.set(v, (seen.get(v) ?? 0) + 1);
        count(v);
        expect(v).not.toBe('VALID');
      }
    }
    console.info('COSE bit flips:', Object.fromEntries(seen));
    expect(seen.get('FORGED') ?? 0).toBeGreaterThan(100);
  }, 120_000);

  it('ran a few thousand cases in total', () => {
    console.info(`fuzz cases: ${runs}`, Object.fromEntries(tally));
    expect(runs).toBeGreaterThan(5000);
  });
});
