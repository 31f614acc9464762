import type { SessionStore } from '@tangguh/platform';
import type { OfficeDbOrTx } from '../db/schema.ts';

export const OFFICE_ROLES = ['operator', 'supervisor', 'head', 'admin'] as const;
export type OfficeRole = (typeof OFFICE_ROLES)[number];

export interface OfficeUser {
  username: string;
  fullName: string;
  role: OfficeRole;
  siteId: string;
  siteName: string;
}

function userQuery(db: OfficeDbOrTx) {
  return db
    .selectFrom('users')
    .innerJoin('sites', 'sites.id', 'users.site_id')
    .select(['users.username', 'users.full_name', 'users.role', 'users.site_id', 'sites.name as site_name', 'users.password_hash']);
}

type UserRow = { username: string; full_name: string; role: string; site_id: string; site_name: string };
const toUser = (row: UserRow): OfficeUser => ({
  username: row.username,
  fullName: row.full_name,
  role: row.role as OfficeRole,
  siteId: row.site_id,
  siteName: row.site_name,
});

export function officeSessionStore(db: OfficeDbOrTx): SessionStore<OfficeUser> {
  return {
    async findLogin(username) {
      const row = await userQuery(db).where('users.username', '=', username).executeTakeFirst();
      return row ? { user: toUser(row), passwordHash: row.password_hash } : undefined;
    },
    async createSession(tokenHash, username, expiresAt) {
      await db.insertInto('sessions').values({ token_hash: tokenHash, username, expires_at: expiresAt }).execute();
    },
    async userForSession(tokenHash, now) {
      const row = await userQuery(db)
        .innerJoin('sessions', 'sessions.username', 'users.username')
        .where('sessions.token_hash', '=', tokenHash)
        .where('sessions.expires_at', '>', now)
        .executeTakeFirst();
      return row ? toUser(row) : undefined;
    },
    async deleteSession(tokenHash) {
      await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    },
    async deleteExpiredSessions(now) {
      await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
    },
  };
}

/** Adds a user, or updates name, role, site and password of an existing one. */
export async function upsertOfficeUser(db: OfficeDbOrTx, user: { username: string; full_name: string; role: OfficeRole; site_id: string; password_hash: string }): Promise<void> {
  const { username: _username, ...change } = user;
  await db.insertInto('users').values(user).onConflict((oc) => oc.column('username').doUpdateSet(change)).execute();
}
