import type { FastifyInstance } from 'fastify';
import { requireRole, typed } from '@tangguh/platform';
import { cardReplacementRoutes as routes } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { cardReplacement, cardReplacements, requestCardReplacement } from '../services/card-replacements.ts';
import { refusingWhenFull } from '../services/storage-errors.ts';

/** Replacement cards (lost, damaged, data changed): asked for here, answered by the centre in the package feed. */
export async function cardReplacementRoutes(plain: FastifyInstance, ctx: OfficeContext): Promise<void> {
  const app = typed(plain);
  const anyStaff = { preValidation: requireRole() };
  const requesters = { preValidation: requireRole('operator', 'supervisor', 'admin') };

  app.post('/api/card-replacements', { ...requesters, schema: routes.request }, async (request, reply) => {
    const operator = request.sessionUser as OfficeUser;
    const created = await refusingWhenFull(() => requestCardReplacement(ctx, { ...request.body, operator }));
    request.log.info({ requestId: created.requestId, reason: created.reason, by: operator.username }, 'card replacement requested');
    return reply.status(201).send({ request: created });
  });

  app.get('/api/card-replacements', { ...anyStaff, schema: routes.list }, async () => ({ items: await cardReplacements(ctx.db) }));

  app.get('/api/card-replacements/:id', { ...anyStaff, schema: routes.detail }, async (request) => ({ request: await cardReplacement(ctx.db, request.params.id) }));
}
