import { stopOnSignals } from '@tangguh/platform';
import { parseArgs } from 'node:util';
import { buildOfficeApp } from './app.ts';
import { openOffice } from './runtime.ts';
import { startSyncWorker } from './workers/sync-worker.ts';

/** The office node: `--services=api,worker` chooses what runs in this process (both by default). */
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
    log: { type: 'boolean', default: false },
  },
});

const services = new Set(values.services.split(','));
const { ctx, handle } = await openOffice(values.db);

const app = await buildOfficeApp(ctx, { logger: values.log, centralUrl: values.central });
const worker = services.has('worker')
  ? startSyncWorker(ctx, {
      centralUrl: values.central,
      idleMs: Number(values['idle-ms']),
      batchSize: Number(values['batch-size']),
      backoff: { baseMs: 250, capMs: Number(values['backoff-cap-ms']) },
    })
  : undefined;
if (services.has('api')) {
  await app.listen({ port: Number(values.port), host: values.host });
  console.log(`[kantor ${ctx.office.id}] listening on http://${values.host}:${values.port}`);
}

stopOnSignals([() => app.close(), () => worker?.stop(), () => handle.close()]);
