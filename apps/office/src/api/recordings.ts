import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DomainError, RECORD_STATUSES, invalidInput } from '@tangguh/domain';
import { recordingRequestSchema } from '@tangguh/protocol';
import { requireRole, zodIssues } from '@tangguh/platform';
import type { OfficeContext } from '../context.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { countRecordsByStatus, findRecordRow, findSummary, searchRecords, timelineOf } from '../repositories/records.ts';
import { recordResident } from '../services/recording.ts';

const listQuery = z.object({
  q: z.string().max(100).optional(),
  status: z.enum(RECORD_STATUSES).optional().or(z.literal('').transform(() => undefined)),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const idParams = z.object({ id: z.string().uuid() });
const notFound = () => new DomainError('RECORD_NOT_FOUND', { id: 'Rekaman tidak ditemukan.', en: 'Record not found.' }, 'not_found');

export async function recordingRoutes(app: FastifyInstance, ctx: OfficeContext): Promise<void> {
  const anyStaff = { preHandler: requireRole() };

  app.post('/api/recordings', { preHandler: requireRole('operator', 'supervisor', 'admin'), bodyLimit: 2 * 1024 * 1024 }, async (request, reply) => {
    const parsed = recordingRequestSchema.safeParse(request.body);
    // Report biodata fields by their form names ('nik', 'address.villageCode'), as the domain checks do.
    if (!parsed.success) throw invalidInput(zodIssues(parsed.error).map((issue) => ({ ...issue, field: issue.field.replace(/^biodata\./, '') })));
    const body = parsed.data;
    const result = await recordResident(ctx, { request: body, operator: request.sessionUser as OfficeUser });
    return reply.status(result.replayed ? 200 : 201).send({ record: result.record, receipt: result.receipt });
  });

  app.get('/api/recordings', anyStaff, async (request) => {
    const query = listQuery.parse(request.query);
    return { items: await searchRecords(ctx.db, query) };
  });

  app.get('/api/recordings/summary', anyStaff, async () => {
    const byStatus = await countRecordsByStatus(ctx.db);
    return { byStatus, total: Object.values(byStatus).reduce((a, b) => a + b, 0) };
  });

  app.get('/api/recordings/:id', anyStaff, async (request) => {
    const { id } = idParams.parse(request.params);
    const summary = await findSummary(ctx.db, id);
    const row = await findRecordRow(ctx.db, id);
    if (!summary || !row) throw notFound();
    const village = ctx.regions.village(row.village_code);
    const district = ctx.regions.district(row.village_code.slice(0, 8));
    return {
      record: { ...summary, biodata: JSON.parse(row.biodata), villageName: village?.name ?? null, districtName: district?.name ?? null, exceptions: JSON.parse(row.exceptions) },
      timeline: await timelineOf(ctx.db, id),
    };
  });

  app.get('/api/recordings/:id/photo', anyStaff, async (request, reply) => {
    const { id } = idParams.parse(request.params);
    const row = await findRecordRow(ctx.db, id);
    if (!row) throw notFound();
    return reply.type(row.photo_mime).header('cache-control', 'private, max-age=3600').send(Buffer.from(row.photo));
  });
}
