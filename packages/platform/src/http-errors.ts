import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { DomainError, type Bilingual, type FailureKind, type FieldIssue } from '@tangguh/domain';
import { describeZodError } from '@tangguh/protocol';

const STATUS_OF: Record<FailureKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unavailable: 503,
};

export type Lang = 'id' | 'en';

/** Indonesian unless the client clearly prefers English. */
export function preferredLang(request: FastifyRequest): Lang {
  const header = request.headers['accept-language'] ?? '';
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'id';
}

export interface ErrorBody {
  error: { code: string; message: string; messages: Bilingual; issues?: (FieldIssue & { message: string })[] };
}

export function errorBody(lang: Lang, code: string, messages: Bilingual, issues: FieldIssue[] = []): ErrorBody {
  return {
    error: {
      code,
      message: messages[lang],
      messages,
      ...(issues.length > 0 ? { issues: issues.map((issue) => ({ ...issue, message: issue.messages[lang] })) } : {}),
    },
  };
}

export function sendError(reply: FastifyReply, request: FastifyRequest, status: number, code: string, messages: Bilingual, issues: FieldIssue[] = []) {
  return reply.status(status).send(errorBody(preferredLang(request), code, messages, issues));
}

/** Schema failures as field issues written for people (the wording lives once, in the protocol package). */
export function zodIssues(error: ZodError): FieldIssue[] {
  return describeZodError(error);
}

/**
 * One error handler for every node: domain errors keep their code, schema errors list each field,
 * and nothing unexpected ever leaks a stack trace to a client.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | DomainError | ZodError, request, reply) => {
    if (error instanceof DomainError) {
      return sendError(reply, request, STATUS_OF[error.kind], error.code, error.messages, error.issues);
    }
    if (error instanceof ZodError) {
      const issues = zodIssues(error);
      return sendError(reply, request, 400, 'INVALID_INPUT', { id: 'Data yang dikirim tidak valid.', en: 'The data sent is invalid.' }, issues);
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(reply, request, 413, 'PAYLOAD_TOO_LARGE', { id: 'Data yang dikirim terlalu besar.', en: 'The request body is too large.' });
    }
    if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendError(reply, request, 415, 'UNSUPPORTED_MEDIA_TYPE', { id: 'Format data tidak didukung; kirim JSON.', en: 'Unsupported media type; send JSON.' });
    }
    // @fastify/csrf-protection (cross-site.ts): no secret cookie, or a token that does not match it.
    if (fastifyError.code === 'FST_CSRF_MISSING_SECRET' || fastifyError.code === 'FST_CSRF_INVALID_TOKEN') {
      return sendError(reply, request, 403, 'CSRF_TOKEN_INVALID', {
        id: 'Token keamanan halaman tidak berlaku. Muat ulang halaman lalu coba lagi.',
        en: 'The page’s security token is not valid. Reload the page and try again.',
      });
    }
    if (fastifyError.statusCode !== undefined && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      return sendError(reply, request, fastifyError.statusCode, 'BAD_REQUEST', { id: 'Permintaan tidak dapat dibaca.', en: `The request could not be read: ${fastifyError.message}` });
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, request, 500, 'INTERNAL', { id: 'Terjadi kesalahan pada server. Data Anda tidak berubah; silakan coba lagi.', en: 'A server error occurred. Nothing was changed; please try again.' });
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, request, 404, 'NOT_FOUND', { id: 'Alamat tidak ditemukan.', en: 'Not found.' }),
  );
}
