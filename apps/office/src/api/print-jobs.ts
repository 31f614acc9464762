import type { FastifyInstance } from 'fastify';
import { requireRole, typed } from '@tangguh/platform';
import { printJobRoutes as routes } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { cancelPrintBatch, createPrintBatch, pausePrintBatch, printBatch, printBatches, resumePrintBatch } from '../services/print-batches.ts';
import { cancelPrintJob, confirmPrintedCard, createPrintJobs, printJob, printJobs, printRoomQueue, reportSpoiledCard } from '../services/print-jobs.ts';
import { refusingWhenFull } from '../services/storage-errors.ts';

/**
 * The print room. Operators (and supervisors) print the records they choose; supervisors queue batches,
 * pause and cancel them, cancel jobs, report spoiled cards and confirm interrupted prints. Any staff member
 * may look. Nothing here calls the centre: the print room works through an outage.
 */
export async function printJobRoutes(plain: FastifyInstance, ctx: OfficeContext): Promise<void> {
  const app = typed(plain);
  const anyStaff = { preValidation: requireRole() };
  const printers = { preValidation: requireRole('operator', 'supervisor') };
  const supervisor = { preValidation: requireRole('supervisor') };
  const user = (request: { sessionUser?: unknown }) => request.sessionUser as OfficeUser;

  app.get('/api/cetak/antrean', { ...anyStaff, schema: routes.queue }, async (request) => printRoomQueue(ctx, request.query.limit));
  app.get('/api/cetak/pekerjaan', { ...anyStaff, schema: routes.list }, async (request) => {
    const { state, batchId, recordId, siteId, limit } = request.query;
    return { items: await printJobs(ctx.db, { state, batchId, recordId, siteId, limit }) };
  });
  app.get('/api/cetak/pekerjaan/:id', { ...anyStaff, schema: routes.get }, async (request) => printJob(ctx.db, request.params.id));

  app.post('/api/cetak/pekerjaan', { ...printers, schema: routes.create }, async (request, reply) => {
    const items = await refusingWhenFull(() => createPrintJobs(ctx, { ...request.body, by: user(request).username }));
    request.log.info({ by: user(request).username, jobs: items.length, siteId: request.body.siteId }, 'print jobs queued');
    return reply.status(201).send({ items });
  });
  app.post('/api/cetak/pekerjaan/:id/batal', { ...supervisor, schema: routes.cancel }, async (request) => {
    const job = await cancelPrintJob(ctx, request.params.id);
    request.log.info({ by: user(request).username, job: job.id }, 'print job cancelled');
    return job;
  });
  app.post('/api/cetak/pekerjaan/:id/rusak', { ...supervisor, schema: routes.spoil }, async (request, reply) => {
    const result = await refusingWhenFull(() => reportSpoiledCard(ctx, request.params.id, { reason: request.body.reason, by: user(request).username }));
    request.log.info({ by: user(request).username, job: request.params.id, reason: request.body.reason }, 'printed card reported spoiled');
    return reply.status(201).send(result);
  });
  app.post('/api/cetak/pekerjaan/:id/konfirmasi', { ...supervisor, schema: routes.confirm }, async (request) => {
    const job = await confirmPrintedCard(ctx, request.params.id, user(request).username);
    request.log.info({ by: user(request).username, job: job.id }, 'interrupted print confirmed');
    return job;
  });

  app.get('/api/cetak/batch', { ...anyStaff, schema: routes.batches }, async () => ({ items: await printBatches(ctx.db) }));
  app.get('/api/cetak/batch/:id', { ...anyStaff, schema: routes.batch }, async (request) => printBatch(ctx.db, request.params.id));
  app.post('/api/cetak/batch', { ...supervisor, schema: routes.createBatch }, async (request, reply) => {
    const batch = await refusingWhenFull(() => createPrintBatch(ctx, { ...request.body, by: user(request).username }));
    request.log.info({ by: user(request).username, batch: batch.id, total: batch.progress.total, startAt: batch.startAt }, 'print batch queued');
    return reply.status(201).send(batch);
  });
  app.post('/api/cetak/batch/:id/jeda', { ...supervisor, schema: routes.pauseBatch }, async (request) => pausePrintBatch(ctx, request.params.id));
  app.post('/api/cetak/batch/:id/lanjut', { ...supervisor, schema: routes.resumeBatch }, async (request) => resumePrintBatch(ctx, request.params.id));
  app.post('/api/cetak/batch/:id/batal', { ...supervisor, schema: routes.cancelBatch }, async (request) => cancelPrintBatch(ctx, request.params.id));
}
