import { createHmac } from 'node:crypto';
import {
  DEFAULT_QUEUE_SETTINGS,
  SERVICES,
  addCalendarDays,
  clockMinutes,
  startOfZonedDay,
  workCalendar,
  zonedIsoDate,
  zonedParts,
  type QueueSettings,
  type WorkCalendar,
} from '@tangguh/domain';
import { queueSettingsSchema } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { linkSecret } from '../notify/config.ts';
import { listHolidays } from '../repositories/print-plan.ts';
import { readSetting, writeSetting } from '../repositories/settings.ts';

/**
 * What every part of the queue shares: the settings an admin edits (kept in `settings` as JSON), the
 * office's day and clock, the work calendar, and the keys derived from the notifications' link secret
 * (one secret at rest, a separate key per use so a MAC made for one purpose is worthless for another).
 */

const SETTINGS_KEY = 'queue.settings';

/**
 * Read on every ticket and call, so kept a second in memory: a change made in this process is seen at once
 * (saveQueueSettings replaces it), one made by another process within a second. Quotas themselves are never
 * cached: they are taken in the database.
 */
const SETTINGS_TTL_MS = 1_000;
const settingsCache = new WeakMap<object, { at: number; value: QueueSettings }>();
const cacheKey = (db: OfficeDbOrTx): object => ((db as { isTransaction?: boolean }).isTransaction ? {} : db);

export async function loadQueueSettings(db: OfficeDbOrTx): Promise<QueueSettings> {
  const key = cacheKey(db);
  const cached = settingsCache.get(key);
  if (cached && Date.now() - cached.at < SETTINGS_TTL_MS) return cached.value;
  const raw = await readSetting(db, SETTINGS_KEY);
  const parsed = raw ? queueSettingsSchema.safeParse({ ...DEFAULT_QUEUE_SETTINGS, ...(JSON.parse(raw) as object) }) : undefined;
  const value = parsed?.success ? parsed.data : DEFAULT_QUEUE_SETTINGS;
  settingsCache.set(key, { at: Date.now(), value });
  return value;
}

export async function saveQueueSettings(db: OfficeDbOrTx, settings: QueueSettings): Promise<QueueSettings> {
  const clean = queueSettingsSchema.parse(settings);
  for (const service of SERVICES) if (!clean.quotas[service]) throw new Error(`quota missing for ${service}`);
  await writeSetting(db, SETTINGS_KEY, JSON.stringify(clean));
  settingsCache.set(cacheKey(db), { at: Date.now(), value: clean });
  return clean;
}

const two = (n: number) => String(n).padStart(2, '0');

/** The office's calendar day and wall-clock time now. */
export function officeNow(ctx: Pick<OfficeContext, 'now' | 'office'>): { at: Date; iso: string; day: string; clock: string; dayKey: string } {
  const at = ctx.now();
  const p = zonedParts(at, ctx.office.timeZone);
  const day = zonedIsoDate(at, ctx.office.timeZone);
  return { at, iso: at.toISOString(), day, clock: `${two(p.hour)}:${two(p.minute)}`, dayKey: day.replaceAll('-', '') };
}

/** The instant a wall-clock time of an office day falls on (Indonesia has no daylight saving). */
export function instantOf(day: string, clock: string, timeZone: string): Date {
  const start = startOfZonedDay(new Date(Date.parse(`${day}T12:00:00Z`)), timeZone);
  return new Date(start.getTime() + clockMinutes(clock) * 60_000);
}

/** The office's working days around `day`, from the calendar the admin keeps (weekends and holidays closed). */
export async function queueCalendar(db: OfficeDbOrTx, timeZone: string, from: string, days: number): Promise<WorkCalendar> {
  return workCalendar(timeZone, await listHolidays(db, addCalendarDays(from, -1), addCalendarDays(from, days + 1)));
}

async function derivedKey(db: OfficeDbOrTx, purpose: string): Promise<Buffer> {
  return createHmac('sha256', await linkSecret(db)).update(`tangguh.queue.${purpose}`).digest();
}

/** A NIK as the booking table keeps it: a keyed hash, so the table never holds a readable NIK. */
export async function nikHash(db: OfficeDbOrTx, nik: string): Promise<string> {
  return createHmac('sha256', await derivedKey(db, 'nik')).update(nik).digest('base64url');
}

export async function macOf(db: OfficeDbOrTx, purpose: string, text: string, length = 16): Promise<string> {
  return createHmac('sha256', await derivedKey(db, purpose)).update(text).digest('base64url').slice(0, length);
}
