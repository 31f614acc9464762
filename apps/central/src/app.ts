import Fastify, { type FastifyInstance } from 'fastify';
import { bilingualServerOptions, installAuth, installContract, installErrorHandler, installSecurityHeaders, refuseWhileClosing, serveWebApp } from '@tangguh/platform';
import type { CentralContext } from './context.ts';
import { syncRoutes } from './api/sync.ts';
import { adjudicationRoutes } from './api/adjudications.ts';
import { trustRoutes } from './api/trust.ts';
import { tteRoutes } from './api/tte.ts';
import { printPackageRoutes } from './api/print-packages.ts';
import { blankRequestRoutes } from './api/blank-requests.ts';
import { reconcileRoutes } from './api/reconcile.ts';
import { gallerySubsetRoutes } from './api/gallery-subset.ts';
import { installOfficeAuth, installProtocolVersion } from './api/office-auth.ts';
import { centralSessionStore } from './repositories/users.ts';

export interface CentralAppOptions {
  logger?: boolean;
  serveWeb?: boolean;
  /** PEM certificate and key: serve HTTPS, as the link to offices must be confidential (UU PDP 27/2022). */
  https?: { cert: string; key: string };
}

/** The centre's HTTP API: office sync, adjudication, and (optionally) the web UI for /pusat. */
export async function buildCentralApp(ctx: CentralContext, options: CentralAppOptions = {}): Promise<FastifyInstance> {
  // Fastify types an HTTPS instance apart from an HTTP one; routes and hooks are the same, so both are typed as one.
  const app = (
    options.https
      ? Fastify({ ...bilingualServerOptions(), https: options.https, logger: options.logger ?? false, bodyLimit: 2 * 1024 * 1024 })
      : Fastify({ ...bilingualServerOptions(), logger: options.logger ?? false, bodyLimit: 2 * 1024 * 1024 })
  ) as FastifyInstance;
  installErrorHandler(app);
  refuseWhileClosing(app);
  await installSecurityHeaders(app);
  await installContract(app, { title: 'Tangguh — central node API', description: 'The national centre: office sync (signed), deduplication and adjudication, trust lists, e-signature (TTE).' });
  // The centre keeps Jakarta time (WIB) for the times it tells people.
  await installAuth(app, centralSessionStore(ctx.db), (user) => user, { db: ctx.db, timeZone: 'Asia/Jakarta' });
  installProtocolVersion(app);
  installOfficeAuth(app);
  app.get('/health', async () => ({ ok: true, node: 'central', time: new Date().toISOString() }));
  await app.register(async (scope) => syncRoutes(scope, ctx));
  await app.register(async (scope) => adjudicationRoutes(scope, ctx));
  await app.register(async (scope) => trustRoutes(scope, ctx));
  await app.register(async (scope) => tteRoutes(scope, ctx));
  await app.register(async (scope) => printPackageRoutes(scope, ctx));
  await app.register(async (scope) => blankRequestRoutes(scope, ctx));
  await app.register(async (scope) => reconcileRoutes(scope, ctx));
  await app.register(async (scope) => gallerySubsetRoutes(scope, ctx));
  if (options.serveWeb ?? true) await serveWebApp(app);
  return app;
}
