import type { FastifyInstance } from 'fastify';
import { ZodError } from 'zod';
import { DomainError, acceptNik, invalidInput } from '@tangguh/domain';
import { recordingRoutes as routes } from '@tangguh/protocol';
import { requireRole, typed, zodIssues } from '@tangguh/platform';
import type { OfficeContext } from '../context.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { countRecordsByStatus, findRecordRow, findSummary, searchRecords, timelineOf } from '../repositories/records.ts';
import { recordResident } from '../services/recording.ts';
import { refusingWhenFull } from '../services/storage-errors.ts';
import { visibilityOf } from '../repositories/visibility.ts';
import { logRead } from './access-log.ts';
import { presentRecordDetail } from './presenters/records.ts';

const user = (request: { sessionUser?: unknown }) => request.sessionUser as OfficeUser;
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
      const result = await refusingWhenFull(() => recordResident(ctx, { request: request.body, operator: request.sessionUser as OfficeUser }));
      return reply.status(result.replayed ? 200 : 201).send({ record: result.record, receipt: result.receipt });
    },
  );

  app.get('/api/recordings', { ...anyStaff, schema: routes.list }, async (request) => {
    const q = request.query.q?.trim();
    const byNik = q !== undefined && /^\d{16}$/.test(q);
    if (byNik) acceptNik(q, ctx.regions, ctx.now(), ctx.office.timeZone, 'q');
    const items = await searchRecords(ctx.db, request.query, await visibilityOf(ctx.db, user(request)));
    await logRead(ctx, request, { action: 'record.search', nik: byNik ? q : null, subject: q || null });
    return { items };
  });

  app.get('/api/recordings/summary', { ...anyStaff, schema: routes.summary }, async () => {
    const byStatus = await countRecordsByStatus(ctx.db);
    return { byStatus, total: Object.values(byStatus).reduce((a, b) => a + b, 0) };
  });

  app.get('/api/recordings/:id', { ...anyStaff, schema: routes.detail }, async (request) => {
    const { id } = request.params;
    const visibility = await visibilityOf(ctx.db, user(request));
    const summary = await findSummary(ctx.db, id, visibility);
    const row = await findRecordRow(ctx.db, id, visibility);
    if (!summary || !row) throw notFound();
    await logRead(ctx, request, { action: 'record.view', recordId: id, nik: row.nik });
    return { record: presentRecordDetail(summary, row, ctx.regions), timeline: await timelineOf(ctx.db, id) };
  });

  app.get('/api/recordings/:id/photo', { ...anyStaff, schema: routes.photo }, async (request, reply) => {
    const row = await findRecordRow(ctx.db, request.params.id, await visibilityOf(ctx.db, user(request)));
    if (!row) throw notFound();
    await logRead(ctx, request, { action: 'record.photo', recordId: row.id, nik: row.nik });
    return reply.type(row.photo_mime).header('cache-control', 'private, max-age=3600').send(Buffer.from(row.photo));
  });
}
