import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import { DomainError } from '@tangguh/domain';
import { authRoutes, type SessionUserView } from '@tangguh/protocol';
import { typed } from './contract.ts';
import { markRoles } from './access.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

export interface SessionUser {
  username: string;
  role: string;
}

/** What the auth routes need from a node's repositories. */
export interface SessionStore<U extends SessionUser> {
  findLogin(username: string): Promise<{ user: U; passwordHash: string } | undefined>;
  createSession(tokenHash: string, username: string, expiresAt: string): Promise<void>;
  userForSession(tokenHash: string, now: string): Promise<U | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    sessionUser?: SessionUser;
  }
}

const COOKIE = 'tangguh_session';
const SESSION_HOURS = 12;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

// Verifying against a throwaway hash when the user does not exist keeps the response time the same.
const dummyHash = hashPassword('tidak-ada-pengguna');

export const notLoggedIn = () =>
  new DomainError('UNAUTHENTICATED', { id: 'Silakan masuk terlebih dahulu.', en: 'Please log in first.' }, 'unauthenticated');

/** Sessions in the node's own database, an httpOnly cookie, and role checks for every route. */
export async function installAuth<U extends SessionUser>(
  app: FastifyInstance,
  store: SessionStore<U>,
  present: (user: U) => SessionUserView,
): Promise<void> {
  await app.register(cookie);
  await app.register(rateLimit, { global: false });

  app.addHook('onRequest', async (request) => {
    const token = request.cookies[COOKIE];
    if (!token) return;
    request.sessionUser = await store.userForSession(hashToken(token), new Date().toISOString());
  });

  const api = typed(app);
  api.post('/api/auth/login', { schema: authRoutes.login, config: { rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (request, reply) => {
    const body = request.body;
    const login = await store.findLogin(body.username);
    const ok = await verifyPassword(body.password, login?.passwordHash ?? (await dummyHash));
    if (!login || !ok) {
      throw new DomainError('LOGIN_FAILED', { id: 'Nama pengguna atau kata sandi salah.', en: 'Wrong username or password.' }, 'unauthenticated');
    }
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000).toISOString();
    await store.createSession(hashToken(token), login.user.username, expiresAt);
    reply.setCookie(COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict', expires: new Date(expiresAt) });
    return { user: present(login.user) };
  });

  api.post('/api/auth/logout', { schema: authRoutes.logout }, async (request, reply) => {
    const token = request.cookies[COOKIE];
    if (token) await store.deleteSession(hashToken(token));
    reply.clearCookie(COOKIE, { path: '/' });
    return { ok: true as const };
  });

  api.get('/api/auth/me', { schema: authRoutes.me, preHandler: requireRole() }, async (request) => ({ user: present(request.sessionUser as U) }));
}

/** A preHandler that lets only logged-in users with one of the roles through (any role when none given). */
export function requireRole(...roles: string[]): preHandlerAsyncHookHandler {
  // Marked with its roles so the route table can say who may call each route (see access.ts).
  return markRoles(async (request: FastifyRequest, _reply: FastifyReply) => {
    const user = request.sessionUser;
    if (!user) throw notLoggedIn();
    if (roles.length > 0 && !roles.includes(user.role)) {
      throw new DomainError('FORBIDDEN', { id: 'Peran Anda tidak diizinkan melakukan ini.', en: 'Your role is not allowed to do this.' }, 'forbidden');
    }
  }, roles);
}
