import { z } from 'zod';

/**
 * Pieces every API schema shares: the bilingual text, the one error body every 4xx/5xx carries, and the
 * way a route lists the error statuses it can answer with (so /api/docs shows them).
 */

export const bilingualSchema = z.object({ id: z.string(), en: z.string() }).meta({ id: 'Bilingual', description: 'The same text in Indonesian (id) and English (en).' });
export type BilingualText = z.infer<typeof bilingualSchema>;

export const apiIssueSchema = z.object({
  field: z.string(),
  code: z.string(),
  messages: bilingualSchema,
  /** The message in the language the request preferred (Accept-Language). */
  message: z.string().optional(),
});
export type ApiIssue = z.infer<typeof apiIssueSchema>;

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      messages: bilingualSchema,
      issues: z.array(apiIssueSchema).optional(),
    }),
  })
  .meta({ id: 'Error', description: 'Every error: a stable code, the message in the preferred language, both languages, and field issues for invalid input.' });
export type ApiErrorBody = z.infer<typeof errorBodySchema>;

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

/** `{ 400: errorBodySchema, 401: errorBodySchema, … }` for a route's `response` map. */
export function errors<const S extends readonly ErrorStatus[]>(...statuses: S): { [K in S[number]]: typeof errorBodySchema } {
  return Object.fromEntries(statuses.map((status) => [status, errorBodySchema])) as { [K in S[number]]: typeof errorBodySchema };
}

/** Errors of a route behind a login. */
export const sessionErrors = errors(400, 401, 403);

export const uuidParamsSchema = z.object({ id: z.uuid() });
export type UuidParams = z.infer<typeof uuidParamsSchema>;

/** ISO 8601 timestamp as the server stores it. */
export const isoTimestamp = z.string().meta({ format: 'date-time' });

/** Bytes sent as they are (Fastify never serializes a Buffer); shown in OpenAPI as a binary string. */
const binaryBody = z.custom<Uint8Array>((value) => value instanceof Uint8Array).meta({ type: 'string', format: 'binary' });

/** Binary answers (photos, PDFs) are documented by content type; there is no JSON to parse. */
export const binary = (contentTypes: string[], description: string) => ({
  description,
  content: Object.fromEntries(contentTypes.map((type) => [type, { schema: binaryBody }])),
});

export const okSchema = z.object({ ok: z.literal(true) });
