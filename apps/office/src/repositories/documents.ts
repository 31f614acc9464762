import type { Kysely, Selectable } from 'kysely';
import type { DocumentStatus, DocumentTables, DocumentsDb } from '../db/migrations-documents.ts';
import type { OfficeDb, OfficeDbOrTx } from '../db/schema.ts';
import { documentVisible, type Visibility } from './visibility.ts';

export type DocumentRow = Selectable<DocumentTables['documents']> & { type_name: string };
export type AuditRow = Selectable<DocumentTables['signature_audit']> & { document_serial: string | null };

export interface DocumentFieldDef {
  key: string;
  label: string;
}

export interface DocumentType {
  code: string;
  name: string;
  fields: DocumentFieldDef[];
}

/** The database (or the caller's transaction: withTables keeps it) seen with the document tables. */
export const docs = (db: OfficeDbOrTx): Kysely<DocumentsDb> => (db as Kysely<OfficeDb>).withTables<DocumentTables>();

export async function listDocumentTypes(db: OfficeDbOrTx): Promise<DocumentType[]> {
  const rows = await docs(db).selectFrom('document_types').select(['code', 'name', 'fields']).orderBy('created_at').orderBy('code').execute();
  return rows.map((r) => ({ code: r.code, name: r.name, fields: JSON.parse(r.fields) as DocumentFieldDef[] }));
}

export async function findDocumentType(db: OfficeDbOrTx, code: string): Promise<DocumentType | undefined> {
  const row = await docs(db).selectFrom('document_types').select(['code', 'name', 'fields']).where('code', '=', code).executeTakeFirst();
  return row ? { code: row.code, name: row.name, fields: JSON.parse(row.fields) as DocumentFieldDef[] } : undefined;
}

function documentQuery(db: OfficeDbOrTx) {
  return docs(db).selectFrom('documents').innerJoin('document_types', 'document_types.code', 'documents.type').selectAll('documents').select('document_types.name as type_name');
}

/** `visibility`, when given, hides what that person may not see (repositories/visibility.ts). */
export function findDocument(db: OfficeDbOrTx, id: string, visibility: Visibility = { scope: 'all' }): Promise<DocumentRow | undefined> {
  return documentQuery(db).where('documents.id', '=', id).where((eb) => documentVisible(eb, visibility)).executeTakeFirst();
}

export function listDocuments(
  db: OfficeDbOrTx,
  query: { status?: DocumentStatus; ids?: string[]; limit: number; oldestFirst?: boolean; visibility?: Visibility },
): Promise<DocumentRow[]> {
  let q = documentQuery(db);
  const { visibility } = query;
  if (visibility && visibility.scope !== 'all') q = q.where((eb) => documentVisible(eb, visibility));
  if (query.status) q = q.where('documents.status', '=', query.status);
  if (query.ids) q = q.where('documents.id', 'in', query.ids.length > 0 ? query.ids : ['']);
  const direction = query.oldestFirst ? 'asc' : 'desc';
  return q.orderBy('documents.created_at', direction).orderBy('documents.serial', direction).limit(query.limit).execute();
}

export async function countDocumentsByStatus(db: OfficeDbOrTx): Promise<Record<string, number>> {
  const rows = await docs(db)
    .selectFrom('documents')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/**
 * The same type and number's earlier documents that a newer one replaces. `statuses` says which: at
 * creation only unsigned drafts; once the newer one is signed, the signed ones too.
 */
export function olderVersions(db: OfficeDbOrTx, newer: { id: string; type: string; nomor: string; created_at: string }, statuses: DocumentStatus[]) {
  return docs(db)
    .selectFrom('documents')
    .select(['id', 'serial', 'status'])
    .where('type', '=', newer.type)
    .where('nomor', '=', newer.nomor)
    .where('id', '!=', newer.id)
    .where('created_at', '<=', newer.created_at)
    .where('status', 'in', statuses)
    .execute();
}

export async function getPolicy(db: OfficeDbOrTx, key: string) {
  return docs(db).selectFrom('office_policies').selectAll().where('key', '=', key).executeTakeFirst();
}

export function listAudit(db: OfficeDbOrTx, limit: number): Promise<AuditRow[]> {
  return docs(db)
    .selectFrom('signature_audit')
    .leftJoin('documents', 'documents.id', 'signature_audit.document_id')
    .selectAll('signature_audit')
    .select('documents.serial as document_serial')
    .orderBy('signature_audit.id', 'desc')
    .limit(limit)
    .execute();
}

type DocumentsTable = DocumentTables['documents'];
type NewAuditEntry = Omit<DocumentTables['signature_audit'], 'id'>;

/** Adds a document type; false when the code is taken (the first definition stands). */
export async function insertDocumentType(db: OfficeDbOrTx, row: DocumentTables['document_types']): Promise<boolean> {
  const inserted = await docs(db).insertInto('document_types').values(row).onConflict((oc) => oc.column('code').doNothing()).executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function insertDocument(db: OfficeDbOrTx, row: DocumentsTable): Promise<void> {
  await docs(db).insertInto('documents').values(row).execute();
}

export async function markSuperseded(db: OfficeDbOrTx, id: string, bySerial: string, at: string): Promise<void> {
  await docs(db).updateTable('documents').set({ status: 'SUPERSEDED', status_at: at, superseded_by: bySerial }).where('id', '=', id).execute();
}

/** Stores the centre's TTE signature only on a document still waiting; false when another request signed it first. */
export async function markTteSigned(db: OfficeDbOrTx, id: string, signature: { at: string; by: string; byName: string; qrText: string }): Promise<boolean> {
  const updated = await docs(db)
    .updateTable('documents')
    .set({ status: 'SIGNED', status_at: signature.at, signature_kind: 'TTE', signed_at: signature.at, signed_by: signature.by, signed_by_name: signature.byName, qr_text: signature.qrText })
    .where('id', '=', id)
    .where('status', '=', 'AWAITING_SIGNATURE')
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

export async function markWetSigned(db: OfficeDbOrTx, id: string, signature: { at: string; by: string; byName: string; reason: string }): Promise<void> {
  await docs(db)
    .updateTable('documents')
    .set({ status: 'WET_SIGNED', status_at: signature.at, signature_kind: 'WET', signed_at: signature.at, signed_by: signature.by, signed_by_name: signature.byName, wet_reason: signature.reason })
    .where('id', '=', id)
    .execute();
}

export async function setPolicy(db: OfficeDbOrTx, row: DocumentTables['office_policies']): Promise<void> {
  const { key: _key, ...change } = row;
  await docs(db).insertInto('office_policies').values(row).onConflict((oc) => oc.column('key').doUpdateSet(change)).execute();
}

/** Appends to the signature audit and returns the entry's id. */
export async function appendSignatureAudit(db: OfficeDbOrTx, entry: NewAuditEntry): Promise<number> {
  const row = await docs(db).insertInto('signature_audit').values(entry).returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Signed documents a newer version superseded: the office's own revocation list carries their serials. */
export function supersededSignedDocuments(db: OfficeDbOrTx) {
  return docs(db).selectFrom('documents').select(['serial', 'status_at', 'superseded_by']).where('status', '=', 'SUPERSEDED').where('qr_text', 'is not', null).orderBy('serial').execute();
}
