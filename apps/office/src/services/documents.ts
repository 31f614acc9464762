import { randomUUID } from 'node:crypto';
import { DomainError, acceptNik, formatZoned, zonedDayKey, type Bilingual } from '@tangguh/domain';
import { TTE_BATCH_MAX, type TteSignRequest, type TteSignResponse } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import type { DocumentStatus } from '../db/migrations-documents.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { enqueueOfficeEvent } from '../repositories/outbox.ts';
import { docs, findDocument, findDocumentType, listDocuments, olderVersions, type DocumentFieldDef, type DocumentRow } from '../repositories/documents.ts';
import { nextDailySerial } from '../repositories/counters.ts';
import { pickupEstimate, type PickupEstimate } from './pickup-estimate.ts';
import { currentTteState, observeTte, tteFailure, type TteState } from './tte-status.ts';

/** What the office needs of the centre to sign: the TTE call of the CentralClient (or none when not configured). */
export type TteSigner = { tteSign(request: TteSignRequest): Promise<TteSignResponse> };

export interface DocumentView {
  id: string;
  serial: string;
  type: string;
  typeName: string;
  nomor: string;
  nik: string;
  name: string;
  fields: Record<string, string>;
  status: DocumentStatus;
  statusAt: string;
  createdAt: string;
  createdBy: string;
  signature: { kind: 'TTE' | 'WET'; at: string; by: string; byName: string; reason: string | null } | null;
  qrText: string | null;
  supersededBy: string | null;
  pickup: PickupEstimate;
}

/** The presenter: what a client sees of a document, with its honest pickup estimate in the office's zone. */
export function presentDocument(row: DocumentRow, tte: TteState, now: Date, timeZone: string): DocumentView {
  return {
    id: row.id,
    serial: row.serial,
    type: row.type,
    typeName: row.type_name,
    nomor: row.nomor,
    nik: row.nik,
    name: row.full_name,
    fields: JSON.parse(row.fields) as Record<string, string>,
    status: row.status,
    statusAt: row.status_at,
    createdAt: row.created_at,
    createdBy: row.created_by,
    signature:
      row.signature_kind && row.signed_at
        ? { kind: row.signature_kind, at: row.signed_at, by: row.signed_by ?? '', byName: row.signed_by_name ?? '', reason: row.wet_reason }
        : null,
    qrText: row.qr_text,
    supersededBy: row.superseded_by,
    pickup: pickupEstimate({ status: row.status, supersededBy: row.superseded_by }, tte, now, timeZone),
  };
}

export const documentNotFound = () => new DomainError('DOCUMENT_NOT_FOUND', { id: 'Dokumen tidak ditemukan.', en: 'Document not found.' }, 'not_found');

export interface AddDocumentTypeProps {
  code: string;
  name: string;
  fields: DocumentFieldDef[];
  admin: OfficeUser;
}

export async function addDocumentType(ctx: OfficeContext, props: AddDocumentTypeProps): Promise<void> {
  const inserted = await docs(ctx.db)
    .insertInto('document_types')
    .values({ code: props.code, name: props.name, fields: JSON.stringify(props.fields), created_at: ctx.now().toISOString(), created_by: props.admin.username })
    .onConflict((oc) => oc.column('code').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
    throw new DomainError('DOCUMENT_TYPE_EXISTS', { id: `Jenis dokumen ${props.code} sudah ada.`, en: `Document type ${props.code} already exists.` }, 'conflict');
  }
}

export interface CreateDocumentProps {
  type: string;
  nik: string;
  name: string;
  /** The document's own number (nomor KK, nomor akta). */
  nomor: string;
  fields: Record<string, string>;
  operator: OfficeUser;
}

/** Marks `older` superseded by `newer` and tells the centre, which puts the old serial on the revocation list. */
export async function supersede(trx: OfficeDbOrTx, older: { id: string; serial: string }[], newer: { serial: string }, at: string): Promise<void> {
  for (const old of older) {
    await docs(trx).updateTable('documents').set({ status: 'SUPERSEDED', status_at: at, superseded_by: newer.serial }).where('id', '=', old.id).execute();
    await enqueueOfficeEvent(trx, { kind: 'document.superseded', subjectId: old.serial, payload: { ser: old.serial, supersededBy: newer.serial }, at });
  }
}

/**
 * Registers a document for signature. It waits as AWAITING_SIGNATURE at once, without asking the centre;
 * an unsigned earlier draft of the same type and number is superseded by it.
 */
export async function createDocument(ctx: OfficeContext, props: CreateDocumentProps): Promise<DocumentView> {
  const type = await findDocumentType(ctx.db, props.type);
  if (!type) {
    throw new DomainError('DOCUMENT_TYPE_UNKNOWN', { id: `Jenis dokumen ${props.type} tidak dikenal.`, en: `Unknown document type ${props.type}.` }, 'invalid', [
      { field: 'type', code: 'DOCUMENT_TYPE_UNKNOWN', messages: { id: 'Pilih jenis dokumen yang tersedia.', en: 'Choose one of the document types offered.' } },
    ]);
  }
  const now = ctx.now();
  // The same NIK rules as everywhere a NIK is accepted: shape, birth date, serial and a real province.
  acceptNik(props.nik, ctx.regions, now, ctx.office.timeZone);
  const at = now.toISOString();
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    const day = zonedDayKey(now, ctx.office.timeZone);
    const serial = `${ctx.office.id}-DOK-${day}-${String(await nextDailySerial(trx, 'docser', day)).padStart(6, '0')}`;
    const row = { id, type: type.code, nomor: props.nomor, created_at: at };
    await docs(trx)
      .insertInto('documents')
      .values({
        ...row,
        serial,
        nik: props.nik,
        full_name: props.name,
        fields: JSON.stringify(props.fields),
        status: 'AWAITING_SIGNATURE',
        status_at: at,
        site_id: props.operator.siteId,
        created_by: props.operator.username,
        signature_kind: null,
        signed_at: null,
        signed_by: null,
        signed_by_name: null,
        qr_text: null,
        wet_reason: null,
        superseded_by: null,
      })
      .execute();
    await supersede(trx, await olderVersions(trx, row, ['AWAITING_SIGNATURE']), { serial }, at);
  });
  return viewOf(ctx, id);
}

