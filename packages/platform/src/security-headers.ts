import type { FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';

/**
 * Security headers on every answer of a node, by @fastify/helmet. The Content-Security-Policy is written out
 * in full (not helmet's defaults, whose `upgrade-insecure-requests` would break a node served over plain
 * HTTP on a local network) and fits what the web app does:
 * - scripts and styles only from the node itself (Vite emits files; React's `style` props go through the
 *   CSSOM, which CSP does not govern);
 * - `blob:` and `data:` images: the verifier shows the photo from a QR as a blob: URL, the PDF/photo
 *   upload previews likewise; `blob:` media for the camera preview;
 * - the verifier's service worker (`/sw.js`, same origin) for offline use: `worker-src 'self'`;
 * - no framing by anyone (clickjacking of the head's signing page): `frame-ancestors 'none'`.
 * Referrer-Policy is `same-origin`, not helmet's `no-referrer`: the access log names the screen a photo or
 * PDF was opened from by its Referer, which must still reach the node itself and nobody else.
 */
const DIRECTIVES: Record<string, string[]> = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  mediaSrc: ["'self'", 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'"],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

// The OpenAPI pages (Swagger UI, /api/docs) write <style> elements at run time; only they may.
const DOCS_CSP = Object.entries({ ...DIRECTIVES, styleSrc: ["'self'", "'unsafe-inline'"] })
  .map(([name, values]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${values.join(' ')}`)
  .join(';');

export async function installSecurityHeaders(app: FastifyInstance, options: { https?: boolean } = {}): Promise<void> {
  const https = options.https ?? process.env.TANGGUH_SECURE_COOKIES === '1';
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: DIRECTIVES },
    referrerPolicy: { policy: 'same-origin' },
    // HSTS only where the node is served over HTTPS; on plain HTTP it would mean nothing or lock a LAN out.
    strictTransportSecurity: https ? { maxAge: 180 * 24 * 3600 } : false,
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url === '/api/docs' || request.url.startsWith('/api/docs/')) reply.header('content-security-policy', DOCS_CSP);
    return payload;
  });
}
