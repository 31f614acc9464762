import { fromBase64Url, generateSigningKey, signingKeyFromPrivate, toBase64Url, type SigningKey, type TrustList, type TrustedKey } from '@tangguh/credential';
import { DomainError } from '@tangguh/domain';
import { openSecretText, sealSecret } from '@tangguh/platform';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import {
  findCurrentKey, findWaitingKey, insertKey, keysInState, listKeyRows, makeKeyCurrent, markKeyCertified, retireCurrentKeys, upsertCurrentKey, type DocumentKeyRow,
} from '../repositories/document-keys.ts';

export type DocumentKeyPurpose = 'SUKET' | 'TTE';
type KeyRow = DocumentKeyRow;

const fromUnix = (seconds: number) => new Date(seconds * 1000).toISOString();

/** A key without its private half, for screens and logs. */
export interface DocumentKeyInfo {
  kid: string;
  purpose: string;
  state: KeyRow['state'];
  publicKey: string;
  notBefore: string | null;
  notAfter: string | null;
  createdAt: string;
  certifiedAt: string | null;
}

const info = (row: KeyRow): DocumentKeyInfo => ({
  kid: row.kid,
  purpose: row.purpose,
  state: row.state,
  publicKey: row.public_key,
  notBefore: row.not_before,
  notAfter: row.not_after,
  createdAt: row.created_at,
  certifiedAt: row.certified_at,
});

export async function listDocumentKeys(db: OfficeDbOrTx): Promise<DocumentKeyInfo[]> {
  return (await listKeyRows(db)).map(info);
}

/**
 * Stores a key the centre has certified (at provisioning, the centre and the office side by side) as the
 * current key for its purpose; any earlier current key is retired, still valid for what it signed.
 */
export async function installCertifiedKey(db: OfficeDbOrTx, key: SigningKey, entry: TrustedKey, at: string): Promise<void> {
  await retireCurrentKeys(db, entry.purpose, key.kid);
  await upsertCurrentKey(db, {
    kid: key.kid,
    purpose: entry.purpose,
    private_key: sealSecret(toBase64Url(key.privateKey)),
    public_key: toBase64Url(key.publicKey),
    state: 'CURRENT',
    not_before: fromUnix(entry.notBefore),
    not_after: fromUnix(entry.notAfter),
    created_at: at,
    certified_at: at,
  });
}

export const noSigningKey = () =>
  new DomainError(
    'SUKET_KEY_MISSING',
    {
      id: 'Kantor belum memiliki kunci tanda tangan Suket yang disertifikasi pusat. Hubungi admin: kunci dibuat saat penyiapan kantor atau rotasi kunci.',
      en: 'This office has no document-signing key certified by the centre. Ask the admin: the key is made when the office is provisioned or the key is rotated.',
    },
    'unavailable',
  );

/** The key that signs new documents of this purpose now; throws when there is none or it has run out. */
export async function currentSigningKey(ctx: Pick<OfficeContext, 'db' | 'now'>, purpose: DocumentKeyPurpose, db: OfficeDbOrTx = ctx.db): Promise<SigningKey> {
  const row = await findCurrentKey(db, purpose);
  if (!row) throw noSigningKey();
  const now = ctx.now().toISOString();
  if ((row.not_after && row.not_after <= now) || (row.not_before && row.not_before > now)) {
    throw new DomainError(
      'SUKET_KEY_EXPIRED',
      {
        id: `Masa berlaku kunci tanda tangan kantor (${row.kid}) sudah habis atau belum mulai. Kunci baru dibuat otomatis dan disertifikasi saat tersambung ke pusat.`,
        en: `The office's signing key (${row.kid}) is outside its validity. A new key is made automatically and certified when the centre is reachable.`,
      },
      'unavailable',
    );
  }
  return signingKeyFromPrivate(fromBase64Url(openSecretText(row.private_key)));
}

/**
 * Starts a key rotation: a new key waits as PENDING until the sync worker has it certified over the
 * signed channel and the signed trust list carries it; until then the current key keeps signing.
 * Asking again while one is pending returns the pending one.
 */
export async function requestKeyRotation(ctx: Pick<OfficeContext, 'db' | 'now'>, purpose: DocumentKeyPurpose): Promise<DocumentKeyInfo> {
  return ctx.db.transaction().execute(async (trx) => {
    const waiting = await findWaitingKey(trx, purpose);
    if (waiting) return info(waiting);
    const key = generateSigningKey();
    const row: KeyRow = {
      kid: key.kid,
      purpose,
      private_key: sealSecret(toBase64Url(key.privateKey)),
      public_key: toBase64Url(key.publicKey),
      state: 'PENDING',
      not_before: null,
      not_after: null,
      created_at: ctx.now().toISOString(),
      certified_at: null,
    };
    await insertKey(trx, row);
    return info(row);
  });
}

export async function pendingKeys(db: OfficeDbOrTx): Promise<KeyRow[]> {
  return keysInState(db, 'PENDING');
}

/** Records the centre's certificate for a pending key. */
export async function markCertified(db: OfficeDbOrTx, kid: string, entry: TrustedKey, at: string): Promise<void> {
  await markKeyCertified(db, kid, { notBefore: fromUnix(entry.notBefore), notAfter: fromUnix(entry.notAfter), at });
}

/**
 * A certified key becomes the signing key once the signed trust list we hold carries it, so every
 * document the office signs verifies against the office's own cached lists from its first minute.
 */
export async function promoteListedKeys(db: OfficeDbOrTx, trust: TrustList): Promise<string[]> {
  const listed = new Map(trust.keys.map((k) => [k.kid, k]));
  const certified = await keysInState(db, 'CERTIFIED');
  const promoted: string[] = [];
  for (const row of certified) {
    const entry = listed.get(row.kid);
    if (!entry || entry.revokedAt !== undefined) continue;
    await retireCurrentKeys(db, row.purpose);
    await makeKeyCurrent(db, row.kid);
    promoted.push(row.kid);
  }
  return promoted;
}

/**
 * Whether the current key should be replaced now: it has less time left than a document it signs today
 * is meant to be checked for (the Suket's validity plus a month's margin), or the centre revoked it.
 */
export async function needsRotation(ctx: Pick<OfficeContext, 'db' | 'now'>, purpose: DocumentKeyPurpose, trust: TrustList | undefined, marginMonths: number): Promise<boolean> {
  if (await findWaitingKey(ctx.db, purpose)) return false;
  const current = await findCurrentKey(ctx.db, purpose);
  if (!current) return false; // never provisioned: rotation is not how an office gets its first key
  if (trust?.keys.find((k) => k.kid === current.kid)?.revokedAt !== undefined) return true;
  if (!current.not_after) return false;
  const horizon = new Date(ctx.now());
  horizon.setUTCMonth(horizon.getUTCMonth() + marginMonths);
  return current.not_after <= horizon.toISOString();
}
