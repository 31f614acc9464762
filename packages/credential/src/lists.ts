// The centre's signed trust list (office keys) and revocation list (document serials).
// Each is a COSE_Sign1 by the root key, base64url-encoded, with a content type in the protected
// header so that one kind of list can never be opened as the other. The payload is a CBOR map with
// the field names of the TypeScript interfaces, in deterministic order.
import { fromBase64Url, toBase64Url } from './bytes.ts';
import { canonicalMap, cborDecode, cborEncode, isUint32 } from './cbor.ts';
import { parseSign1, sign1, verifySign1 } from './cose.ts';
import { CredentialFormatError } from './errors.ts';
import { keyId, kidBytes, type SigningKey } from './keys.ts';

export interface TrustedKey {
  kid: string;
  officeId: string;
  officeName: string;
  /** SUKET and TTE keys sign documents; the centre's CARD key signs the chip data of KTP-el cards. */
  purpose: 'SUKET' | 'TTE' | 'CARD';
  /** 32-byte Ed25519 public key, base64url. */
  publicKey: string;
  /** Unix seconds: documents with iat outside [notBefore, notAfter] are not accepted. */
  notBefore: number;
  notAfter: number;
  /**
   * Unix seconds from which the key is invalid. Documents with iat ≥ revokedAt are forged; earlier
   * ones are still judged on the rest. For a compromised key the centre sets revokedAt to the
   * earliest time it may have been compromised (at the latest notBefore if unknown), because a
   * thief can backdate iat.
   */
  revokedAt?: number;
}

export interface TrustList {
  issuer: string;
  issuedAt: number;
  sequence: number;
  keys: TrustedKey[];
}

export type RevocationReason = 'CARD_ISSUED' | 'SUPERSEDED' | 'ISSUED_IN_ERROR' | 'KEY_COMPROMISE' | 'OTHER';

export interface RevocationEntry {
  ser: string;
  revokedAt: number;
  reason: RevocationReason;
  supersededBy?: string;
}

export interface RevocationList {
  issuer: string;
  issuedAt: number;
  sequence: number;
  entries: RevocationEntry[];
}

export const TRUST_LIST_CONTENT_TYPE = 'application/tangguh-trust-list+cbor';
export const REVOCATION_LIST_CONTENT_TYPE = 'application/tangguh-revocation-list+cbor';
/** Longest signed list accepted (base64url characters). */
export const MAX_LIST_CHARS = 64 * 1024 * 1024;

// Only ever grows: a list made before a purpose existed still opens.
const PURPOSES = new Set(['SUKET', 'TTE', 'CARD']);
const REASONS = new Set(['CARD_ISSUED', 'SUPERSEDED', 'ISSUED_IN_ERROR', 'KEY_COMPROMISE', 'OTHER']);

type Shape = 'text' | 'uint' | 'purpose' | 'reason' | 'key';
type Fields = Record<string, { shape: Shape; optional?: boolean }>;

const LIST_FIELDS: Fields = { issuer: { shape: 'text' }, issuedAt: { shape: 'uint' }, sequence: { shape: 'uint' } };
const KEY_FIELDS: Fields = {
  kid: { shape: 'text' },
  officeId: { shape: 'text' },
  officeName: { shape: 'text' },
  purpose: { shape: 'purpose' },
  publicKey: { shape: 'key' },
  notBefore: { shape: 'uint' },
  notAfter: { shape: 'uint' },
  revokedAt: { shape: 'uint', optional: true },
};
const ENTRY_FIELDS: Fields = {
  ser: { shape: 'text' },
  revokedAt: { shape: 'uint' },
  reason: { shape: 'reason' },
  supersededBy: { shape: 'text', optional: true },
};

function fits(shape: Shape, v: unknown): boolean {
  switch (shape) {
    case 'text':
      return typeof v === 'string' && v.length > 0 && v.length <= 1024;
    case 'uint':
      return isUint32(v);
    case 'purpose':
      return typeof v === 'string' && PURPOSES.has(v);
    case 'reason':
      return typeof v === 'string' && REASONS.has(v);
    case 'key':
      try {
        return typeof v === 'string' && fromBase64Url(v).length === 32;
      } catch {
        return false;
      }
  }
}

