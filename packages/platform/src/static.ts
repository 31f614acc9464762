import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

export const WEB_DIST = fileURLToPath(new URL('../../../apps/web/dist/', import.meta.url));

/** Serves the built web UI, with index.html for every client-side route that is not /api or /sync. */
export async function serveWebApp(app: FastifyInstance, dist = WEB_DIST): Promise<boolean> {
  if (!existsSync(`${dist}/index.html`)) return false;
  await app.register(fastifyStatic, { root: dist, wildcard: false });
  app.get('/*', async (request, reply) => {
    if (request.url.startsWith('/api/') || request.url.startsWith('/sync/')) {
      return reply.callNotFound();
    }
    return reply.sendFile('index.html');
  });
  return true;
}
