import type { FastifyInstance } from 'fastify';
import { typed } from '@tangguh/platform';
import { centralGallerySubsetRoutes } from '@tangguh/protocol';
import type { CentralContext } from '../context.ts';
import { gallerySubsetFeed } from '../services/gallery-subset.ts';
import { keepRawJsonBody, signedByOffice, signerOf } from './office-auth.ts';

/**
 * The gallery subset feed, signed like the other /sync routes: each office reads only its own kabupaten's
 * entries, sealed to its gallery key, for its provisional search during outages. A new route, not a new
 * protocol version: an office of an older release never calls it.
 */
export async function gallerySubsetRoutes(scope: FastifyInstance, ctx: CentralContext): Promise<void> {
  keepRawJsonBody(scope, 64 * 1024);
  const app = typed(scope);
  app.get('/sync/gallery-subset', { preValidation: signedByOffice(ctx), schema: centralGallerySubsetRoutes.feed }, async (request) =>
    gallerySubsetFeed(ctx, signerOf(request), request.query),
  );
}
