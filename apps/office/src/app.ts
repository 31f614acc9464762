import Fastify, { type FastifyInstance } from 'fastify';
import { bilingualServerOptions, installAuth, installContract, installErrorHandler, installSecurityHeaders, refuseWhileClosing, serveWebApp } from '@tangguh/platform';
import type { OfficeContext } from './context.ts';
import { officeSessionStore, type OfficeUser } from './repositories/users.ts';
import { recordingRoutes } from './api/recordings.ts';
import { supportRoutes } from './api/support.ts';
import { suketRoutes } from './api/sukets.ts';
import { trustRoutes } from './api/trust.ts';
import { apiKeyRoutes } from './api/api-keys.ts';
import { documentRoutes } from './api/documents.ts';
import { accessLogRoutes } from './api/access-log.ts';
import { cardReplacementRoutes } from './api/card-replacements.ts';
import { blankStockRoutes } from './api/blank-stock.ts';
import { printPlanRoutes } from './api/print-plan.ts';
import { printJobRoutes } from './api/print-jobs.ts';
import { printForecastRoutes } from './api/print-forecast.ts';
import { blankRequestRoutes } from './api/blank-requests.ts';
import { citizenRoutes } from './api/citizen.ts';
import { reconciliationRoutes } from './api/reconciliation.ts';
import { distributionRoutes } from './api/distribution.ts';
import { pickupRoutes } from './api/pickup.ts';
import { statusRoutes } from './api/status.ts';
import { queueRoutes } from './api/queue.ts';
import { bookingRoutes } from './api/booking.ts';
import { provisionalMatchRoutes } from './api/provisional-matches.ts';
import { notificationRoutes } from './api/notifications.ts';
import { CentralClient } from './services/central-client.ts';
import { refreshingTrustOnNewKeys } from './services/trust-sync.ts';

export interface OfficeAppOptions {
  logger?: boolean;
  serveWeb?: boolean;
  /** The centre, for the one thing that must ask it while a person waits: the head's TTE signature. */
  centralUrl?: string;
  /**
   * When the provisional index is loaded in the background: at once by default. The node's main passes the
   * moment its sync worker has pushed the backlog it found at start (or found the centre unreachable): a
   * drain after an outage and the index's first load would otherwise share one thread, and the counter's
   * check loads the index on demand meanwhile anyway.
   */
  loadProvisionalIndexAfter?: Promise<void>;
}

/**
 * The office node's HTTP API and web UI. Nothing here calls the centre (that is the sync worker's job),
 * except the head's TTE signing, which cannot happen without it.
 */
export async function buildOfficeApp(ctx: OfficeContext, options: OfficeAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ ...bilingualServerOptions(), logger: options.logger ?? false });
  installErrorHandler(app);
  refuseWhileClosing(app);
  await installSecurityHeaders(app);
  await installContract(app, { title: 'Tangguh — office node API', description: 'The API of a Disdukcapil office node: recording, Suket, e-signed documents, public verification.' });
  await installAuth(app, officeSessionStore(ctx.db), (user: OfficeUser) => ({ ...user, officeName: ctx.office.name, timeZone: ctx.office.timeZone }), {
    db: ctx.db,
    timeZone: ctx.office.timeZone,
  });
  app.get('/health', async () => ({ ok: true, node: 'office', officeId: ctx.office.id }));
  await app.register(async (scope) => recordingRoutes(scope, ctx));
  await app.register(async (scope) => supportRoutes(scope, ctx));
  await app.register(async (scope) => suketRoutes(scope, ctx));
  await app.register(async (scope) => trustRoutes(scope, ctx));
  await app.register(async (scope) => apiKeyRoutes(scope, ctx));
  await app.register(async (scope) => accessLogRoutes(scope, ctx));
  await app.register(async (scope) => cardReplacementRoutes(scope, ctx));
  await app.register(async (scope) => blankStockRoutes(scope, ctx));
  await app.register(async (scope) => printPlanRoutes(scope, ctx));
  await app.register(async (scope) => printJobRoutes(scope, ctx));
  await app.register(async (scope) => printForecastRoutes(scope, ctx));
  await app.register(async (scope) => blankRequestRoutes(scope, ctx));
  await app.register(async (scope) => citizenRoutes(scope, ctx));
  await app.register(async (scope) => distributionRoutes(scope, ctx));
  await app.register(async (scope) => pickupRoutes(scope, ctx));
  await app.register(async (scope) => statusRoutes(scope, ctx));
  await app.register(async (scope) => queueRoutes(scope, ctx));
  await app.register(async (scope) => bookingRoutes(scope, ctx));
  await app.register(async (scope) => provisionalMatchRoutes(scope, ctx, options.loadProvisionalIndexAfter));
  await app.register(async (scope) => notificationRoutes(scope, ctx));
  const client = options.centralUrl ? new CentralClient({ baseUrl: options.centralUrl, officeId: ctx.office.id, signingPrivateKey: ctx.signingPrivateKey, centralTlsCa: ctx.centralTlsCa }) : undefined;
  const signer = client && refreshingTrustOnNewKeys(ctx, client, { centralUrl: options.centralUrl!, centralTlsCa: ctx.centralTlsCa });
  await app.register(async (scope) => documentRoutes(scope, ctx, { signer }));
  await app.register(async (scope) => reconciliationRoutes(scope, ctx, { centre: client && ((from, to) => client.reconcile(from, to)) }));
  if (options.serveWeb ?? true) await serveWebApp(app);
  return app;
}
