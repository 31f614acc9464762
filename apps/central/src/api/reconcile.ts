import type { FastifyInstance } from 'fastify';
import { DomainError } from '@tangguh/domain';
import { typed } from '@tangguh/platform';
import { RECONCILE_MAX_RECORDS, RECONCILIATION_MAX_DAYS, centralReconcileRoutes } from '@tangguh/protocol';
import type { CentralContext } from '../context.ts';
import { findOffice } from '../repositories/offices.ts';
import { enrollmentsInWindow, officeEventsInWindow } from '../repositories/reconcile.ts';
import { keepRawJsonBody, signedByOffice, signerOf } from './office-auth.ts';

/**
 * GET /sync/reconcile?from&to, signed like every /sync route: what the centre holds of the calling office in a
 * window — its recordings and their statuses, its events — so the office can list every difference after an
 * outage. Read-only, and only ever the caller's own records. A new route, not a new protocol version: an
 * office of an older release never calls it.
 */
export async function reconcileRoutes(scope: FastifyInstance, ctx: CentralContext): Promise<void> {
  keepRawJsonBody(scope, 64 * 1024);
  const app = typed(scope);
  app.get('/sync/reconcile', { preValidation: signedByOffice(ctx), schema: centralReconcileRoutes.reconcile }, async (request) => {
    const officeId = signerOf(request);
    const from = new Date(request.query.from);
    const to = new Date(request.query.to);
    if (!(from.getTime() <= to.getTime()) || to.getTime() - from.getTime() > RECONCILIATION_MAX_DAYS * 86_400_000) {
      throw new DomainError('RECONCILE_WINDOW_INVALID', {
        id: `Jendela waktu tidak sah: "dari" harus sebelum "sampai", paling lama ${RECONCILIATION_MAX_DAYS} hari.`,
        en: `The window is invalid: "from" must come before "to", at most ${RECONCILIATION_MAX_DAYS} days.`,
      });
    }
    const [office, records, events] = await Promise.all([
      findOffice(ctx.db, officeId),
      enrollmentsInWindow(ctx.db, officeId, from.toISOString(), to.toISOString(), RECONCILE_MAX_RECORDS + 1),
      officeEventsInWindow(ctx.db, officeId, from.toISOString(), to.toISOString(), RECONCILE_MAX_RECORDS + 1),
    ]);
    return {
      officeId,
      appliedSeq: Number(office?.applied_seq ?? 0),
      records: records.slice(0, RECONCILE_MAX_RECORDS).map((r) => ({ recordId: r.record_id, registrationNumber: r.registration_number, status: r.status, statusAt: r.status_at, recordedAt: r.recorded_at, receivedAt: r.received_at })),
      events: events.slice(0, RECONCILE_MAX_RECORDS).map((e) => ({ seq: Number(e.seq), kind: e.kind, subjectId: e.subject_id, occurredAt: e.occurred_at, appliedAt: e.applied_at })),
      truncated: records.length > RECONCILE_MAX_RECORDS || events.length > RECONCILE_MAX_RECORDS,
      answeredAt: new Date().toISOString(),
    };
  });
}
