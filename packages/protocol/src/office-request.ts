import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
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
}

/**
 * What a version-2 signature covers: the version and the office id as well as method, path, timestamp
 * and body. Binding the version means a request cannot be replayed as version 1 by stripping its header;
 * binding the office id means the header naming the signer is itself signed.
 */
export function signingInputV2(request: OfficeRequest, version: number): Buffer {
  return Buffer.from(`tangguh-sync/${version}\n${request.officeId}\n${request.method.toUpperCase()}\n${request.path}\n${request.timestamp}\n${sha256Hex(request.body)}`);
}

/** Signs as the given protocol version does (version 1: `signRequest`, frozen as released). */
export function signOfficeRequest(privateKeyPem: string, request: OfficeRequest, version = PROTOCOL_VERSION): string {
  if (version === 1) return signRequest(privateKeyPem, request.method, request.path, request.timestamp, request.body);
  return sign(null, signingInputV2(request, version), createPrivateKey(privateKeyPem)).toString('base64');
}

export function verifyOfficeRequest(publicKeyPem: string, request: OfficeRequest, signature: string, version: number): boolean {
  if (version === 1) return verifyRequest(publicKeyPem, request.method, request.path, request.timestamp, request.body, signature);
  try {
    return verify(null, signingInputV2(request, version), createPublicKey(publicKeyPem), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** The headers of a signed request in the current protocol version (and content-type for a body). */
export function officeRequestHeaders(
  signer: { officeId: string; privateKey: string },
  method: 'GET' | 'POST',
  path: string,
  body: string,
  timestamp = new Date().toISOString(),
): Record<string, string> {
  const request: OfficeRequest = { officeId: signer.officeId, method, path, timestamp, body };
  return {
    [SYNC_HEADERS.protocol]: String(PROTOCOL_VERSION),
    [SYNC_HEADERS.office]: signer.officeId,
    [SYNC_HEADERS.timestamp]: timestamp,
    [SYNC_HEADERS.signature]: signOfficeRequest(signer.privateKey, request),
    ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
  };
}
