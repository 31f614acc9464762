import { randomUUID } from 'node:crypto';
import { DomainError } from '@tangguh/domain';
import { TTE_PROOF_MAX_AGE_MS, tteChallengeText, type TteEnrolment, type TteEnrolmentStatus, type TteEnrolRequest, type TteHead, type TteSignRequest } from '@tangguh/protocol';
import { tteClaimsDigest, tteKeyFingerprint, verifyTteProofSignature } from '@tangguh/protocol/node';
import type { CentralContext } from '../context.ts';
import { tteDb, type TteTables } from '../db/migrations-tte.ts';

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
  const row = await tteDb(ctx.db).selectFrom('tte_heads').selectAll().where('office_id', '=', officeId).executeTakeFirst();
  return row && { officeId: row.office_id, username: row.username, fullName: row.full_name, setAt: row.set_at, setBy: row.set_by };
}

export async function listOfficeHeads(ctx: CentralContext): Promise<TteHead[]> {
  const rows = await tteDb(ctx.db).selectFrom('tte_heads').selectAll().orderBy('office_id').execute();
  return rows.map((row) => ({ officeId: row.office_id, username: row.username, fullName: row.full_name, setAt: row.set_at, setBy: row.set_by }));
}

/** Records (or changes) who heads an office; a new head's predecessor's keys stop proving anything at once. */
export async function setOfficeHead(ctx: CentralContext, props: { officeId: string; username: string; fullName: string; by: string }): Promise<TteHead> {
  const values = { username: props.username, full_name: props.fullName, set_at: ctx.now().toISOString(), set_by: props.by };
  await tteDb(ctx.db)
    .insertInto('tte_heads')
    .values({ office_id: props.officeId, ...values })
    .onConflict((oc) => oc.column('office_id').doUpdateSet(values))
    .execute();
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
  const db = tteDb(ctx.db);
  return db.transaction().execute(async (trx) => {
    const same = await trx.selectFrom('tte_head_keys').selectAll().where('office_id', '=', officeId).where('username', '=', request.username).where('public_key', '=', request.publicKey).executeTakeFirst();
    if (same) return present(same);
    // One key waits at a time: a newer browser key supersedes one still waiting.
    await trx.updateTable('tte_head_keys').set({ status: 'REPLACED' }).where('office_id', '=', officeId).where('username', '=', request.username).where('status', '=', 'PENDING').execute();
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
    await trx.insertInto('tte_head_keys').values(row).execute();
    return present(row);
  });
}

/** Whether `username` heads the office at the centre, and their latest enrolment. */
export async function enrolmentStatus(ctx: CentralContext, officeId: string, username: string): Promise<TteEnrolmentStatus> {
  const head = await findOfficeHead(ctx, officeId);
  const latest = await tteDb(ctx.db).selectFrom('tte_head_keys').selectAll().where('office_id', '=', officeId).where('username', '=', username).orderBy('requested_at', 'desc').limit(1).executeTakeFirst();
  return { isHead: head?.username === username, enrolment: latest ? present(latest) : null };
}

export async function listEnrolments(ctx: CentralContext): Promise<TteEnrolment[]> {
  const rows = await tteDb(ctx.db).selectFrom('tte_head_keys').selectAll().orderBy('requested_at', 'desc').limit(500).execute();
  return rows.map(present);
}

/** A centre admin approves (after comparing the fingerprint with the head) or rejects a waiting key. */
export async function decideEnrolment(ctx: CentralContext, props: { id: string; approve: boolean; by: string }): Promise<TteEnrolment> {
  return tteDb(ctx.db).transaction().execute(async (trx) => {
    const row = await trx.selectFrom('tte_head_keys').selectAll().where('id', '=', props.id).executeTakeFirst();
    if (!row) throw new DomainError('ENROLMENT_NOT_FOUND', { id: 'Pendaftaran kunci tidak ditemukan.', en: 'Key enrolment not found.' }, 'not_found');
    if (row.status !== 'PENDING') {
      throw new DomainError('ENROLMENT_DECIDED', { id: 'Pendaftaran kunci ini sudah diputuskan.', en: 'This key enrolment has already been decided.' }, 'conflict');
    }
    const decided = { decided_at: ctx.now().toISOString(), decided_by: props.by };
    if (props.approve) {
      // One approved key per head: approving a new one retires the old.
      await trx.updateTable('tte_head_keys').set({ status: 'REPLACED', ...decided }).where('office_id', '=', row.office_id).where('username', '=', row.username).where('status', '=', 'APPROVED').execute();
    }
    await trx.updateTable('tte_head_keys').set({ status: props.approve ? 'APPROVED' : 'REJECTED', ...decided }).where('id', '=', row.id).execute();
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
  const key = await tteDb(ctx.db).selectFrom('tte_head_keys').select('public_key').where('office_id', '=', officeId).where('username', '=', head.username).where('status', '=', 'APPROVED').executeTakeFirst();
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
  const db = tteDb(ctx.db);
  await db.deleteFrom('tte_proof_nonces').where('expires_at', '<', ctx.now().toISOString()).execute();
  const fresh = await db
    .insertInto('tte_proof_nonces')
    .values({ office_id: officeId, nonce: proof.nonce, expires_at: new Date(issued + TTE_PROOF_MAX_AGE_MS).toISOString() })
    .onConflict((oc) => oc.columns(['office_id', 'nonce']).doNothing())
    .executeTakeFirst();
  if (Number(fresh.numInsertedOrUpdatedRows ?? 0n) === 0) {
    throw proofInvalid({ id: 'bukti ini sudah pernah dipakai.', en: 'this proof has been used before.' });
  }
  return head;
}