/** Reads a record with exactly these fields (from a decoded CBOR Map or a caller's object). */
function record(source: unknown, fields: Fields, what: string, extra: string[] = []): Record<string, unknown> {
  let entries: [unknown, unknown][];
  if (source instanceof Map) entries = [...source.entries()];
  else if (typeof source === 'object' && source !== null && !Array.isArray(source)) entries = Object.entries(source);
  else throw new CredentialFormatError(`${what}: not a record`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    if (v === undefined) continue;
    if (typeof k !== 'string' || (!Object.prototype.hasOwnProperty.call(fields, k) && !extra.includes(k))) throw new CredentialFormatError(`${what}: unexpected field ${String(k)}`);
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  for (const [name, { shape, optional }] of Object.entries(fields)) {
    const v = out[name];
    if (v === undefined && optional) continue;
    if (!fits(shape, v)) throw new CredentialFormatError(`${what}: field ${name} is missing or invalid`);
  }
  return out;
}

function checkTrustList(source: unknown): TrustList {
  const top = record(source, LIST_FIELDS, 'trust list', ['keys']);
  const keys: unknown = top.keys;
  if (!Array.isArray(keys)) throw new CredentialFormatError('trust list: keys must be an array');
  const seen = new Set<string>();
  const checked = keys.map((k: unknown, i) => {
    const r = record(k, KEY_FIELDS, `trust list key ${i}`);
    const key: TrustedKey = {
      kid: r.kid as string,
      officeId: r.officeId as string,
      officeName: r.officeName as string,
      purpose: r.purpose as TrustedKey['purpose'],
      publicKey: r.publicKey as string,
      notBefore: r.notBefore as number,
      notAfter: r.notAfter as number,
    };
    if (r.revokedAt !== undefined) key.revokedAt = r.revokedAt as number;
    if (key.kid !== keyId(fromBase64Url(key.publicKey))) throw new CredentialFormatError(`trust list key ${i}: kid is not keyId(publicKey)`);
    if (seen.has(key.kid)) throw new CredentialFormatError(`trust list key ${i}: duplicate kid`);
    if (key.notAfter < key.notBefore) throw new CredentialFormatError(`trust list key ${i}: notAfter before notBefore`);
    seen.add(key.kid);
    return key;
  });
  return { issuer: top.issuer as string, issuedAt: top.issuedAt as number, sequence: top.sequence as number, keys: checked };
}

export function checkRevocationList(source: unknown): RevocationList {
  const top = record(source, LIST_FIELDS, 'revocation list', ['entries']);
  const entries: unknown = top.entries;
  if (!Array.isArray(entries)) throw new CredentialFormatError('revocation list: entries must be an array');
  const checked = entries.map((e: unknown, i) => {
    const r = record(e, ENTRY_FIELDS, `revocation entry ${i}`);
    const entry: RevocationEntry = { ser: r.ser as string, revokedAt: r.revokedAt as number, reason: r.reason as RevocationReason };
    if (r.supersededBy !== undefined) entry.supersededBy = r.supersededBy as string;
    return entry;
  });
  return { issuer: top.issuer as string, issuedAt: top.issuedAt as number, sequence: top.sequence as number, entries: checked };
}

/** Plain objects → deterministic CBOR maps (undefined fields left out). */
function toCbor(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCbor);
  if (typeof value === 'object' && value !== null) {
    return canonicalMap(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toCbor(v)] as const));
  }
  return value;
}

export function signList(list: unknown, root: SigningKey, contentType: string): string {
  return toBase64Url(sign1(cborEncode(toCbor(list)), root, contentType));
}

function openList(signed: string, rootPublicKey: Uint8Array, contentType: string): unknown {
  if (typeof signed !== 'string' || signed.length > MAX_LIST_CHARS) throw new CredentialFormatError('list: not text or too long');
  if (!(rootPublicKey instanceof Uint8Array) || rootPublicKey.length !== 32) throw new CredentialFormatError('list: root public key must be 32 bytes');
  const parsed = parseSign1(fromBase64Url(signed));
  if (parsed.contentType !== contentType) throw new CredentialFormatError(`list: content type is not ${contentType}`);
  if (toBase64Url(parsed.kid) !== toBase64Url(kidBytes(rootPublicKey))) throw new CredentialFormatError('list: signed by another key than this root');
  if (!verifySign1(parsed, rootPublicKey)) throw new CredentialFormatError('list: signature does not verify');
  return cborDecode(parsed.payload);
}

/** Signs a trust list with the root key (COSE_Sign1, base64url). Throws CredentialFormatError if the list is malformed. */
export function signTrustList(list: TrustList, root: SigningKey): string {
  return signList(checkTrustList(list), root, TRUST_LIST_CONTENT_TYPE);
}

/** Verifies and parses a signed trust list; throws CredentialFormatError on a bad signature, wrong root or wrong shape. */
export function openTrustList(signed: string, rootPublicKey: Uint8Array): TrustList {
  return checkTrustList(openList(signed, rootPublicKey, TRUST_LIST_CONTENT_TYPE));
}

export function signRevocationList(list: RevocationList, root: SigningKey): string {
  return signList(checkRevocationList(list), root, REVOCATION_LIST_CONTENT_TYPE);
}

export function openRevocationList(signed: string, rootPublicKey: Uint8Array): RevocationList {
  return checkRevocationList(openList(signed, rootPublicKey, REVOCATION_LIST_CONTENT_TYPE));
}
