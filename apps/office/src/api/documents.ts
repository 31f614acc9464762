import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireRole } from '@tangguh/platform';
import type { OfficeContext } from '../context.ts';
import { DOCUMENT_STATUSES } from '../db/migrations-documents.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { countDocumentsByStatus, listDocuments, listDocumentTypes } from '../repositories/documents.ts';
import { addDocumentType, createDocument, presentDocument, signWaitingDocuments, viewOf, type TteSigner } from '../services/documents.ts';
import { renderDocumentPdf } from '../services/document-pdf.ts';
import { currentTteState } from '../services/tte-status.ts';
import { setWetSignaturePolicy, signatureAudit, wetSignDocument, wetSignaturePolicy } from '../services/wet-signature.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const fieldKey = z.string().trim().regex(/^[a-z][a-z0-9_]{0,39}$/);
const documentBody = z.object({
  type: text(32),
  nik: z.string().trim().regex(/^\d{16}$/, '16 digits'),
  name: text(120),
  nomor: text(64),
  fields: z.record(fieldKey, z.string().trim().max(500)).refine((f) => Object.keys(f).length <= 30, 'at most 30 fields').default({}),
});
const typeBody = z.object({
  code: z.string().trim().regex(/^[A-Z][A-Z0-9_]{1,31}$/),
  name: text(120),
  fields: z.array(z.object({ key: fieldKey, label: text(80) })).max(30).default([]),
});
const listQuery = z.object({
  status: z.enum(DOCUMENT_STATUSES).optional().or(z.literal('').transform(() => undefined)),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const idParams = z.object({ id: z.string().uuid() });
const signBody = z.object({ ids: z.array(z.string().uuid()).min(1).max(1000).optional() }).default({});
const reasonText = z.string().trim().min(5, 'at least 5 characters').max(500);
const wetSignBody = z.object({ reason: reasonText });
const policyBody = z.object({ enabled: z.boolean(), reason: reasonText });

/**
 * Documents signed electronically by the head of office (KK, akta …): operators register them, the head
 * signs the waiting ones through the centre's TTE in one action, and the wet-signature fallback exists
 * only as an audited policy switch.
 */
export async function documentRoutes(app: FastifyInstance, ctx: OfficeContext, options: { signer?: TteSigner }): Promise<void> {
  const anyStaff = { preHandler: requireRole() };
  const clerks = { preHandler: requireRole('operator', 'supervisor', 'admin') };
  const head = { preHandler: requireRole('head') };
  const user = (request: { sessionUser?: unknown }) => request.sessionUser as OfficeUser;

  app.get('/api/document-types', anyStaff, async () => ({ items: await listDocumentTypes(ctx.db) }));

  app.post('/api/document-types', { preHandler: requireRole('admin') }, async (request, reply) => {
    const body = typeBody.parse(request.body);
    await addDocumentType(ctx, { ...body, admin: user(request) });
    return reply.status(201).send({ type: body });
  });

  app.post('/api/documents', clerks, async (request, reply) => {
    const body = documentBody.parse(request.body);
    const document = await createDocument(ctx, { ...body, operator: user(request) });
    return reply.status(201).send({ document });
  });

  app.get('/api/documents', anyStaff, async (request) => {
    const query = listQuery.parse(request.query);
    const tte = await currentTteState(ctx);
    const now = ctx.now();
    const rows = await listDocuments(ctx.db, { status: query.status, limit: query.limit, oldestFirst: query.status === 'AWAITING_SIGNATURE' });
    return { items: rows.map((row) => presentDocument(row, tte, now, ctx.office.timeZone)), counts: await countDocumentsByStatus(ctx.db), tte };
  });

  app.get('/api/tte/status', anyStaff, async () => {
    const counts = await countDocumentsByStatus(ctx.db);
    return { tte: await currentTteState(ctx), awaiting: counts.AWAITING_SIGNATURE ?? 0 };
  });

  app.get('/api/documents/:id', anyStaff, async (request) => {
    const { id } = idParams.parse(request.params);
    return { document: await viewOf(ctx, id) };
  });

  app.get('/api/documents/:id/pdf', anyStaff, async (request, reply) => {
    const { id } = idParams.parse(request.params);
    const pdf = await renderDocumentPdf(ctx, id);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${pdf.filename}"`).header('cache-control', 'private, no-store').send(Buffer.from(pdf.bytes));
  });

  app.post('/api/documents/sign-all', head, async (request) => {
    const { ids } = signBody.parse(request.body ?? {});
    return signWaitingDocuments(ctx, options.signer, user(request), ids);
  });

  app.post('/api/documents/:id/wet-sign', head, async (request) => {
    const { id } = idParams.parse(request.params);
    const { reason } = wetSignBody.parse(request.body);
    return { document: await wetSignDocument(ctx, { id, reason, head: user(request) }) };
  });

  app.get('/api/policies/wet-signature', anyStaff, async () => ({ policy: await wetSignaturePolicy(ctx), audit: await signatureAudit(ctx) }));

  app.put('/api/policies/wet-signature', { preHandler: requireRole('head', 'admin') }, async (request) => {
    const body = policyBody.parse(request.body);
    return { policy: await setWetSignaturePolicy(ctx, { ...body, actor: user(request) }), audit: await signatureAudit(ctx) };
  });
}
