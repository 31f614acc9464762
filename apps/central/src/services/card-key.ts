import type { Kysely } from 'kysely';
import { fromBase64Url, generateSigningKey, signingKeyFromPrivate, toBase64Url, type SigningKey } from '@tangguh/credential';
import { openSecretText, sealSecret } from '@tangguh/platform';
import type { CentralDb } from '../db/schema.ts';
import { insertSettingsIfAbsent, readSetting } from '../repositories/settings.ts';
import { findDocumentKey, insertDocumentKey, touchPublication } from '../repositories/trust.ts';

/** The signer's name in the trust list: the centre itself, not an office. */
export const CARD_SIGNER_ID = 'PUSAT';
export const CARD_SIGNER_NAME = 'Pusat Data Kependudukan — penanda tangan data cip KTP-el';
const CARD_KEY_SETTING = 'card_signing_private_key';
/**
 * Like a passport's document signer: it signs for a few years; what it signed stays verifiable because the
 * trust list keeps the key (a verifier checks the signing time against this window, not today).
 */
const CARD_KEY_VALIDITY_DAYS = 5 * 365;

const keys = new WeakMap<object, SigningKey>();

const readKey = (db: Kysely<CentralDb>) => readSetting(db, CARD_KEY_SETTING);

/**
 * On every start: the centre's card-signing key (Ed25519) exists, sealed under the master key like the
 * centre's other private keys, and the trust list certifies it for the purpose CARD. Made once; processes
 * starting together agree on the first one stored.
 */
export async function ensureCardSigningKey(db: Kysely<CentralDb>, now: Date = new Date()): Promise<SigningKey> {
  let stored = await readKey(db);
  if (!stored) {
    const fresh = generateSigningKey();
    await insertSettingsIfAbsent(db, [{ key: CARD_KEY_SETTING, value: sealSecret(toBase64Url(fresh.privateKey)) }]);
    stored = (await readKey(db))!;
  }
  const key = signingKeyFromPrivate(fromBase64Url(openSecretText(stored)));
  if (!(await findDocumentKey(db, key.kid))) {
    // Another process starting at the same moment may certify it first: its row is the same key's.
    await db.transaction().execute(async (trx) => {
      if (await findDocumentKey(trx, key.kid)) return;
      await insertDocumentKey(trx, {
        kid: key.kid,
        office_id: CARD_SIGNER_ID,
        office_name: CARD_SIGNER_NAME,
        purpose: 'CARD',
        public_key: toBase64Url(key.publicKey),
        not_before: now.toISOString(),
        not_after: new Date(now.getTime() + CARD_KEY_VALIDITY_DAYS * 86_400_000).toISOString(),
        certified_at: now.toISOString(),
        holder: null,
        revoked_at: null,
        revoke_reason: null,
      });
      await touchPublication(trx, 'TRUST_LIST');
    }).catch(async (error: unknown) => {
      if (!(await findDocumentKey(db, key.kid))) throw error;
    });
  }
  keys.set(db, key);
  return key;
}

export async function cardSigningKey(db: Kysely<CentralDb>): Promise<SigningKey> {
  return keys.get(db) ?? ensureCardSigningKey(db);
}
