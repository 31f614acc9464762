import { randomUUID } from 'node:crypto';
import { DomainError } from '@tangguh/domain';
import { TTE_PROOF_MAX_AGE_MS, tteChallengeText, type TteEnrolment, type TteEnrolmentStatus, type TteEnrolRequest, type TteHead, type TteSignRequest } from '@tangguh/protocol';
import { tteClaimsDigest, tteKeyFingerprint, verifyTteProofSignature } from '@tangguh/protocol/node';
import type { CentralContext } from '../context.ts';
import type { TteTables } from '../db/migrations-tte.ts';
import {
  approvedHeadKey, decideHeadKey, findHead, findHeadKey, findHeadKeyByPublicKey, forgetExpiredProofNonces, insertHeadKey, latestHeadKey, listHeadKeys, listHeads,
  rememberProofNonce, replaceHeadKeysInStatus, upsertHead,
} from '../repositories/tte-heads.ts';

/**
 * Who the TTE service signs for. The office's request signature proves only that the office asks; the
 * centre signs for the head it holds for that office (set at the centre), and only with a proof made by
 * that head's personal key — enrolled from the head's browser and approved by a centre admin — over the
 * exact batch. An office that holds only its own key cannot make that proof.
 */

export const signerNotAuthorised = (why: { id: string; en: string }) =>
  new DomainError('TTE_SIGNER_NOT_AUTHORISED', { id: `Penandatangan tidak berwenang: ${why.id}`, en: `Signer not authorised: ${why.en}` }, 'forbidden');
const proofInvalid = (why: { id: string; en: string }) =>
  new DomainError('TTE_PROOF_INVALID', { id: `Bukti tanda tangan kepala dinas tidak sah: ${why.id}`, en: `The head's signing proof is not valid: ${why.en}` }, 'forbidden');

type KeyRow = TteTables['tte_head_keys'];
const present = (row: KeyRow): TteEnrolment => ({
  id: row.id,
  officeId: row.office_id,
  username: row.username,
  fullName: row.full_name,
  fingerprint: row.fingerprint,
  status: row.status,
  requestedAt: row.requested_at,
  decidedAt: row.decided_at,
  decidedBy: row.decided_by,
});

export async function findOfficeHead(ctx: CentralContext, officeId: string): Promise<TteHead | undefined> {
  const row = await findHead(ctx.db, officeId);
  return row && { officeId: row.office_id, username: row.username, fullName: row.full_name, setAt: row.set_at, setBy: row.set_by };
}

export async function listOfficeHeads(ctx: CentralContext): Promise<TteHead[]> {
  const rows = await listHeads(ctx.db);
  return rows.map((row) => ({ officeId: row.office_id, username: row.username, fullName: row.full_name, setAt: row.set_at, setBy: row.set_by }));
}

/** Records (or changes) who heads an office; a new head's predecessor's keys stop proving anything at once. */
export async function setOfficeHead(ctx: CentralContext, props: { officeId: string; username: string; fullName: string; by: string }): Promise<TteHead> {
  await upsertHead(ctx.db, { office_id: props.officeId, username: props.username, full_name: props.fullName, set_at: ctx.now().toISOString(), set_by: props.by });
  return (await findOfficeHead(ctx, props.officeId))!;
}

/**
 * A head's browser-made key, forwarded by the office. It waits (PENDING) until a centre admin approves it;
 * the same key sent again is the same enrolment. Refused for anyone but the office's head as the centre holds it.
 */
export async function enrolHeadKey(ctx: CentralContext, officeId: string, request: TteEnrolRequest): Promise<TteEnrolment> {
  const head = await findOfficeHead(ctx, officeId);
  if (!head || head.username !== request.username) {
    throw signerNotAuthorised({ id: `pusat tidak mencatat ${request.username} sebagai kepala dinas kantor ${officeId}.`, en: `the centre does not hold ${request.username} as head of office ${officeId}.` });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const same = await findHeadKeyByPublicKey(trx, officeId, request.username, request.publicKey);
    if (same) return present(same);
    // One key waits at a time: a newer browser key supersedes one still waiting.
    await replaceHeadKeysInStatus(trx, officeId, request.username, 'PENDING');
    const row: KeyRow = {
      id: randomUUID(),
      office_id: officeId,
      username: request.username,
      full_name: request.fullName,
      public_key: request.publicKey,
      fingerprint: tteKeyFingerprint(request.publicKey),
      status: 'PENDING',
      requested_at: ctx.now().toISOString(),
      decided_at: null,
      decided_by: null,
    };
    await insertHeadKey(trx, row);
    return present(row);
  });
}

