// A KTP-el card print package: what the centre hands an office so it can print a card and write its
// chip without asking again. Modelled on ICAO 9303: the chip's content is split into data groups
// (DG1 the printed fields, DG2 the photo, DG3 two fingerprint templates, DG7 the signature image), and a
// security object (SOD) holds a SHA-256 hash per data group and is signed — here as a COSE_Sign1 by the
// centre's card-signing key, which the trust list certifies for the purpose CARD. Checking the SOD's
// signature and each group's hash proves the whole package; the printed face is read from the same
// groups, so what is printed and what is written to the chip cannot differ.
//   package = CBOR { "v": 1, "sod": bstr (COSE_Sign1), "dg": { 1: bstr, 2: bstr, 3: bstr, 7: bstr } }
//   SOD payload = CBOR { "v", "packageId", "kind", "recordId", "officeId", "iat", "alg": "SHA-256", "hashes": { n: bstr(32) } }
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesEqual, fromBase64Url, toBase64Url } from './bytes.ts';
import { canonicalMap, cborDecode, cborEncode, isBytes, isUint32 } from './cbor.ts';
import { parseSign1, sign1, verifySign1 } from './cose.ts';
import { CredentialFormatError } from './errors.ts';
import type { SigningKey } from './keys.ts';
import type { TrustList, TrustedKey } from './lists.ts';

export const CARD_SOD_CONTENT_TYPE = 'application/tangguh-card-sod+cbor';
export const CARD_PACKAGE_VERSION = 1;
/** The chip holds two fingerprints (DOMAIN.md: right and left index by default). */
export const CHIP_FINGERPRINTS = 2;
/** Largest package accepted (bytes): a photo and a signature image under the recording limits, with room. */
export const MAX_CARD_PACKAGE_BYTES = 4 * 1024 * 1024;

export const CARD_FIELD_NAMES = [
  'provinsi',
  'kabupatenKota',
  'nik',
  'nama',
  'tempatLahir',
  'tanggalLahir',
  'jenisKelamin',
  'golonganDarah',
  'alamat',
  'rtRw',
  'kelurahanDesa',
  'kecamatan',
  'agama',
  'statusPerkawinan',
  'pekerjaan',
  'kewarganegaraan',
  'berlakuHingga',
  'tempatTerbit',
  'tanggalTerbit',
] as const;
export type CardFieldName = (typeof CARD_FIELD_NAMES)[number];
/** The card's printed fields, as printed (upper-case labels are the printer's business). */
export type CardFields = Record<CardFieldName, string>;

export type CardPackageKind = 'FIRST' | 'REPLACEMENT';

export interface CardImage {
  mime: string;
  data: Uint8Array;
}

export interface ChipFingerprint {
  /** A finger position (R_INDEX, L_INDEX …). */
  position: string;
  template: Uint8Array;
}

export interface CardPackageContent {
  packageId: string;
  kind: CardPackageKind;
  recordId: string;
  /** The office the package is for (the recording office, or the one that asked for a replacement). */
  officeId: string;
  /** Unix seconds: when the centre signed it. */
  issuedAt: number;
  fields: CardFields;
  photo: CardImage;
  signature: CardImage;
  fingerprints: ChipFingerprint[];
}

export interface OpenedCardPackage extends CardPackageContent {
  /** The card-signing key that signed the SOD, as the trust list certifies it. */
  signer: TrustedKey;
  /** The data groups and the signed SOD exactly as the chip is to hold them. */
  chip: { dataGroups: Map<number, Uint8Array>; sod: Uint8Array };
}

/** Why a package is refused; the code is stable, the message says which check failed. */
export class CardPackageError extends Error {
  constructor(
    readonly code: 'MALFORMED' | 'KEY_NOT_TRUSTED' | 'SIGNATURE_INVALID' | 'HASH_MISMATCH',
    message: string,
  ) {
    super(message);
    this.name = 'CardPackageError';
  }
}

const DG_FIELDS = 1;
const DG_PHOTO = 2;
const DG_FINGERPRINTS = 3;
const DG_SIGNATURE = 7;
const DATA_GROUPS = [DG_FIELDS, DG_PHOTO, DG_FINGERPRINTS, DG_SIGNATURE];

const image = (img: CardImage) => canonicalMap([['mime', img.mime], ['data', img.data]]);

function dataGroupsOf(content: CardPackageContent): Map<number, Uint8Array> {
  if (content.fingerprints.length !== CHIP_FINGERPRINTS) throw new CredentialFormatError(`card package: the chip holds exactly ${CHIP_FINGERPRINTS} fingerprints`);
  return new Map([
    [DG_FIELDS, cborEncode(canonicalMap(CARD_FIELD_NAMES.map((name) => [name, content.fields[name]] as const)))],
    [DG_PHOTO, cborEncode(image(content.photo))],
    [DG_FINGERPRINTS, cborEncode(content.fingerprints.map((f) => canonicalMap([['position', f.position], ['template', f.template]])))],
    [DG_SIGNATURE, cborEncode(image(content.signature))],
  ]);
}

