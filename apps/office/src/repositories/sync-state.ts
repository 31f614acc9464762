import type { OfficeDbOrTx } from '../db/schema.ts';

/**
 * `central_link` and `tte_state` hold what the sync worker last learnt about the centre (JSON), so an API
 * process that runs no worker shows the same truth as the process that talks to the centre.
 */
export type SyncKey = 'acked_seq' | 'pull_cursor' | 'last_success_at' | 'last_push_at' | 'last_pull_at' | 'central_link' | 'tte_state' | 'print_package_cursor' | 'blank_answer_cursor';

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

/** A stored JSON value, or undefined when absent or unreadable (the caller validates the shape). */
export async function getSyncJson(db: OfficeDbOrTx, key: SyncKey): Promise<unknown> {
  const value = await getSyncValue(db, key);
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

export async function setSyncJson(db: OfficeDbOrTx, key: SyncKey, value: unknown): Promise<void> {
  await setSyncValue(db, key, JSON.stringify(value));
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
