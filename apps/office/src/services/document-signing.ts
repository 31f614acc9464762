import { randomBytes } from 'node:crypto';
import { DomainError, formatZoned, type Bilingual } from '@tangguh/domain';
import { TTE_BATCH_MAX, tteChallengeText, type SignChallenge, type SignRequest, type TteEnrolment, type TteEnrolmentStatus, type TteSignRequest, type TteSignResponse } from '@tangguh/protocol';
import { tteClaimsDigest } from '@tangguh/protocol/node';
import type { OfficeContext } from '../context.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { enqueueOfficeEvent } from '../repositories/outbox.ts';
import { listDocuments, markTteSigned, olderVersions, type DocumentRow } from '../repositories/documents.ts';
import { CentralUnavailable } from './central-client.ts';
import { supersede, type TteSigner } from './documents.ts';
import { observeTte, tteFailure, type TteState } from './tte-status.ts';

/**
 * The head signs waiting documents through the centre's TTE, one batch at a time. The office prepares a
 * batch and its challenge; the head's browser signs the challenge with the head's personal key (enrolled
 * at the centre and approved there); the office forwards the batch with that signature, and the centre
 * signs only if it is the head's, over this very batch. The office alone cannot have anything signed.
 */

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

const notConfigured = () =>
  new DomainError('TTE_NOT_CONFIGURED', { id: 'Kantor ini tidak terhubung ke layanan TTE pusat.', en: 'This office is not connected to the centre’s TTE service.' }, 'unavailable');

/** The centre's refusals of the head, in words the head can act on. */
const CENTRE_REFUSALS: Record<string, Bilingual> = {
  TTE_SIGNER_NOT_AUTHORISED: {
    id: 'Pusat menolak penandatangan: Anda tidak tercatat sebagai kepala dinas kantor ini di pusat, atau kunci pribadi Anda belum disetujui pusat.',
    en: 'The centre refused the signer: you are not recorded at the centre as head of this office, or your personal key has not been approved by the centre.',
  },
  TTE_PROOF_INVALID: {
    id: 'Pusat menolak bukti tanda tangan Anda (tidak cocok, kedaluwarsa atau sudah dipakai). Tidak ada yang berubah; tandatangani ulang.',
    en: 'The centre refused your signing proof (mismatched, expired or used before). Nothing was changed; sign again.',
  },
};

/** A refusal by the centre (403 and its code) becomes the office's own 403; anything else is left as it is. */
function refusedByCentre(error: unknown): DomainError | undefined {
  if (!(error instanceof CentralUnavailable) || error.status !== 403) return undefined;
  const code = error.code && CENTRE_REFUSALS[error.code] ? error.code : 'TTE_SIGNER_NOT_AUTHORISED';
  return new DomainError(code, CENTRE_REFUSALS[code]!, 'forbidden');
}

const centreUnreachable = (error: unknown): DomainError =>
  new DomainError('CENTRE_UNREACHABLE', { id: `Pusat tidak dapat dihubungi: ${(error as Error).message}`, en: `The centre cannot be reached: ${(error as Error).message}` }, 'unavailable');

export interface SignResult {
  signed: number;
  /** Still AWAITING_SIGNATURE in this batch (someone else signed it meanwhile, or the centre left it). */
  remaining: number;
  error: { code: string; messages: Bilingual } | null;
}

/** The next batch of waiting documents (all, or those named), oldest first, and the text the head's key signs for it. */
export async function prepareSignBatch(ctx: OfficeContext, head: OfficeUser, ids?: string[]): Promise<SignChallenge> {
  const waiting = await listDocuments(ctx.db, { status: 'AWAITING_SIGNATURE', ids, limit: 100_000, oldestFirst: true });
  const batch = waiting.slice(0, TTE_BATCH_MAX);
  const nonce = randomBytes(18).toString('base64url');
  const issuedAt = ctx.now().toISOString();
  const documents = batch.map((row) => ({ documentId: row.id, claimsDigest: tteClaimsDigest(claimsOf(ctx, row)) }));
  const challenge = tteChallengeText({ officeId: ctx.office.id, username: head.username, nonce, issuedAt, documents });
  return { documentIds: batch.map((row) => row.id), nonce, issuedAt, challenge, waiting: waiting.length };
}

