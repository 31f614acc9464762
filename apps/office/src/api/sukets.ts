import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { renderQrPng } from '@tangguh/credential/node';
import { requireRole } from '@tangguh/platform';
import { suketSerialSchema } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { findRecordRow } from '../repositories/records.ts';
import { renderSuketPdf } from '../services/suket-pdf.ts';
import { OPERATOR_REVOCATION_REASONS, findSuket, issueSuket, recordNotFound, revokeSuket, suketsOfRecord } from '../services/suket.ts';
import { SUKET_FIELD_LABELS } from '../services/suket-subject.ts';

const recordParams = z.object({ id: z.string().uuid() });
const serialParams = z.object({ serial: suketSerialSchema });
const revokeBody = z.object({ reason: z.enum(OPERATOR_REVOCATION_REASONS), note: z.string().trim().max(300).optional() });

/** Surat Keterangan pengganti KTP-el: issue, list, print, revoke. Nothing here waits on the centre. */
export async function suketRoutes(app: FastifyInstance, ctx: OfficeContext): Promise<void> {
  const anyStaff = { preHandler: requireRole() };
  const issuers = { preHandler: requireRole('operator', 'supervisor', 'admin') };
  const revokers = { preHandler: requireRole('supervisor', 'admin') };

  app.post('/api/recordings/:id/suket', issuers, async (request, reply) => {
    const { id } = recordParams.parse(request.params);
    const user = request.sessionUser as OfficeUser;
    const issued = await issueSuket(ctx, { recordId: id, operator: user });
    request.log.info({ serial: issued.suket.serial, recordId: id, by: user.username, superseded: issued.superseded }, 'suket issued');
    return reply.status(201).send({ suket: issued.suket, fields: issued.subject, superseded: issued.superseded });
  });

  app.get('/api/recordings/:id/sukets', anyStaff, async (request) => {
    const { id } = recordParams.parse(request.params);
    if (!(await findRecordRow(ctx.db, id))) throw recordNotFound();
    return { items: await suketsOfRecord(ctx.db, id) };
  });

  app.get('/api/sukets/fields', anyStaff, async () => ({ items: SUKET_FIELD_LABELS }));

  app.get('/api/sukets/:serial', anyStaff, async (request) => {
    const { serial } = serialParams.parse(request.params);
    return { suket: await findSuket(ctx.db, serial) };
  });

  app.get('/api/sukets/:serial/pdf', anyStaff, async (request, reply) => {
    const { serial } = serialParams.parse(request.params);
    const pdf = await renderSuketPdf(ctx, serial);
    return reply
      .type('application/pdf')
      .header('content-disposition', `inline; filename="${serial}.pdf"`)
      .header('cache-control', 'private, no-store')
      .send(Buffer.from(pdf));
  });

  app.get('/api/sukets/:serial/qr.png', anyStaff, async (request, reply) => {
    const { serial } = serialParams.parse(request.params);
    const suket = await findSuket(ctx.db, serial);
    return reply.type('image/png').header('cache-control', 'private, max-age=3600').send(Buffer.from(await renderQrPng(suket.qrText, { scale: 6 })));
  });

  app.post('/api/sukets/:serial/revoke', revokers, async (request) => {
    const { serial } = serialParams.parse(request.params);
    const body = revokeBody.parse(request.body);
    const user = request.sessionUser as OfficeUser;
    const suket = await revokeSuket(ctx, { serial, reason: body.reason, by: user.username });
    request.log.info({ serial, by: user.username, reason: body.reason, note: body.note }, 'suket revoked');
    return { suket };
  });
}
