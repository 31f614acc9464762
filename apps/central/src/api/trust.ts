import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { verifyCredential } from '@tangguh/credential';
import { installVerificationRoutes, requireRole, typed } from '@tangguh/platform';
import { centralSyncRoutes, centralTrustRoutes } from '@tangguh/protocol';
import type { CentralContext } from '../context.ts';
import { keepRawJsonBody, signedByOffice, signerOf } from './office-auth.ts';
import { certifyDocumentKey, currentRevocationList, currentTrustList, listDocumentKeys, revokeDocumentKey, trustRootInfo, type Published } from '../services/trust.ts';

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
export async function trustRoutes(scope: FastifyInstance, ctx: CentralContext): Promise<void> {
  keepRawJsonBody(scope, 64 * 1024);
  const app = typed(scope);

  app.get('/trust/root', { schema: centralTrustRoutes.root }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').send(await trustRootInfo(ctx)),
  );
  app.get('/trust/list', { schema: centralTrustRoutes.trustList }, async (request, reply) => sendList(request, reply, await currentTrustList(ctx)));
  app.get('/trust/revocations', { schema: centralTrustRoutes.revocations }, async (request, reply) => sendList(request, reply, await currentRevocationList(ctx)));

  app.post('/sync/document-keys', { preValidation: signedByOffice(ctx), schema: centralSyncRoutes.documentKey }, async (request, reply) => {
    const key = await certifyDocumentKey(ctx, { officeId: signerOf(request), purpose: request.body.purpose, publicKey: request.body.publicKey });
    return reply.status(201).send({ key });
  });

  const admin = { preValidation: requireRole('admin') };
  app.get('/api/trust/keys', { ...admin, schema: centralTrustRoutes.keys }, async (request) => ({ items: await listDocumentKeys(ctx, request.query) }));
  app.post('/api/trust/keys/:kid/revoke', { ...admin, schema: centralTrustRoutes.revokeKey }, async (request) => {
    const { kid } = request.params;
    const { reason, note, since } = request.body;
    const key = await revokeDocumentKey(ctx, { kid, reason, note, since: since ? new Date(since) : undefined });
    request.log.info({ by: request.sessionUser?.username, kid, reason }, 'document key revoked');
    return { key };
  });

  // The centre verifies against its own current lists: they are as fresh as lists can be.
  await installVerificationRoutes(scope, async (text) => {
    const [trust, revocations] = await Promise.all([currentTrustList(ctx), currentRevocationList(ctx)]);
    const now = ctx.now();
    const result = verifyCredential(text, { trust: trust.list, revocations: revocations.list, now: Math.floor(now.getTime() / 1000) });
    return { ...result, listsFetchedAt: { trustList: now.toISOString(), revocationList: now.toISOString() } };
  });
}
