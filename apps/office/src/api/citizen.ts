import type { FastifyInstance } from 'fastify';
import { timeZoneAbbreviation, zonedParts } from '@tangguh/domain';
import { sendError, typed } from '@tangguh/platform';
import { citizenRoutes as routes } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import { NO_MATCH, checkOwnRecord, forgetOldCitizenFailures } from '../services/citizen-check.ts';
import { refusingWhenFull } from '../services/storage-errors.ts';
import { screenOf } from './access-log.ts';

/** Any check from one address in a minute, right or wrong (a loop, a scraper); failures are also counted in the database. */
const PER_ADDRESS_PER_MINUTE = 30;
const SWEEP_MS = 10 * 60_000;

const two = (n: number) => String(n).padStart(2, '0');

/**
 * `/warga`: a resident's own status check, public. POST, so the date of birth is never in a URL (proxies and
 * access logs keep URLs). Protected by the global cross-site layer like every state-changing route.
 */
export async function citizenRoutes(plain: FastifyInstance, ctx: OfficeContext): Promise<void> {
  const app = typed(plain);
  const sweeper = setInterval(() => void forgetOldCitizenFailures(ctx).catch(() => undefined), SWEEP_MS).unref();
  app.addHook('onClose', async () => clearInterval(sweeper));

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    if (error.statusCode !== 429) throw error;
    return sendError(reply, request, 429, 'TOO_MANY_CHECKS', {
      id: 'Terlalu banyak pemeriksaan dari alamat ini. Tunggu satu menit, lalu coba lagi.',
      en: 'Too many checks from this address. Wait a minute, then try again.',
    });
  });

  app.post('/api/warga/status', { schema: routes.check, bodyLimit: 4 * 1024, config: { rateLimit: { max: PER_ADDRESS_PER_MINUTE, timeWindow: '1 minute' } } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const outcome = await refusingWhenFull(() => checkOwnRecord(ctx, { request: request.body, address: request.ip, screen: screenOf(request) }));
    if (outcome.kind === 'found') return outcome.answer;
    if (outcome.kind === 'no_match') return sendError(reply, request, 404, 'CITIZEN_CHECK_NO_MATCH', NO_MATCH);
    const until = new Date(outcome.until);
    const { hour, minute } = zonedParts(until, ctx.office.timeZone);
    const zone = timeZoneAbbreviation(ctx.office.timeZone, until);
    reply.header('retry-after', String(Math.max(1, Math.ceil((until.getTime() - ctx.now().getTime()) / 1000))));
    return sendError(reply, request, 429, 'CITIZEN_CHECK_WAIT', {
      id: `Terlalu banyak percobaan yang tidak cocok. Coba lagi pukul ${two(hour)}.${two(minute)} ${zone}, atau tanyakan di kantor dengan membawa tanda terima.`,
      en: `Too many attempts that did not match. Try again at ${two(hour)}:${two(minute)} ${zone}, or ask at the office with your receipt.`,
    });
  });
}
