import type { FastifyInstance } from 'fastify';
import { requireRole, typed } from '@tangguh/platform';
import { distributionRoutes as routes } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeUser } from '../repositories/users.ts';
import {
  createManifest,
  dispatchManifest,
  listManifestViews,
  manifestMessage,
  manifestView,
  missingCardMessage,
  missingCardViews,
  printedCardsForDistribution,
  receiveManifest,
  settleMissingFound,
  settleMissingLost,
} from '../services/distribution.ts';
import { refusingWhenFull } from '../services/storage-errors.ts';
import { logRead } from './access-log.ts';

/**
 * Card distribution: supervisors pack printed cards on manifests to kecamatan/kelurahan pickup points and
 * dispatch them (CARD_SHIPPED); staff posted at the pickup point receive them and flag missing cards.
 */
export async function distributionRoutes(plain: FastifyInstance, ctx: OfficeContext): Promise<void> {
  const app = typed(plain);
  const anyStaff = { preValidation: requireRole() };
  const keepers = { preValidation: requireRole('supervisor', 'admin') };
  const counter = { preValidation: requireRole('operator', 'supervisor', 'admin') };
  const user = (request: { sessionUser?: unknown }) => request.sessionUser as OfficeUser;

  // Lists of residents' names and NIKs: each read is in the access log, as a search is.
  app.get('/api/distribusi/kartu-tercetak', { ...anyStaff, schema: routes.printed }, async (request) => {
    const answer = await printedCardsForDistribution(ctx, user(request));
    await logRead(ctx, request, { action: 'record.search', subject: 'distribusi: kartu tercetak' });
    return answer;
  });

  app.get('/api/distribusi/manifes', { ...anyStaff, schema: routes.list }, async (request) => {
    const items = await listManifestViews(ctx, user(request), request.query.limit);
    await logRead(ctx, request, { action: 'record.search', subject: 'distribusi: manifes' });
    return { items };
  });

  app.get('/api/distribusi/manifes/:id', { ...anyStaff, schema: routes.detail }, async (request) => {
    const manifest = await manifestView(ctx, user(request), request.params.id);
    await logRead(ctx, request, { action: 'record.search', subject: `distribusi: manifes ${manifest.number}` });
    return manifest;
  });

  app.post('/api/distribusi/manifes', { ...keepers, schema: routes.create }, async (request, reply) => {
    const manifest = await refusingWhenFull(() => createManifest(ctx, { ...request.body, by: user(request) }));
    request.log.info({ by: user(request).username, manifest: manifest.number, cards: manifest.counts.total }, 'card manifest created');
    return reply.status(201).send({ manifest, message: manifestMessage(manifest, 'created') });
  });

  app.post('/api/distribusi/manifes/:id/kirim', { ...keepers, schema: routes.dispatch }, async (request) => {
    const manifest = await refusingWhenFull(() => dispatchManifest(ctx, { id: request.params.id, by: user(request) }));
    request.log.info({ by: user(request).username, manifest: manifest.number }, 'card manifest dispatched');
    return { manifest, message: manifestMessage(manifest, 'dispatched') };
  });

  app.post('/api/distribusi/manifes/:id/terima', { ...counter, schema: routes.receive }, async (request) => {
    const manifest = await refusingWhenFull(() => receiveManifest(ctx, { id: request.params.id, receivedRecordIds: request.body.receivedRecordIds, user: user(request) }));
    request.log.info({ by: user(request).username, manifest: manifest.number, missing: manifest.counts.missing }, 'card manifest received');
    return { manifest, message: manifestMessage(manifest, 'received') };
  });

  // Cards flagged missing on receipt: the cases the office must settle.
  app.get('/api/distribusi/kartu-hilang', { ...anyStaff, schema: routes.missing }, async (request) => {
    const items = await missingCardViews(ctx, user(request));
    await logRead(ctx, request, { action: 'record.search', subject: 'distribusi: kartu hilang' });
    return { items };
  });

  app.post('/api/distribusi/manifes/:id/kartu/:recordId/ditemukan', { ...counter, schema: routes.found }, async (request) => {
    const item = await refusingWhenFull(() => settleMissingFound(ctx, { manifestId: request.params.id, recordId: request.params.recordId, note: request.body.note, user: user(request) }));
    request.log.info({ by: user(request).username, manifest: item.manifestNumber, record: item.recordId }, 'missing card found');
    return { item, message: missingCardMessage(item) };
  });

  app.post('/api/distribusi/manifes/:id/kartu/:recordId/hilang', { ...keepers, schema: routes.lost }, async (request) => {
    const item = await refusingWhenFull(() => settleMissingLost(ctx, { manifestId: request.params.id, recordId: request.params.recordId, reason: request.body.reason, user: user(request) }));
    request.log.info({ by: user(request).username, manifest: item.manifestNumber, record: item.recordId, reprint: item.reprintJobId, notified: item.notified }, 'missing card declared lost in transit');
    return { item, message: missingCardMessage(item) };
  });
}
