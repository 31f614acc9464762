import { sql, type Kysely } from 'kysely';
import { timeZoneAbbreviation, zonedParts, type Bilingual } from '@tangguh/domain';

/**
 * Login throttling, per account and per address, counted in the node's database (migration
 * 0005_login_throttle) so that split API processes share one count.
 *
 * Why two counters and these numbers: an office sits behind one NAT address, so a per-address limit low
 * enough to stop guessing would let one person's typos (or an attacker) lock every colleague out. The
 * account counter slows an attacked account down with a growing delay (30 s, 1, 2, 4, 8 min, capped at
 * 15) that always ends, so nobody can lock the head of office out for good. Attempts at an account while
 * it waits are refused without checking the password and are not counted for the address: guessing at one
 * account produces at most 13 counted failures an hour (5 free, then one per wait), far below the
 * address limit of 50, so failures on one account never block another. Only spraying several accounts
 * from one address reaches that limit. Counts are forgotten an hour after the last failure (not 15
 * minutes, or the 15-minute wait itself would start the account afresh).
 */
export const THROTTLE = {
  windowMs: 60 * 60_000,
  accountFreeFailures: 5,
  accountBaseDelayMs: 30_000,
  accountMaxDelayMs: 15 * 60_000,
  addressFailures: 50,
  addressBlockMs: 15 * 60_000,
} as const;

type LoginThrottleTables = {
  login_throttle: { key: string; failures: number; last_failure_at: string; blocked_until: string | null };
};

export const accountKey = (username: string) => `account:${username.toLowerCase()}`;
export const addressKey = (address: string) => `address:${address}`;

/** When an account that has now failed `failures` times in a row must wait until (undefined: not yet). */
export function accountBlockedUntil(failures: number, now: Date): Date | undefined {
  const over = failures - THROTTLE.accountFreeFailures;
  if (over <= 0) return undefined;
  const delay = Math.min(THROTTLE.accountMaxDelayMs, THROTTLE.accountBaseDelayMs * 2 ** (over - 1));
  return new Date(now.getTime() + delay);
}

export function addressBlockedUntil(failures: number, now: Date): Date | undefined {
  return failures >= THROTTLE.addressFailures ? new Date(now.getTime() + THROTTLE.addressBlockMs) : undefined;
}

const two = (n: number) => String(n).padStart(2, '0');

/** The 429's text, "try again at 14.05 WIB", in the node's own zone, both languages. */
export function tooManyAttempts(until: Date, timeZone: string): Bilingual {
  const { hour, minute } = zonedParts(until, timeZone);
  const label = timeZoneAbbreviation(timeZone, until);
  return {
    id: `Terlalu banyak percobaan masuk. Coba lagi pukul ${two(hour)}.${two(minute)} ${label}.`,
    en: `Too many login attempts. Try again at ${two(hour)}:${two(minute)} ${label}.`,
  };
}

export interface LoginThrottle {
  /** The moment the attempt may be made, when it must wait now; undefined when it may go ahead. */
  blockedUntil(username: string, address: string, now: Date): Promise<Date | undefined>;
  recordFailure(username: string, address: string, now: Date): Promise<void>;
  recordSuccess(username: string): Promise<void>;
  /** Forgets counts whose window has passed (unknown usernames tried once leave a row each). */
  sweep(now: Date): Promise<void>;
}

export function loginThrottle<T>(nodeDb: Kysely<T>): LoginThrottle {
  const db = nodeDb.withTables<LoginThrottleTables>() as unknown as Kysely<LoginThrottleTables>;

  // One statement per counter: concurrent failures in several processes each add one, none is lost.
  const bump = async (key: string, now: Date): Promise<number> => {
    const at = now.toISOString();
    const windowStart = new Date(now.getTime() - THROTTLE.windowMs).toISOString();
    const row = await db
      .insertInto('login_throttle')
      .values({ key, failures: 1, last_failure_at: at, blocked_until: null })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: sql<number>`case when login_throttle.last_failure_at < ${windowStart} then 1 else login_throttle.failures + 1 end`,
          last_failure_at: at,
        }),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    return Number(row.failures);
  };

  const block = async (key: string, until: Date | undefined) => {
    if (until) await db.updateTable('login_throttle').set({ blocked_until: until.toISOString() }).where('key', '=', key).execute();
  };

  return {
    async blockedUntil(username, address, now) {
      const rows = await db
        .selectFrom('login_throttle')
        .select('blocked_until')
        .where('key', 'in', [accountKey(username), addressKey(address)])
        .where('blocked_until', '>', now.toISOString())
        .execute();
      const times = rows.map((r) => new Date(r.blocked_until!).getTime());
      return times.length > 0 ? new Date(Math.max(...times)) : undefined;
    },
    async recordFailure(username, address, now) {
      const account = accountKey(username);
      const where = addressKey(address);
      await block(account, accountBlockedUntil(await bump(account, now), now));
      await block(where, addressBlockedUntil(await bump(where, now), now));
    },
    async recordSuccess(username) {
      await db.deleteFrom('login_throttle').where('key', '=', accountKey(username)).execute();
    },
    async sweep(now) {
      const at = now.toISOString();
      const windowStart = new Date(now.getTime() - THROTTLE.windowMs).toISOString();
      await db
        .deleteFrom('login_throttle')
        .where('last_failure_at', '<', windowStart)
        .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', at)]))
        .execute();
    },
  };
}
