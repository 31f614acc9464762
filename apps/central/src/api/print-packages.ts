import type { FastifyInstance } from 'fastify';
import { typed } from '@tangguh/platform';
import { centralPrintPackageRoutes } from '@tangguh/protocol';
import type { CentralContext } from '../context.ts';
import { printPackageFeed } from '../services/print-packages.ts';
import { keepRawJsonBody, signedByOffice, signerOf } from './office-auth.ts';

/**
 * The card print package feed, signed like the other /sync routes: each office reads only its own packages
 * (its Print Ready Records and the replacements it asked for). A new route, not a new protocol version:
 * an office of an older release never calls it and its other routes are unchanged.
 */
export async function printPackageRoutes(scope: FastifyInstance, ctx: CentralContext): Promise<void> {
  keepRawJsonBody(scope, 64 * 1024);
  const app = typed(scope);
  app.get('/sync/print-packages', { preValidation: signedByOffice(ctx), schema: centralPrintPackageRoutes.feed }, async (request) => {
    const { after, limit } = request.query;
    return printPackageFeed(ctx, signerOf(request), after, limit);
  });
}
