import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from './bytes.ts';
import { parseSign1, encodeSign1 } from './cose.ts';
import { cborDecode, cborEncode } from './cbor.ts';
import {
  CredentialFormatError,
  generateSigningKey,
  openRevocationList,
  openTrustList,
  signRevocationList,
  signTrustList,
  type TrustList,
} from './index.ts';
import { world } from './test-support.ts';

const w = world();

describe('trust list', () => {
  it('signs and opens (round trip), revokedAt kept, absent fields stay absent', () => {
    const signed = signTrustList(w.trust, w.root);
    expect(signed).toMatch(/^[A-Za-z0-9_-]+$/);
    const opened = openTrustList(signed, w.root.publicKey);
    expect(opened).toEqual(w.trust);
    expect(opened.keys[3]!.revokedAt).toBe(w.trust.keys[3]!.revokedAt);
    expect('revokedAt' in opened.keys[0]!).toBe(false);
  });

  it('throws when opened with the wrong root', () => {
    const signed = signTrustList(w.trust, w.root);
    expect(() => openTrustList(signed, generateSigningKey().publicKey)).toThrow(CredentialFormatError);
  });

  it('throws when tampered', () => {
    const signed = signTrustList(w.trust, w.root);
    const env = parseSign1(fromBase64Url(signed));
    // Re-point an office key at an attacker's key, keep the signature.
    const payload = cborDecode(env.payload) as Map<string, unknown>;
    const keys = payload.get('keys') as Map<string, unknown>[];
    const attacker = generateSigningKey();
    keys[0]!.set('publicKey', toBase64Url(attacker.publicKey)).set('kid', attacker.kid);
    const tampered = toBase64Url(encodeSign1(env.protectedBytes, cborEncode(payload), env.signature));
    expect(() => openTrustList(tampered, w.root.publicKey)).toThrow(/signature/);
    // Flip one character of the text.
    const i = Math.floor(signed.length / 2);
    const flipped = signed.slice(0, i) + (signed[i] === 'A' ? 'B' : 'A') + signed.slice(i + 1);
    expect(() => openTrustList(flipped, w.root.publicKey)).toThrow(CredentialFormatError);
    expect(() => openTrustList(signed.slice(0, -2), w.root.publicKey)).toThrow(CredentialFormatError);
    expect(() => openTrustList('', w.root.publicKey)).toThrow(CredentialFormatError);
  });

  it('a revocation list cannot be opened as a trust list, nor the reverse', () => {
    const rl = signRevocationList(w.revocations, w.root);
    const tl = signTrustList(w.trust, w.root);
    expect(() => openTrustList(rl, w.root.publicKey)).toThrow(/content type/);
    expect(() => openRevocationList(tl, w.root.publicKey)).toThrow(/content type/);
  });

  it('refuses malformed lists when signing', () => {
    const badKid: TrustList = { ...w.trust, keys: [{ ...w.trust.keys[0]!, kid: 'AAAAAAAAAAA' }] };
    expect(() => signTrustList(badKid, w.root)).toThrow(/kid/);
    const badPurpose = { ...w.trust, keys: [{ ...w.trust.keys[0]!, purpose: 'KTP' }] } as unknown as TrustList;
    expect(() => signTrustList(badPurpose, w.root)).toThrow(CredentialFormatError);
    const dup: TrustList = { ...w.trust, keys: [w.trust.keys[0]!, w.trust.keys[0]!] };
    expect(() => signTrustList(dup, w.root)).toThrow(/duplicate/);
    const extra = { ...w.trust, note: 'x' } as unknown as TrustList;
    expect(() => signTrustList(extra, w.root)).toThrow(/unexpected field/);
  });
});

describe('revocation list', () => {
  it('signs and opens (round trip)', () => {
    const opened = openRevocationList(signRevocationList(w.revocations, w.root), w.root.publicKey);
    expect(opened).toEqual(w.revocations);
  });

  it('throws with the wrong root or when tampered', () => {
    const signed = signRevocationList(w.revocations, w.root);
    expect(() => openRevocationList(signed, w.suketKey.publicKey)).toThrow(CredentialFormatError);
    const env = parseSign1(fromBase64Url(signed));
    const payload = cborDecode(env.payload) as Map<string, unknown>;
    payload.set('entries', []);
    const emptied = toBase64Url(encodeSign1(env.protectedBytes, cborEncode(payload), env.signature));
    expect(() => openRevocationList(emptied, w.root.publicKey)).toThrow(/signature/);
  });

  it('a list signed by an office key is refused even if that key is trusted', () => {
    const signed = signRevocationList(w.revocations, w.suketKey);
    expect(() => openRevocationList(signed, w.root.publicKey)).toThrow(CredentialFormatError);
  });

  it('handles a large list', () => {
    const entries = Array.from({ length: 5_000 }, (_, i) => ({ ser: `SKT-3509-20261124-${String(i).padStart(6, '0')}`, revokedAt: 1_800_000_000, reason: 'CARD_ISSUED' as const }));
    const list = { ...w.revocations, entries };
    expect(openRevocationList(signRevocationList(list, w.root), w.root.publicKey).entries).toHaveLength(5_000);
  });
});
