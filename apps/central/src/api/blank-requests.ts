import type { FastifyInstance } from 'fastify';
import { requireRole, typed } from '@tangguh/platform';
import { centralBlankRequestRoutes as routes } from '@tangguh/protocol';
import type { CentralContext } from '../context.ts';
import { answerBlankRequest, blankAnswerFeed, centralBlankRequests } from '../services/blank-requests.ts';
import { keepRawJsonBody, signedByOffice, signerOf } from './office-auth.ts';

/**
 * Blank requests: each office reads the answers to its own requests (signed, like every /sync route); the
 * centre's admin lists every office's requests with their justification and answers them.
 */
export async function blankRequestRoutes(scope: FastifyInstance, ctx: CentralContext): Promise<void> {
  keepRawJsonBody(scope, 64 * 1024);
  const app = typed(scope);
  app.get('/sync/blank-requests/answers', { preValidation: signedByOffice(ctx), schema: routes.answers }, async (request) =>
    blankAnswerFeed(ctx, signerOf(request), request.query.after, request.query.limit),
  );

  const admin = { preValidation: requireRole('admin') };
  const by = (request: { sessionUser?: { username?: string } }) => request.sessionUser?.username ?? 'admin';
  app.get('/api/admin/blank-requests', { ...admin, schema: routes.list }, async (request) => centralBlankRequests(ctx, request.query.status));
  app.post('/api/admin/blank-requests/:id/allocation', { ...admin, schema: routes.allocate }, async (request) => {
    const answered = await answerBlankRequest(ctx, request.params.id, { kind: 'allocate', allocation: request.body }, by(request));
    request.log.info({ by: by(request), id: answered.id, office: answered.officeId, allocation: answered.allocation }, 'blank request allocated');
    return { request: answered };
  });
  app.post('/api/admin/blank-requests/:id/refusal', { ...admin, schema: routes.refuse }, async (request) => {
    const answered = await answerBlankRequest(ctx, request.params.id, { kind: 'refuse', reason: request.body.reason }, by(request));
    request.log.info({ by: by(request), id: answered.id, office: answered.officeId }, 'blank request refused');
    return { request: answered };
  });
}