/** Encodes the package deterministically and signs its security object with the card-signing key. */
export function signCardPackage(content: CardPackageContent, key: SigningKey): Uint8Array {
  const groups = dataGroupsOf(content);
  const hashes = canonicalMap([...groups].map(([n, bytes]) => [n, sha256(bytes)] as const));
  const sodPayload = cborEncode(
    canonicalMap([
      ['v', CARD_PACKAGE_VERSION],
      ['packageId', content.packageId],
      ['kind', content.kind],
      ['recordId', content.recordId],
      ['officeId', content.officeId],
      ['iat', content.issuedAt],
      ['alg', 'SHA-256'],
      ['hashes', hashes],
    ]),
  );
  const sod = sign1(sodPayload, key, CARD_SOD_CONTENT_TYPE);
  return cborEncode(canonicalMap([['v', CARD_PACKAGE_VERSION], ['sod', sod], ['dg', canonicalMap([...groups])]]));
}

const malformed = (what: string): never => {
  throw new CardPackageError('MALFORMED', `card package: ${what}`);
};

function text(map: Map<unknown, unknown>, key: string): string {
  const v = map.get(key);
  if (typeof v !== 'string' || v.length > 4096) malformed(`${key} must be text`);
  return v as string;
}

function decodeMap(bytes: Uint8Array, what: string): Map<unknown, unknown> {
  let v: unknown;
  try {
    v = cborDecode(bytes);
  } catch {
    malformed(`${what} is not CBOR`);
  }
  if (!(v instanceof Map)) malformed(`${what} must be a map`);
  return v as Map<unknown, unknown>;
}

function readImage(bytes: Uint8Array, what: string): CardImage {
  const m = decodeMap(bytes, what);
  const data = m.get('data');
  if (!isBytes(data)) malformed(`${what} data must be bytes`);
  return { mime: text(m, 'mime'), data: data as Uint8Array };
}

/** The CARD key of the trust list that signed at `iat`: certified, valid then, not revoked by then. */
function signerOf(kid: Uint8Array, iat: number, trust: TrustList): TrustedKey {
  const wanted = toBase64Url(kid);
  // The list's kid is keyId(publicKey), checked when the list was opened.
  const key = trust.keys.find((k) => k.purpose === 'CARD' && k.kid === wanted);
  if (!key) throw new CardPackageError('KEY_NOT_TRUSTED', 'card package: not signed by a card-signing key of the trust list');
  if (iat < key.notBefore || iat > key.notAfter) throw new CardPackageError('KEY_NOT_TRUSTED', 'card package: signed outside the key validity');
  if (key.revokedAt !== undefined && iat >= key.revokedAt) throw new CardPackageError('KEY_NOT_TRUSTED', 'card package: signed with a revoked key');
  return key;
}

/** The chip's content as written to a blank: the data groups and the signed security object. */
export interface CardChip {
  dataGroups: Map<number, Uint8Array>;
  sod: Uint8Array;
}

/** What a verified chip's security object says, with the CARD key that signed it. */
export interface VerifiedCardChip {
  packageId: string;
  kind: CardPackageKind;
  recordId: string;
  officeId: string;
  issuedAt: number;
  signer: TrustedKey;
}

/** The chip's bytes as the encoder stores them: the package's own layout without anything else. */
export function encodeCardChip(chip: CardChip): Uint8Array {
  return cborEncode(canonicalMap([['v', CARD_PACKAGE_VERSION], ['sod', chip.sod], ['dg', canonicalMap([...chip.dataGroups])]]));
}

/** Reads the layout shared by a package and a chip (shape only: `verifyCardChip` proves it). */
function decodeChipLayout(bytes: Uint8Array): { sod: Uint8Array; dg: Map<unknown, unknown> } {
  if (bytes.length > MAX_CARD_PACKAGE_BYTES) malformed('too large');
  const top = decodeMap(bytes, 'package');
  if (top.get('v') !== CARD_PACKAGE_VERSION) malformed('unknown version');
  const sod = top.get('sod');
  const dg = top.get('dg');
  if (!isBytes(sod) || !(dg instanceof Map)) malformed('sod and dg are required');
  return { sod: sod as Uint8Array, dg: dg as Map<unknown, unknown> };
}

/** Decodes stored chip bytes into data groups and SOD; refuses anything that is not that shape. */
export function decodeCardChip(bytes: Uint8Array): CardChip {
  const { sod, dg } = decodeChipLayout(bytes);
  const dataGroups = new Map<number, Uint8Array>();
  for (const [n, group] of dg) {
    if (!isUint32(n) || !isBytes(group)) malformed('data groups are numbered byte strings');
    dataGroups.set(n as number, group as Uint8Array);
  }
  return { dataGroups, sod };
}

