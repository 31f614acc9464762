import type { FastifyInstance } from 'fastify';
import { requireRole, typed } from '@tangguh/platform';
import { documentRoutes as routes } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { countDocumentsByStatus, findDocument, listDocuments, listDocumentTypes } from '../repositories/documents.ts';
import { visibilityOf } from '../repositories/visibility.ts';
import { logRead } from './access-log.ts';
import { addDocumentType, createDocument, documentNotFound, presentDocument, viewOf, type TteSigner } from '../services/documents.ts';
import { enrolHeadKey, headEnrolmentStatus, prepareSignBatch, signPreparedBatch } from '../services/document-signing.ts';
import { renderDocumentPdf } from '../services/document-pdf.ts';
import { refusingWhenFull } from '../services/storage-errors.ts';
import { currentTteState } from '../services/tte-status.ts';
import { setWetSignaturePolicy, signatureAudit, wetSignDocument, wetSignaturePolicy } from '../services/wet-signature.ts';

/**
 * Documents signed electronically by the head of office (KK, akta …): operators register them, the head
 * signs the waiting ones through the centre's TTE in one action, and the wet-signature fallback exists
 * only as an audited policy switch.
 */
export async function documentRoutes(plain: FastifyInstance, ctx: OfficeContext, options: { signer?: TteSigner }): Promise<void> {
  const app = typed(plain);
  const anyStaff = { preValidation: requireRole() };
  const clerks = { preValidation: requireRole('operator', 'supervisor', 'admin') };
  const head = { preValidation: requireRole('head') };
  const user = (request: { sessionUser?: unknown }) => request.sessionUser as OfficeUser;

  /** A document outside the person's view (repositories/visibility.ts) is not found, as if it did not exist. */
  async function visibleDocument(request: { sessionUser?: unknown }, id: string) {
    const row = await findDocument(ctx.db, id, await visibilityOf(ctx.db, user(request)));
    if (!row) throw documentNotFound();
    return row;
  }

  app.get('/api/document-types', { ...anyStaff, schema: routes.types }, async () => ({ items: await listDocumentTypes(ctx.db) }));

  app.post('/api/document-types', { schema: routes.addType, preValidation: requireRole('admin') }, async (request, reply) => {
    const body = request.body;
    await addDocumentType(ctx, { ...body, admin: user(request) });
    return reply.status(201).send({ type: body });
  });

  app.post('/api/documents', { ...clerks, schema: routes.create }, async (request, reply) => {
    const body = request.body;
    const document = await refusingWhenFull(() => createDocument(ctx, { ...body, operator: user(request) }));
    return reply.status(201).send({ document });
  });

  app.get('/api/documents', { ...anyStaff, schema: routes.list }, async (request) => {
    const query = request.query;
    const tte = await currentTteState(ctx);
    const now = ctx.now();
    const visibility = await visibilityOf(ctx.db, user(request));
    const rows = await listDocuments(ctx.db, { status: query.status, limit: query.limit, oldestFirst: query.status === 'AWAITING_SIGNATURE', visibility });
    await logRead(ctx, request, { action: 'document.list', subject: query.status ?? null });
    return { items: rows.map((row) => presentDocument(row, tte, now, ctx.office.timeZone)), counts: await countDocumentsByStatus(ctx.db), tte };
  });

  app.get('/api/tte/status', { ...anyStaff, schema: routes.tteStatus }, async () => {
    const counts = await countDocumentsByStatus(ctx.db);
    return { tte: await currentTteState(ctx), awaiting: counts.AWAITING_SIGNATURE ?? 0 };
  });

  app.get('/api/documents/:id', { ...anyStaff, schema: routes.detail }, async (request) => {
    const { id } = request.params;
    const row = await visibleDocument(request, id);
    await logRead(ctx, request, { action: 'document.view', nik: row.nik, subject: id });
    return { document: await viewOf(ctx, id) };
  });

  app.get('/api/documents/:id/pdf', { ...anyStaff, schema: routes.pdf }, async (request, reply) => {
    const { id } = request.params;
    const row = await visibleDocument(request, id);
    await logRead(ctx, request, { action: 'document.pdf', nik: row.nik, subject: id });
    const pdf = await renderDocumentPdf(ctx, id);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${pdf.filename}"`).header('cache-control', 'private, no-store').send(Buffer.from(pdf.bytes));
  });

  // Signing takes two steps: the office prepares a batch, the head's browser signs its challenge with the
  // head's own key, and only that signature gets the batch signed at the centre (services/document-signing.ts).
  app.post('/api/documents/sign-all/challenge', { ...head, schema: routes.signChallenge }, async (request) => prepareSignBatch(ctx, user(request), request.body.ids));
  app.post('/api/documents/sign-all', { ...head, schema: routes.signAll }, async (request) => signPreparedBatch(ctx, options.signer, user(request), request.body));
  app.get('/api/tte/enrolment', { ...head, schema: routes.enrolment }, async (request) => headEnrolmentStatus(options.signer, user(request)));
  app.post('/api/tte/enrolment', { ...head, schema: routes.enrol }, async (request) => ({ enrolment: await enrolHeadKey(options.signer, user(request), request.body.publicKey) }));

  app.post('/api/documents/:id/wet-sign', { ...head, schema: routes.wetSign }, async (request) => {
    const { id } = request.params;
    const { reason } = request.body;
    return { document: await wetSignDocument(ctx, { id, reason, head: user(request) }) };
  });

  app.get('/api/policies/wet-signature', { ...anyStaff, schema: routes.policy }, async () => ({ policy: await wetSignaturePolicy(ctx), audit: await signatureAudit(ctx) }));

  app.put('/api/policies/wet-signature', { schema: routes.setPolicy, preValidation: requireRole('head', 'admin') }, async (request) => {
    const body = request.body;
    return { policy: await setWetSignaturePolicy(ctx, { ...body, actor: user(request) }), audit: await signatureAudit(ctx) };
  });
}
