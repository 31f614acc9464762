import { MasterKeyError, configureMasterKey, installProcessHealth, parseServices, stopOnSignals, workerHealthApp } from '@tangguh/platform';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { buildCentralApp } from './app.ts';
import { openCentral } from './services/provision.ts';
import { GalleryMirror } from './matcher/gallery-mirror.ts';
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
    /** The master key that opens the private keys sealed in the database: a file outside the data folder (or TANGGUH_MASTER_KEY). */
    'key-file': { type: 'string', default: process.env.TANGGUH_MASTER_KEY_FILE },
    /** PEM certificate and key: the API serves HTTPS (offices pin this certificate or its CA at provisioning). */
    'tls-cert': { type: 'string', default: process.env.TANGGUH_CENTRAL_TLS_CERT },
    'tls-key': { type: 'string', default: process.env.TANGGUH_CENTRAL_TLS_KEY },
    /** Shards of the dedup worker's matcher, each in a worker thread; 1 searches in this thread. */
    'matcher-shards': { type: 'string', default: process.env.TANGGUH_MATCHER_SHARDS ?? String(availableParallelism()) },
    /** 1: the index also finds poor captures in the adjudication band (default); 0: the fast search, exact at the duplicate threshold. */
    'matcher-probe-radius': { type: 'string', default: process.env.TANGGUH_MATCHER_PROBE_RADIUS ?? '1' },
    /** With radius 1: key bits flipped per table ('all', or fewer for speed: recall in the adjudication band for the cost; see bench:dedup). */
    'matcher-probe-flips': { type: 'string', default: process.env.TANGGUH_MATCHER_PROBE_FLIPS ?? '2' },
    log: { type: 'boolean', default: false },
  },
});

// Everything this process writes (databases, WAL, backups) is the owner's alone.
process.umask(0o077);
const services = parseServices(values.services);
if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) {
  console.error('[pusat] --tls-cert dan --tls-key diberikan bersama / --tls-cert and --tls-key go together');
  process.exit(2);
}
const https = values['tls-cert'] && values['tls-key'] ? { cert: readFileSync(values['tls-cert'], 'utf8'), key: readFileSync(values['tls-key'], 'utf8') } : undefined;
const opened = await (async () => {
  try {
    configureMasterKey({ keyFile: values['key-file'], dataLocation: values.db });
    return await openCentral(values.db);
  } catch (error) {
    if (!(error instanceof MasterKeyError)) throw error;
    console.error(`[pusat] ${error.message}`);
    process.exit(1);
  }
})();
const { handle, ctx } = opened;

const app = services.has('api') ? await buildCentralApp(ctx, { logger: values.log, https }) : workerHealthApp('central', values.log);
installProcessHealth(app, () => ({
  node: 'central',
  services: [...services],
  matcher: ctx.matcher ? { loaded: true, size: ctx.matcher.size, cursor: ctx.matcher.cursor } : { loaded: false },
}));
// Loaded before the worker starts and before /health answers, so "up" means "ready to deduplicate".
// The gallery's rows are read in pages and opened and indexed in the shard threads (GalleryMirror.catchUp).
let loadedIn = '';
if (services.has('worker')) {
  const loadStarted = performance.now();
  const shards = Math.max(1, Math.floor(Number(values['matcher-shards'])) || 1);
  ctx.matcher = await GalleryMirror.start(ctx.db, ctx.galleryKey, { shards });
  ctx.matcherProbeRadius = values['matcher-probe-radius'] === '0' ? 0 : 1;
  const flips = values['matcher-probe-flips'] === 'all' ? undefined : Math.floor(Number(values['matcher-probe-flips']));
  ctx.matcherProbeFlips = flips !== undefined && flips >= 0 ? flips : undefined;
  loadedIn = `, loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`;
}
const worker = services.has('worker') ? startDedupWorker(ctx, app.log) : undefined;
const gallery = ctx.matcher ? ` (gallery ${ctx.matcher.size}${loadedIn})` : ' (matcher not loaded: deduplication runs elsewhere)';
if (services.has('api')) {
  await app.listen({ port: Number(values.port), host: values.host });
  console.log(`[pusat] listening on ${https ? 'https' : 'http'}://${values.host}:${values.port}${gallery}`);
} else {
  if (values['health-port']) await app.listen({ port: Number(values['health-port']), host: values.host });
  console.log(`[pusat] dedup worker running${gallery}`);
}

stopOnSignals([() => app.close(), () => worker?.stop(), () => ctx.matcher?.close(), () => handle.close()]);