export async function viewOf(ctx: OfficeContext, id: string): Promise<DocumentView> {
  const row = await findDocument(ctx.db, id);
  if (!row) throw documentNotFound();
  return presentDocument(row, await currentTteState(ctx), ctx.now(), ctx.office.timeZone);
}

/** The QR's claims: short, so the code stays small enough to scan; the paper carries the rest. */
function claimsOf(ctx: OfficeContext, row: DocumentRow): TteSignRequest['documents'][number]['claims'] {
  return { typ: row.type, ser: row.serial, iss: ctx.office.id, sub: { nomor: row.nomor, nik: row.nik, nama: row.full_name } };
}

const tteUnavailable = (state: TteState, timeZone: string): DomainError => {
  const since = state.since ? ` sejak ${formatZoned(state.since, timeZone, 'id')}` : '';
  const sinceEn = state.since ? ` since ${formatZoned(state.since, timeZone, 'en')}` : '';
  const messages: Bilingual =
    state.reason === 'CENTRE_UNREACHABLE'
      ? { id: `Pusat tidak dapat dihubungi${since}; dokumen tetap menunggu tanda tangan, tidak ada yang berubah.`, en: `The centre cannot be reached${sinceEn}; the documents keep waiting for signature, nothing was changed.` }
      : { id: `Layanan TTE pusat sedang gangguan${since}; dokumen tetap menunggu tanda tangan, tidak ada yang berubah.`, en: `The centre's TTE service is down${sinceEn}; the documents keep waiting for signature, nothing was changed.` };
  return new DomainError('TTE_UNAVAILABLE', messages, 'unavailable');
};

export interface SignResult {
  signed: number;
  /** Still AWAITING_SIGNATURE among those asked for (an outage that began part-way through a long run). */
  remaining: number;
  error: { code: string; messages: Bilingual } | null;
}

/**
 * The head signs the waiting documents (all, or the ones named) through the centre's TTE, in batches.
 * Each batch commits on its own, with one `document.signed` outbox event per document: a document is
 * either signed with its QR or still waiting, never in between. If the service is down before anything
 * was signed, TTE_UNAVAILABLE and nothing changed.
 */
export async function signWaitingDocuments(ctx: OfficeContext, signer: TteSigner | undefined, head: OfficeUser, ids?: string[]): Promise<SignResult> {
  const waiting = await listDocuments(ctx.db, { status: 'AWAITING_SIGNATURE', ids, limit: 100_000, oldestFirst: true });
  if (waiting.length === 0) return { signed: 0, remaining: 0, error: null };
  if (!signer) {
    throw new DomainError('TTE_NOT_CONFIGURED', { id: 'Kantor ini tidak terhubung ke layanan TTE pusat.', en: 'This office is not connected to the centre’s TTE service.' }, 'unavailable');
  }
  let signed = 0;
  for (let start = 0; start < waiting.length; start += TTE_BATCH_MAX) {
    const batch = waiting.slice(start, start + TTE_BATCH_MAX);
    let response: TteSignResponse;
    try {
      response = await signer.tteSign({ documents: batch.map((row) => ({ documentId: row.id, claims: claimsOf(ctx, row) })), signer: { username: head.username, fullName: head.fullName } });
    } catch (error) {
      const failure = tteFailure(error);
      if (!failure) throw error;
      const state = await observeTte(ctx, { available: false, ...failure });
      const refused = tteUnavailable(state, ctx.office.timeZone);
      if (signed === 0) throw refused;
      return { signed, remaining: waiting.length - signed, error: { code: refused.code, messages: refused.messages } };
    }
    await observeTte(ctx, { available: true, since: null });
    signed += await recordSignatures(ctx, batch, response, head);
  }
  return { signed, remaining: waiting.length - signed, error: null };
}

async function recordSignatures(ctx: OfficeContext, batch: DocumentRow[], response: TteSignResponse, head: OfficeUser): Promise<number> {
  const rows = new Map(batch.map((row) => [row.id, row]));
  return ctx.db.transaction().execute(async (trx) => {
    let count = 0;
    for (const item of response.signed) {
      const row = rows.get(item.documentId);
      if (!row) continue;
      // Only a document still waiting: a second head clicking at the same time signs nothing twice.
      const updated = await docs(trx)
        .updateTable('documents')
        .set({ status: 'SIGNED', status_at: item.signedAt, signature_kind: 'TTE', signed_at: item.signedAt, signed_by: head.username, signed_by_name: head.fullName, qr_text: item.qrText })
        .where('id', '=', row.id)
        .where('status', '=', 'AWAITING_SIGNATURE')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) continue;
      count += 1;
      await enqueueOfficeEvent(trx, {
        kind: 'document.signed',
        subjectId: row.serial,
        payload: { ser: row.serial, documentId: row.id, type: row.type, nomor: row.nomor, signedAt: item.signedAt, signedBy: head.username, signedByName: head.fullName },
        at: item.signedAt,
      });
      await supersede(trx, await olderVersions(trx, row, ['SIGNED', 'WET_SIGNED']), row, item.signedAt);
    }
    return count;
  });
}