/** Whether `username` heads the office at the centre, and their latest enrolment. */
export async function enrolmentStatus(ctx: CentralContext, officeId: string, username: string): Promise<TteEnrolmentStatus> {
  const head = await findOfficeHead(ctx, officeId);
  const latest = await latestHeadKey(ctx.db, officeId, username);
  return { isHead: head?.username === username, enrolment: latest ? present(latest) : null };
}

export async function listEnrolments(ctx: CentralContext): Promise<TteEnrolment[]> {
  const rows = await listHeadKeys(ctx.db, 500);
  return rows.map(present);
}

/** A centre admin approves (after comparing the fingerprint with the head) or rejects a waiting key. */
export async function decideEnrolment(ctx: CentralContext, props: { id: string; approve: boolean; by: string }): Promise<TteEnrolment> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findHeadKey(trx, props.id);
    if (!row) throw new DomainError('ENROLMENT_NOT_FOUND', { id: 'Pendaftaran kunci tidak ditemukan.', en: 'Key enrolment not found.' }, 'not_found');
    if (row.status !== 'PENDING') {
      throw new DomainError('ENROLMENT_DECIDED', { id: 'Pendaftaran kunci ini sudah diputuskan.', en: 'This key enrolment has already been decided.' }, 'conflict');
    }
    const decided = { decided_at: ctx.now().toISOString(), decided_by: props.by };
    if (props.approve) {
      // One approved key per head: approving a new one retires the old.
      await replaceHeadKeysInStatus(trx, row.office_id, row.username, 'APPROVED', decided);
    }
    await decideHeadKey(trx, row.id, { status: props.approve ? 'APPROVED' : 'REJECTED', ...decided });
    return present({ ...row, status: props.approve ? 'APPROVED' : 'REJECTED', ...decided });
  });
}

/**
 * Checks that a signing request is the head's own: the named signer is the office's head at the centre,
 * the head has an approved key, the proof is that key's signature over this very batch, it is fresh, and
 * its nonce was never used. Returns the head as the centre holds them (their name goes on the documents).
 */
export async function authoriseSigner(ctx: CentralContext, officeId: string, request: TteSignRequest): Promise<TteHead> {
  const head = await findOfficeHead(ctx, officeId);
  if (!head) throw signerNotAuthorised({ id: `pusat belum mencatat kepala dinas kantor ${officeId}.`, en: `the centre holds no head for office ${officeId}.` });
  if (head.username !== request.signer.username) {
    throw signerNotAuthorised({ id: `${request.signer.username} bukan kepala dinas kantor ${officeId}.`, en: `${request.signer.username} is not the head of office ${officeId}.` });
  }
  const key = await approvedHeadKey(ctx.db, officeId, head.username);
  if (!key) throw signerNotAuthorised({ id: 'kunci pribadi kepala dinas belum disetujui pusat.', en: "the head's personal key has not been approved by the centre." });
  const proof = request.proof;
  if (!proof) throw proofInvalid({ id: 'permintaan tidak membawa bukti dari kepala dinas.', en: 'the request carries no proof from the head.' });
  const challenge = tteChallengeText({
    officeId,
    username: head.username,
    nonce: proof.nonce,
    issuedAt: proof.issuedAt,
    documents: request.documents.map((d) => ({ documentId: d.documentId, claimsDigest: tteClaimsDigest(d.claims) })),
  });
  if (!verifyTteProofSignature(key.public_key, challenge, proof.signature)) {
    throw proofInvalid({ id: 'tanda tangan tidak cocok dengan kumpulan dokumen ini.', en: 'the signature does not match this batch of documents.' });
  }
  const issued = Date.parse(proof.issuedAt);
  if (Math.abs(ctx.now().getTime() - issued) > TTE_PROOF_MAX_AGE_MS) {
    throw proofInvalid({ id: 'bukti sudah kedaluwarsa; tandatangani ulang.', en: 'the proof has expired; sign again.' });
  }
  await forgetExpiredProofNonces(ctx.db, ctx.now().toISOString());
  const fresh = await rememberProofNonce(ctx.db, { office_id: officeId, nonce: proof.nonce, expires_at: new Date(issued + TTE_PROOF_MAX_AGE_MS).toISOString() });
  if (!fresh) {
    throw proofInvalid({ id: 'bukti ini sudah pernah dipakai.', en: 'this proof has been used before.' });
  }
  return head;
}
