import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { requireRole, sendError, typed } from '@tangguh/platform';
import { queueRoutes as routes, type QueueBoard, type QueueCallEvent } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { callById, callNext, checkIn, closeCounter, finishTicket, followView, issueTicket, markNoShow, openCounter, queueConsole, recall, ticketWithKey, transferTicket } from '../services/queue.ts';
import { askNearTurn, queueBoard, queueOptions } from '../services/queue-public.ts';
import { endOfDay, queueStats, statsCsv } from '../services/queue-day.ts';
import { queueEvents } from '../services/queue-events.ts';
import { forgetQueueOffice, rememberQueueOffice, syncQueueFlags } from '../services/queue-notify.ts';
import { loadQueueSettings, saveQueueSettings } from '../services/queue-settings.ts';
import { ticketPdf } from '../services/queue-ticket-pdf.ts';
import { speak, voiceAvailable, VOICE_UNAVAILABLE } from '../services/queue-voice.ts';
import { onServiceStatusChange } from '../services/service-status.ts';
import { refusingWhenFull } from '../services/storage-errors.ts';
import { loadNotifyConfig } from '../notify/config.ts';

const envNumber = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

/**
 * The queue over HTTP. Public: options, the kiosk (ticket, check-in), following a ticket with the secret
 * from its QR, the board (JSON and server-sent events) and the spoken call. Operators: counters.
 * Supervisors and admins: settings and the end of the day. Head, supervisors and admins: statistics.
 */
