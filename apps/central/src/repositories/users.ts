import type { SessionStore } from '@tangguh/platform';
import type { CentralDbOrTx } from '../db/schema.ts';

export type CentralRole = 'adjudicator' | 'admin';

export interface CentralUser {
  username: string;
  fullName: string;
  role: CentralRole;
}

const toUser = (row: { username: string; full_name: string; role: string }): CentralUser => ({
  username: row.username,
  fullName: row.full_name,
  role: row.role as CentralRole,
});

export function centralSessionStore(db: CentralDbOrTx): SessionStore<CentralUser> {
  return {
    async findLogin(username) {
      const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
      return row ? { user: toUser(row), passwordHash: row.password_hash } : undefined;
    },
    async createSession(tokenHash, username, expiresAt) {
      await db.insertInto('sessions').values({ token_hash: tokenHash, username, expires_at: expiresAt }).execute();
    },
    async userForSession(tokenHash, now) {
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.username', 'sessions.username')
        .select(['users.username', 'users.full_name', 'users.role'])
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

export async function upsertCentralUser(db: CentralDbOrTx, user: CentralUser & { passwordHash: string }): Promise<void> {
  await db
    .insertInto('users')
    .values({ username: user.username, full_name: user.fullName, role: user.role, password_hash: user.passwordHash })
    .onConflict((oc) => oc.column('username').doUpdateSet({ full_name: user.fullName, role: user.role, password_hash: user.passwordHash }))
    .execute();
}
