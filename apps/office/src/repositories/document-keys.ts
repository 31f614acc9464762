import type { OfficeDbOrTx } from '../db/schema.ts';
import { withSuketTables as keys, type SuketTables } from '../db/migrations-suket.ts';

/**
 * The office's document-signing keys (Suket, TTE) through their life: PENDING until the centre certifies,
 * CERTIFIED until the signed trust list carries them, CURRENT while they sign, RETIRED after.
 */

export type DocumentKeyRow = SuketTables['document_signing_keys'];
type KeyState = DocumentKeyRow['state'];

export function listKeyRows(db: OfficeDbOrTx): Promise<DocumentKeyRow[]> {
  return keys(db).selectFrom('document_signing_keys').selectAll().orderBy('created_at').orderBy('kid').execute();
}

/** The key that signs for `purpose` now (the most recently certified, should there ever be two). */
export function findCurrentKey(db: OfficeDbOrTx, purpose: string): Promise<DocumentKeyRow | undefined> {
  return keys(db).selectFrom('document_signing_keys').selectAll().where('purpose', '=', purpose).where('state', '=', 'CURRENT').orderBy('certified_at', 'desc').executeTakeFirst();
}

/** A rotation under way for `purpose`: a key PENDING or CERTIFIED but not yet on the trust list. */
export function findWaitingKey(db: OfficeDbOrTx, purpose: string): Promise<DocumentKeyRow | undefined> {
  return keys(db).selectFrom('document_signing_keys').selectAll().where('purpose', '=', purpose).where('state', 'in', ['PENDING', 'CERTIFIED']).executeTakeFirst();
}

export function keysInState(db: OfficeDbOrTx, state: KeyState): Promise<DocumentKeyRow[]> {
  return keys(db).selectFrom('document_signing_keys').selectAll().where('state', '=', state).execute();
}

export async function insertKey(db: OfficeDbOrTx, row: DocumentKeyRow): Promise<void> {
  await keys(db).insertInto('document_signing_keys').values(row).execute();
}

/** Retires the current key of `purpose` (but not `keepKid`, when that key is being installed again). */
export async function retireCurrentKeys(db: OfficeDbOrTx, purpose: string, keepKid?: string): Promise<void> {
  let query = keys(db).updateTable('document_signing_keys').set({ state: 'RETIRED' }).where('purpose', '=', purpose).where('state', '=', 'CURRENT');
  if (keepKid !== undefined) query = query.where('kid', '!=', keepKid);
  await query.execute();
}

/** Stores a certified key as CURRENT; installing the same key again refreshes its validity and certification. */
export async function upsertCurrentKey(db: OfficeDbOrTx, row: DocumentKeyRow): Promise<void> {
  await keys(db)
    .insertInto('document_signing_keys')
    .values({ ...row, state: 'CURRENT' })
    .onConflict((oc) => oc.column('kid').doUpdateSet({ state: 'CURRENT', not_before: row.not_before, not_after: row.not_after, certified_at: row.certified_at }))
    .execute();
}

/** Records the centre's certificate, only for a key still PENDING. */
export async function markKeyCertified(db: OfficeDbOrTx, kid: string, certificate: { notBefore: string; notAfter: string; at: string }): Promise<void> {
  await keys(db)
    .updateTable('document_signing_keys')
    .set({ state: 'CERTIFIED', not_before: certificate.notBefore, not_after: certificate.notAfter, certified_at: certificate.at })
    .where('kid', '=', kid)
    .where('state', '=', 'PENDING')
    .execute();
}

export async function makeKeyCurrent(db: OfficeDbOrTx, kid: string): Promise<void> {
  await keys(db).updateTable('document_signing_keys').set({ state: 'CURRENT' }).where('kid', '=', kid).execute();
}

export function listKeyPrivateHalves(db: OfficeDbOrTx): Promise<Pick<DocumentKeyRow, 'kid' | 'private_key'>[]> {
  return keys(db).selectFrom('document_signing_keys').select(['kid', 'private_key']).execute();
}

/** Rewrites a stored private key only while it is still the value read (sealing on open, from any process). */
export async function replaceKeyPrivateHalfIfUnchanged(db: OfficeDbOrTx, kid: string, from: string, to: string): Promise<void> {
  await keys(db).updateTable('document_signing_keys').set({ private_key: to }).where('kid', '=', kid).where('private_key', '=', from).execute();
}
