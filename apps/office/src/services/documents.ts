import { randomUUID } from 'node:crypto';
import { DomainError, acceptNik, zonedDayKey } from '@tangguh/domain';
import type { TteEnrolment, TteEnrolmentStatus, TteEnrolRequest, TteSignRequest, TteSignResponse } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import type { DocumentStatus } from '../db/migrations-documents.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { enqueueOfficeEvent } from '../repositories/outbox.ts';
import { findDocument, findDocumentType, insertDocument, insertDocumentType, markSuperseded, olderVersions, type DocumentFieldDef, type DocumentRow } from '../repositories/documents.ts';
import { nextDailySerial } from '../repositories/counters.ts';
import { pickupEstimate, type PickupEstimate } from './pickup-estimate.ts';
import { currentTteState, type TteState } from './tte-status.ts';

/**
 * What the office needs of the centre to sign: the TTE calls of the CentralClient (or none when not
 * configured). Signing itself is in document-signing.ts.
 */
export type TteSigner = {
  tteSign(request: TteSignRequest): Promise<TteSignResponse>;
  tteEnrol(request: TteEnrolRequest): Promise<TteEnrolment>;
  tteEnrolmentStatus(username: string): Promise<TteEnrolmentStatus>;
};

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
  const inserted = await insertDocumentType(ctx.db, { code: props.code, name: props.name, fields: JSON.stringify(props.fields), created_at: ctx.now().toISOString(), created_by: props.admin.username });
  if (!inserted) {
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
    await markSuperseded(trx, old.id, newer.serial, at);
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
    await insertDocument(trx, {
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
    });
    await supersede(trx, await olderVersions(trx, row, ['AWAITING_SIGNATURE']), { serial }, at);
  });
  return viewOf(ctx, id);
}

export async function viewOf(ctx: OfficeContext, id: string): Promise<DocumentView> {
  const row = await findDocument(ctx.db, id);
  if (!row) throw documentNotFound();
  return presentDocument(row, await currentTteState(ctx), ctx.now(), ctx.office.timeZone);
}
