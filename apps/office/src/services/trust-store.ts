import {
  fromBase64Url,
  openRevocationList,
  openTrustList,
  verifyCredential,
  type RevocationEntry,
  type RevocationList,
  type TrustList,
  type VerificationResult,
} from '@tangguh/credential';
import { DomainError } from '@tangguh/domain';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import type { TrustListName } from '../db/migrations-suket.ts';
import { supersededSignedDocuments } from '../repositories/documents.ts';
import { insertSettings, readSetting } from '../repositories/settings.ts';
import { revokedSuketRows } from '../repositories/sukets.ts';
import { findCachedList, storeCachedList, touchCachedList } from '../repositories/trust-cache.ts';

const ROOT_KID = 'trust_root_kid';
const ROOT_PUBLIC_KEY = 'trust_root_public_key';

export interface TrustRoot {
  kid: string;
  /** Ed25519, base64url. */
  publicKey: string;
}

/**
 * Pins the centre's root key in the office, at provisioning only: the office never takes its trust
 * anchor from the network. Pinning the same root again is a no-op; a different one is refused.
 */
export async function pinTrustRoot(db: OfficeDbOrTx, root: TrustRoot): Promise<void> {
  const pinned = await pinnedTrustRoot(db);
  if (pinned) {
    if (pinned.publicKey !== root.publicKey) throw new Error(`this office already trusts another root (${pinned.kid}); refusing to re-pin to ${root.kid}`);
    return;
  }
  await insertSettings(db, [
    { key: ROOT_KID, value: root.kid },
    { key: ROOT_PUBLIC_KEY, value: root.publicKey },
  ]);
}

export async function pinnedTrustRoot(db: OfficeDbOrTx): Promise<TrustRoot | undefined> {
  const [kid, publicKey] = await Promise.all([readSetting(db, ROOT_KID), readSetting(db, ROOT_PUBLIC_KEY)]);
  return kid && publicKey ? { kid, publicKey } : undefined;
}

export interface CachedList {
  name: TrustListName;
  signed: string;
  sequence: number;
  issuedAt: string;
  fetchedAt: string;
}

export async function cachedList(db: OfficeDbOrTx, name: TrustListName): Promise<CachedList | undefined> {
  const row = await findCachedList(db, name);
  return row && { name: row.name, signed: row.signed, sequence: Number(row.sequence), issuedAt: row.issued_at, fetchedAt: row.fetched_at };
}

function openWith(name: TrustListName, signed: string, root: TrustRoot): TrustList | RevocationList {
  const rootKey = fromBase64Url(root.publicKey);
  return name === 'TRUST_LIST' ? openTrustList(signed, rootKey) : openRevocationList(signed, rootKey);
}

/**
 * Stores a list fetched from the centre after checking it against the pinned root; throws (storing
 * nothing) for a list the root did not sign or one older than what we hold (a replayed old list).
 */
export async function storeSignedList(db: OfficeDbOrTx, name: TrustListName, signed: string, fetchedAt: string): Promise<{ sequence: number; changed: boolean }> {
  const root = await pinnedTrustRoot(db);
  if (!root) throw new Error('no trust root pinned in this office; provision the office first');
  const list = openWith(name, signed, root);
  const held = await cachedList(db, name);
  if (held && list.sequence < held.sequence) throw new Error(`${name} sequence ${list.sequence} is older than the ${held.sequence} held; not stored`);
  const row = { name, signed, sequence: list.sequence, issued_at: new Date(list.issuedAt * 1000).toISOString(), fetched_at: fetchedAt };
  await storeCachedList(db, row);
  return { sequence: list.sequence, changed: held?.signed !== signed };
}

/** The centre said our copy is still current (304): only the time we last confirmed it moves. */
export async function confirmListFresh(db: OfficeDbOrTx, name: TrustListName, fetchedAt: string): Promise<void> {
  await touchCachedList(db, name, fetchedAt);
}

/** Opened lists by name and root, kept while the signed text is unchanged (opening a long list costs a signature check and a parse). */
const opened = new Map<string, { signed: string; list: TrustList | RevocationList }>();

