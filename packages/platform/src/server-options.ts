import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Bilingual } from '@tangguh/domain';
import { errorBody, sendError } from './http-errors.ts';

/**
 * Fastify answers a few failures itself, before any route or error handler runs: a URL it cannot decode,
 * a path parameter over maxParamLength, headers over Node's limit (431, answered on the raw socket) and
 * requests that arrive while the server closes (503). These options route each of them into the same
 * bilingual error shape every other answer has, so a client (and the web) can show them to a person.
 */

/** Longer than any id or serial of ours (a UUID is 36), shorter than anything that is not one. */
export const MAX_PARAM_LENGTH = 200;

const BAD_URL: Bilingual = { id: 'Alamat (URL) tidak dapat dibaca.', en: 'The URL could not be read.' };
const PARAM_TOO_LONG: Bilingual = { id: 'Bagian alamat (URL) terlalu panjang.', en: 'A part of the URL is too long.' };
const HEADERS_TOO_LARGE: Bilingual = { id: 'Header permintaan terlalu besar.', en: 'The request headers are too large.' };
const CLIENT_TIMEOUT: Bilingual = { id: 'Permintaan terlalu lama dikirim.', en: 'The request took too long to arrive.' };
const CLIENT_ERROR: Bilingual = { id: 'Permintaan tidak dapat dibaca.', en: 'The request could not be read.' };
export const SHUTTING_DOWN: Bilingual = {
  id: 'Server sedang dimatikan untuk sementara. Data Anda tidak berubah; coba lagi sebentar lagi.',
  en: 'The server is shutting down for a moment. Nothing was changed; try again shortly.',
};

function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return sendError(reply, request, 414, 'URL_TOO_LONG', PARAM_TOO_LONG);
  return sendError(reply, request, 400, 'BAD_URL', BAD_URL);
}

// On the raw socket there is no request to read a language from: Indonesian first, both messages in the body.
function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, messages] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? ([431, 'HEADERS_TOO_LARGE', HEADERS_TOO_LARGE] as const)
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ([408, 'REQUEST_TIMEOUT', CLIENT_TIMEOUT] as const)
        : ([400, 'BAD_REQUEST', CLIENT_ERROR] as const);
  const body = JSON.stringify(errorBody('id', code, messages));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/**
 * Spread into `Fastify({ ... })` of every node. TANGGUH_TRUST_PROXY (the reverse proxy's addresses or
 * CIDRs, comma-separated) makes the node read the client's address, scheme and host from X-Forwarded-*
 * as that proxy sets them: login throttling then counts each client's address rather than the proxy's,
 * and the cross-site check sees the origin the browser used.
 */
export const bilingualServerOptions = (env: NodeJS.ProcessEnv = process.env) => ({
  ...(env.TANGGUH_TRUST_PROXY ? { trustProxy: env.TANGGUH_TRUST_PROXY } : {}),
  routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
  frameworkErrors,
  clientErrorHandler,
  // Our own onRequest hook answers requests that arrive while closing (below), in the bilingual shape.
  return503OnClosing: false,
});

/** Requests that reach the node after close() began get 503 in the bilingual shape, and the connection ends. */
export function refuseWhileClosing(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!closing) return;
    reply.header('connection', 'close').header('retry-after', '5');
    return sendError(reply, request, 503, 'SHUTTING_DOWN', SHUTTING_DOWN);
  });
}
