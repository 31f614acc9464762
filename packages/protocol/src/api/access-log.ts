import { z } from 'zod';
import { isoTimestamp, sessionErrors } from './common.ts';

/** What was read: a record (detail, photo, search), a Suket (list, detail, PDF, QR) or a document (list, detail, PDF). */
export const ACCESS_ACTIONS = [
  'record.search',
  'record.view',
  'record.photo',
  'suket.list',
  'suket.view',
  'suket.pdf',
  'suket.qr',
  'document.list',
  'document.view',
  'document.pdf',
  /** A resident's own status check at /warga (no officer: username `warga`). */
  'citizen.check',
] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

export const accessLogEntrySchema = z
  .object({
    id: z.number(),
    at: isoTimestamp,
    username: z.string(),
    role: z.string(),
    siteId: z.string(),
    action: z.enum(ACCESS_ACTIONS),
    recordId: z.string().nullable(),
    /** The resident's NIK where the read concerned one person. */
    nik: z.string().nullable(),
    /** The Suket serial, the document id or the search text. */
    subject: z.string().nullable(),
    /** The web page the read came from (its path), or `api` when no screen was named. */
    screen: z.string(),
  })
  .meta({ id: 'AccessLogEntry' });
export type AccessLogEntry = z.infer<typeof accessLogEntrySchema>;

const empty = z.literal('').transform(() => undefined);

export const accessLogQuerySchema = z.object({
  nik: z.string().trim().regex(/^\d{16}$/, '16 digits').optional().or(empty),
  username: z.string().trim().min(1).max(64).optional().or(empty),
  /** A calendar day in the office's time zone. */
  day: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').optional().or(empty),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export type AccessLogQuery = z.input<typeof accessLogQuerySchema>;

export const accessLogResponseSchema = z.object({ items: z.array(accessLogEntrySchema) });
export type AccessLogResponse = z.infer<typeof accessLogResponseSchema>;

export const accessLogRoutes = {
  list: {
    tags: ['access-log'],
    summary: 'Who read which resident’s data, when and from which screen (head of office and admins only)',
    querystring: accessLogQuerySchema,
    response: { 200: accessLogResponseSchema, ...sessionErrors },
  },
  erase: { tags: ['access-log'], summary: 'Always refused: the access log is append-only for every role', response: { ...sessionErrors } },
};
