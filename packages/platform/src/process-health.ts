import Fastify, { type FastifyInstance } from 'fastify';

/** The roles one process of a node can run; a node is one process with both, or split into several. */
export type NodeService = 'api' | 'worker';

/** Reads `--services`. Anything else is refused, so a typo does not start a process that serves nothing. */
export function parseServices(value: string): Set<NodeService> {
  const names = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => name !== 'api' && name !== 'worker');
  if (names.length === 0 || unknown.length > 0) throw new Error(`--services takes api, worker or api,worker; got "${value}"`);
  return new Set(names as NodeService[]);
}

/**
 * GET /health/process: what this one process runs and holds. A node split into processes answers per
 * process, so a supervisor (and the split-process tests) can see which process holds what — the centre's
 * matcher, for one, lives only where deduplication runs.
 */
export function installProcessHealth(app: FastifyInstance, report: () => Record<string, unknown>): void {
  app.get('/health/process', async () => ({ pid: process.pid, rssBytes: process.memoryUsage().rss, ...report() }));
}

/** The whole HTTP surface of a worker-only process (`--services=worker --health-port N`): its health, no API. */
export function workerHealthApp(node: string, logger: boolean): FastifyInstance {
  const app = Fastify({ logger });
  app.get('/health', async () => ({ ok: true, node, time: new Date().toISOString() }));
  return app;
}
