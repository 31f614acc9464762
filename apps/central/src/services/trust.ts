import type { Kysely, Transaction } from 'kysely';
import {
  fromBase64Url,
  generateSigningKey,
  keyId,
  openRevocationList,
  openTrustList,
  signRevocationList,
  signTrustList,
  signingKeyFromPrivate,
  toBase64Url,
  type RevocationEntry,
  type RevocationList,
  type SigningKey,
  type TrustList,
  type TrustedKey,
} from '@tangguh/credential';
import { DomainError } from '@tangguh/domain';
import { openSecretText, sealSecret } from '@tangguh/platform';
import type { KeyRevocationReason } from '@tangguh/protocol';
import type { CentralContext } from '../context.ts';
import type { CentralDb } from '../db/schema.ts';
import { insertSettingsIfAbsent, readSetting } from '../repositories/settings.ts';
import { findOffice } from '../repositories/offices.ts';
import {
  findDocumentKey,
  insertDocumentKey,
  insertRevokedSerial,
  listDocumentKeyRows,
  listRevokedSerialRows,
  lockPublication,
  markDocumentKeyRevoked,
  readPublication,
  storePublication,
  touchPublication,
  type DbOrTx,
  type DocumentKeyRow,
  type PublicationName,
} from '../repositories/trust.ts';

/** Who signs the lists; shown to verifiers beside the root key id. */
export const TRUST_ISSUER = 'PUSAT-DUKCAPIL';
export const DOCUMENT_PURPOSES = ['SUKET', 'TTE'] as const;
export type DocumentPurpose = (typeof DOCUMENT_PURPOSES)[number];
export const DEFAULT_KEY_VALIDITY_DAYS = 730;

const ROOT_SETTING = 'trust_root_private_key';
const roots = new WeakMap<object, SigningKey>();

async function readRoot(db: Kysely<CentralDb>): Promise<string | undefined> {
  return readSetting(db, ROOT_SETTING);
}

/** Creates the root key on the centre's first start; every later start (and every API process) reads the same one. */
export async function ensureTrustRoot(db: Kysely<CentralDb>): Promise<SigningKey> {
  let stored = await readRoot(db);
  if (!stored) {
    const fresh = generateSigningKey();
    // Two processes starting at once: the first insert wins and both read it back.
    await insertSettingsIfAbsent(db, [{ key: ROOT_SETTING, value: sealSecret(toBase64Url(fresh.privateKey)) }]);
    stored = (await readRoot(db))!;
  }
  const root = signingKeyFromPrivate(fromBase64Url(openSecretText(stored)));
  roots.set(db, root);
  return root;
}

export async function trustRoot(ctx: Pick<CentralContext, 'db'>): Promise<SigningKey> {
  return roots.get(ctx.db) ?? ensureTrustRoot(ctx.db);
}

/** What verifiers pin: the root's key id and public key. */
export async function trustRootInfo(ctx: Pick<CentralContext, 'db'>): Promise<{ kid: string; publicKey: string }> {
  const root = await trustRoot(ctx);
  return { kid: root.kid, publicKey: toBase64Url(root.publicKey) };
}

/** ISO time → unix seconds, as the signed lists carry times. */
export const unixSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

export function toTrustedKey(row: DocumentKeyRow): TrustedKey {
  return {
    kid: row.kid,
    officeId: row.office_id,
    officeName: row.office_name,
    purpose: row.purpose as DocumentPurpose,
    publicKey: row.public_key,
    notBefore: unixSeconds(row.not_before),
    notAfter: unixSeconds(row.not_after),
    ...(row.revoked_at ? { revokedAt: unixSeconds(row.revoked_at) } : {}),
  };
}

const keyError = (code: string, id: string, en: string, kind: 'invalid' | 'conflict' | 'not_found' = 'invalid') => new DomainError(code, { id, en }, kind);

export interface CertifyDocumentKeyProps {
  officeId: string;
  purpose: DocumentPurpose;
  /** Ed25519 public key: its 32 bytes, or their base64url. */
  publicKey: string | Uint8Array;
  /** How long the certificate runs from now; two years unless said otherwise. */
  validityDays?: number;
  /** Only for a signer that is not a registered office (the name shown to verifiers). */
  officeName?: string;
  /** The person who holds the key, when it is a person's (a head of office's TTE key); kept for the admin list. */
  holder?: string;
}

