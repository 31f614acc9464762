import type { CentralDbOrTx } from '../db/schema.ts';

/**
 * Records a request id of an office; false when it was already there (a replay). The primary key decides,
 * so two API processes given the same request at once cannot both accept it.
 */
export async function rememberRequestId(db: CentralDbOrTx, officeId: string, requestId: string, expiresAt: string): Promise<boolean> {
  const result = await db
    .insertInto('office_request_ids')
    .values({ office_id: officeId, request_id: requestId, expires_at: expiresAt })
    .onConflict((oc) => oc.columns(['office_id', 'request_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Whether this office's request id was seen (a read: the id is remembered by `rememberRequestId`). */
export async function requestIdSeen(db: CentralDbOrTx, officeId: string, requestId: string): Promise<boolean> {
  const row = await db.selectFrom('office_request_ids').select('request_id').where('office_id', '=', officeId).where('request_id', '=', requestId).executeTakeFirst();
  return row !== undefined;
}

/** Deletes the ids whose requests can no longer be accepted anyway (their timestamp left the window). */
export async function forgetExpiredRequestIds(db: CentralDbOrTx, now: string): Promise<number> {
  const result = await db.deleteFrom('office_request_ids').where('expires_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
