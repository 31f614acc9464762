import type { Kysely, Transaction } from 'kysely';
import type { DialectName } from '@tangguh/platform';
import type { CentralDb } from '../db/schema.ts';
import { trustDb, type TrustTables } from '../db/migrations-trust.ts';

export type DbOrTx = Kysely<CentralDb> | Transaction<CentralDb>;
export type PublicationName = 'TRUST_LIST' | 'REVOCATION_LIST';
export type DocumentKeyRow = TrustTables['document_keys'];
export type RevokedSerialRow = TrustTables['revoked_serials'];
export type PublicationRow = TrustTables['trust_publications'];

const tdb = (db: DbOrTx) => trustDb(db as Kysely<CentralDb>);

export function findDocumentKey(db: DbOrTx, kid: string): Promise<DocumentKeyRow | undefined> {
  return tdb(db).selectFrom('document_keys').selectAll().where('kid', '=', kid).executeTakeFirst();
}

export function findDocumentKeyByPublicKey(db: DbOrTx, publicKey: string): Promise<DocumentKeyRow | undefined> {
  return tdb(db).selectFrom('document_keys').selectAll().where('public_key', '=', publicKey).executeTakeFirst();
}

export function listDocumentKeyRows(db: DbOrTx, filter: { officeId?: string } = {}): Promise<DocumentKeyRow[]> {
  let query = tdb(db).selectFrom('document_keys').selectAll().orderBy('office_id').orderBy('certified_at').orderBy('kid');
  if (filter.officeId) query = query.where('office_id', '=', filter.officeId);
  return query.execute();
}

export async function insertDocumentKey(db: DbOrTx, row: DocumentKeyRow): Promise<void> {
  await tdb(db).insertInto('document_keys').values(row).execute();
}

export async function markDocumentKeyRevoked(db: DbOrTx, kid: string, at: string, reason: string): Promise<void> {
  await tdb(db).updateTable('document_keys').set({ revoked_at: at, revoke_reason: reason }).where('kid', '=', kid).where('revoked_at', 'is', null).execute();
}

/** Adds a serial to the revocation list; false when it was already there (the first revocation stands). */
export async function insertRevokedSerial(db: DbOrTx, row: RevokedSerialRow): Promise<boolean> {
  const inserted = await tdb(db)
    .insertInto('revoked_serials')
    .values(row)
    .onConflict((oc) => oc.column('ser').doNothing())
    .returning('ser')
    .executeTakeFirst();
  return inserted !== undefined;
}

export function listRevokedSerialRows(db: DbOrTx): Promise<RevokedSerialRow[]> {
  return tdb(db).selectFrom('revoked_serials').selectAll().orderBy('recorded_at').orderBy('ser').execute();
}

/** Marks a published list as changed, in the caller's transaction; the next read rebuilds and re-signs it. */
export async function touchPublication(db: DbOrTx, name: PublicationName): Promise<void> {
  await tdb(db)
    .updateTable('trust_publications')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('name', '=', name)
    .execute();
}

export function readPublication(db: DbOrTx, name: PublicationName): Promise<PublicationRow | undefined> {
  return tdb(db).selectFrom('trust_publications').selectAll().where('name', '=', name).executeTakeFirst();
}

/** Reads the publication row locked (PostgreSQL), so two API processes never publish the same sequence twice. */
export function lockPublication(trx: Transaction<CentralDb>, dialect: DialectName, name: PublicationName): Promise<PublicationRow | undefined> {
  const query = trustDb(trx).selectFrom('trust_publications').selectAll().where('name', '=', name);
  return (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
}

export async function storePublication(trx: Transaction<CentralDb>, name: PublicationName, row: Pick<PublicationRow, 'built_version' | 'sequence' | 'issued_at' | 'signed'>): Promise<void> {
  await trustDb(trx).updateTable('trust_publications').set(row).where('name', '=', name).execute();
}
