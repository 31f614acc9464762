import { createPrivateKey, createPublicKey, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { PROTOCOL_VERSION, SYNC_HEADERS } from './sync.ts';
import { sha256Hex, signRequest, verifyRequest } from './crypto.ts';

/** One office request to the centre, as its signature sees it. */
export interface OfficeRequest {
  officeId: string;
  method: string;
  /** Path with query, exactly as sent. */
  path: string;
  timestamp: string;
  body: Uint8Array | string;
  /** Version 3: the request's own random id, which the centre remembers to refuse a replay. */
  requestId?: string;
  /**
   * Version 3: the body's SHA-256 (hex) as the request's header claims it. The centre verifies the signature
   * over this claim before it reads the body, then checks the body against it.
   */
  bodyHash?: string;
}

/**
 * What a version-2 signature covers: the version and the office id as well as method, path, timestamp
 * and body. Binding the version means a request cannot be replayed as version 1 by stripping its header;
 * binding the office id means the header naming the signer is itself signed.
 */
export function signingInputV2(request: OfficeRequest, version: number): Buffer {
  return Buffer.from(`tangguh-sync/${version}\n${request.officeId}\n${request.method.toUpperCase()}\n${request.path}\n${request.timestamp}\n${sha256Hex(request.body)}`);
}

/**
 * What a version-3 signature covers: all of version 2 and the request id. The body enters as the hash the
 * request claims in its header, so the signature can be checked before the body is read.
 */
export function signingInputV3(request: OfficeRequest, version: number): Buffer {
  const bodyHash = request.bodyHash ?? sha256Hex(request.body);
  return Buffer.from(`tangguh-sync/${version}\n${request.officeId}\n${request.method.toUpperCase()}\n${request.path}\n${request.timestamp}\n${request.requestId ?? ''}\n${bodyHash}`);
}

const signingInputOf = (request: OfficeRequest, version: number) => (version >= 3 ? signingInputV3(request, version) : signingInputV2(request, version));

/**
 * Parsed keys by PEM: an office signs, and the centre verifies, every request with the same few keys, and
 * parsing a PEM costs more than the Ed25519 operation itself. Bounded, since the centre sees 514 offices'.
 */
const parsedKeys = new Map<string, KeyObject>();
function keyOf(pem: string, parse: typeof createPrivateKey | typeof createPublicKey): KeyObject {
  const id = `${parse.name}\n${pem}`;
  let key = parsedKeys.get(id);
  if (!key) {
    if (parsedKeys.size >= 2048) parsedKeys.clear();
    key = parse(pem);
    parsedKeys.set(id, key);
  }
  return key;
}

/** Signs as the given protocol version does (version 1: `signRequest`, frozen as released). */
export function signOfficeRequest(privateKeyPem: string, request: OfficeRequest, version = PROTOCOL_VERSION): string {
  if (version === 1) return signRequest(privateKeyPem, request.method, request.path, request.timestamp, request.body);
  return sign(null, signingInputOf(request, version), keyOf(privateKeyPem, createPrivateKey)).toString('base64');
}

export function verifyOfficeRequest(publicKeyPem: string, request: OfficeRequest, signature: string, version: number): boolean {
  if (version === 1) return verifyRequest(publicKeyPem, request.method, request.path, request.timestamp, request.body, signature);
  try {
    return verify(null, signingInputOf(request, version), keyOf(publicKeyPem, createPublicKey), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * What identifies a request that carries no id of its own (version 2): the hash of its signing input.
 * Signatures are deterministic, so a replay has the same input, and any change to it breaks the signature.
 */
export function replayKeyV2(request: OfficeRequest, version: number): string {
  return `v${version}:${sha256Hex(signingInputV2(request, version))}`;
}

/**
 * The headers of a signed request in the current protocol version (and content-type for a body: JSON unless
 * told otherwise). Every call makes a new request id, so an office's retry is a new request, never a replay.
 */
export function officeRequestHeaders(
  signer: { officeId: string; privateKey: string },
  method: 'GET' | 'POST',
  path: string,
  body: string | Uint8Array,
  timestamp = new Date().toISOString(),
  requestId: string = randomUUID(),
  contentType = 'application/json',
): Record<string, string> {
  const bodyHash = sha256Hex(body);
  const request: OfficeRequest = { officeId: signer.officeId, method, path, timestamp, body, requestId, bodyHash };
  return {
    [SYNC_HEADERS.protocol]: String(PROTOCOL_VERSION),
    [SYNC_HEADERS.office]: signer.officeId,
    [SYNC_HEADERS.timestamp]: timestamp,
    [SYNC_HEADERS.requestId]: requestId,
    [SYNC_HEADERS.contentHash]: bodyHash,
    [SYNC_HEADERS.signature]: signOfficeRequest(signer.privateKey, request),
    ...(method === 'POST' ? { 'content-type': contentType } : {}),
  };
}
