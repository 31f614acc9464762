import { installProcessHealth, parseServices, stopOnSignals, workerHealthApp } from '@tangguh/platform';
import { parseArgs } from 'node:util';
import { buildCentralApp } from './app.ts';
import { openCentral } from './services/provision.ts';
import { loadMatcher } from './services/dedup.ts';
import { startDedupWorker } from './workers/dedup-worker.ts';

/**
 * The central node: `--db` is a SQLite file or a postgres:// URL; `--services=api,worker` chooses
 * what runs in this process (both by default). Split, the API processes never load the matcher (they
 * read the gallery from the database); the worker owns it and answers /health on `--health-port` if given.
 */
const { values } = parseArgs({
  options: {
    db: { type: 'string', default: process.env.TANGGUH_CENTRAL_DB ?? 'data/central/central.db' },
    port: { type: 'string', default: process.env.PORT ?? '7100' },
    host: { type: 'string', default: '127.0.0.1' },
    services: { type: 'string', default: 'api,worker' },
    'health-port': { type: 'string' },
    log: { type: 'boolean', default: false },
  },
});

const services = parseServices(values.services);
const { handle, ctx } = await openCentral(values.db);

const app = services.has('api') ? await buildCentralApp(ctx, { logger: values.log }) : workerHealthApp('central', values.log);
installProcessHealth(app, () => ({
  node: 'central',
  services: [...services],
  matcher: ctx.matcher ? { loaded: true, size: ctx.matcher.size, cursor: ctx.matcher.cursor } : { loaded: false },
}));
// Loaded before the worker starts and before /health answers, so "up" means "ready to deduplicate".
if (services.has('worker')) await loadMatcher(ctx);
const worker = services.has('worker') ? startDedupWorker(ctx, app.log) : undefined;
const gallery = ctx.matcher ? ` (gallery ${ctx.matcher.size})` : ' (matcher not loaded: deduplication runs elsewhere)';
if (services.has('api')) {
  await app.listen({ port: Number(values.port), host: values.host });
  console.log(`[pusat] listening on http://${values.host}:${values.port}${gallery}`);
} else {
  if (values['health-port']) await app.listen({ port: Number(values['health-port']), host: values.host });
  console.log(`[pusat] dedup worker running${gallery}`);
}

stopOnSignals([() => app.close(), () => worker?.stop(), () => handle.close()]);