/**
 * Certifies an office's document-signing key: the row, published in the signed trust list, is the
 * certificate. Asking again for the same key returns the same entry, so a retried rotation is harmless.
 */
export async function certifyDocumentKey(ctx: CentralContext, props: CertifyDocumentKeyProps, trx?: Transaction<CentralDb>): Promise<TrustedKey> {
  let raw: Uint8Array;
  try {
    raw = typeof props.publicKey === 'string' ? fromBase64Url(props.publicKey) : props.publicKey;
  } catch {
    raw = new Uint8Array();
  }
  if (raw.length !== 32) throw keyError('PUBLIC_KEY_INVALID', 'Kunci publik harus Ed25519 (32 bita, base64url).', 'The public key must be Ed25519 (32 bytes, base64url).');
  const kid = keyId(raw);
  const work = async (db: DbOrTx): Promise<TrustedKey> => {
    const existing = await findDocumentKey(db, kid);
    if (existing) {
      if (existing.office_id !== props.officeId || existing.purpose !== props.purpose) {
        throw keyError('KEY_ALREADY_CERTIFIED', 'Kunci ini sudah disertifikasi untuk kantor atau keperluan lain.', 'This key is already certified for another office or purpose.', 'conflict');
      }
      if (existing.revoked_at) throw keyError('KEY_REVOKED', 'Kunci ini sudah dicabut dan tidak dapat disertifikasi lagi.', 'This key was revoked and cannot be certified again.', 'conflict');
      return toTrustedKey(existing);
    }
    const office = await findOffice(db, props.officeId);
    const officeName = office?.name ?? props.officeName;
    if (!officeName) throw keyError('OFFICE_UNKNOWN', `Kantor ${props.officeId} tidak terdaftar di pusat.`, `Office ${props.officeId} is not registered.`, 'not_found');
    const now = ctx.now();
    const days = props.validityDays ?? DEFAULT_KEY_VALIDITY_DAYS;
    const row: DocumentKeyRow = {
      kid,
      office_id: props.officeId,
      office_name: officeName,
      purpose: props.purpose,
      public_key: toBase64Url(raw),
      not_before: now.toISOString(),
      not_after: new Date(now.getTime() + days * 86_400_000).toISOString(),
      certified_at: now.toISOString(),
      holder: props.holder ?? null,
      revoked_at: null,
      revoke_reason: null,
    };
    await insertDocumentKey(db, row);
    await touchPublication(db, 'TRUST_LIST');
    return toTrustedKey(row);
  };
  return trx ? work(trx) : ctx.db.transaction().execute(work);
}


export interface RevokeDocumentKeyProps {
  kid: string;
  reason: KeyRevocationReason;
  note?: string;
  /**
   * From when documents signed with the key stop verifying. A compromised key's thief can backdate
   * what they sign, so without a known time a compromise reaches back to the key's first day;
   * any other reason (office closed, replaced) takes effect now.
   */
  since?: Date;
}

/** Revokes a document key: documents it signed from `since` on verify as forged once verifiers refresh. */
export async function revokeDocumentKey(ctx: CentralContext, props: RevokeDocumentKeyProps): Promise<TrustedKey> {
  return ctx.db.transaction().execute(async (trx) => {
    const existing = await findDocumentKey(trx, props.kid);
    if (!existing) throw keyError('KEY_NOT_FOUND', 'Kunci tidak ditemukan.', 'Key not found.', 'not_found');
    if (existing.revoked_at) throw keyError('KEY_ALREADY_REVOKED', 'Kunci ini sudah dicabut.', 'This key is already revoked.', 'conflict');
    const now = ctx.now();
    const since = props.since ?? (props.reason === 'KEY_COMPROMISE' ? new Date(existing.not_before) : now);
    const at = new Date(Math.max(Date.parse(existing.not_before), Math.min(since.getTime(), now.getTime()))).toISOString();
    const reason = props.note ? `${props.reason}: ${props.note}` : props.reason;
    await markDocumentKeyRevoked(trx, props.kid, at, reason);
    await touchPublication(trx, 'TRUST_LIST');
    return toTrustedKey({ ...existing, revoked_at: at, revoke_reason: reason });
  });
}

