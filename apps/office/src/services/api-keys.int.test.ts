import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '@tangguh/platform';
import { DIALECTS, freshLocation, setupOrFail } from '../../../../test/pg.ts';
import { migrateOffice } from '../db/migrate.ts';
import type { OfficeDb } from '../db/schema.ts';
import { apiKeysWithUse, chargeApiKey, createApiKey } from './api-keys.ts';

const admin = { username: 'admin' };

describe.each(DIALECTS)('API key quotas on %s', (dialect) => {
  let dir: string;
  let handle: Db<OfficeDb>;
  let close = async () => {};
  // 23:59:30 in Jayapura (UTC+9): the office's day ends in 30 seconds, long before the UTC day does.
  let clock = new Date('2026-12-05T14:59:30.000Z');
  const ctx = () => ({ db: handle.db, now: () => clock, office: { id: '9471', name: 'Kota Jayapura', regencyCode: '94.71', timeZone: 'Asia/Jayapura' } });

  setupOrFail(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tangguh-api-keys-'));
    const store = await freshLocation(dialect, dir, 'office');
    handle = openDatabase<OfficeDb>(store.location);
    close = async () => {
      await handle.close();
      await store.drop();
    };
    await migrateOffice(handle);
  });
  afterAll(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets exactly the minute quota through when many checks arrive at once', async () => {
    const { secret, key } = await createApiKey(ctx(), { institution: 'Bank Papua', perMinute: 20, perDay: 1000, admin });
    const verdicts = await Promise.all(Array.from({ length: 30 }, () => chargeApiKey(ctx(), secret)));
    expect(verdicts.filter((v) => v.ok)).toHaveLength(20);
    const refused = verdicts.filter((v) => !v.ok);
    expect(refused).toHaveLength(10);
    expect(refused.every((v) => !v.ok && v.status === 429 && v.code === 'API_KEY_MINUTE_QUOTA_EXCEEDED' && v.retryAfterSeconds === 30)).toBe(true);
    // A burst refused by the minute does not use up the day.
    expect((await apiKeysWithUse(ctx())).find((k) => k.id === key.id)!.usedToday).toBe(20);
  });

  it('counts the day in the office’s time zone and says the quota returns at its midnight', async () => {
    clock = new Date('2026-12-05T14:59:30.000Z');
    const { secret } = await createApiKey(ctx(), { institution: 'Bank Papua', perMinute: 100, perDay: 2, admin });
    expect((await chargeApiKey(ctx(), secret)).ok).toBe(true);
    expect((await chargeApiKey(ctx(), secret)).ok).toBe(true);
    const refused = await chargeApiKey(ctx(), secret);
    expect(refused).toMatchObject({ ok: false, status: 429, code: 'API_KEY_DAILY_QUOTA_EXCEEDED', retryAfterSeconds: 30 });
    if (!refused.ok) {
      expect(refused.messages.id).toContain('pulih pada 6 Des 2026 00.00 WIT');
      expect(refused.messages.en).toContain('resets at 6 Dec 2026 00:00 WIT');
    }
    // Midnight in Jayapura (15:00 UTC): a new day, the same key works again.
    clock = new Date('2026-12-05T15:00:05.000Z');
    expect((await chargeApiKey(ctx(), secret)).ok).toBe(true);
  });
});
