import { MasterKeyError, configureMasterKey, installProcessHealth, parseServices, stopOnSignals, workerHealthApp } from '@tangguh/platform';
import { parseArgs } from 'node:util';
import { dirname, resolve } from 'node:path';
import { buildOfficeApp } from './app.ts';
import { openOffice } from './runtime.ts';
import { startSyncWorker } from './workers/sync-worker.ts';
import { startPrintWorker } from './workers/print-worker.ts';
import { printRoomDevices } from './printing/demo.ts';
import { centralLinkProblem } from './services/central-tls.ts';
import { startStatusWorker } from './services/status-probes.ts';
import { startNotifier } from './notify/worker.ts';

/**
 * The office node: `--services=api,worker` chooses what runs in this process (both by default). Split, the
 * processes share only the database: the worker stores what it learns of the centre there, the API reads it.
 * A worker-only process answers /health on `--health-port` if given.
 */
const { values } = parseArgs({
  options: {
    db: { type: 'string', default: process.env.TANGGUH_OFFICE_DB ?? 'data/office/office.db' },
    port: { type: 'string', default: process.env.PORT ?? '7200' },
    host: { type: 'string', default: '127.0.0.1' },
    central: { type: 'string', default: process.env.TANGGUH_CENTRAL_URL ?? 'http://127.0.0.1:7100' },
    services: { type: 'string', default: 'api,worker' },
    'backoff-cap-ms': { type: 'string', default: '30000' },
    'idle-ms': { type: 'string', default: '1000' },
    'batch-size': { type: 'string', default: '200' },
    'health-port': { type: 'string' },
    /** The status checks: how often, and how many bad (good) checks in a row take a capability down (bring it back). */
    'status-interval-ms': { type: 'string', default: process.env.TANGGUH_STATUS_INTERVAL_MS ?? '5000' },
    'status-fail-after': { type: 'string', default: process.env.TANGGUH_STATUS_FAIL_AFTER ?? '3' },
    'status-recover-after': { type: 'string', default: process.env.TANGGUH_STATUS_RECOVER_AFTER ?? '2' },
    /** The master key that opens the private keys sealed in the database: a file outside the data folder (or TANGGUH_MASTER_KEY). */
    'key-file': { type: 'string', default: process.env.TANGGUH_MASTER_KEY_FILE },
    log: { type: 'boolean', default: false },
    /** Where the print room keeps what it makes: chip files, and PDFs of printers not connected (default: beside the database). */
    'print-data': { type: 'string' },
  },
});

// Everything this process writes (databases, WAL, backups) is the owner's alone.
process.umask(0o077);
const services = parseServices(values.services);
const opened = await (async () => {
  try {
    configureMasterKey({ keyFile: values['key-file'], dataLocation: values.db });
    return await openOffice(values.db);
  } catch (error) {
    if (!(error instanceof MasterKeyError)) throw error;
    console.error(`[kantor] ${error.message}`);
    process.exit(1);
  }
})();
const { ctx, handle } = opened;
const linkProblem = centralLinkProblem(values.central, ctx.centralTlsCa);
if (linkProblem) {
  console.error(`[kantor ${ctx.office.id}] ${linkProblem.message}`);
  process.exit(1);
}

// Links in messages (confirm, unsubscribe) point at this node unless a public address is set or stored.
process.env.TANGGUH_LISTEN_URL = `http://${values.host}:${values.port}`;
// With the worker here, the provisional index loads once the backlog found at start is pushed (see OfficeAppOptions).
let startupDrainDone = () => {};
const startupDrain = services.has('worker') ? new Promise<void>((resolve) => (startupDrainDone = resolve)) : undefined;
const app = services.has('api')
  ? await buildOfficeApp(ctx, { logger: values.log, centralUrl: values.central, loadProvisionalIndexAfter: startupDrain })
  : workerHealthApp('office', values.log);
installProcessHealth(app, () => ({ node: 'office', office: ctx.office.id, services: [...services] }));
const worker = services.has('worker')
  ? startSyncWorker(ctx, {
      centralUrl: values.central,
      idleMs: Number(values['idle-ms']),
      batchSize: Number(values['batch-size']),
      backoff: { baseMs: 250, capMs: Number(values['backoff-cap-ms']) },
      onCaughtUp: () => startupDrainDone(),
    })
  : undefined;
const statusWorker = services.has('worker')
  ? startStatusWorker(ctx, {
      centralUrl: values.central,
      intervalMs: Number(values['status-interval-ms']),
      hysteresis: { failAfter: Number(values['status-fail-after']), recoverAfter: Number(values['status-recover-after']) },
    })
  : undefined;
// Prints queued cards and night batches unattended, from the packages already in the database.
const printData = values['print-data'] ?? (/^postgres(ql)?:/.test(values.db) ? 'data/office' : dirname(resolve(values.db)));
const printWorker = services.has('worker') ? startPrintWorker(ctx, printRoomDevices(resolve(printData))) : undefined;
// Tells subscribers of incidents, maintenance, announcements and expiring Sukets (settings: notify.config).
const notifier = services.has('worker') ? await startNotifier(ctx) : undefined;
if (services.has('api')) {
  await app.listen({ port: Number(values.port), host: values.host });
  console.log(`[kantor ${ctx.office.id}] listening on http://${values.host}:${values.port}`);
} else {
  if (values['health-port']) await app.listen({ port: Number(values['health-port']), host: values.host });
  console.log(`[kantor ${ctx.office.id}] sync worker running`);
}

stopOnSignals([() => app.close(), () => worker?.stop(), () => printWorker?.stop(), () => statusWorker?.stop(), () => notifier?.stop(), () => handle.close()]);
