import type { FastifyInstance } from 'fastify';
import { requireRole, typed } from '@tangguh/platform';
import { provisionalMatchRoutes as routes } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { provisionalIndex } from '../services/provisional-dedup.ts';
import { decideProvisionalMatch, provisionalMatches } from '../services/provisional-review.ts';
import { refusingWhenFull } from '../services/storage-errors.ts';

/**
 * Provisional matches (kemiripan): Sukets held because the office's own search found another NIK's record
 * like this one. Supervisors and admins read the cases; a supervisor decides them (release with a reason, or
 * keep held with a note). The centre's verdict settles every case.
 */
export async function provisionalMatchRoutes(plain: FastifyInstance, ctx: OfficeContext, loadIndexAfter: Promise<void> = Promise.resolve()): Promise<void> {
  const app = typed(plain);
  const readers = { preValidation: requireRole('supervisor', 'admin') };
  const supervisor = { preValidation: requireRole('supervisor') };
  const user = (request: { sessionUser?: unknown }) => request.sessionUser as OfficeUser;

  // Loaded at start (after the start-up drain, see OfficeAppOptions), in the process that issues Sukets, so
  // the first search at the counter does not wait for it.
  void loadIndexAfter
    .then(() => provisionalIndex(ctx))
    .catch((error: Error) => plain.log.error({ err: error.message }, 'provisional index not loaded; it loads at the first search'));

  app.get('/api/kemiripan', { ...readers, schema: routes.list }, async (request) => provisionalMatches(ctx, request.query.state));

  app.post('/api/kemiripan/:id/lepas', { ...supervisor, schema: routes.release }, async (request) => {
    const match = await refusingWhenFull(() => decideProvisionalMatch(ctx, { id: request.params.id, decision: 'release', by: user(request).username, reason: request.body.reason }));
    request.log.info({ id: match.id, recordId: match.record.recordId, by: user(request).username }, 'provisional match released');
    return { match };
  });

  app.post('/api/kemiripan/:id/tahan', { ...supervisor, schema: routes.keep }, async (request) => {
    const match = await refusingWhenFull(() => decideProvisionalMatch(ctx, { id: request.params.id, decision: 'keep', by: user(request).username, reason: request.body.reason }));
    request.log.info({ id: match.id, recordId: match.record.recordId, by: user(request).username }, 'provisional match kept held');
    return { match };
  });
}
