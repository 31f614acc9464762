import type { FastifyInstance } from 'fastify';
import { sendError, typed } from '@tangguh/platform';
import { queueRoutes as routes } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import { bookingSlots, cancelBooking, lookupBooking, makeBooking, moveBooking, takeOffer, viewOffer } from '../services/booking.ts';
import { refusingWhenFull } from '../services/storage-errors.ts';

const envNumber = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

/**
 * Booking at /warga, public: slots, make, look up, cancel, move, and the one-tap move an outage message
 * offers. POST for everything that carries a NIK (never in a URL, which proxies and logs keep); every
 * state-changing route passes the global cross-site guard; each route is rate-limited per address, the
 * ones that take a code and NIK tighter, so trying codes is slow as well as pointless (a wrong code and a
 * wrong NIK get the same answer).
 */
export async function bookingRoutes(plain: FastifyInstance, ctx: OfficeContext): Promise<void> {
  const app = typed(plain);
  const perMinute = (max: number) => ({ rateLimit: { max, timeWindow: '1 minute' } });
  const tight = perMinute(envNumber('TANGGUH_BOOKING_RATE_PER_MINUTE', 10));
  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    if (error.statusCode !== 429) throw error;
    return sendError(reply, request, 429, 'TOO_MANY_REQUESTS', { id: 'Terlalu banyak permintaan dari alamat ini. Tunggu sebentar, lalu coba lagi.', en: 'Too many requests from this address. Wait a moment, then try again.' });
  });

  app.get('/api/reservasi/slot', { schema: routes.slots, config: perMinute(120) }, async (request) => bookingSlots(ctx, request.query));

  app.post('/api/reservasi', { schema: routes.book, bodyLimit: 4 * 1024, config: tight}, async (request, reply) => reply.status(201).send(await refusingWhenFull(() => makeBooking(ctx, request.body))));

  app.post('/api/reservasi/cari', { schema: routes.lookup, bodyLimit: 4 * 1024, config: tight}, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return lookupBooking(ctx, request.body);
  });

  app.post('/api/reservasi/batal', { schema: routes.cancel, bodyLimit: 4 * 1024, config: tight}, async (request) => refusingWhenFull(() => cancelBooking(ctx, request.body)));

  app.post('/api/reservasi/pindah', { schema: routes.move, bodyLimit: 4 * 1024, config: tight}, async (request) => refusingWhenFull(() => moveBooking(ctx, request.body)));

  // The link in an outage message: GET only shows the offer (a mail scanner opening it changes nothing);
  // the page's button POSTs to take it.
  app.get('/api/reservasi/tawaran/:token', { schema: routes.offer, config: perMinute(30)}, async (request) => viewOffer(ctx, request.params.token));

  app.post('/api/reservasi/tawaran/:token', { schema: routes.takeOffer, bodyLimit: 1024, config: tight}, async (request) => refusingWhenFull(() => takeOffer(ctx, request.params.token)));
}
