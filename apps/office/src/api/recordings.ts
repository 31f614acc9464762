import type { FastifyInstance } from 'fastify';
import { ZodError } from 'zod';
import { DomainError, invalidInput } from '@tangguh/domain';
import { recordingRoutes as routes } from '@tangguh/protocol';
import { requireRole, typed, zodIssues } from '@tangguh/platform';
import type { OfficeContext } from '../context.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { countRecordsByStatus, findRecordRow, findSummary, searchRecords, timelineOf } from '../repositories/records.ts';
import { recordResident } from '../services/recording.ts';
import { presentRecordDetail } from './presenters/records.ts';

const notFound = () => new DomainError('RECORD_NOT_FOUND', { id: 'Rekaman tidak ditemukan.', en: 'Record not found.' }, 'not_found');

/** Schema issues under the names the form and the domain checks use: 'nik', 'address.villageCode'. */
const formIssues = (error: Error) => invalidInput((error instanceof ZodError ? zodIssues(error) : []).map((issue) => ({ ...issue, field: issue.field.replace(/^biodata\./, '') })));

export async function recordingRoutes(plain: FastifyInstance, ctx: OfficeContext): Promise<void> {
  const app = typed(plain);
  // Authorization before validation: a stranger learns nothing about the shape of the data.
  const anyStaff = { preValidation: requireRole() };

  app.post(
    '/api/recordings',
    { schema: routes.create, preValidation: requireRole('operator', 'supervisor', 'admin'), attachValidation: true, bodyLimit: 2 * 1024 * 1024 },
    async (request, reply) => {
      if (request.validationError) throw formIssues(request.validationError);
      const result = await recordResident(ctx, { request: request.body, operator: request.sessionUser as OfficeUser });
      return reply.status(result.replayed ? 200 : 201).send({ record: result.record, receipt: result.receipt });
    },
  );

  app.get('/api/recordings', { ...anyStaff, schema: routes.list }, async (request) => ({ items: await searchRecords(ctx.db, request.query) }));

  app.get('/api/recordings/summary', { ...anyStaff, schema: routes.summary }, async () => {
    const byStatus = await countRecordsByStatus(ctx.db);
    return { byStatus, total: Object.values(byStatus).reduce((a, b) => a + b, 0) };
  });

  app.get('/api/recordings/:id', { ...anyStaff, schema: routes.detail }, async (request) => {
    const { id } = request.params;
    const summary = await findSummary(ctx.db, id);
    const row = await findRecordRow(ctx.db, id);
    if (!summary || !row) throw notFound();
    return { record: presentRecordDetail(summary, row, ctx.regions), timeline: await timelineOf(ctx.db, id) };
  });

  app.get('/api/recordings/:id/photo', { ...anyStaff, schema: routes.photo }, async (request, reply) => {
    const row = await findRecordRow(ctx.db, request.params.id);
    if (!row) throw notFound();
    return reply.type(row.photo_mime).header('cache-control', 'private, max-age=3600').send(Buffer.from(row.photo));
  });
}
