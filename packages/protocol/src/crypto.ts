import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

export interface KeyPairPem {
  publicKey: string;
  privateKey: string;
}

/** An office's signing key pair (Ed25519). */
export function generateSigningKeyPair(): KeyPairPem {
  return generateKeyPairSync('ed25519', { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
}

/** The centre's key pair to which offices seal biometric templates (X25519). */
export function generateSealingKeyPair(): KeyPairPem {
  return generateKeyPairSync('x25519', { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The exact bytes a request signature covers: method, path with query, timestamp, and the body's hash. */
export function signingInput(method: string, path: string, timestamp: string, body: Uint8Array | string): Buffer {
  return Buffer.from(`${method.toUpperCase()}\n${path}\n${timestamp}\n${sha256Hex(body)}`);
}

export function signRequest(privateKeyPem: string, method: string, path: string, timestamp: string, body: Uint8Array | string): string {
  return sign(null, signingInput(method, path, timestamp, body), createPrivateKey(privateKeyPem)).toString('base64');
}

export function verifyRequest(publicKeyPem: string, method: string, path: string, timestamp: string, body: Uint8Array | string, signature: string): boolean {
  try {
    return verify(null, signingInput(method, path, timestamp, body), createPublicKey(publicKeyPem), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

const SEAL_VERSION = 1;
const SEAL_INFO = Buffer.from('tangguh/biometric-seal/v1');

function sealKey(shared: Buffer, ephemeralPublic: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, ephemeralPublic, SEAL_INFO, 32));
}

function rawX25519Public(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(jwk.x as string, 'base64url');
}

/**
 * Encrypts to the centre's X25519 public key (ephemeral ECDH → HKDF-SHA256 → AES-256-GCM), so templates
 * are unreadable at rest in the office and on the wire. Layout: version | ephemeral public (32) | nonce (12) | ciphertext | tag (16).
 */
export function seal(recipientPublicPem: string, plaintext: Uint8Array): Uint8Array {
  const recipient = createPublicKey(recipientPublicPem);
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralPublic = rawX25519Public(ephemeral.publicKey);
  const key = sealKey(diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient }), ephemeralPublic);
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([SEAL_VERSION]), ephemeralPublic, nonce, ciphertext, cipher.getAuthTag()]);
}

/** The last private key unseal parsed: parsing the PEM took most of an unseal, and a node holds one key. */
let unsealKey: { pem: string; key: KeyObject } | undefined;

function privateKeyOf(pem: string): KeyObject {
  if (unsealKey?.pem !== pem) unsealKey = { pem, key: createPrivateKey(pem) };
  return unsealKey.key;
}

/** Opens a sealed box; throws if it was not sealed to this key or was altered. */
export function unseal(recipientPrivatePem: string, sealed: Uint8Array): Uint8Array {
  const box = Buffer.from(sealed);
  if (box.length < 1 + 32 + 12 + 16 || box[0] !== SEAL_VERSION) throw new Error('sealed box malformed');
  const ephemeralPublic = box.subarray(1, 33);
  const nonce = box.subarray(33, 45);
  const tag = box.subarray(box.length - 16);
  const ciphertext = box.subarray(45, box.length - 16);
  const ephemeralKey = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: ephemeralPublic.toString('base64url') }, format: 'jwk' });
  const key = sealKey(diffieHellman({ privateKey: privateKeyOf(recipientPrivatePem), publicKey: ephemeralKey }), ephemeralPublic);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAuthTag(tag);
  return new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
}
