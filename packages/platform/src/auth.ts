import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Kysely } from 'kysely';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import { DomainError } from '@tangguh/domain';
import { authRoutes, type SessionUserView } from '@tangguh/protocol';
import { typed } from './contract.ts';
import { markRoles } from './access.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { allowedOriginsFromEnv, csrfToken, installCrossSiteGuard, SESSION_COOKIE } from './cross-site.ts';
import { loginThrottle, tooManyAttempts } from './login-throttle.ts';
import { sendError } from './http-errors.ts';

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
  /** Removes every session that expired at or before `now` (run at each login and periodically). */
  deleteExpiredSessions(now: string): Promise<void>;
}

export interface AuthOptions<T> {
  /** The node's database: login failures are counted there, shared by every API process. */
  db: Kysely<T>;
  /** IANA zone the "try again at HH:MM" of a throttled login is written in (the office's; the centre's is WIB). */
  timeZone: string;
  /** Origins besides the node's own allowed to send state-changing requests; default TANGGUH_ALLOWED_ORIGINS. */
  allowedOrigins?: readonly string[];
  /** Mark cookies `Secure` (the node is reached over HTTPS, directly or behind a proxy); default TANGGUH_SECURE_COOKIES=1. */
  secureCookies?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    sessionUser?: SessionUser;
  }
}

const COOKIE = SESSION_COOKIE;
const SESSION_HOURS = 12;
/** Expired sessions are deleted at each login and this often besides, so an idle node does not keep them. */
const SESSION_SWEEP_MS = 10 * 60_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

// Verifying against a throwaway hash when the user does not exist keeps the response time the same.
const dummyHash = hashPassword('tidak-ada-pengguna');

export const notLoggedIn = () =>
  new DomainError('UNAUTHENTICATED', { id: 'Silakan masuk terlebih dahulu.', en: 'Please log in first.' }, 'unauthenticated');

/** Sessions in the node's own database, an httpOnly cookie, and role checks for every route. */
export async function installAuth<U extends SessionUser, T>(
  app: FastifyInstance,
  store: SessionStore<U>,
  present: (user: U) => SessionUserView,
  options: AuthOptions<T>,
): Promise<void> {
  const secure = options.secureCookies ?? process.env.TANGGUH_SECURE_COOKIES === '1';
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await installCrossSiteGuard(app, { allowedOrigins: options.allowedOrigins ?? allowedOriginsFromEnv(), secureCookies: secure });
  const throttle = loginThrottle(options.db);

  const sweep = () =>
    Promise.all([store.deleteExpiredSessions(new Date().toISOString()), throttle.sweep(new Date())]).catch((error: unknown) =>
      app.log.warn({ err: error }, 'expired sessions or login counts not deleted'),
    );
  const sweeper = setInterval(sweep, SESSION_SWEEP_MS).unref();
  app.addHook('onClose', async () => clearInterval(sweeper));

  app.addHook('onRequest', async (request) => {
    const token = request.cookies[COOKIE];
    if (!token) return;
    request.sessionUser = await store.userForSession(hashToken(token), new Date().toISOString());
  });

  const api = typed(app);
  // Throttled per account and per address in the database (login-throttle.ts), not by @fastify/rate-limit's
  // per-address memory count, which locked out every account behind one NAT address.
  api.post('/api/auth/login', { schema: authRoutes.login }, async (request, reply) => {
    const body = request.body;
    const now = new Date();
    const waitUntil = await throttle.blockedUntil(body.username, request.ip, now);
    if (waitUntil) {
      reply.header('retry-after', String(Math.max(1, Math.ceil((waitUntil.getTime() - now.getTime()) / 1000))));
      return sendError(reply, request, 429, 'TOO_MANY_LOGIN_ATTEMPTS', tooManyAttempts(waitUntil, options.timeZone));
    }
    const login = await store.findLogin(body.username);
    const ok = await verifyPassword(body.password, login?.passwordHash ?? (await dummyHash));
    if (!login || !ok) {
      await throttle.recordFailure(body.username, request.ip, now);
      throw new DomainError('LOGIN_FAILED', { id: 'Nama pengguna atau kata sandi salah.', en: 'Wrong username or password.' }, 'unauthenticated');
    }
    await throttle.recordSuccess(body.username);
    await sweep();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000).toISOString();
    await store.createSession(hashToken(token), login.user.username, expiresAt);
    reply.setCookie(COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict', secure, expires: new Date(expiresAt) });
    return { user: present(login.user) };
  });

  api.post('/api/auth/logout', { schema: authRoutes.logout }, async (request, reply) => {
    const token = request.cookies[COOKIE];
    if (token) await store.deleteSession(hashToken(token));
    reply.clearCookie(COOKIE, { path: '/' });
    return { ok: true as const };
  });

  // The web asks once on load and sends it as x-csrf-token with every state-changing request (cross-site.ts).
  api.get('/api/auth/csrf', { schema: authRoutes.csrf }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { token: csrfToken(reply) };
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
