// COSE_Sign1 (RFC 9052 §4.2) with EdDSA (alg -8) over Ed25519.
//   COSE_Sign1 = #6.18([ protected: bstr .cbor {1: alg, ?3: content type, 4: kid}, unprotected: {}, payload: bstr, signature: bstr(64) ])
//   signed bytes = Sig_structure ["Signature1", protected, h'' (external_aad), payload]
// Parsing is strict: exactly this shape, and the bytes must be the deterministic re-encoding of what
// was read, so one signed content has one accepted encoding.
import { bytesEqual, copyBytes } from './bytes.ts';
import { canonicalMap, cborDecode, cborEncode, isBytes, Tag } from './cbor.ts';
import { CredentialFormatError } from './errors.ts';
import { checkedKid, edSign, edVerify, KID_BYTES, type SigningKey } from './keys.ts';

export const COSE_SIGN1_TAG = 18;
export const ALG_EDDSA = -8;
const HDR_ALG = 1;
const HDR_CONTENT_TYPE = 3;
const HDR_KID = 4;

export interface Sign1 {
  protectedBytes: Uint8Array;
  alg: number;
  kid: Uint8Array;
  contentType: string | undefined;
  payload: Uint8Array;
  signature: Uint8Array;
}

function protectedHeader(kid: Uint8Array, contentType: string | undefined): Uint8Array {
  const entries: [number, unknown][] = [[HDR_ALG, ALG_EDDSA], [HDR_KID, kid]];
  if (contentType !== undefined) entries.push([HDR_CONTENT_TYPE, contentType]);
  return cborEncode(canonicalMap(entries));
}

export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  return cborEncode(['Signature1', protectedBytes, new Uint8Array(0), payload]);
}

export function encodeSign1(protectedBytes: Uint8Array, payload: Uint8Array, signature: Uint8Array): Uint8Array {
  return cborEncode(new Tag([protectedBytes, new Map(), payload, signature], COSE_SIGN1_TAG));
}

export function sign1(payload: Uint8Array, key: SigningKey, contentType?: string): Uint8Array {
  const protectedBytes = protectedHeader(checkedKid(key), contentType);
  const signature = edSign(sigStructure(protectedBytes, payload), key.privateKey);
  return encodeSign1(protectedBytes, payload, signature);
}

function bad(message: string): never {
  throw new CredentialFormatError(`COSE: ${message}`);
}

export function parseSign1(bytes: Uint8Array): Sign1 {
  const top = cborDecode(bytes);
  if (!(top instanceof Tag) || top.tag !== COSE_SIGN1_TAG) bad('not a COSE_Sign1 (tag 18)');
  const arr: unknown = top.value;
  if (!Array.isArray(arr) || arr.length !== 4) bad('COSE_Sign1 must be an array of 4');
  const [prot, unprot, payload, signature] = arr as unknown[];
  if (!isBytes(prot) || !isBytes(payload) || !isBytes(signature)) bad('wrong item types');
  if (!(unprot instanceof Map) || unprot.size !== 0) bad('unprotected header must be empty');
  if (signature.length !== 64) bad('signature must be 64 bytes');
  const header = cborDecode(prot);
  if (!(header instanceof Map)) bad('protected header must be a map');
  for (const label of header.keys()) {
    if (label !== HDR_ALG && label !== HDR_KID && label !== HDR_CONTENT_TYPE) bad('unexpected protected header label');
  }
  const alg: unknown = header.get(HDR_ALG);
  const kid: unknown = header.get(HDR_KID);
  const contentType: unknown = header.get(HDR_CONTENT_TYPE);
  if (alg !== ALG_EDDSA) bad('algorithm must be EdDSA (-8)');
  if (!isBytes(kid) || kid.length !== KID_BYTES) bad('kid must be 8 bytes');
  if (contentType !== undefined && typeof contentType !== 'string') bad('content type must be text');
  const protectedBytes = copyBytes(prot);
  if (!bytesEqual(protectedBytes, protectedHeader(kid, contentType))) bad('protected header not canonically encoded');
  const parsed: Sign1 = {
    protectedBytes,
    alg,
    kid: copyBytes(kid),
    contentType,
    payload: copyBytes(payload),
    signature: copyBytes(signature),
  };
  if (!bytesEqual(bytes, encodeSign1(parsed.protectedBytes, parsed.payload, parsed.signature))) bad('not canonically encoded');
  return parsed;
}

export function verifySign1(parsed: Sign1, publicKey: Uint8Array): boolean {
  return edVerify(parsed.signature, sigStructure(parsed.protectedBytes, parsed.payload), publicKey);
}