async function openCached(db: OfficeDbOrTx, name: TrustListName): Promise<{ list: TrustList | RevocationList; row: CachedList } | undefined> {
  const [row, root] = await Promise.all([cachedList(db, name), pinnedTrustRoot(db)]);
  if (!row || !root) return undefined;
  const key = `${name}:${root.publicKey}`;
  const hit = opened.get(key);
  if (hit && hit.signed === row.signed) return { list: hit.list, row };
  const list = openWith(name, row.signed, root);
  opened.set(key, { signed: row.signed, list });
  return { list, row };
}

export async function cachedTrustList(db: OfficeDbOrTx): Promise<TrustList | undefined> {
  return (await openCached(db, 'TRUST_LIST'))?.list as TrustList | undefined;
}

/** The centre's revocation list as last fetched, without this office's own additions. */
export async function cachedRevocationList(db: OfficeDbOrTx): Promise<RevocationList | undefined> {
  return (await openCached(db, 'REVOCATION_LIST'))?.list as RevocationList | undefined;
}

export interface OfficeLists {
  trust: TrustList;
  /** The centre's list with this office's own revocations the centre has not listed yet. */
  revocations: RevocationList;
  fetchedAt: { trustList: string; revocationList: string };
}

const toUnix = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/**
 * Every serial this office itself withdrew: its revoked and superseded Sukets, and its signed documents
 * a newer version superseded. Revocations are final, so the list only grows.
 */
export async function ownRevocations(db: OfficeDbOrTx): Promise<RevocationEntry[]> {
  const [sukets, documents] = await Promise.all([
    revokedSuketRows(db),
    supersededSignedDocuments(db),
  ]);
  return [
    ...sukets.map((s) => ({
      ser: s.serial,
      revokedAt: toUnix(s.revoked_at!),
      reason: (s.revoke_reason ?? 'OTHER') as RevocationEntry['reason'],
      ...(s.superseded_by ? { supersededBy: s.superseded_by } : {}),
    })),
    ...documents.map((d) => ({ ser: d.serial, revokedAt: toUnix(d.status_at), reason: 'SUPERSEDED' as const, ...(d.superseded_by ? { supersededBy: d.superseded_by } : {}) })),
  ];
}

/** The lists the office verifies against; undefined when the office has never held them. */
export async function officeLists(db: OfficeDbOrTx): Promise<OfficeLists | undefined> {
  const [trust, revocations] = await Promise.all([openCached(db, 'TRUST_LIST'), openCached(db, 'REVOCATION_LIST')]);
  if (!trust || !revocations) return undefined;
  const central = revocations.list as RevocationList;
  const listed = new Set(central.entries.map((e) => e.ser));
  const extra = (await ownRevocations(db)).filter((e) => !listed.has(e.ser));
  return {
    trust: trust.list as TrustList,
    revocations: extra.length === 0 ? central : { ...central, entries: [...central.entries, ...extra] },
    fetchedAt: { trustList: trust.row.fetchedAt, revocationList: revocations.row.fetchedAt },
  };
}

export const listsMissing = () =>
  new DomainError(
    'TRUST_LISTS_MISSING',
    {
      id: 'Kantor ini belum pernah menerima daftar kunci dan daftar pencabutan dari pusat, sehingga belum dapat memeriksa dokumen. Coba lagi setelah kantor tersambung ke pusat.',
      en: 'This office has never received the trust and revocation lists from the centre, so it cannot check documents yet. Try again once the office has reached the centre.',
    },
    'unavailable',
  );

export type OfficeVerification = VerificationResult & { listsFetchedAt: OfficeLists['fetchedAt'] };

/** Verifies a credential text against the office's cached lists and its own not-yet-listed revocations. */
export async function verifyAtOffice(ctx: Pick<OfficeContext, 'db' | 'now'>, text: string): Promise<OfficeVerification> {
  const lists = await officeLists(ctx.db);
  if (!lists) throw listsMissing();
  const result = verifyCredential(text, { trust: lists.trust, revocations: lists.revocations, now: Math.floor(ctx.now().getTime() / 1000) });
  return { ...result, listsFetchedAt: lists.fetchedAt };
}