export async function queueRoutes(plain: FastifyInstance, ctx: OfficeContext): Promise<void> {
  const app = typed(plain);
  rememberQueueOffice(ctx);
  const perMinute = (max: number) => ({ rateLimit: { max, timeWindow: '1 minute' } });
  // A kiosk is one address issuing every ticket of a busy morning: generous, but not unlimited.
  const kiosk = perMinute(envNumber('TANGGUH_KIOSK_RATE_PER_MINUTE', 120));
  const screen = perMinute(envNumber('TANGGUH_BOARD_RATE_PER_MINUTE', 600));
  const operators = { preValidation: requireRole('operator', 'supervisor', 'admin') };
  const supervisors = { preValidation: requireRole('supervisor', 'admin') };
  const readers = { preValidation: requireRole('head', 'supervisor', 'admin') };
  const user = (request: { sessionUser?: unknown }) => request.sessionUser as OfficeUser;
  const maxStreams = envNumber('TANGGUH_BOARD_MAX_STREAMS', 500);

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    if (error.statusCode !== 429) throw error;
    return sendError(reply, request, 429, 'TOO_MANY_REQUESTS', { id: 'Terlalu banyak permintaan dari alamat ini. Tunggu sebentar, lalu coba lagi.', en: 'Too many requests from this address. Wait a moment, then try again.' });
  });

  // Outages flag what they hit as soon as this process hears of them (the worker's pass does it too).
  const offStatus = onServiceStatusChange(ctx, () => void syncQueueFlags(ctx).catch(() => undefined));

  // ---- public ----
  app.get('/api/antrean/pilihan', { schema: routes.options, config: perMinute(120) }, async () => queueOptions(ctx));

  app.post('/api/antrean/tiket', { schema: routes.ticket, bodyLimit: 2 * 1024, config: kiosk }, async (request, reply) => reply.status(201).send(await refusingWhenFull(() => issueTicket(ctx, request.body))));

  app.post('/api/antrean/check-in', { schema: routes.checkIn, bodyLimit: 2 * 1024, config: perMinute(30) }, async (request, reply) => reply.status(201).send(await refusingWhenFull(() => checkIn(ctx, request.body))));

  app.get('/api/antrean/ikuti/:id', { schema: routes.follow, config: perMinute(120) }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return followView(ctx, await ticketWithKey(ctx, request.params.id, request.query.k));
  });

  app.post('/api/antrean/ikuti/:id/pengingat', { schema: routes.nearTurn, bodyLimit: 2 * 1024, config: perMinute(10) }, async (request) => refusingWhenFull(() => askNearTurn(ctx, request.params.id, request.body)));

  app.get('/api/antrean/ikuti/:id/tiket.pdf', { schema: routes.ticketPdf, config: kiosk }, async (request, reply) => {
    const ticket = await ticketWithKey(ctx, request.params.id, request.query.k);
    const publicUrl = (await loadNotifyConfig(ctx.db)).publicUrl;
    const pdf = await ticketPdf({ officeName: ctx.office.name, ticket, follow: await followView(ctx, ticket), followUrl: `${publicUrl}/antrean/${ticket.id}?k=${request.query.k}`, timeZone: ctx.office.timeZone, widthMm: request.query.lebar === '58' ? 58 : 80 });
    reply.header('cache-control', 'no-store').header('content-disposition', `inline; filename="antrean-${ticket.number}.pdf"`);
    return reply.type('application/pdf').send(Buffer.from(pdf) as unknown as Uint8Array);
  });

  app.get('/api/antrean/papan', { schema: routes.board, config: screen }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return queueBoard(ctx, request.query.siteId);
  });

  // ---- the board's event stream ----
  const streams = new Map<ServerResponse, string>();
  const pending = new Map<string, NodeJS.Timeout>();
  const write = (siteId: string, text: string) => {
    for (const [res, site] of streams) {
      if (site !== siteId) continue;
      if (res.writableLength > 1024 * 1024) res.destroy();
      else res.write(text);
    }
  };
  const boardEvent = (board: QueueBoard) => `event: board\ndata: ${JSON.stringify(board)}\n\n`;
  // Changes come in bursts (a call is a change and a call): one board per site per 150 ms is enough.
  const onChange = (siteId: string) => {
    if (pending.has(siteId) || ![...streams.values()].includes(siteId)) return;
    pending.set(
      siteId,
      setTimeout(() => {
        pending.delete(siteId);
        void queueBoard(ctx, siteId).then((b) => write(siteId, boardEvent(b)), () => undefined);
      }, 150),
    );
  };
  const onCall = (siteId: string, call: QueueCallEvent) => write(siteId, `event: call\ndata: ${JSON.stringify(call)}\n\n`);
  const offState = onServiceStatusChange(ctx, () => {
    for (const site of new Set(streams.values())) onChange(site);
  });
  queueEvents(ctx).on('change', onChange);
  queueEvents(ctx).on('call', onCall);
  const heartbeat = setInterval(() => {
    for (const res of streams.keys()) res.write(': hb\n\n');
  }, 15_000);
  heartbeat.unref();
  plain.addHook('preClose', async () => {
    clearInterval(heartbeat);
    for (const t of pending.values()) clearTimeout(t);
    offState();
    offStatus();
    queueEvents(ctx).off('change', onChange);
    queueEvents(ctx).off('call', onCall);
    for (const res of streams.keys()) res.end();
    streams.clear();
    forgetQueueOffice(ctx);
  });

  app.get('/api/antrean/papan/stream', { schema: routes.boardStream, config: screen }, async (request, reply) => {
    if (!String(request.headers.accept ?? '').includes('text/event-stream'))
      return sendError(reply, request, 400, 'EVENT_STREAM_REQUIRED', { id: 'Alamat ini hanya melayani text/event-stream (EventSource). Untuk JSON gunakan /api/antrean/papan.', en: 'This address serves text/event-stream only (EventSource). For JSON use /api/antrean/papan.' });
    if (streams.size >= maxStreams) {
      reply.header('retry-after', '30');
      return sendError(reply, request, 503, 'QUEUE_STREAM_FULL', { id: 'Terlalu banyak layar tersambung. Layar akan memperbarui secara berkala.', en: 'Too many screens connected. The board will refresh periodically instead.' });
    }
    const board = await queueBoard(ctx, request.query.siteId);
    openStream(request, reply, boardEvent(board), streams, board.siteId);
  });

  app.get('/api/antrean/suara/:callId.wav', { schema: routes.audio, config: screen }, async (request, reply) => {
    const call = await callById(ctx, request.params.callId);
    if (!call) return sendError(reply, request, 404, 'QUEUE_CALL_NOT_FOUND', { id: 'Panggilan tidak ditemukan.', en: 'Call not found.' });
    if (!(await voiceAvailable())) return sendError(reply, request, 503, 'QUEUE_VOICE_UNAVAILABLE', VOICE_UNAVAILABLE);
    // Spoken as "A 12": espeak-ng reads the number as a number, not as "minus zero one two".
    const wav = await speak(`Nomor antrean ${call.ticket_number.replace(/-0*(\d)/, ' $1')}, silakan ke loket ${call.counter_number}`).catch(() => undefined);
    if (!wav) return sendError(reply, request, 503, 'QUEUE_VOICE_FAILED', { id: 'Suara panggilan gagal dibuat; layar memakai suara peramban.', en: "The spoken call could not be made; the board uses the browser's speech." });
    reply.header('cache-control', 'public, max-age=86400, immutable');
    return reply.type('audio/wav').send(wav as unknown as Uint8Array);
  });

  // ---- operators ----
  app.get('/api/antrean/loket', { ...operators, schema: routes.console }, async (request) => queueConsole(ctx, request.query.siteId ?? user(request).siteId));
  app.post('/api/antrean/loket', { ...operators, schema: routes.openCounter }, async (request, reply) => reply.status(201).send(await refusingWhenFull(() => openCounter(ctx, request.body, user(request)))));
  app.post('/api/antrean/loket/:id/panggil', { ...operators, schema: routes.callNext }, async (request) => refusingWhenFull(() => callNext(ctx, request.params.id, user(request))));
  app.post('/api/antrean/loket/:id/panggil-ulang', { ...operators, schema: routes.recall }, async (request) => refusingWhenFull(() => recall(ctx, request.params.id, user(request))));
  app.post('/api/antrean/loket/:id/tidak-hadir', { ...operators, schema: routes.noShow }, async (request) => refusingWhenFull(() => markNoShow(ctx, request.params.id, user(request))));
  app.post('/api/antrean/loket/:id/selesai', { ...operators, schema: routes.finish }, async (request) => refusingWhenFull(() => finishTicket(ctx, request.params.id, user(request))));
  app.post('/api/antrean/loket/:id/alihkan', { ...operators, schema: routes.transfer }, async (request) => refusingWhenFull(() => transferTicket(ctx, request.params.id, request.body.service, user(request))));
  app.post('/api/antrean/loket/:id/tutup', { ...operators, schema: routes.closeCounter }, async (request) => refusingWhenFull(() => closeCounter(ctx, request.params.id, user(request))));

  // ---- supervisors, admins, head ----
  app.get('/api/antrean/pengaturan', { ...supervisors, schema: routes.settings }, async () => loadQueueSettings(ctx.db));
  app.put('/api/antrean/pengaturan', { ...supervisors, schema: routes.saveSettings }, async (request) => {
    const saved = await refusingWhenFull(() => saveQueueSettings(ctx.db, request.body));
    request.log.info({ by: user(request).username }, 'queue settings changed');
    return saved;
  });
  app.post('/api/antrean/tutup-hari', { ...supervisors, schema: routes.endOfDay }, async (request) => refusingWhenFull(() => endOfDay(ctx, request.body.day, user(request).username)));
  app.get('/api/antrean/statistik', { ...readers, schema: routes.stats }, async (request) => queueStats(ctx, request.query));
  app.get('/api/antrean/statistik.csv', { ...readers, schema: routes.statsCsv }, async (request, reply) => {
    const stats = await queueStats(ctx, request.query);
    reply.header('content-disposition', `attachment; filename="antrean-${stats.from}-${stats.to}.csv"`);
    return reply.type('text/csv; charset=utf-8').send(statsCsv(stats));
  });
}

function openStream(request: FastifyRequest, reply: FastifyReply, first: string, streams: Map<ServerResponse, string>, siteId: string) {
  const res = reply.raw;
  const headers = { ...reply.getHeaders(), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' };
  reply.hijack();
  res.writeHead(200, headers as Record<string, string>);
  res.write('retry: 3000\n\n');
  res.write(first);
  streams.set(res, siteId);
  const drop = () => streams.delete(res);
  request.raw.on('close', drop);
  res.on('close', drop);
  res.on('error', drop);
}