/**
 * Signs one prepared batch with the head's proof. The batch is sent exactly as prepared (the proof covers
 * it); what another head signed meanwhile comes back with its first signature and is not recorded twice.
 * Commits in one transaction, with one `document.signed` outbox event per document: a document is either
 * signed with its QR or still waiting, never in between. A TTE outage is TTE_UNAVAILABLE and nothing changes.
 */
export async function signPreparedBatch(ctx: OfficeContext, signer: TteSigner | undefined, head: OfficeUser, batch: SignRequest): Promise<SignResult> {
  if (!signer) throw notConfigured();
  const rows = await listDocuments(ctx.db, { ids: batch.documentIds, limit: TTE_BATCH_MAX });
  const byId = new Map(rows.map((row) => [row.id, row]));
  const ordered = batch.documentIds.map((id) => byId.get(id));
  if (ordered.some((row) => !row || row.status === 'SUPERSEDED') || new Set(batch.documentIds).size !== batch.documentIds.length) {
    throw new DomainError('BATCH_CHANGED', { id: 'Kumpulan dokumen berubah sejak disiapkan; siapkan ulang.', en: 'The batch changed since it was prepared; prepare it again.' }, 'conflict');
  }
  const documents = ordered as DocumentRow[];
  if (!documents.some((row) => row.status === 'AWAITING_SIGNATURE')) return { signed: 0, remaining: 0, error: null };
  let response: TteSignResponse;
  try {
    response = await signer.tteSign({
      documents: documents.map((row) => ({ documentId: row.id, claims: claimsOf(ctx, row) })),
      signer: { username: head.username, fullName: head.fullName },
      proof: { nonce: batch.nonce, issuedAt: batch.issuedAt, signature: batch.signature },
    });
  } catch (error) {
    const refused = refusedByCentre(error);
    if (refused) throw refused;
    const failure = tteFailure(error);
    if (!failure) throw error;
    const state = await observeTte(ctx, { available: false, ...failure });
    throw tteUnavailable(state, ctx.office.timeZone);
  }
  await observeTte(ctx, { available: true, since: null });
  const signed = await recordSignatures(ctx, documents, response, head);
  const stillWaiting = await listDocuments(ctx.db, { status: 'AWAITING_SIGNATURE', ids: batch.documentIds, limit: TTE_BATCH_MAX });
  return { signed, remaining: stillWaiting.length, error: null };
}

async function recordSignatures(ctx: OfficeContext, batch: DocumentRow[], response: TteSignResponse, head: OfficeUser): Promise<number> {
  const rows = new Map(batch.map((row) => [row.id, row]));
  return ctx.db.transaction().execute(async (trx) => {
    let count = 0;
    for (const item of response.signed) {
      const row = rows.get(item.documentId);
      if (!row) continue;
      // Only a document still waiting: a second head clicking at the same time signs nothing twice.
      const signed = await markTteSigned(trx, row.id, { at: item.signedAt, by: head.username, byName: head.fullName, qrText: item.qrText });
      if (!signed) continue;
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

/** The head's key as the centre holds it; the centre unreachable is a 503 the screen can show. */
export async function headEnrolmentStatus(signer: TteSigner | undefined, head: OfficeUser): Promise<TteEnrolmentStatus> {
  if (!signer) throw notConfigured();
  try {
    return await signer.tteEnrolmentStatus(head.username);
  } catch (error) {
    if (error instanceof CentralUnavailable) throw refusedByCentre(error) ?? centreUnreachable(error);
    throw error;
  }
}

/** Sends the public key made in the head's browser to the centre, where it waits for a centre admin. */
export async function enrolHeadKey(signer: TteSigner | undefined, head: OfficeUser, publicKey: string): Promise<TteEnrolment> {
  if (!signer) throw notConfigured();
  try {
    return await signer.tteEnrol({ username: head.username, fullName: head.fullName, publicKey });
  } catch (error) {
    if (error instanceof CentralUnavailable) throw refusedByCentre(error) ?? centreUnreachable(error);
    throw error;
  }
}