/** Proves SOD and data groups; returns the SOD payload for the caller's further checks. */
function proveChip(sodBytes: Uint8Array, dg: Map<unknown, unknown>, trust: TrustList): { payload: Map<unknown, unknown>; signer: TrustedKey; groups: Map<number, Uint8Array> } {
  let sod;
  try {
    sod = parseSign1(sodBytes);
  } catch (e) {
    throw new CardPackageError('MALFORMED', `card package: ${(e as Error).message}`);
  }
  if (sod.contentType !== CARD_SOD_CONTENT_TYPE) malformed('the SOD has another content type');
  const payload = decodeMap(sod.payload, 'SOD');
  const iat = payload.get('iat');
  if (!isUint32(iat)) malformed('iat must be an unsigned integer');
  const signer = signerOf(sod.kid, iat as number, trust);
  if (!verifySign1(sod, fromBase64Url(signer.publicKey))) throw new CardPackageError('SIGNATURE_INVALID', 'card package: the SOD signature does not verify');
  // Signed from here on: what remains is whether the data groups are the ones the SOD names.
  if (payload.get('alg') !== 'SHA-256') malformed('unsupported hash');
  const hashes = payload.get('hashes');
  if (!(hashes instanceof Map) || hashes.size !== DATA_GROUPS.length || dg.size !== DATA_GROUPS.length) malformed(`exactly data groups ${DATA_GROUPS.join(', ')}`);
  const groups = new Map<number, Uint8Array>();
  for (const n of DATA_GROUPS) {
    const group = dg.get(n);
    const hash = (hashes as Map<unknown, unknown>).get(n);
    if (!isBytes(group) || !isBytes(hash)) malformed(`data group ${n} is missing`);
    if (!bytesEqual(sha256(group as Uint8Array), hash as Uint8Array)) throw new CardPackageError('HASH_MISMATCH', `card package: data group ${n} does not match the signed hash`);
    groups.set(n, group as Uint8Array);
  }
  return { payload, signer, groups };
}

function sodFacts(payload: Map<unknown, unknown>, signer: TrustedKey): VerifiedCardChip {
  const kind = text(payload, 'kind') as CardPackageKind;
  if (kind !== 'FIRST' && kind !== 'REPLACEMENT') malformed('unknown kind');
  return { packageId: text(payload, 'packageId'), kind, recordId: text(payload, 'recordId'), officeId: text(payload, 'officeId'), issuedAt: payload.get('iat') as number, signer };
}

/**
 * Checks a chip as read back from a card: the SOD signed by a CARD key of the trust list (valid and not
 * revoked when it signed), and each of the data groups 1, 2, 3 and 7 — no more, no fewer — matching its
 * hash in the SOD. A chip that passes holds exactly what the centre signed; one altered group is refused.
 */
export function verifyCardChip(chip: CardChip, trust: TrustList): VerifiedCardChip {
  const { payload, signer } = proveChip(chip.sod, new Map<unknown, unknown>(chip.dataGroups), trust);
  return sodFacts(payload, signer);
}

/**
 * Opens a package and proves it: the SOD's signature by a CARD key of the trust list, then each data
 * group against its hash in the SOD. Anything else in the package, or anything missing, is refused.
 */
export function openCardPackage(bytes: Uint8Array, trust: TrustList): OpenedCardPackage {
  const { sod: sodBytes, dg } = decodeChipLayout(bytes);
  const { payload, signer, groups } = proveChip(sodBytes, dg, trust);
  const fieldMap = decodeMap(groups.get(DG_FIELDS)!, 'DG1');
  if (fieldMap.size !== CARD_FIELD_NAMES.length) malformed('DG1 must hold exactly the card fields');
  const fields = Object.fromEntries(CARD_FIELD_NAMES.map((name) => [name, text(fieldMap, name)])) as CardFields;
  const prints = cborDecode(groups.get(DG_FINGERPRINTS)!);
  if (!Array.isArray(prints) || prints.length !== CHIP_FINGERPRINTS) malformed(`DG3 must hold exactly ${CHIP_FINGERPRINTS} fingerprints`);
  const fingerprints = (prints as unknown[]).map((p, i) => {
    if (!(p instanceof Map) || !isBytes(p.get('template'))) return malformed(`DG3 fingerprint ${i}`);
    return { position: text(p, 'position'), template: p.get('template') as Uint8Array };
  });
  return {
    ...sodFacts(payload, signer),
    fields,
    photo: readImage(groups.get(DG_PHOTO)!, 'DG2'),
    signature: readImage(groups.get(DG_SIGNATURE)!, 'DG7'),
    fingerprints,
    chip: { dataGroups: groups, sod: sodBytes },
  };
}
