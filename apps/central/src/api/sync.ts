import type { FastifyInstance } from 'fastify';
import { DomainError, type RecordStatus } from '@tangguh/domain';
import { typed } from '@tangguh/platform';
import { MIN_PROTOCOL_VERSION, PROTOCOL_VERSION, centralSyncRoutes, flattenNote, type ChangeNote, type ChangesResponse, type ChangesResponseV1 } from '@tangguh/protocol';
import type { CentralContext } from '../context.ts';
import { findOffice } from '../repositories/offices.ts';
import { applyPushBatchWithFeed } from '../services/inbox.ts';
import { inSeqOrder } from '../services/push-order.ts';
import { listChanges } from '../repositories/changes.ts';
import { keepRawCborBody, keepRawJsonBody, signedByOffice, signerOf, takePendingRequestId } from './office-auth.ts';

/**
 * The centre writes every feed note as "Indonesian / English" (services/dedup.ts, adjudication.ts);
 * protocol v2 carries the two halves apart. A note without the separator is the same in both.
 */
export function noteOf(stored: string | null): ChangeNote | null {
  if (stored === null) return null;
  const at = stored.indexOf(' / ');
  return at < 0 ? { id: stored, en: stored } : { id: stored.slice(0, at), en: stored.slice(at + 3) };
}

/** Shapes a page of the feed for the caller's protocol version: a v1 office reads notes as one string. */
function presentChanges(page: ChangesResponse, version: number): ChangesResponse | ChangesResponseV1 {
  if (version >= 2) return page;
  return { ...page, changes: page.changes.map((change) => ({ ...change, note: flattenNote(change.note) })) };
}

/** The office↔centre protocol: signed pushes of the outbox, signed pulls of the change feed. */
export async function syncRoutes(scope: FastifyInstance, ctx: CentralContext): Promise<void> {
  keepRawJsonBody(scope, 64 * 1024 * 1024);
  keepRawCborBody(scope, 64 * 1024 * 1024);
  const app = typed(scope);
  const signed = { preValidation: signedByOffice(ctx) };

  app.get('/sync/version', { schema: centralSyncRoutes.version }, async () => ({
    current: PROTOCOL_VERSION,
    supported: { min: MIN_PROTOCOL_VERSION, max: PROTOCOL_VERSION },
  }));

  app.get('/sync/keys', { schema: centralSyncRoutes.keys }, async () => ({ sealingPublicKey: ctx.sealingPublicKey }));

  // A push remembers its request id in the transaction that applies it: one durable write per batch.
  app.post('/sync/push', { preValidation: signedByOffice(ctx, { requestIdInTransaction: true }), schema: centralSyncRoutes.push }, async (request) => {
    const officeId = signerOf(request);
    if (request.body.officeId !== officeId) {
      throw new DomainError('OFFICE_MISMATCH', { id: 'Kode kantor pada paket tidak sesuai penanda tangan.', en: 'The batch office does not match the signer.' }, 'unauthenticated');
    }
    const requestId = takePendingRequestId(request);
    const firstSeq = request.body.entries[0]?.seq ?? 0;
    const appliedSeq = async () => Number((await findOffice(ctx.db, officeId))?.applied_seq ?? 0);
    const { result, feed } = await inSeqOrder(officeId, firstSeq, request.query.pipelined === '1', appliedSeq, () =>
      applyPushBatchWithFeed(ctx, officeId, request.body, { requestId: requestId.pending }),
    );
    requestId.settled();
    // The feed entries only to an office that asks for them (a v2 office does not know them).
    return request.query.feed === '1' && feed.length > 0 ? { ...result, feed } : result;
  });

  app.get('/sync/state', { ...signed, schema: centralSyncRoutes.state }, async (request) => {
    const office = await findOffice(ctx.db, signerOf(request));
    return { appliedSeq: Number(office?.applied_seq ?? 0), changeSeq: Number(office?.change_seq ?? 0) };
  });

  app.get('/sync/changes', { ...signed, schema: centralSyncRoutes.changes }, async (request) => {
    const { after, limit } = request.query;
    const rows = await listChanges(ctx.db, signerOf(request), after, limit + 1);
    const page = rows.slice(0, limit);
    // The column holds only statuses the lifecycle knows; the response schema checks each on the way out.
    const changes: ChangesResponse = {
      changes: page.map((r) => ({ cursor: Number(r.cursor), recordId: r.record_id, status: r.status as RecordStatus, at: r.at, note: noteOf(r.note) })),
      nextCursor: page.length > 0 ? Number(page[page.length - 1]!.cursor) : after,
      hasMore: rows.length > limit,
    };
    return presentChanges(changes, request.protocolVersion ?? 1);
  });
}
