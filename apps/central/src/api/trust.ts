import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { verifyCredential } from '@tangguh/credential';
import { DomainError } from '@tangguh/domain';
import { installVerificationRoutes, requireRole } from '@tangguh/platform';
import { documentKeyRequestSchema } from '@tangguh/protocol';
import type { CentralContext } from '../context.ts';
import { authenticateOffice } from './sync.ts';
import { KEY_REVOCATION_REASONS, certifyDocumentKey, currentRevocationList, currentTrustList, listDocumentKeys, revokeDocumentKey, trustRootInfo, type Published } from '../services/trust.ts';

const revokeKeyBody = z.object({
  reason: z.enum(KEY_REVOCATION_REASONS),
  note: z.string().trim().max(300).optional(),
  /** When the key may first have been misused (a compromise); ISO time. */
  since: z.string().datetime().optional(),
});
const kidParams = z.object({ kid: z.string().regex(/^[A-Za-z0-9_-]{4,64}$/) });
const keysQuery = z.object({ officeId: z.string().max(20).optional() });

/** Short enough that a revocation reaches verifiers within a minute, long enough to absorb a crowd. */
const PUBLIC_CACHE = 'public, max-age=30';

/** Serves a signed list with an ETag of its sequence, so a poller that is up to date gets a bodiless 304. */
function sendList(request: FastifyRequest, reply: FastifyReply, list: Published<unknown>) {
  const etag = `"${list.sequence}"`;
  reply.header('cache-control', PUBLIC_CACHE).header('etag', etag);
  if (request.headers['if-none-match'] === etag) return reply.status(304).send();
  return reply.send({ signed: list.signed });
}

/**
 * The root of trust: public lists for verifiers and offices, the admin's key management, and the
 * signed channel over which an office has its new document key certified (key rotation).
 */
export async function trustRoutes(app: FastifyInstance, ctx: CentralContext): Promise<void> {
  // The office signature covers the exact bytes sent, so keep them before parsing (as /sync/push does).
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (request, body, done) => {
    request.rawBody = body as Buffer;
    try {
      done(null, JSON.parse((body as Buffer).toString('utf8')));
    } catch {
      done(new DomainError('BODY_INVALID', { id: 'Isi permintaan bukan JSON yang sah.', en: 'The request body is not valid JSON.' }), undefined);
    }
  });

  app.get('/trust/root', async (_request, reply) => reply.header('cache-control', 'public, max-age=3600').send(await trustRootInfo(ctx)));
  app.get('/trust/list', async (request, reply) => sendList(request, reply, await currentTrustList(ctx)));
  app.get('/trust/revocations', async (request, reply) => sendList(request, reply, await currentRevocationList(ctx)));

  app.post('/sync/document-keys', async (request, reply) => {
    const officeId = await authenticateOffice(ctx, request);
    const body = documentKeyRequestSchema.parse(request.body);
    const key = await certifyDocumentKey(ctx, { officeId, purpose: body.purpose, publicKey: body.publicKey });
    return reply.status(201).send({ key });
  });

  const admin = { preHandler: requireRole('admin') };
  app.get('/api/trust/keys', admin, async (request) => ({ items: await listDocumentKeys(ctx, keysQuery.parse(request.query)) }));
  app.post('/api/trust/keys/:kid/revoke', admin, async (request) => {
    const { kid } = kidParams.parse(request.params);
    const body = revokeKeyBody.parse(request.body);
    const key = await revokeDocumentKey(ctx, { kid, reason: body.reason, note: body.note, since: body.since ? new Date(body.since) : undefined });
    request.log.info({ by: request.sessionUser?.username, kid, reason: body.reason }, 'document key revoked');
    return { key };
  });

  // The centre verifies against its own current lists: they are as fresh as lists can be.
  await installVerificationRoutes(app, async (text) => {
    const [trust, revocations] = await Promise.all([currentTrustList(ctx), currentRevocationList(ctx)]);
    const now = ctx.now();
    const result = verifyCredential(text, { trust: trust.list, revocations: revocations.list, now: Math.floor(now.getTime() / 1000) });
    return { ...result, listsFetchedAt: { trustList: now.toISOString(), revocationList: now.toISOString() } };
  });
}
