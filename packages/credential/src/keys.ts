import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { copyBytes, fromBase64Url, toBase64Url } from './bytes.ts';

export interface SigningKey {
  /** keyId(publicKey) */
  kid: string;
  /** 32-byte Ed25519 secret key (seed). */
  privateKey: Uint8Array;
  /** 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
}

export const KID_BYTES = 8;

/** The first 8 bytes of SHA-256(publicKey), base64url (11 characters). */
export function keyId(publicKey: Uint8Array): string {
  return toBase64Url(kidBytes(publicKey));
}

export function kidBytes(publicKey: Uint8Array): Uint8Array {
  return sha256(publicKey).slice(0, KID_BYTES);
}

export function generateSigningKey(): SigningKey {
  return signingKeyFromPrivate(ed25519.utils.randomSecretKey());
}

export function signingKeyFromPrivate(privateKey: Uint8Array): SigningKey {
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== 32) throw new TypeError('An Ed25519 private key is 32 bytes');
  const secret = copyBytes(privateKey);
  const publicKey = ed25519.getPublicKey(secret);
  return { kid: keyId(publicKey), privateKey: secret, publicKey };
}

/** Checks a SigningKey before use and returns the 8 kid bytes for the COSE header. */
export function checkedKid(key: SigningKey): Uint8Array {
  if (!(key.privateKey instanceof Uint8Array) || key.privateKey.length !== 32) throw new TypeError('SigningKey.privateKey must be 32 bytes');
  if (!(key.publicKey instanceof Uint8Array) || key.publicKey.length !== 32) throw new TypeError('SigningKey.publicKey must be 32 bytes');
  const kid = kidBytes(key.publicKey);
  if (key.kid !== toBase64Url(kid)) throw new TypeError('SigningKey.kid is not keyId(publicKey)');
  return kid;
}

export function edSign(message: Uint8Array, privateKey: Uint8Array): Uint8Array {
  return ed25519.sign(message, privateKey);
}

/** RFC 8032 strict verification (no ZIP-215 leniency); never throws. */
export function edVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    if (signature.length !== 64 || publicKey.length !== 32) return false;
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

export function publicKeyFromBase64Url(text: string): Uint8Array {
  const key = fromBase64Url(text);
  if (key.length !== 32) throw new TypeError('An Ed25519 public key is 32 bytes');
  return key;
}
