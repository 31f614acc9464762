// The credential text carried by the QR: TGH1: + Base45( zlib( COSE_Sign1( CBOR claims ) ) ),
// in the manner of the EU Digital COVID Certificate (HC1:) and MOSIP Claim 169.
//
// Claims map (CBOR map, integer keys, CWT registry where one fits, private negative keys otherwise):
//        1  iss   tstr   issuing office id, e.g. "3509"                    (CWT iss)
//        4  exp   uint   expiry, unix seconds; absent = no expiry          (CWT exp)
//        6  iat   uint   issued at, unix seconds                           (CWT iat)
//        7  ser   bstr   serial number, e.g. "SKT-3509-20261124-000001", as packed text (text.ts)
//                        (CWT cti: a byte string that identifies the token)
//   -70001  typ   uint | tstr   the type: an index into DOCUMENT_TYPES (0 = "SUKET", 1 = "KK", …),
//                        or the code as text for a type not in that list
//   -70002  sub   bstr   the printed fields, packed (fields.ts): known field names as presence bits,
//                        values as dictionary indexes, dates, digit strings or packed text
//   -70003  img   bstr   optional tiny face image (not used for the Suket: it does not fit QR v14-Q)
// Plain CBOR text for every printed field needs ~580 characters (QR version 19 at level Q); the
// packing brings a full Suket to version 14 or lower.
// Integers are limited to 0 … 2^32-1 (unix seconds up to 2106) so they are always CBOR integers.
// Every map is in deterministic order; decoding rejects unknown keys, wrong types and any encoding
// that is not byte-identical to the deterministic re-encoding.
import { encodeBase45, decodeBase45 } from './base45.ts';
import { bytesEqual, copyBytes, toBase64Url } from './bytes.ts';
import { canonicalMap, cborDecode, cborEncode, isBytes, isUint32 } from './cbor.ts';
import { parseSign1, sign1, verifySign1, type Sign1 } from './cose.ts';
import { CredentialFormatError } from './errors.ts';
import { packFields, unpackFields } from './fields.ts';
import { unzlibStrict } from './inflate.ts';
import type { SigningKey } from './keys.ts';
import { packText, unpackText } from './text.ts';
import { zlibSync } from 'fflate';

export const CREDENTIAL_PREFIX = 'TGH1:';
/** Longest credential text accepted (QR version 40-L holds 4,296 alphanumeric characters). */
export const MAX_CREDENTIAL_CHARS = 4000;
/** Largest decompressed COSE structure accepted. */
export const MAX_INFLATED_BYTES = 16 * 1024;

export interface CredentialClaims {
  /** 'SUKET' or a document type code: 'KK', 'AKTA_KELAHIRAN', 'AKTA_KEMATIAN', … */
  typ: string;
  /** Serial number, e.g. 'SKT-3509-20261124-000001'. */
  ser: string;
  /** Issuing office id, e.g. '3509'. */
  iss: string;
  /** Issued at, unix seconds. */
  iat: number;
  /** Expiry, unix seconds (Suket: 6 months); documents may have none. */
  exp?: number;
  /** The printed fields. */
  sub: Record<string, string>;
  /** Optional tiny face image. */
  img?: Uint8Array;
}

const K_ISS = 1;
const K_EXP = 4;
const K_IAT = 6;
const K_SER = 7;
const K_TYP = -70001;
const K_SUB = -70002;
const K_IMG = -70003;
const KNOWN_KEYS = new Set([K_ISS, K_EXP, K_IAT, K_SER, K_TYP, K_SUB, K_IMG]);

/** Type codes sent as a small integer (append only: part of the TGH1 format). */
export const DOCUMENT_TYPES: readonly string[] = [
  'SUKET', 'KK', 'AKTA_KELAHIRAN', 'AKTA_KEMATIAN', 'AKTA_PERKAWINAN', 'AKTA_PERCERAIAN', 'KIA', 'BIODATA',
  'SURAT_PINDAH', 'AKTA_PENGAKUAN_ANAK', 'AKTA_PENGESAHAN_ANAK', 'AKTA_PENGANGKATAN_ANAK', 'AKTA_PERUBAHAN_NAMA',
];
const TYPE_INDEX: ReadonlyMap<string, number> = new Map(DOCUMENT_TYPES.map((t, i) => [t, i]));

const MAX_TEXT_FIELD = 256;
const MAX_SUB_FIELDS = 64;

function invalid(message: string): never {
  throw new TypeError(`Invalid credential claims: ${message}`);
}

function checkText(name: string, v: unknown, max = MAX_TEXT_FIELD): asserts v is string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) invalid(`${name} must be a non-empty string of at most ${max} characters`);
}

