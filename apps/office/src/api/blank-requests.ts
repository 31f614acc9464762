import type { FastifyInstance } from 'fastify';
import { requireRole, typed } from '@tangguh/platform';
import { blankRequestRoutes as routes } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { blankRequest, blankRequestJustification, blankRequests, createBlankRequest } from '../services/blank-requests.ts';
import { refusingWhenFull } from '../services/storage-errors.ts';

/** Blank requests to the centre: the head or a supervisor asks (the forecast is the justification); staff follow the answer. */
export async function blankRequestRoutes(plain: FastifyInstance, ctx: OfficeContext): Promise<void> {
  const app = typed(plain);
  const askers = { preValidation: requireRole('head', 'supervisor') };
  const anyStaff = { preValidation: requireRole() };
  const user = (request: { sessionUser?: unknown }) => request.sessionUser as OfficeUser;

  app.get('/api/blank-requests/draft', { ...askers, schema: routes.draft }, async (request) => blankRequestJustification(ctx, request.query.quantity));

  app.post('/api/blank-requests', { ...askers, schema: routes.create }, async (request, reply) => {
    const made = await refusingWhenFull(() => createBlankRequest(ctx, request.body, user(request)));
    request.log.info({ by: user(request).username, id: made.id, quantity: made.quantity }, 'blank request queued for the centre');
    return reply.status(201).send({ request: made });
  });

  app.get('/api/blank-requests', { ...anyStaff, schema: routes.list }, async () => ({ items: await blankRequests(ctx) }));
  app.get('/api/blank-requests/:id', { ...anyStaff, schema: routes.get }, async (request) => ({ request: await blankRequest(ctx, request.params.id) }));
}
