import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError, invalidInput, parseIsoDate, startOfZonedDay } from '@tangguh/domain';
import { accessLogRoutes as routes, type AccessAction } from '@tangguh/protocol';
import { requireRole, typed } from '@tangguh/platform';
import type { OfficeContext } from '../context.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { appendAccess, listAccess } from '../repositories/access-log.ts';
import { refusingWhenFull } from '../services/storage-errors.ts';

/** The header the web app sets to the path of the page a read comes from (apps/web/src/api.ts). */
export const SCREEN_HEADER = 'x-tangguh-screen';

/**
 * The screen as the client named it: printable text only (it is shown to the head of office) and short.
 * Without the header (a script, the CLI) the read is still logged, as coming from the bare API.
 */
export function screenOf(request: FastifyRequest): string {
  const raw = request.headers[SCREEN_HEADER];
  const named = (Array.isArray(raw) ? raw[0] : raw) ?? refererPath(request);
  // eslint-disable-next-line no-control-regex -- control and bidi-override characters are exactly what is removed
  const cleaned = named?.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim().slice(0, 200);
  return cleaned || 'api';
}

/** A photo in an <img> or a PDF behind a link carries no custom header; the browser's Referer names the page. */
function refererPath(request: FastifyRequest): string | undefined {
  const referer = request.headers.referer;
  if (!referer) return undefined;
  try {
    const url = new URL(referer);
    return url.host === request.headers.host ? url.pathname : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Screens poll (the dashboard every 3 s, a record page too): the same person reading the same thing on the
 * same screen within this window is one access, not hundreds of rows.
 */
const SAME_ACCESS_MS = 10 * 60_000;
const logged = new WeakMap<OfficeContext, Map<string, number>>();

function seenRecently(recentlyLogged: Map<string, number>, key: string, now: number): boolean {
  const last = recentlyLogged.get(key);
  if (last !== undefined && now - last < SAME_ACCESS_MS) return true;
  if (recentlyLogged.size >= 10_000) {
    for (const [k, at] of recentlyLogged) if (now - at >= SAME_ACCESS_MS) recentlyLogged.delete(k);
    if (recentlyLogged.size >= 10_000) recentlyLogged.clear();
  }
  return false;
}

export interface AccessRead {
  action: AccessAction;
  recordId?: string | null;
  nik?: string | null;
  subject?: string | null;
}

/**
 * Writes who is reading whose data before the data is sent. If the log cannot be written (a full disk) the
 * read fails too: a resident's data never leaves the office without a trace.
 */
export async function logRead(ctx: OfficeContext, request: FastifyRequest, read: AccessRead): Promise<void> {
  const user = request.sessionUser as OfficeUser;
  const now = ctx.now();
  const screen = screenOf(request);
  const key = [user.username, read.action, read.recordId, read.nik, read.subject, screen].join('\u0001');
  let recentlyLogged = logged.get(ctx);
  if (!recentlyLogged) logged.set(ctx, (recentlyLogged = new Map()));
  if (seenRecently(recentlyLogged, key, now.getTime())) return;
  await refusingWhenFull(() => appendAccess(ctx.db, { ...read, at: now.toISOString(), username: user.username, role: user.role, siteId: user.siteId, screen }));
  // Only once written: a failed write is tried again on the next read.
  recentlyLogged.set(key, now.getTime());
}

/** The head of office and admins read the log; nobody edits it (there is no route for that, and the database refuses). */
export async function accessLogRoutes(plain: FastifyInstance, ctx: OfficeContext): Promise<void> {
  const app = typed(plain);
  app.get('/api/access-log', { schema: routes.list, preValidation: requireRole('head', 'admin') }, async (request) => {
    const { nik, username, day, limit } = request.query;
    const tz = ctx.office.timeZone;
    if (day && !parseIsoDate(day)) throw invalidInput([{ field: 'day', code: 'DATE_INVALID', messages: { id: 'Tanggal tidak ada di kalender.', en: 'This date does not exist.' } }]);
    const start = day ? startOfZonedDay(new Date(`${day}T12:00:00Z`), tz) : undefined;
    // Noon UTC lies inside the same calendar day in every Indonesian zone (UTC+7 to +9).
    const between: [string, string] | undefined = start ? [start.toISOString(), startOfZonedDay(new Date(start.getTime() + 36 * 3600_000), tz).toISOString()] : undefined;
    return { items: await listAccess(ctx.db, { nik, username, between, limit }) };
  });
  // Said out loud rather than left to a 404: the log is append-only for every role, the head included.
  app.delete('/api/access-log', { schema: routes.erase, preValidation: requireRole() }, async () => {
    throw new DomainError(
      'ACCESS_LOG_APPEND_ONLY',
      { id: 'Log akses tidak dapat diubah atau dihapus oleh siapa pun.', en: 'The access log cannot be changed or erased by anyone.' },
      'forbidden',
    );
  });
}
