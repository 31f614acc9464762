import type { FastifyInstance } from 'fastify';
import { requireRole, typed } from '@tangguh/platform';
import { apiKeyRoutes as routes } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { apiKeysWithUse, createApiKey, revokeApiKey } from '../services/api-keys.ts';

/** API keys for institutions that verify in bulk (banks): the office's admin creates, lists and revokes them. */
export async function apiKeyRoutes(plain: FastifyInstance, ctx: OfficeContext): Promise<void> {
  const app = typed(plain);
  const admin = { preValidation: requireRole('admin') };
  const user = (request: { sessionUser?: unknown }) => request.sessionUser as OfficeUser;

  app.post('/api/api-keys', { ...admin, schema: routes.create }, async (request, reply) => {
    const created = await createApiKey(ctx, { ...request.body, admin: user(request) });
    request.log.info({ by: user(request).username, keyId: created.key.id, institution: created.key.institution }, 'api key created');
    return reply.status(201).send(created);
  });

  app.get('/api/api-keys', { ...admin, schema: routes.list }, async () => ({ items: await apiKeysWithUse(ctx) }));

  app.post('/api/api-keys/:id/revoke', { ...admin, schema: routes.revoke }, async (request) => {
    const key = await revokeApiKey(ctx, request.params.id, user(request));
    request.log.info({ by: user(request).username, keyId: key.id }, 'api key revoked');
    return { key };
  });
}
