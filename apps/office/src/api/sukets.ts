import type { FastifyInstance } from 'fastify';
import { renderQrPng } from '@tangguh/credential/node';
import { requireRole, typed } from '@tangguh/platform';
import { suketRoutes as routes } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { findRecordRef } from '../repositories/records.ts';
import { visibilityOf } from '../repositories/visibility.ts';
import { logRead } from './access-log.ts';
import { renderSuketPdf } from '../services/suket-pdf.ts';
import { refusingWhenFull } from '../services/storage-errors.ts';
import { findSuket, issueSuket, recordNotFound, revokeSuket, suketNotFound, suketsOfRecord } from '../services/suket.ts';
import { SUKET_FIELD_LABELS } from '../services/suket-subject.ts';

/** Surat Keterangan pengganti KTP-el: issue, list, print, revoke. Nothing here waits on the centre. */
export async function suketRoutes(plain: FastifyInstance, ctx: OfficeContext): Promise<void> {
  const app = typed(plain);
  const anyStaff = { preValidation: requireRole() };
  const issuers = { preValidation: requireRole('operator', 'supervisor', 'admin') };
  const revokers = { preValidation: requireRole('supervisor', 'admin') };
  const sessionUser = (request: { sessionUser?: unknown }) => request.sessionUser as OfficeUser;

  /** The record, if this person may see it (repositories/visibility.ts); else not found, as if it did not exist. */
  async function visibleRecord(request: { sessionUser?: unknown }, recordId: string) {
    const record = await findRecordRef(ctx.db, recordId, await visibilityOf(ctx.db, sessionUser(request)));
    if (!record) throw recordNotFound();
    return record;
  }

  /** A Suket is seen by those who may see its record. */
  async function visibleSuket(request: { sessionUser?: unknown }, serial: string) {
    const suket = await findSuket(ctx.db, serial);
    const record = await findRecordRef(ctx.db, suket.recordId, await visibilityOf(ctx.db, sessionUser(request)));
    if (!record) throw suketNotFound(serial);
    return { suket, nik: record.nik };
  }

  app.post('/api/recordings/:id/suket', { ...issuers, schema: routes.issue }, async (request, reply) => {
    const { id } = request.params;
    const user = request.sessionUser as OfficeUser;
    await visibleRecord(request, id);
    const issued = await refusingWhenFull(() => issueSuket(ctx, { recordId: id, operator: user }));
    request.log.info({ serial: issued.suket.serial, recordId: id, by: user.username, superseded: issued.superseded }, 'suket issued');
    return reply.status(201).send({ suket: issued.suket, fields: issued.subject, superseded: issued.superseded });
  });

  app.get('/api/recordings/:id/sukets', { ...anyStaff, schema: routes.ofRecord }, async (request) => {
    const { id } = request.params;
    const record = await visibleRecord(request, id);
    await logRead(ctx, request, { action: 'suket.list', recordId: id, nik: record.nik });
    return { items: await suketsOfRecord(ctx.db, id) };
  });

  app.get('/api/sukets/fields', { ...anyStaff, schema: routes.fields }, async () => ({ items: [...SUKET_FIELD_LABELS] }));

  app.get('/api/sukets/:serial', { ...anyStaff, schema: routes.detail }, async (request) => {
    const { serial } = request.params;
    const { suket, nik } = await visibleSuket(request, serial);
    await logRead(ctx, request, { action: 'suket.view', recordId: suket.recordId, nik, subject: serial });
    return { suket };
  });

  app.get('/api/sukets/:serial/pdf', { ...anyStaff, schema: routes.pdf }, async (request, reply) => {
    const { serial } = request.params;
    const { suket, nik } = await visibleSuket(request, serial);
    await logRead(ctx, request, { action: 'suket.pdf', recordId: suket.recordId, nik, subject: serial });
    const pdf = await renderSuketPdf(ctx, serial);
    return reply
      .type('application/pdf')
      .header('content-disposition', `inline; filename="${serial}.pdf"`)
      .header('cache-control', 'private, no-store')
      .send(Buffer.from(pdf));
  });

  app.get('/api/sukets/:serial/qr.png', { ...anyStaff, schema: routes.qr }, async (request, reply) => {
    const { serial } = request.params;
    const { suket, nik } = await visibleSuket(request, serial);
    await logRead(ctx, request, { action: 'suket.qr', recordId: suket.recordId, nik, subject: serial });
    return reply.type('image/png').header('cache-control', 'private, max-age=3600').send(Buffer.from(await renderQrPng(suket.qrText, { scale: 6 })));
  });

  app.post('/api/sukets/:serial/revoke', { ...revokers, schema: routes.revoke }, async (request) => {
    const { serial } = request.params;
    const body = request.body;
    const user = request.sessionUser as OfficeUser;
    await visibleSuket(request, serial);
    const suket = await revokeSuket(ctx, { serial, reason: body.reason, by: user.username });
    request.log.info({ serial, by: user.username, reason: body.reason, note: body.note }, 'suket revoked');
    return { suket };
  });
}
