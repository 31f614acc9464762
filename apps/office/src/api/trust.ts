import type { FastifyInstance } from 'fastify';
import { DomainError } from '@tangguh/domain';
import { installVerificationRoutes, requireRole, typed } from '@tangguh/platform';
import { trustRoutes as routes } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import { chargeApiKey } from '../services/api-keys.ts';
import type { TrustListName } from '../db/migrations-suket.ts';
import { listDocumentKeys, requestKeyRotation } from '../services/document-keys.ts';
import { cachedList, pinnedTrustRoot, verifyAtOffice } from '../services/trust-store.ts';
import { signedOfficeRevocations } from '../services/office-revocations.ts';

const neverFetched = (what: { id: string; en: string }) =>
  new DomainError(
    'TRUST_LIST_NOT_FETCHED',
    {
      id: `Kantor ini belum pernah menerima ${what.id} dari pusat. Daftar diambil otomatis begitu kantor tersambung ke pusat.`,
      en: `This office has never received the ${what.en} from the centre. It is fetched automatically as soon as the office reaches the centre.`,
    },
    'not_found',
  );

/**
 * What verifiers need from this office, with no login and no network beyond it: the pinned root, the
 * signed lists as last fetched from the centre (with their age), the office's own signed revocations,
 * and the verification API itself.
 */
export async function trustRoutes(plain: FastifyInstance, ctx: OfficeContext): Promise<void> {
  const app = typed(plain);
  app.get('/api/trust/root', { schema: routes.root }, async (_request, reply) => {
    const root = await pinnedTrustRoot(ctx.db);
    if (!root) throw new DomainError('TRUST_ROOT_MISSING', { id: 'Kantor ini belum disiapkan dengan kunci akar pusat.', en: 'This office has not been provisioned with the centre’s root key.' }, 'not_found');
    return reply.header('cache-control', 'public, max-age=3600').send(root);
  });

  const serveList = (path: string, name: TrustListName, what: { id: string; en: string }) =>
    app.get(path, { schema: name === 'TRUST_LIST' ? routes.trustList : routes.revocations }, async (request, reply) => {
      const list = await cachedList(ctx.db, name);
      if (!list) throw neverFetched(what);
      const etag = `"${list.sequence}"`;
      reply.header('cache-control', 'public, max-age=30').header('etag', etag);
      if (request.headers['if-none-match'] === etag) return reply.status(304).send(undefined);
      return reply.send({ signed: list.signed, fetchedAt: list.fetchedAt, sequence: list.sequence, issuedAt: list.issuedAt });
    });
  serveList('/api/trust/list', 'TRUST_LIST', { id: 'daftar kunci tepercaya', en: 'trust list' });
  serveList('/api/trust/revocations', 'REVOCATION_LIST', { id: 'daftar pencabutan', en: 'revocation list' });

  // Signed here and now, so a Suket this office revoked reads so at every verifier while the centre is down.
  app.get('/api/trust/office-revocations', { schema: routes.officeRevocations }, async (request, reply) => {
    const list = await signedOfficeRevocations(ctx);
    const etag = `"${list.sequence}-${list.issuedAt}"`;
    reply.header('cache-control', 'no-cache').header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.status(304).send(undefined);
    return reply.send(list);
  });

  app.get('/api/trust/document-keys', { schema: routes.documentKeys, preValidation: requireRole('supervisor', 'admin') }, async () => ({ items: await listDocumentKeys(ctx.db) }));

  // The new key is certified by the sync worker when the centre is reachable; until then the current key signs.
  app.post('/api/trust/document-keys/rotate', { schema: routes.rotate, preValidation: requireRole('admin') }, async (request, reply) => {
    const { purpose } = request.body;
    const key = await requestKeyRotation(ctx, purpose);
    request.log.info({ by: request.sessionUser?.username, kid: key.kid }, 'document key rotation requested');
    return reply.status(202).send({ key });
  });

  await installVerificationRoutes(app, (text) => verifyAtOffice(ctx, text), { apiKeys: (key) => chargeApiKey(ctx, key) });
}