/** Builds the deterministic claims map; throws TypeError on claims that cannot be encoded. */
function claimsToMap(claims: CredentialClaims): Map<number, unknown> {
  if (typeof claims !== 'object' || claims === null) invalid('not an object');
  checkText('typ', claims.typ, 64);
  checkText('ser', claims.ser, 64);
  checkText('iss', claims.iss, 64);
  if (!isUint32(claims.iat)) invalid('iat must be an integer number of seconds (0 … 2^32-1)');
  if (claims.exp !== undefined && !isUint32(claims.exp)) invalid('exp must be an integer number of seconds (0 … 2^32-1)');
  if (claims.img !== undefined && (!isBytes(claims.img) || claims.img.length === 0)) invalid('img must be non-empty bytes');
  if (typeof claims.sub !== 'object' || claims.sub === null || Array.isArray(claims.sub)) invalid('sub must be an object');
  const subEntries = Object.entries(claims.sub);
  if (subEntries.length > MAX_SUB_FIELDS) invalid(`sub has more than ${MAX_SUB_FIELDS} fields`);
  for (const [name, value] of subEntries) {
    checkText('a sub field name', name, 64);
    if (typeof value !== 'string' || [...value].length > MAX_TEXT_FIELD) invalid(`sub.${name} must be a string of at most ${MAX_TEXT_FIELD} characters`);
  }
  const entries: [number, unknown][] = [
    [K_ISS, claims.iss],
    [K_IAT, claims.iat],
    [K_SER, packText(claims.ser)],
    [K_TYP, TYPE_INDEX.get(claims.typ) ?? claims.typ],
    [K_SUB, packFields(claims.sub)],
  ];
  if (claims.exp !== undefined) entries.push([K_EXP, claims.exp]);
  if (claims.img !== undefined) entries.push([K_IMG, claims.img]);
  return canonicalMap(entries);
}

function notClaims(message: string): never {
  throw new CredentialFormatError(`claims: ${message}`);
}

function isText(v: unknown, max = MAX_TEXT_FIELD): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}

/** Parses the signed payload; throws CredentialFormatError unless it is exactly what encodeCredential writes. */
export function parseClaims(payload: Uint8Array): CredentialClaims {
  const map = cborDecode(payload);
  if (!(map instanceof Map)) notClaims('not a map');
  for (const k of map.keys()) if (typeof k !== 'number' || !KNOWN_KEYS.has(k)) notClaims('unknown claim key');
  const iss: unknown = map.get(K_ISS);
  const iat: unknown = map.get(K_IAT);
  const exp: unknown = map.get(K_EXP);
  const ser: unknown = map.get(K_SER);
  const typCode: unknown = map.get(K_TYP);
  const typ: unknown = typeof typCode === 'number' ? DOCUMENT_TYPES[typCode] : typCode;
  const sub: unknown = map.get(K_SUB);
  const img: unknown = map.get(K_IMG);
  if (!isText(iss, 64) || !isText(typ, 64)) notClaims('iss and typ must be text');
  if (!isUint32(iat) || (exp !== undefined && !isUint32(exp))) notClaims('iat and exp must be unsigned integers');
  if (!isBytes(ser)) notClaims('ser must be bytes');
  const serText = unpackText(ser);
  if (!isText(serText, 64)) notClaims('ser must be 1 to 64 characters');
  if (img !== undefined && (!isBytes(img) || img.length === 0)) notClaims('img must be bytes');
  if (!isBytes(sub)) notClaims('sub must be bytes');
  const fields = unpackFields(sub, MAX_SUB_FIELDS);
  const claims: CredentialClaims = { typ, ser: serText, iss, iat, sub: fields };
  if (exp !== undefined) claims.exp = exp;
  if (img !== undefined) claims.img = copyBytes(img);
  let canonical: Uint8Array;
  try {
    canonical = cborEncode(claimsToMap(claims));
  } catch {
    notClaims('not encodable');
  }
  if (!bytesEqual(canonical, payload)) notClaims('not canonically encoded');
  return claims;
}

/** The CBOR claims payload (internal; tests use it to build altered credentials). */
export function encodeClaimsPayload(claims: CredentialClaims): Uint8Array {
  return cborEncode(claimsToMap(claims));
}

/** COSE bytes → credential text (internal). */
export function coseToText(cose: Uint8Array): string {
  return CREDENTIAL_PREFIX + encodeBase45(zlibSync(cose, { level: 9 }));
}

export function encodeCredential(claims: CredentialClaims, key: SigningKey): string {
  return coseToText(sign1(encodeClaimsPayload(claims), key));
}

/** Prefix → Base45 → zlib → COSE_Sign1, without looking at the claims. Throws CredentialFormatError. */
export function decodeEnvelope(text: string): Sign1 {
  if (typeof text !== 'string') throw new CredentialFormatError('not text');
  if (text.length > MAX_CREDENTIAL_CHARS) throw new CredentialFormatError('too long');
  if (!text.startsWith(CREDENTIAL_PREFIX)) throw new CredentialFormatError(`does not start with ${CREDENTIAL_PREFIX}`);
  const compressed = decodeBase45(text.slice(CREDENTIAL_PREFIX.length));
  const cose = unzlibStrict(compressed, MAX_INFLATED_BYTES);
  const parsed = parseSign1(cose);
  if (parsed.contentType !== undefined) throw new CredentialFormatError('COSE: a credential has no content type header');
  return parsed;
}

export interface DecodedCredential {
  claims: CredentialClaims;
  /** Key id, base64url. */
  kid: string;
  /** COSE algorithm (-8, EdDSA). */
  alg: number;
  /** True if the signature verifies with this 32-byte Ed25519 public key; never throws. */
  verifyWith(publicKey: Uint8Array): boolean;
}

/** Decodes without checking the signature or any list. Throws CredentialFormatError. */
export function decodeCredential(text: string): DecodedCredential {
  const envelope = decodeEnvelope(text);
  const claims = parseClaims(envelope.payload);
  return {
    claims,
    kid: toBase64Url(envelope.kid),
    alg: envelope.alg,
    verifyWith: (publicKey: Uint8Array) => publicKey instanceof Uint8Array && verifySign1(envelope, publicKey),
  };
}
