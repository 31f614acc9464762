import { describe, expect, it } from 'vitest';
import { generateSealingKeyPair, generateSigningKeyPair, seal, signRequest, unseal, verifyRequest } from './crypto.ts';

describe('request signatures', () => {
  const office = generateSigningKeyPair();
  const ts = '2026-11-23T08:00:00.000Z';
  const sig = signRequest(office.privateKey, 'POST', '/sync/push', ts, '{"a":1}');

  it('verify with the signer’s public key', () => {
    expect(verifyRequest(office.publicKey, 'POST', '/sync/push', ts, '{"a":1}', sig)).toBe(true);
  });

  it('reject another key, another body, path, method or timestamp', () => {
    const other = generateSigningKeyPair();
    expect(verifyRequest(other.publicKey, 'POST', '/sync/push', ts, '{"a":1}', sig)).toBe(false);
    expect(verifyRequest(office.publicKey, 'POST', '/sync/push', ts, '{"a":2}', sig)).toBe(false);
    expect(verifyRequest(office.publicKey, 'POST', '/sync/changes', ts, '{"a":1}', sig)).toBe(false);
    expect(verifyRequest(office.publicKey, 'GET', '/sync/push', ts, '{"a":1}', sig)).toBe(false);
    expect(verifyRequest(office.publicKey, 'POST', '/sync/push', '2026-11-23T08:00:01.000Z', '{"a":1}', sig)).toBe(false);
  });

  it('treat garbage signatures and keys as invalid rather than throwing', () => {
    expect(verifyRequest(office.publicKey, 'POST', '/sync/push', ts, '{}', 'not-base64!!')).toBe(false);
    expect(verifyRequest('not a key', 'POST', '/sync/push', ts, '{}', sig)).toBe(false);
  });
});

describe('sealed biometrics', () => {
  const centre = generateSealingKeyPair();
  const plaintext = new Uint8Array(Array.from({ length: 386 }, (_, i) => i % 256));

  it('round-trip to the centre’s key, with a fresh ciphertext every time', () => {
    const a = seal(centre.publicKey, plaintext);
    const b = seal(centre.publicKey, plaintext);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(Buffer.from(a).includes(Buffer.from(plaintext.subarray(0, 32)))).toBe(false);
    expect(unseal(centre.privateKey, a)).toEqual(plaintext);
  });

  it('cannot be opened with another key or after one bit is flipped', () => {
    const box = seal(centre.publicKey, plaintext);
    expect(() => unseal(generateSealingKeyPair().privateKey, box)).toThrow();
    const tampered = new Uint8Array(box);
    tampered[60] = tampered[60]! ^ 1;
    expect(() => unseal(centre.privateKey, tampered)).toThrow();
    expect(() => unseal(centre.privateKey, box.subarray(0, 20))).toThrow();
  });
});
