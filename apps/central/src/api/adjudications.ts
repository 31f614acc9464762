import type { FastifyInstance } from 'fastify';
import { DomainError } from '@tangguh/domain';
import { requireRole, typed } from '@tangguh/platform';
import { centralAdjudicationRoutes, type EnrollmentParams } from '@tangguh/protocol';
import type { CentralContext } from '../context.ts';
import { decideCase, listOpenCases } from '../services/adjudication.ts';
import { countByStatus, findEnrollment } from '../repositories/enrollments.ts';
import { gallerySize } from '../repositories/gallery.ts';

export async function adjudicationRoutes(scope: FastifyInstance, ctx: CentralContext): Promise<void> {
  const app = typed(scope);
  const adjudicator = { preValidation: requireRole('adjudicator', 'admin') };

  app.get('/api/adjudications', { ...adjudicator, schema: centralAdjudicationRoutes.list }, async () => ({ items: await listOpenCases(ctx) }));

  app.post('/api/adjudications/:caseId/decision', { ...adjudicator, schema: centralAdjudicationRoutes.decide }, async (request) => {
    const { decision, note } = request.body;
    return decideCase(ctx, { caseId: request.params.caseId, decision, note, decidedBy: request.sessionUser!.username });
  });

  // A binary answer has no JSON type to infer, so this route is typed by its params alone.
  scope.get<{ Params: EnrollmentParams }>('/api/enrollments/:recordId/photo', { ...adjudicator, schema: centralAdjudicationRoutes.photo }, async (request, reply) => {
    const enrollment = await findEnrollment(ctx.db, request.params.recordId);
    if (!enrollment) throw new DomainError('RECORD_NOT_FOUND', { id: 'Rekaman tidak ditemukan.', en: 'Record not found.' }, 'not_found');
    return reply.type(enrollment.photo_mime).header('cache-control', 'private, max-age=3600').send(Buffer.from(enrollment.photo));
  });

  // The gallery's size is read from the database: an API-only centre does not hold the matcher.
  app.get('/api/pipeline/summary', { ...adjudicator, schema: centralAdjudicationRoutes.pipelineSummary }, async () => ({
    byStatus: await countByStatus(ctx.db),
    gallerySize: await gallerySize(ctx.db),
  }));
}
