import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DomainError } from '@tangguh/domain';
import { requireRole } from '@tangguh/platform';
import type { CentralContext } from '../context.ts';
import { decideCase, listOpenCases } from '../services/adjudication.ts';
import { countByStatus, findEnrollment } from '../repositories/enrollments.ts';
import { gallerySize } from '../repositories/gallery.ts';

const decisionBody = z.object({ decision: z.enum(['SAME_PERSON', 'DIFFERENT_PERSON']), note: z.string().trim().max(500).optional() });
const caseParams = z.object({ caseId: z.string().uuid() });
const recordParams = z.object({ recordId: z.string().uuid() });

export async function adjudicationRoutes(app: FastifyInstance, ctx: CentralContext): Promise<void> {
  const adjudicator = { preHandler: requireRole('adjudicator', 'admin') };

  app.get('/api/adjudications', adjudicator, async () => ({ items: await listOpenCases(ctx) }));

  app.post('/api/adjudications/:caseId/decision', adjudicator, async (request) => {
    const { caseId } = caseParams.parse(request.params);
    const body = decisionBody.parse(request.body);
    return decideCase(ctx, { caseId, decision: body.decision, note: body.note, decidedBy: request.sessionUser!.username });
  });

  app.get('/api/enrollments/:recordId/photo', adjudicator, async (request, reply) => {
    const { recordId } = recordParams.parse(request.params);
    const enrollment = await findEnrollment(ctx.db, recordId);
    if (!enrollment) throw new DomainError('RECORD_NOT_FOUND', { id: 'Rekaman tidak ditemukan.', en: 'Record not found.' }, 'not_found');
    return reply.type(enrollment.photo_mime).header('cache-control', 'private, max-age=3600').send(Buffer.from(enrollment.photo));
  });

  // The gallery's size is read from the database: an API-only centre does not hold the matcher.
  app.get('/api/pipeline/summary', adjudicator, async () => ({ byStatus: await countByStatus(ctx.db), gallerySize: await gallerySize(ctx.db) }));
}
