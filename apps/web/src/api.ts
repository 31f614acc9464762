import type { ZodType } from 'zod';
import type { ApiErrorBody, ApiIssue, Bilingual } from './api-types.ts';
import { dictionaries, interpolate } from './i18n/index.tsx';

/** An error a person can act on: the server's own bilingual message, or one of ours for transport failures. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly messages: Bilingual;
  readonly issues: ApiIssue[];

  constructor(status: number, code: string, messages: Bilingual, issues: ApiIssue[] = []) {
    super(messages.en);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.messages = messages;
    this.issues = issues;
  }

  /** True when no server answered at all (office down, network cut). */
  get unreachable(): boolean {
    return this.status === 0;
  }
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  if (typeof error !== 'object' || error === null) return false;
  const messages = (error as { messages?: unknown }).messages;
  return typeof messages === 'object' && messages !== null && 'id' in messages && 'en' in messages;
}

function bilingual(key: 'error.network' | 'error.badResponse', status = 0): Bilingual {
  return {
    id: interpolate(dictionaries.id[key], { status }),
    en: interpolate(dictionaries.en[key], { status }),
  };
}

/** The page a call is made from: the office writes it in its access log (who read whose data, from which screen). */
const SCREEN_HEADER = 'x-tangguh-screen';

/**
 * The node refuses a state-changing request from a browser without its CSRF token (cross-site.ts on the
 * server). The token is asked for once, on the first such request, and kept for the page's life; it is
 * not tied to the session, so logging in or out does not change it. A 403 CSRF_TOKEN_INVALID (its secret
 * cookie gone, or another tab took a new one) asks once more and repeats the request.
 */
const CSRF_HEADER = 'x-csrf-token';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let csrfToken: Promise<string> | undefined;

function currentCsrfToken(signal?: AbortSignal): Promise<string> {
  csrfToken ??= send<{ token: unknown }>('GET', '/api/auth/csrf', undefined, signal, {}).then(
    (answer) => {
      if (typeof answer?.token !== 'string') throw new ApiError(200, 'BAD_RESPONSE', bilingual('error.badResponse', 200));
      return answer.token;
    },
    (error: unknown) => {
      csrfToken = undefined;
      throw error;
    },
  );
  return csrfToken;
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  if (!STATE_CHANGING.has(method)) return send<T>(method, path, body, signal, {});
  const token = await currentCsrfToken(signal);
  try {
    return await send<T>(method, path, body, signal, { [CSRF_HEADER]: token });
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'CSRF_TOKEN_INVALID') throw error;
    csrfToken = undefined;
    return send<T>(method, path, body, signal, { [CSRF_HEADER]: await currentCsrfToken(signal) });
  }
}

async function send<T>(method: string, path: string, body: unknown, signal: AbortSignal | undefined, extraHeaders: Record<string, string>): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), [SCREEN_HEADER]: location.pathname, ...extraHeaders },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'OFFICE_UNREACHABLE', bilingual('error.network'));
  }

  const text = await response.text().catch(() => '');
  let parsed: unknown = undefined;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }

  if (!response.ok) {
    if (isErrorBody(parsed)) {
      const { code, messages, issues } = parsed.error;
      throw new ApiError(response.status, code, messages, Array.isArray(issues) ? issues : []);
    }
    // A proxy or a dead upstream answers without our error shape.
    const unreachable = response.status === 502 || response.status === 503 || response.status === 504;
    throw new ApiError(
      unreachable ? 0 : response.status,
      unreachable ? 'OFFICE_UNREACHABLE' : 'BAD_RESPONSE',
      unreachable ? bilingual('error.network') : bilingual('error.badResponse', response.status),
    );
  }
  if (parsed === undefined && text !== '') {
    throw new ApiError(response.status, 'BAD_RESPONSE', bilingual('error.badResponse', response.status));
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, undefined, signal),
  post: <T>(path: string, body?: unknown, signal?: AbortSignal) => request<T>('POST', path, body ?? {}, signal),
  put: <T>(path: string, body: unknown, signal?: AbortSignal) => request<T>('PUT', path, body, signal),
};

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'CLIENT_ERROR', bilingual('error.badResponse'));
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** `/api/x?a=1&b=2`, leaving out empty parameters. */
export function withQuery(path: string, params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) search.set(key, String(value));
  }
  const query = search.toString();
  return query === '' ? path : `${path}?${query}`;
}

/**
 * A call whose answer is parsed with the contract's response schema (from `@tangguh/protocol`): a reply
 * that does not match (a renamed field, a server of another release) fails here, visibly, instead of
 * showing up as a silent "—" somewhere on the page.
 */
function parsedWith<T>(schema: ZodType<T>, status: number, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw new ApiError(status, 'BAD_RESPONSE', bilingual('error.badResponse', status));
  return result.data;
}

export const contractApi = {
  get: async <T>(schema: ZodType<T>, path: string, signal?: AbortSignal) => parsedWith(schema, 200, await request<unknown>('GET', path, undefined, signal)),
  post: async <T>(schema: ZodType<T>, path: string, body?: unknown, signal?: AbortSignal) =>
    parsedWith(schema, 200, await request<unknown>('POST', path, body ?? {}, signal)),
  put: async <T>(schema: ZodType<T>, path: string, body: unknown, signal?: AbortSignal) => parsedWith(schema, 200, await request<unknown>('PUT', path, body, signal)),
  delete: async <T>(schema: ZodType<T>, path: string, signal?: AbortSignal) => parsedWith(schema, 200, await request<unknown>('DELETE', path, undefined, signal)),
};
