import type { CentralDbOrTx } from '../db/schema.ts';
import { tteDb, type TteTables } from '../db/migrations-tte.ts';

/** The TTE service's own tables: each head's signing key held at the centre and the signatures it made. */

export type TteSignerRow = TteTables['tte_signers'];
export type TteSignatureRow = TteTables['tte_signatures'];
type FreshSignerKey = Pick<TteSignerRow, 'kid' | 'private_key' | 'public_key' | 'created_at' | 'certified_at'>;

export function findSigner(db: CentralDbOrTx, officeId: string, username: string): Promise<TteSignerRow | undefined> {
  return tteDb(db).selectFrom('tte_signers').selectAll().where('office_id', '=', officeId).where('username', '=', username).executeTakeFirst();
}

/** Adds a head's first key; when two requests race, the row that landed first stays. */
export async function insertSignerIfAbsent(db: CentralDbOrTx, row: TteSignerRow): Promise<void> {
  await tteDb(db).insertInto('tte_signers').values(row).onConflict((oc) => oc.columns(['office_id', 'username']).doNothing()).execute();
}

/** Replaces the head's key only while it is still `oldKid`: a racing request reads the replacement instead. */
export async function replaceSignerKey(db: CentralDbOrTx, officeId: string, username: string, oldKid: string, fresh: FreshSignerKey): Promise<void> {
  await tteDb(db).updateTable('tte_signers').set(fresh).where('office_id', '=', officeId).where('username', '=', username).where('kid', '=', oldKid).execute();
}

export async function renameSigner(db: CentralDbOrTx, kid: string, fullName: string): Promise<void> {
  await tteDb(db).updateTable('tte_signers').set({ full_name: fullName }).where('kid', '=', kid).execute();
}

export async function markSignerCertified(db: CentralDbOrTx, kid: string, at: string): Promise<void> {
  await tteDb(db).updateTable('tte_signers').set({ certified_at: at }).where('kid', '=', kid).execute();
}

export function listSignerPrivateKeys(db: CentralDbOrTx): Promise<Pick<TteSignerRow, 'kid' | 'private_key'>[]> {
  return tteDb(db).selectFrom('tte_signers').select(['kid', 'private_key']).execute();
}

/** Rewrites a signer's stored private key only while it is still the value read (sealing on open, from any process). */
export async function replaceSignerPrivateKeyIfUnchanged(db: CentralDbOrTx, kid: string, from: string, to: string): Promise<void> {
  await tteDb(db).updateTable('tte_signers').set({ private_key: to }).where('kid', '=', kid).where('private_key', '=', from).execute();
}

export async function signedDocumentIds(db: CentralDbOrTx, officeId: string, documentIds: string[]): Promise<Set<string>> {
  if (documentIds.length === 0) return new Set();
  const rows = await tteDb(db).selectFrom('tte_signatures').select('document_id').where('office_id', '=', officeId).where('document_id', 'in', documentIds).execute();
  return new Set(rows.map((r) => r.document_id));
}

/** Keeps the first signature of a document: a retried request never gets a second QR text. */
export async function insertSignaturesIfAbsent(db: CentralDbOrTx, rows: TteSignatureRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tteDb(db).insertInto('tte_signatures').values(rows).onConflict((oc) => oc.columns(['office_id', 'document_id']).doNothing()).execute();
}

export function listSignatures(db: CentralDbOrTx, officeId: string, documentIds: string[]): Promise<Pick<TteSignatureRow, 'document_id' | 'qr_text' | 'signed_at'>[]> {
  if (documentIds.length === 0) return Promise.resolve([]);
  return tteDb(db).selectFrom('tte_signatures').select(['document_id', 'qr_text', 'signed_at']).where('office_id', '=', officeId).where('document_id', 'in', documentIds).execute();
}
