import { createHash, createPublicKey, verify } from 'node:crypto';
import { canonicalJson, type TteClaims } from './tte.ts';

/**
 * The Node side of a head's TTE proof: the digest of a document's claims that the challenge names, the
 * check of the head's Ed25519 signature, and the key's fingerprint. The head's browser signs with WebCrypto;
 * the centre verifies here with node:crypto, the same algorithm on both sides.
 */

/** SHA-256 (hex) of the claims as canonical JSON: what the head's proof binds for one document. */
export function tteClaimsDigest(claims: TteClaims): string {
  return createHash('sha256').update(canonicalJson(claims)).digest('hex');
}

/** True when `signature` (base64url) is the head's Ed25519 signature of `challenge`; never throws. */
export function verifyTteProofSignature(publicKey: string, challenge: string, signature: string): boolean {
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
    return verify(null, Buffer.from(challenge, 'utf8'), key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

/** SHA-256 of the raw public key, first 20 bytes in groups of four hex digits: short enough to read over the phone. */
export function tteKeyFingerprint(publicKey: string): string {
  const hex = createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest('hex').slice(0, 40).toUpperCase();
  return hex.match(/.{4}/g)!.join(' ');
}
