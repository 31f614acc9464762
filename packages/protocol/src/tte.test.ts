import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, tteChallengeText, type TteClaims } from './tte.ts';
import { tteClaimsDigest, tteKeyFingerprint, verifyTteProofSignature } from './tte-proof.ts';

const claims: TteClaims = { typ: 'KK', ser: '3509-DOK-20261128-000001', iss: '3509', sub: { nomor: '3509-1', nik: '3509124507900003', nama: 'Siti Rahayu' } };
const challengeFor = (c: TteClaims, nonce = 'n0nce-n0nce-n0nce-01') =>
  tteChallengeText({ officeId: '3509', username: 'kepala', nonce, issuedAt: '2026-11-28T10:00:00.000Z', documents: [{ documentId: 'doc-1', claimsDigest: tteClaimsDigest(c) }] });

describe('the head’s TTE proof', () => {
  it('hashes claims the same whatever the order of their keys, and differently when a value changes', () => {
    const reordered = { sub: { nama: 'Siti Rahayu', nik: '3509124507900003', nomor: '3509-1' }, iss: '3509', ser: claims.ser, typ: 'KK' } as TteClaims;
    expect(canonicalJson(reordered)).toBe(canonicalJson(claims));
    expect(tteClaimsDigest(reordered)).toBe(tteClaimsDigest(claims));
    expect(tteClaimsDigest({ ...claims, sub: { ...claims.sub, nama: 'Siti Rahayu ' } })).not.toBe(tteClaimsDigest(claims));
  });

  it('verifies a signature made by a non-extractable WebCrypto key (as the head’s browser makes it) only for its own challenge', async () => {
    const pair = (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const publicKey = Buffer.from(await webcrypto.subtle.exportKey('raw', pair.publicKey)).toString('base64url');
    const challenge = challengeFor(claims);
    const signature = Buffer.from(await webcrypto.subtle.sign('Ed25519', pair.privateKey, Buffer.from(challenge))).toString('base64url');
    expect(signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(verifyTteProofSignature(publicKey, challenge, signature)).toBe(true);
    expect(verifyTteProofSignature(publicKey, challengeFor({ ...claims, ser: '3509-DOK-20261128-000002' }), signature)).toBe(false);
    expect(verifyTteProofSignature(publicKey, challengeFor(claims, 'another-nonce-000001'), signature)).toBe(false);
    expect(verifyTteProofSignature('not-a-key', challenge, signature)).toBe(false);
    expect(tteKeyFingerprint(publicKey)).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){9}$/);
  });
});