export async function listDocumentKeys(ctx: CentralContext, filter: { officeId?: string } = {}) {
  return (await listDocumentKeyRows(ctx.db, filter)).map((row) => ({ ...toTrustedKey(row), holder: row.holder, certifiedAt: row.certified_at, revokeReason: row.revoke_reason }));
}

export interface RevokeSerialProps {
  officeId: string;
  /** The document serial (a Suket's SKT-…, a TTE document's number). */
  serial: string;
  reason: RevocationEntry['reason'];
  /** When the issuing office revoked it. */
  at: string;
  supersededBy?: string;
  note?: string;
}

/**
 * Puts a document serial on the revocation list, in the caller's transaction, so the next signed list
 * carries it. The first revocation of a serial stands; false when it was already listed.
 */
export async function revokeSerial(trx: DbOrTx, ctx: Pick<CentralContext, 'now'>, props: RevokeSerialProps): Promise<boolean> {
  const added = await insertRevokedSerial(trx, {
    ser: props.serial,
    office_id: props.officeId,
    revoked_at: props.at,
    reason: props.reason,
    superseded_by: props.supersededBy ?? null,
    note: props.note ?? null,
    recorded_at: ctx.now().toISOString(),
  });
  if (added) await touchPublication(trx, 'REVOCATION_LIST');
  return added;
}

export interface Published<T> {
  signed: string;
  sequence: number;
  issuedAt: string;
  list: T;
}

const opened = new WeakMap<object, Map<PublicationName, Published<unknown>>>();

/**
 * The signed copy of a list, rebuilt and re-signed only when its content changed since the last build.
 * The parsed list is kept in memory per sequence for the centre's own verification.
 */
async function published<T>(
  ctx: CentralContext,
  name: PublicationName,
  build: (db: DbOrTx, header: { issuer: string; issuedAt: number; sequence: number }, root: SigningKey) => Promise<string>,
  open: (signed: string, rootPublic: Uint8Array) => T,
): Promise<Published<T>> {
  const root = await trustRoot(ctx);
  let row = await readPublication(ctx.db, name);
  if (!row?.signed || Number(row.built_version) !== Number(row.version)) {
    row = await ctx.db.transaction().execute(async (trx) => {
      const locked = (await lockPublication(trx, ctx.dialect, name))!;
      if (locked.signed && Number(locked.built_version) === Number(locked.version)) return locked;
      const issuedAt = ctx.now();
      const header = { issuer: TRUST_ISSUER, issuedAt: unixSeconds(issuedAt.toISOString()), sequence: Number(locked.sequence) + 1 };
      const signed = await build(trx, header, root);
      const next = { built_version: Number(locked.version), sequence: header.sequence, issued_at: issuedAt.toISOString(), signed };
      await storePublication(trx, name, next);
      return { ...locked, ...next };
    });
  }
  const cache = opened.get(ctx.db) ?? new Map<PublicationName, Published<unknown>>();
  opened.set(ctx.db, cache);
  const hit = cache.get(name) as Published<T> | undefined;
  if (hit && hit.signed === row.signed) return hit;
  const fresh: Published<T> = { signed: row.signed!, sequence: Number(row.sequence), issuedAt: row.issued_at!, list: open(row.signed!, root.publicKey) };
  cache.set(name, fresh);
  return fresh;
}

/** The signed trust list: every certified document key, with its validity and any revocation. */
export function currentTrustList(ctx: CentralContext): Promise<Published<TrustList>> {
  return published(
    ctx,
    'TRUST_LIST',
    async (db, header, root) => {
      const keys = (await listDocumentKeyRows(db)).map(toTrustedKey);
      return signTrustList({ ...header, keys }, root);
    },
    openTrustList,
  );
}

/** The signed revocation list of document serials. */
export function currentRevocationList(ctx: CentralContext): Promise<Published<RevocationList>> {
  return published(
    ctx,
    'REVOCATION_LIST',
    async (db, header, root) => {
      const entries: RevocationEntry[] = (await listRevokedSerialRows(db)).map((r) => ({
        ser: r.ser,
        revokedAt: unixSeconds(r.revoked_at),
        reason: r.reason as RevocationEntry['reason'],
        ...(r.superseded_by ? { supersededBy: r.superseded_by } : {}),
      }));
      return signRevocationList({ ...header, entries }, root);
    },
    openRevocationList,
  );
}
