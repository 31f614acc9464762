import { stopOnSignals } from '@tangguh/platform';
import { parseArgs } from 'node:util';
import { buildCentralApp } from './app.ts';
import { openCentral } from './services/provision.ts';
import { loadMatcher } from './services/dedup.ts';
import { startDedupWorker } from './workers/dedup-worker.ts';

/**
 * The central node: `--db` is a SQLite file or a postgres:// URL; `--services=api,worker` chooses
 * what runs in this process (both by default).
 */
const { values } = parseArgs({
  options: {
    db: { type: 'string', default: process.env.TANGGUH_CENTRAL_DB ?? 'data/central/central.db' },
    port: { type: 'string', default: process.env.PORT ?? '7100' },
    host: { type: 'string', default: '127.0.0.1' },
    services: { type: 'string', default: 'api,worker' },
    log: { type: 'boolean', default: false },
  },
});

const services = new Set(values.services.split(','));
const { handle, ctx } = await openCentral(values.db);
await loadMatcher(ctx);

const app = await buildCentralApp(ctx, { logger: values.log });
const worker = services.has('worker') ? startDedupWorker(ctx, app.log) : undefined;
if (services.has('api')) {
  await app.listen({ port: Number(values.port), host: values.host });
  console.log(`[pusat] listening on http://${values.host}:${values.port} (gallery ${ctx.matcher.size})`);
}

stopOnSignals([() => app.close(), () => worker?.stop(), () => handle.close()]);
