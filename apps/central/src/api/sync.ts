import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DomainError } from '@tangguh/domain';
import { SIGNATURE_MAX_SKEW_MS, SYNC_HEADERS, pushBatchSchema } from '@tangguh/protocol';
import { verifyRequest } from '@tangguh/protocol/node';
import type { CentralContext } from '../context.ts';
import { findOffice } from '../repositories/offices.ts';
import { applyPushBatch } from '../services/inbox.ts';
import { listChanges } from '../repositories/changes.ts';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer;
  }
}

const unauthenticated = (code: string, id: string, en: string) => new DomainError(code, { id, en }, 'unauthenticated');

/** Checks the office's signature over method, path, timestamp and body; returns the office id. */
export async function authenticateOffice(ctx: CentralContext, request: FastifyRequest): Promise<string> {
  const officeId = request.headers[SYNC_HEADERS.office];
  const timestamp = request.headers[SYNC_HEADERS.timestamp];
  const signature = request.headers[SYNC_HEADERS.signature];
  if (typeof officeId !== 'string' || typeof timestamp !== 'string' || typeof signature !== 'string') {
    throw unauthenticated('SIGNATURE_MISSING', 'Permintaan tidak ditandatangani kantor.', 'The request is not signed by an office.');
  }
  const skew = Math.abs(Date.now() - Date.parse(timestamp));
  if (!Number.isFinite(skew) || skew > SIGNATURE_MAX_SKEW_MS) {
    throw unauthenticated('SIGNATURE_EXPIRED', 'Waktu tanda tangan di luar batas; periksa jam kantor.', 'Signature timestamp out of range; check the office clock.');
  }
  const office = await findOffice(ctx.db, officeId);
  const body = request.rawBody ?? Buffer.alloc(0);
  if (!office || !verifyRequest(office.public_key, request.method, request.url, timestamp, body, signature)) {
    throw unauthenticated('SIGNATURE_INVALID', 'Tanda tangan kantor tidak sah.', 'The office signature is not valid.');
  }
  return officeId;
}

const changesQuery = z.object({ after: z.coerce.number().int().min(0), limit: z.coerce.number().int().min(1).max(1000).default(500) });

/** The office↔centre protocol: signed pushes of the outbox, signed pulls of the change feed. */
export async function syncRoutes(app: FastifyInstance, ctx: CentralContext): Promise<void> {
  // The signature covers the exact bytes sent, so keep them before parsing.
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 64 * 1024 * 1024 }, (request, body, done) => {
    request.rawBody = body as Buffer;
    try {
      done(null, JSON.parse((body as Buffer).toString('utf8')));
    } catch {
      done(new DomainError('BODY_INVALID', { id: 'Isi permintaan bukan JSON yang sah.', en: 'The request body is not valid JSON.' }), undefined);
    }
  });

  app.get('/sync/keys', async () => ({ sealingPublicKey: ctx.sealingPublicKey }));

  app.post('/sync/push', async (request) => {
    const officeId = await authenticateOffice(ctx, request);
    const batch = pushBatchSchema.parse(request.body);
    if (batch.officeId !== officeId) {
      throw unauthenticated('OFFICE_MISMATCH', 'Kode kantor pada paket tidak sesuai penanda tangan.', 'The batch office does not match the signer.');
    }
    return applyPushBatch(ctx, officeId, batch);
  });

  app.get('/sync/state', async (request) => {
    const officeId = await authenticateOffice(ctx, request);
    const office = await findOffice(ctx.db, officeId);
    return { appliedSeq: Number(office?.applied_seq ?? 0), changeSeq: Number(office?.change_seq ?? 0) };
  });

  app.get('/sync/changes', async (request) => {
    const officeId = await authenticateOffice(ctx, request);
    const query = changesQuery.parse(request.query);
    const rows = await listChanges(ctx.db, officeId, query.after, query.limit + 1);
    const page = rows.slice(0, query.limit);
    return {
      changes: page.map((r) => ({ cursor: Number(r.cursor), recordId: r.record_id, status: r.status, at: r.at, note: r.note })),
      nextCursor: page.length > 0 ? Number(page[page.length - 1]!.cursor) : query.after,
      hasMore: rows.length > query.limit,
    };
  });
}
