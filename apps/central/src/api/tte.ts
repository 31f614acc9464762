import type { FastifyInstance } from 'fastify';
import { DomainError } from '@tangguh/domain';
import { requireRole, typed } from '@tangguh/platform';
import { centralSyncRoutes, centralTteRoutes } from '@tangguh/protocol';
import type { CentralContext } from '../context.ts';
import { keepRawJsonBody, signedByOffice, signerOf } from './office-auth.ts';
import { getTteAvailability, setTteAvailability, signDocuments } from '../services/tte.ts';
import { decideEnrolment, enrolHeadKey, enrolmentStatus, listEnrolments, listOfficeHeads, setOfficeHead } from '../services/tte-heads.ts';
import { findOffice } from '../repositories/offices.ts';

/**
 * The e-signature (TTE) service: offices ask it, with a signed request carrying the head's own proof, to
 * sign their heads' documents; heads enrol their personal keys through their office and a centre admin
 * approves them; anyone may ask whether it is up; the centre's admin can switch it off to simulate an outage.
 */
export async function tteRoutes(scope: FastifyInstance, ctx: CentralContext): Promise<void> {
  keepRawJsonBody(scope, 8 * 1024 * 1024);
  const app = typed(scope);

  app.post('/sync/tte/sign', { preValidation: signedByOffice(ctx), schema: centralSyncRoutes.tteSign }, async (request) => signDocuments(ctx, signerOf(request), request.body));
  app.post('/sync/tte/enrolments', { preValidation: signedByOffice(ctx), schema: centralTteRoutes.enrol }, async (request) => enrolHeadKey(ctx, signerOf(request), request.body));
  app.get('/sync/tte/enrolments', { preValidation: signedByOffice(ctx), schema: centralTteRoutes.enrolmentStatus }, async (request) =>
    enrolmentStatus(ctx, signerOf(request), request.query.username),
  );
  app.get('/sync/tte/health', { schema: centralSyncRoutes.tteHealth }, async () => getTteAvailability(ctx));

  const admin = { preValidation: requireRole('admin') };
  app.get('/api/admin/tte', { ...admin, schema: centralTteRoutes.availability }, async () => getTteAvailability(ctx));
  app.post('/api/admin/tte', { ...admin, schema: centralTteRoutes.setAvailability }, async (request) => {
    const { available } = request.body;
    const state = await setTteAvailability(ctx, available);
    request.log.info({ by: request.sessionUser?.username, available }, 'TTE availability switched');
    return state;
  });
  app.get('/api/admin/tte/enrolments', { ...admin, schema: centralTteRoutes.enrolments }, async () => ({ items: await listEnrolments(ctx), heads: await listOfficeHeads(ctx) }));
  app.post('/api/admin/tte/enrolments/:id/decision', { ...admin, schema: centralTteRoutes.decide }, async (request) => {
    const enrolment = await decideEnrolment(ctx, { id: request.params.id, approve: request.body.approve, by: request.sessionUser?.username ?? 'admin' });
    request.log.info({ by: request.sessionUser?.username, enrolment: enrolment.id, status: enrolment.status }, 'TTE key enrolment decided');
    return { enrolment };
  });
  app.put('/api/admin/tte/heads/:officeId', { ...admin, schema: centralTteRoutes.setHead }, async (request) => {
    const { officeId } = request.params;
    if (!(await findOffice(ctx.db, officeId))) {
      throw new DomainError('OFFICE_NOT_FOUND', { id: `Kantor ${officeId} tidak terdaftar di pusat.`, en: `Office ${officeId} is not registered at the centre.` }, 'not_found');
    }
    return { head: await setOfficeHead(ctx, { officeId, ...request.body, by: request.sessionUser?.username ?? 'admin' }) };
  });
}
