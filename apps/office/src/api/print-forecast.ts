import type { FastifyInstance } from 'fastify';
import { DomainError } from '@tangguh/domain';
import { requireRole, typed } from '@tangguh/platform';
import { printForecastRoutes as routes } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { visibilityOf } from '../repositories/visibility.ts';
import { forecastForViewer, printHeadline, printQueuePage } from '../services/print-forecast.ts';
import { printHistory } from '../services/print-history.ts';

/**
 * The forecast over HTTP: the explained queue (a kecamatan's staff see the records they may see, with
 * their positions in the whole queue), one record's forecast, the headline with a what-if, and the history
 * behind the head's charts (counts only: they name nobody, so every staff member may read them).
 */
export async function printForecastRoutes(plain: FastifyInstance, ctx: OfficeContext): Promise<void> {
  const app = typed(plain);
  const anyStaff = { preValidation: requireRole() };
  const user = (request: { sessionUser?: unknown }) => request.sessionUser as OfficeUser;

  app.get('/api/print-plan/queue', { ...anyStaff, schema: routes.queue }, async (request) => printQueuePage(ctx, request.query, await visibilityOf(ctx.db, user(request))));

  app.get('/api/print-plan/records/:id', { ...anyStaff, schema: routes.record }, async (request) => {
    const forecast = await forecastForViewer(ctx, request.params.id, await visibilityOf(ctx.db, user(request)));
    if (!forecast)
      throw new DomainError(
        'RECORD_NOT_WAITING',
        { id: 'Rekaman ini tidak sedang menunggu cetak (belum siap cetak, sudah dicetak, atau tidak ditemukan).', en: 'This record is not waiting for printing (not print-ready yet, already printed, or not found).' },
        'not_found',
      );
    return forecast;
  });

  app.get('/api/print-plan/headline', { ...anyStaff, schema: routes.headline }, async (request) => printHeadline(ctx, request.query.extraBlanks));

  app.get('/api/print-plan/history', { ...anyStaff, schema: routes.history }, async (request) => printHistory(ctx, request.query.days, request.query.kecamatan));
}
