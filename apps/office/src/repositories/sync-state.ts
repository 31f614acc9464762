import type { OfficeDbOrTx } from '../db/schema.ts';

export type SyncKey = 'acked_seq' | 'pull_cursor' | 'last_success_at' | 'last_push_at' | 'last_pull_at';

export async function getSyncValue(db: OfficeDbOrTx, key: SyncKey): Promise<string | undefined> {
  const row = await db.selectFrom('sync_state').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function getSyncNumber(db: OfficeDbOrTx, key: SyncKey): Promise<number> {
  return Number((await getSyncValue(db, key)) ?? 0);
}

export async function setSyncValue(db: OfficeDbOrTx, key: SyncKey, value: string | number): Promise<void> {
  await db
    .insertInto('sync_state')
    .values({ key, value: String(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(value) }))
    .execute();
}

export async function outboxBacklog(db: OfficeDbOrTx): Promise<{ pending: number; oldestPendingAt: string | null }> {
  const acked = await getSyncNumber(db, 'acked_seq');
  const row = await db
    .selectFrom('outbox')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where('seq', '>', acked)
    .executeTakeFirstOrThrow();
  return { pending: Number(row.n), oldestPendingAt: (row.oldest as string | null) ?? null };
}
