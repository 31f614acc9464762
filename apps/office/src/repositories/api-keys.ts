import { sql, type Kysely, type Selectable } from 'kysely';
import type { OfficeDb, OfficeDbOrTx } from '../db/schema.ts';

/** The tables of migration 0004_api_keys. */
export type ApiKeyTables = {
  api_keys: {
    id: string;
    institution: string;
    key_hash: string;
    prefix: string;
    per_minute: number;
    per_day: number;
    created_at: string;
    created_by: string;
    last_used_at: string | null;
    revoked_at: string | null;
    revoked_by: string | null;
  };
  api_key_usage: { key_id: string; period: string; used: number };
};
export type ApiKeyRow = Selectable<ApiKeyTables['api_keys']>;

const keys = (db: OfficeDbOrTx): Kysely<OfficeDb & ApiKeyTables> => (db as Kysely<OfficeDb>).withTables<ApiKeyTables>();

export async function insertApiKey(db: OfficeDbOrTx, row: ApiKeyRow): Promise<void> {
  await keys(db).insertInto('api_keys').values(row).execute();
}

export function findApiKeyByHash(db: OfficeDbOrTx, keyHash: string): Promise<ApiKeyRow | undefined> {
  return keys(db).selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
}

export function findApiKey(db: OfficeDbOrTx, id: string): Promise<ApiKeyRow | undefined> {
  return keys(db).selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every key, newest first, with its use in one period (today's). */
export async function listApiKeys(db: OfficeDbOrTx, period: string): Promise<(ApiKeyRow & { used: number })[]> {
  const rows = await keys(db)
    .selectFrom('api_keys')
    .leftJoin('api_key_usage', (join) => join.onRef('api_key_usage.key_id', '=', 'api_keys.id').on('api_key_usage.period', '=', period))
    .selectAll('api_keys')
    .select('api_key_usage.used')
    .orderBy('api_keys.created_at', 'desc')
    .execute();
  return rows.map((row) => ({ ...row, used: Number(row.used ?? 0) }));
}

export async function markRevoked(db: OfficeDbOrTx, id: string, at: string, by: string): Promise<void> {
  await keys(db).updateTable('api_keys').set({ revoked_at: at, revoked_by: by }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

/** Adds one use to a key's period and returns the count including it (an upsert: atomic on SQLite and PostgreSQL). */
export async function countUse(db: OfficeDbOrTx, keyId: string, period: string): Promise<number> {
  const row = await keys(db)
    .insertInto('api_key_usage')
    .values({ key_id: keyId, period, used: 1 })
    .onConflict((oc) => oc.columns(['key_id', 'period']).doUpdateSet({ used: sql<number>`api_key_usage.used + 1` }))
    .returning('used')
    .executeTakeFirstOrThrow();
  return Number(row.used);
}

/** Minute periods of a key older than `current`: once a new minute starts they only take space. */
export async function forgetMinutesBefore(db: OfficeDbOrTx, keyId: string, current: string): Promise<void> {
  await keys(db).deleteFrom('api_key_usage').where('key_id', '=', keyId).where('period', 'like', 'm:%').where('period', '<', current).execute();
}

export async function touchLastUsed(db: OfficeDbOrTx, keyId: string, at: string): Promise<void> {
  await keys(db).updateTable('api_keys').set({ last_used_at: at }).where('id', '=', keyId).execute();
}
