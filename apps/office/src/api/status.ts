import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { Feed } from 'feed';
import { requireRole, sendError, typed } from '@tangguh/platform';
import { SERVICE_NAMES, SERVICE_STATE_NAMES } from '@tangguh/domain';
import { statusRoutes as routes, type PublicStatus } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { onStatusSnapshot, statusSnapshot, stopServiceStatus, type StatusSnapshot } from '../services/service-status.ts';
import { addIncidentUpdate } from '../services/incidents.ts';
import { announce, cancelMaintenance, clearAnnouncement, clearOverride, scheduleMaintenance, setOverride, statusAdminView } from '../services/status-admin.ts';
import { refusingWhenFull } from '../services/storage-errors.ts';

export interface StatusRouteOptions {
  /** Requests per minute per address to each public status route (generous: phones refresh during outages). */
  perMinute?: number;
  /** Open event streams at most; more get 503 and fall back to polling. */
  maxStreams?: number;
  heartbeatMs?: number;
}

const envNumber = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

/**
 * The public status (JSON with ETag, Atom, server-sent events) served from the in-memory snapshot, and the
 * officers' routes around it. Every public answer is prepared bytes: no query per request.
 */
export async function statusRoutes(plain: FastifyInstance, ctx: OfficeContext, options: StatusRouteOptions = {}): Promise<void> {
  const app = typed(plain);
  const perMinute = options.perMinute ?? envNumber('TANGGUH_STATUS_RATE_PER_MINUTE', 600);
  const maxStreams = options.maxStreams ?? envNumber('TANGGUH_STATUS_MAX_STREAMS', 5_000);
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const limited = { config: { rateLimit: { max: perMinute, timeWindow: '1 minute' } } };
  const officers = { preValidation: requireRole('head', 'supervisor', 'admin') };
  const head = { preValidation: requireRole('head', 'admin') };
  const by = (request: { sessionUser?: unknown }) => (request.sessionUser as OfficeUser).username;

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    if (error.statusCode !== 429) throw error;
    return sendError(reply, request, 429, 'TOO_MANY_REQUESTS', { id: 'Terlalu banyak permintaan dari alamat ini. Tunggu sebentar, lalu coba lagi.', en: 'Too many requests from this address. Wait a moment, then try again.' });
  });

  app.get('/api/status', { ...limited, schema: routes.public }, async (request, reply) => {
    const snap = await statusSnapshot(ctx);
    reply.header('etag', snap.etag).header('cache-control', 'public, max-age=2, must-revalidate');
    if (request.headers['if-none-match'] === snap.etag) return (reply as unknown as FastifyReply).status(304).send();
    // Prepared bytes, sent as they are: the schema documents them, serializing again would cost every request.
    return reply.type('application/json; charset=utf-8').send(snap.json as unknown as PublicStatus);
  });

  let feedCache: { etag: string; lang: string; xml: string } | undefined;
  app.get('/api/status/feed.atom', { ...limited, schema: routes.feed }, async (request, reply) => {
    const snap = await statusSnapshot(ctx);
    const lang = String(request.headers['accept-language'] ?? '').toLowerCase().startsWith('en') ? 'en' : 'id';
    if (feedCache?.etag !== snap.etag || feedCache.lang !== lang) feedCache = { etag: snap.etag, lang, xml: atomFeed(snap.status, lang, originOf(request)) };
    reply.header('etag', `${snap.etag.slice(0, -1)}-${lang}"`).header('cache-control', 'public, max-age=30').header('vary', 'accept-language');
    return reply.type('application/atom+xml; charset=utf-8').send(feedCache.xml);
  });

  const streams = new Set<ServerResponse>();
  const push = (s: StatusSnapshot) => {
    for (const res of streams) {
      // A client that stopped reading is let go rather than buffered without end.
      if (res.writableLength > 4 * 1024 * 1024) res.destroy();
      else res.write(s.event);
    }
  };
  let unsubscribe: (() => void) | undefined;
  const heartbeat = setInterval(() => {
    for (const res of streams) res.write(': hb\n\n');
  }, heartbeatMs);
  heartbeat.unref();
  plain.addHook('preClose', async () => {
    clearInterval(heartbeat);
    unsubscribe?.();
    for (const res of streams) res.end();
    streams.clear();
    stopServiceStatus(ctx);
  });

  app.get('/api/status/stream', { ...limited, schema: routes.stream }, async (request, reply) => {
    if (!String(request.headers.accept ?? '').includes('text/event-stream'))
      return sendError(reply, request, 400, 'EVENT_STREAM_REQUIRED', { id: 'Alamat ini hanya melayani text/event-stream (EventSource). Untuk JSON gunakan /api/status.', en: 'This address serves text/event-stream only (EventSource). For JSON use /api/status.' });
    if (streams.size >= maxStreams) {
      reply.header('retry-after', '30');
      return sendError(reply, request, 503, 'STATUS_STREAM_FULL', { id: 'Terlalu banyak sambungan langsung. Halaman akan memperbarui secara berkala.', en: 'Too many live connections. The page will refresh periodically instead.' });
    }
    const snap = await statusSnapshot(ctx);
    unsubscribe ??= onStatusSnapshot(ctx, push);
    return openStream(request, reply, snap, streams);
  });

  // --- officers --------------------------------------------------------------------------------------
  app.get('/api/status/admin', { ...officers, schema: routes.admin }, async () => statusAdminView(ctx));

  app.post('/api/status/incidents/:id/updates', { ...officers, schema: routes.incidentUpdate }, async (request, reply) => {
    const { status, message } = request.body;
    await refusingWhenFull(() => addIncidentUpdate(ctx, { incidentId: request.params.id, status, message: { id: message.id, en: message.en ?? message.id }, author: by(request) }));
    request.log.info({ by: by(request), incident: request.params.id, status }, 'incident update');
    return reply.status(201).send(await statusAdminView(ctx));
  });

  app.post('/api/status/overrides', { ...officers, schema: routes.override }, async (request, reply) => {
    const view = await refusingWhenFull(() => setOverride(ctx, request.body, by(request)));
    request.log.info({ by: by(request), service: request.body.service, siteId: request.body.siteId, state: request.body.state }, 'status override');
    return reply.status(201).send(view);
  });
  app.post('/api/status/overrides/:id/clear', { ...officers, schema: routes.clearOverride }, async (request) => refusingWhenFull(() => clearOverride(ctx, request.params.id, by(request))));

  app.post('/api/status/maintenance', { ...officers, schema: routes.maintenance }, async (request, reply) => {
    const view = await refusingWhenFull(() => scheduleMaintenance(ctx, request.body, by(request)));
    return reply.status(201).send(view);
  });
  app.post('/api/status/maintenance/:id/cancel', { ...officers, schema: routes.cancelMaintenance }, async (request) => refusingWhenFull(() => cancelMaintenance(ctx, request.params.id, by(request))));

  app.put('/api/status/announcement', { ...head, schema: routes.announce }, async (request) => refusingWhenFull(() => announce(ctx, request.body, by(request))));
  app.post('/api/status/announcement/clear', { ...head, schema: routes.clearAnnouncement }, async (request) => refusingWhenFull(() => clearAnnouncement(ctx, request.body.siteId, by(request))));
}

