import type { CentralDbOrTx } from '../db/schema.ts';
import { tteDb, type TteTables } from '../db/migrations-tte.ts';

/** Who heads each office at the centre, the personal keys they enrolled, and the proof nonces already used. */

export type TteHeadRow = TteTables['tte_heads'];
export type TteHeadKeyRow = TteTables['tte_head_keys'];

export function findHead(db: CentralDbOrTx, officeId: string): Promise<TteHeadRow | undefined> {
  return tteDb(db).selectFrom('tte_heads').selectAll().where('office_id', '=', officeId).executeTakeFirst();
}

export function listHeads(db: CentralDbOrTx): Promise<TteHeadRow[]> {
  return tteDb(db).selectFrom('tte_heads').selectAll().orderBy('office_id').execute();
}

export async function upsertHead(db: CentralDbOrTx, row: TteHeadRow): Promise<void> {
  const { office_id: _officeId, ...values } = row;
  await tteDb(db).insertInto('tte_heads').values(row).onConflict((oc) => oc.column('office_id').doUpdateSet(values)).execute();
}

export function findHeadKey(db: CentralDbOrTx, id: string): Promise<TteHeadKeyRow | undefined> {
  return tteDb(db).selectFrom('tte_head_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findHeadKeyByPublicKey(db: CentralDbOrTx, officeId: string, username: string, publicKey: string): Promise<TteHeadKeyRow | undefined> {
  return tteDb(db).selectFrom('tte_head_keys').selectAll().where('office_id', '=', officeId).where('username', '=', username).where('public_key', '=', publicKey).executeTakeFirst();
}

export function latestHeadKey(db: CentralDbOrTx, officeId: string, username: string): Promise<TteHeadKeyRow | undefined> {
  return tteDb(db).selectFrom('tte_head_keys').selectAll().where('office_id', '=', officeId).where('username', '=', username).orderBy('requested_at', 'desc').limit(1).executeTakeFirst();
}

export function listHeadKeys(db: CentralDbOrTx, limit: number): Promise<TteHeadKeyRow[]> {
  return tteDb(db).selectFrom('tte_head_keys').selectAll().orderBy('requested_at', 'desc').limit(limit).execute();
}

export function approvedHeadKey(db: CentralDbOrTx, officeId: string, username: string): Promise<Pick<TteHeadKeyRow, 'public_key'> | undefined> {
  return tteDb(db).selectFrom('tte_head_keys').select('public_key').where('office_id', '=', officeId).where('username', '=', username).where('status', '=', 'APPROVED').executeTakeFirst();
}

export async function insertHeadKey(db: CentralDbOrTx, row: TteHeadKeyRow): Promise<void> {
  await tteDb(db).insertInto('tte_head_keys').values(row).execute();
}

/** Marks the head's keys in status `from` as REPLACED (with who and when, if decided). */
export async function replaceHeadKeysInStatus(
  db: CentralDbOrTx,
  officeId: string,
  username: string,
  from: TteHeadKeyRow['status'],
  decided: Partial<Pick<TteHeadKeyRow, 'decided_at' | 'decided_by'>> = {},
): Promise<void> {
  await tteDb(db).updateTable('tte_head_keys').set({ status: 'REPLACED', ...decided }).where('office_id', '=', officeId).where('username', '=', username).where('status', '=', from).execute();
}

export async function decideHeadKey(db: CentralDbOrTx, id: string, decision: Pick<TteHeadKeyRow, 'status' | 'decided_at' | 'decided_by'>): Promise<void> {
  await tteDb(db).updateTable('tte_head_keys').set(decision).where('id', '=', id).execute();
}

export async function forgetExpiredProofNonces(db: CentralDbOrTx, now: string): Promise<void> {
  await tteDb(db).deleteFrom('tte_proof_nonces').where('expires_at', '<', now).execute();
}

/** Remembers a proof's nonce; false when it was used before (a replayed proof). */
export async function rememberProofNonce(db: CentralDbOrTx, row: TteTables['tte_proof_nonces']): Promise<boolean> {
  const fresh = await tteDb(db).insertInto('tte_proof_nonces').values(row).onConflict((oc) => oc.columns(['office_id', 'nonce']).doNothing()).executeTakeFirst();
  return Number(fresh.numInsertedOrUpdatedRows ?? 0n) > 0;
}
