import type { FastifyInstance } from 'fastify';
import { requireRole, typed } from '@tangguh/platform';
import { centralSyncRoutes, centralTteRoutes } from '@tangguh/protocol';
import type { CentralContext } from '../context.ts';
import { keepRawJsonBody, signedByOffice, signerOf } from './office-auth.ts';
import { getTteAvailability, setTteAvailability, signDocuments } from '../services/tte.ts';

/**
 * The e-signature (TTE) service: offices ask it, with a signed request, to sign their heads' documents;
 * anyone may ask whether it is up; the centre's admin can switch it off to simulate an outage.
 */
export async function tteRoutes(scope: FastifyInstance, ctx: CentralContext): Promise<void> {
  keepRawJsonBody(scope, 8 * 1024 * 1024);
  const app = typed(scope);

  app.post('/sync/tte/sign', { preValidation: signedByOffice(ctx), schema: centralSyncRoutes.tteSign }, async (request) => signDocuments(ctx, signerOf(request), request.body));
  app.get('/sync/tte/health', { schema: centralSyncRoutes.tteHealth }, async () => getTteAvailability(ctx));

  const admin = { preValidation: requireRole('admin') };
  app.get('/api/admin/tte', { ...admin, schema: centralTteRoutes.availability }, async () => getTteAvailability(ctx));
  app.post('/api/admin/tte', { ...admin, schema: centralTteRoutes.setAvailability }, async (request) => {
    const { available } = request.body;
    const state = await setTteAvailability(ctx, available);
    request.log.info({ by: request.sessionUser?.username, available }, 'TTE availability switched');
    return state;
  });
}
