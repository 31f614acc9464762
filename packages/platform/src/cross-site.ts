import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import csrfProtection from '@fastify/csrf-protection';
import { sendError } from './http-errors.ts';

/**
 * Cross-site request defence for every state-changing route of a node. The session cookie is
 * SameSite=Strict, but "site" is host without port: another port on the same host (the centre and an
 * office on one machine), a sibling subdomain or a compromised page there all get the cookie. So:
 *
 * The rule, for POST/PUT/PATCH/DELETE under /api/:
 * 1. A request that names an Origin must name the node's own origin (scheme://host:port as this request
 *    reached it) or one listed in TANGGUH_ALLOWED_ORIGINS (a reverse proxy's public origin); a browser's
 *    Sec-Fetch-Site, when sent, must be `same-origin` unless the Origin is such a listed one. Otherwise
 *    403 CROSS_SITE_REQUEST, answered from the headers before any body is read.
 * 2. POST/PUT/PATCH must be `application/json`: an empty, text/plain, form or multipart body (what a
 *    page on another site can send without a CORS preflight) is refused with 415.
 * 3. A browser's request (one that sends Origin or Sec-Fetch-Site — every current browser does on a
 *    POST) that carries a session cookie must also carry the CSRF token (`x-csrf-token`, from
 *    GET /api/auth/csrf; @fastify/csrf-protection, secret in an httpOnly cookie). A client that sends
 *    neither header is not a browser (the CLI, a script with its own login): no third party can make it
 *    send its cookie, so it needs no token.
 *
 * The token's secret cookie is neither signed nor bound to the session: both need a key every API process
 * holds, and split processes share only the database. What that would add (against a sibling subdomain
 * planting its own secret cookie) rule 1 already refuses, as such a page's requests carry its Origin.
 *
 * Exempt: /sync/* (authenticated by the office's signature on every request, not by a cookie; outside
 * /api) and the public verification endpoints under /api/verifikasi, which change nothing, take uploads
 * of pictures and PDFs, and are meant to be called from anywhere.
 */

export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_COOKIE = 'tangguh_session';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
const EXEMPT_PREFIXES = ['/api/verifikasi'];

export interface CrossSiteOptions {
  /** Origins besides the node's own that may send state-changing requests (a reverse proxy's public origin). */
  allowedOrigins?: readonly string[];
  /** Mark the CSRF secret cookie `Secure` (served over HTTPS). */
  secureCookies?: boolean;
}

/** `TANGGUH_ALLOWED_ORIGINS=https://kantor.example.go.id,https://…` */
export function allowedOriginsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.TANGGUH_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim().replace(/\/$/, ''))
    .filter((o) => o !== '');
}

function guarded(request: FastifyRequest): boolean {
  if (!STATE_CHANGING.has(request.method)) return false;
  const path = request.url.split('?')[0] ?? '';
  if (!path.startsWith('/api/')) return false;
  return !EXEMPT_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

const crossSite = (request: FastifyRequest, reply: FastifyReply) =>
  sendError(reply, request, 403, 'CROSS_SITE_REQUEST', {
    id: 'Permintaan dari situs lain ditolak. Buka aplikasi dari alamat kantor sendiri lalu coba lagi.',
    en: 'A request from another site was refused. Open the application from the office’s own address and try again.',
  });

const notJson = (request: FastifyRequest, reply: FastifyReply) =>
  sendError(reply, request, 415, 'UNSUPPORTED_MEDIA_TYPE', { id: 'Format data tidak didukung; kirim JSON.', en: 'Unsupported media type; send JSON.' });

export async function installCrossSiteGuard(app: FastifyInstance, options: CrossSiteOptions = {}): Promise<void> {
  const allowed = new Set(options.allowedOrigins ?? allowedOriginsFromEnv());
  await app.register(csrfProtection, {
    cookieKey: 'tangguh_csrf',
    cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure: options.secureCookies ?? false },
    getToken: (request) => {
      const header = request.headers[CSRF_HEADER];
      return typeof header === 'string' ? header : undefined;
    },
  });

  app.addHook('onRequest', (request, reply, done) => {
    if (!guarded(request)) return done();
    const origin = request.headers.origin;
    const fetchSite = request.headers['sec-fetch-site'];
    const listed = typeof origin === 'string' && allowed.has(origin);
    const own = typeof origin === 'string' && origin === `${request.protocol}://${request.host}`;
    if (origin !== undefined && !own && !listed) return void crossSite(request, reply);
    if (typeof fetchSite === 'string' && fetchSite !== 'same-origin' && !listed) return void crossSite(request, reply);
    if (WITH_BODY.has(request.method)) {
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json') return void notJson(request, reply);
    }
    const browser = origin !== undefined || fetchSite !== undefined;
    if (browser && request.cookies[SESSION_COOKIE] !== undefined) return app.csrfProtection(request, reply, done);
    done();
  });
}

/** GET /api/auth/csrf: a token for the x-csrf-token header (and its secret cookie, once). */
export const csrfToken = (reply: FastifyReply): string => reply.generateCsrf();
