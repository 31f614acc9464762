import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DomainError, formatZoned, startOfZonedDay, zonedDayKey, type Bilingual } from '@tangguh/domain';
import type { ApiKeyCreated, ApiKeyView } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeUser } from '../repositories/users.ts';
import {
  countUse,
  findApiKey,
  findApiKeyByHash,
  forgetMinutesBefore,
  insertApiKey,
  listApiKeys,
  markRevoked,
  touchLastUsed,
  type ApiKeyRow,
} from '../repositories/api-keys.ts';

/** Keys look like `tgh_<32 base64url characters>` (192 random bits); the prefix tells people which is which. */
const KEY_PREFIX = 'tgh_';
const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

const dayPeriod = (now: Date, timeZone: string) => `d:${zonedDayKey(now, timeZone)}`;
const minutePeriod = (now: Date) => `m:${now.toISOString().slice(0, 16)}`;

function present(row: ApiKeyRow, usedToday: number): ApiKeyView {
  return {
    id: row.id,
    institution: row.institution,
    prefix: row.prefix,
    perMinute: Number(row.per_minute),
    perDay: Number(row.per_day),
    usedToday,
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
  };
}

export interface CreateApiKeyProps {
  institution: string;
  perMinute: number;
  perDay: number;
  admin: Pick<OfficeUser, 'username'>;
}

/** A new key for an institution; the key itself is returned this once and stored only as its hash. */
export async function createApiKey(ctx: Pick<OfficeContext, 'db' | 'now'>, props: CreateApiKeyProps): Promise<ApiKeyCreated> {
  const secret = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
  const row: ApiKeyRow = {
    id: randomUUID(),
    institution: props.institution,
    key_hash: hashKey(secret),
    prefix: secret.slice(0, KEY_PREFIX.length + 6),
    per_minute: props.perMinute,
    per_day: props.perDay,
    created_at: ctx.now().toISOString(),
    created_by: props.admin.username,
    last_used_at: null,
    revoked_at: null,
    revoked_by: null,
  };
  await insertApiKey(ctx.db, row);
  return { key: present(row, 0), secret };
}

export async function apiKeysWithUse(ctx: Pick<OfficeContext, 'db' | 'now' | 'office'>): Promise<ApiKeyView[]> {
  const rows = await listApiKeys(ctx.db, dayPeriod(ctx.now(), ctx.office.timeZone));
  return rows.map((row) => present(row, row.used));
}

export const apiKeyNotFound = () => new DomainError('API_KEY_NOT_FOUND', { id: 'Kunci API tidak ditemukan.', en: 'API key not found.' }, 'not_found');

/** Revoked at once: the next request with the key is refused. Revoking twice keeps the first time. */
export async function revokeApiKey(ctx: Pick<OfficeContext, 'db' | 'now' | 'office'>, id: string, admin: Pick<OfficeUser, 'username'>): Promise<ApiKeyView> {
  if (!(await findApiKey(ctx.db, id))) throw apiKeyNotFound();
  await markRevoked(ctx.db, id, ctx.now().toISOString(), admin.username);
  return (await apiKeysWithUse(ctx)).find((key) => key.id === id)!;
}

/** What the verification API does with a request that carries a key. */
export type ApiKeyVerdict =
  | { ok: true; keyId: string }
  | { ok: false; status: 401 | 429; code: string; messages: Bilingual; retryAfterSeconds?: number };

const invalidKey: ApiKeyVerdict = {
  ok: false,
  status: 401,
  code: 'API_KEY_INVALID',
  messages: {
    id: 'Kunci API tidak dikenal atau sudah dicabut. Hubungi Disdukcapil yang menerbitkannya.',
    en: 'The API key is unknown or has been revoked. Contact the Disdukcapil office that issued it.',
  },
};

function quotaExceeded(kind: 'minute' | 'day', limit: number, resetAt: Date, now: Date, timeZone: string): ApiKeyVerdict {
  const when = { id: formatZoned(resetAt, timeZone, 'id'), en: formatZoned(resetAt, timeZone, 'en') };
  return {
    ok: false,
    status: 429,
    code: kind === 'minute' ? 'API_KEY_MINUTE_QUOTA_EXCEEDED' : 'API_KEY_DAILY_QUOTA_EXCEEDED',
    messages:
      kind === 'minute'
        ? { id: `Kuota kunci API ini (${limit} pemeriksaan per menit) sudah habis. Kuota pulih pada ${when.id}.`, en: `This API key's quota (${limit} checks a minute) is used up. It resets at ${when.en}.` }
        : { id: `Kuota harian kunci API ini (${limit} pemeriksaan) sudah habis. Kuota pulih pada ${when.id}.`, en: `This API key's daily quota (${limit} checks) is used up. It resets at ${when.en}.` },
    retryAfterSeconds: Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000)),
  };
}

/**
 * Counts one check against the key's own quotas: first the minute (a burst refused there does not use up
 * the day), then the office's calendar day. Counted in the database so every API process shares them.
 */
export async function chargeApiKey(ctx: Pick<OfficeContext, 'db' | 'now' | 'office'>, key: string): Promise<ApiKeyVerdict> {
  const row = await findApiKeyByHash(ctx.db, hashKey(key));
  if (!row || row.revoked_at !== null) return invalidKey;
  const now = ctx.now();
  const timeZone = ctx.office.timeZone;
  return ctx.db.transaction().execute(async (trx) => {
    const minute = minutePeriod(now);
    const inMinute = await countUse(trx, row.id, minute);
    if (inMinute === 1) await forgetMinutesBefore(trx, row.id, minute);
    if (inMinute > Number(row.per_minute)) {
      return quotaExceeded('minute', Number(row.per_minute), new Date(Date.parse(`${minute.slice(2)}:00.000Z`) + 60_000), now, timeZone);
    }
    if ((await countUse(trx, row.id, dayPeriod(now, timeZone))) > Number(row.per_day)) {
      const tomorrow = startOfZonedDay(new Date(startOfZonedDay(now, timeZone).getTime() + 36 * 3600_000), timeZone);
      return quotaExceeded('day', Number(row.per_day), tomorrow, now, timeZone);
    }
    await touchLastUsed(trx, row.id, now.toISOString());
    return { ok: true as const, keyId: row.id };
  });
}