function openStream(request: FastifyRequest, reply: FastifyReply, snap: StatusSnapshot, streams: Set<ServerResponse>) {
  const res = reply.raw;
  // The security headers set by the hooks so far go out with the stream; Fastify sends nothing after hijack.
  const headers = { ...reply.getHeaders(), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' };
  reply.hijack();
  res.writeHead(200, headers as Record<string, string>);
  res.write('retry: 3000\n\n');
  res.write(snap.event);
  streams.add(res);
  const drop = () => streams.delete(res);
  request.raw.on('close', drop);
  res.on('close', drop);
  res.on('error', drop);
}

function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** Incidents (with their latest update), maintenance and announcements, newest first. */
function atomFeed(status: PublicStatus, lang: 'id' | 'en', origin: string): string {
  const t = (b: { id: string; en: string }) => b[lang];
  const page = `${origin}/status`;
  const feed = new Feed({
    id: `${origin}/api/status/feed.atom`,
    title: lang === 'id' ? `Status layanan — ${status.office.name}` : `Service status — ${status.office.name}`,
    link: page,
    language: lang,
    updated: new Date(status.updatedAt),
    generator: 'Tangguh',
    copyright: status.office.name,
    feedLinks: { atom: `${origin}/api/status/feed.atom` },
  });
  for (const i of status.incidents) {
    const last = i.updates.at(-1);
    const services = i.services.map((s) => t(SERVICE_NAMES[s])).join(', ');
    const timeline = i.updates.map((u) => `${u.at} — ${u.status}: ${t(u.message)}`).join('\n');
    feed.addItem({
      id: `urn:tangguh:${status.office.id}:incident:${i.id}`,
      title: `${t(i.title)}${i.resolvedAt ? (lang === 'id' ? ' (selesai)' : ' (resolved)') : ''}`,
      link: `${page}#insiden-${i.id}`,
      date: new Date(last?.at ?? i.openedAt),
      published: new Date(i.openedAt),
      description: last ? t(last.message) : '',
      content: `${lang === 'id' ? 'Layanan terdampak' : 'Services affected'}: ${services}\n${timeline}`,
    });
  }
  for (const m of status.maintenance) {
    const what = m.service ? t(SERVICE_NAMES[m.service]) : lang === 'id' ? 'Semua layanan' : 'All services';
    feed.addItem({
      id: `urn:tangguh:${status.office.id}:maintenance:${m.id}`,
      title: `${t(SERVICE_STATE_NAMES.pemeliharaan)}: ${what}${m.siteName ? ` — ${m.siteName}` : ''}`,
      link: `${page}#pemeliharaan-${m.id}`,
      date: new Date(m.startsAt),
      description: `${m.startsAt} – ${m.endsAt}: ${t(m.note)}`,
    });
  }
  for (const a of status.announcements) {
    feed.addItem({
      id: `urn:tangguh:${status.office.id}:announcement:${a.id}`,
      title: `${lang === 'id' ? 'Pengumuman' : 'Announcement'}${a.siteName ? ` — ${a.siteName}` : ''}`,
      link: `${page}#pengumuman`,
      date: new Date(a.setAt),
      description: t(a.text),
    });
  }
  return feed.atom1();
}
