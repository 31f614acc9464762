import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DomainError } from '@tangguh/domain';
import { requireRole } from '@tangguh/platform';
import { tteSignRequestSchema } from '@tangguh/protocol';
import type { CentralContext } from '../context.ts';
import { authenticateOffice } from './sync.ts';
import { getTteAvailability, setTteAvailability, signDocuments } from '../services/tte.ts';
import { registerDocumentEventHandlers } from '../services/document-events.ts';

const availabilityBody = z.object({ available: z.boolean() });

/**
 * The e-signature (TTE) service: offices ask it, with a signed request, to sign their heads' documents;
 * anyone may ask whether it is up; the centre's admin can switch it off to simulate an outage.
 */
export async function tteRoutes(app: FastifyInstance, ctx: CentralContext): Promise<void> {
  registerDocumentEventHandlers();
  // The office signature covers the exact bytes sent, so keep them before parsing (as /sync/push does).
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 8 * 1024 * 1024 }, (request, body, done) => {
    request.rawBody = body as Buffer;
    try {
      done(null, JSON.parse((body as Buffer).toString('utf8')));
    } catch {
      done(new DomainError('BODY_INVALID', { id: 'Isi permintaan bukan JSON yang sah.', en: 'The request body is not valid JSON.' }), undefined);
    }
  });

  app.post('/sync/tte/sign', async (request) => {
    const officeId = await authenticateOffice(ctx, request);
    return signDocuments(ctx, officeId, tteSignRequestSchema.parse(request.body));
  });

  app.get('/sync/tte/health', async () => getTteAvailability(ctx));

  const admin = { preHandler: requireRole('admin') };
  app.get('/api/admin/tte', admin, async () => getTteAvailability(ctx));
  app.post('/api/admin/tte', admin, async (request) => {
    const { available } = availabilityBody.parse(request.body);
    const state = await setTteAvailability(ctx, available);
    request.log.info({ by: request.sessionUser?.username, available }, 'TTE availability switched');
    return state;
  });
}
