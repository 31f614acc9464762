import type { FastifyInstance } from 'fastify';
import { requireRole, typed } from '@tangguh/platform';
import { blankLoanRoutes, blankStockRoutes as routes } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { blankLedger, correctBlankCount, movementResponse, publicBlankStock, recordBlankEntry } from '../services/blank-stock.ts';
import { blankLoanBalances, recordBlankLoan } from '../services/blank-loans.ts';
import { refusingWhenFull } from '../services/storage-errors.ts';

/**
 * Blank-card stock: the day's count per site is public (residents ask whether it is worth coming), the
 * ledger's entries are made by staff. Receipts and transfers move many blanks: supervisors and admins.
 * A spoiled blank is recorded where it happened, by whoever printed. A count correction is a supervisor's
 * approval of a count someone else made.
 */
export async function blankStockRoutes(plain: FastifyInstance, ctx: OfficeContext): Promise<void> {
  const app = typed(plain);
  const keepers = { preValidation: requireRole('supervisor', 'admin') };
  const printers = { preValidation: requireRole('operator', 'supervisor', 'admin') };
  const supervisor = { preValidation: requireRole('supervisor') };
  const user = (request: { sessionUser?: unknown }) => request.sessionUser as OfficeUser;
  const at = () => ctx.now().toISOString();

  app.get('/api/stok-blangko', { schema: routes.publicStock }, async () => publicBlankStock(ctx));

  app.get('/api/stok-blangko/buku', { preValidation: requireRole(), schema: routes.ledger }, async (request) => ({ items: await blankLedger(ctx, request.query) }));

  app.post('/api/stok-blangko/penerimaan', { ...keepers, schema: routes.receipt }, async (request, reply) => {
    const { siteId, tranche, quantity, serialFrom, serialTo } = request.body;
    const entries = await refusingWhenFull(() =>
      recordBlankEntry(ctx.db, { kind: 'receipt', siteId, tranche, quantity, serials: { from: serialFrom, to: serialTo } }, user(request).username, at()),
    );
    request.log.info({ by: user(request).username, siteId, tranche, quantity }, 'blank receipt recorded');
    return reply.status(201).send(await movementResponse(ctx, entries));
  });

  app.post('/api/stok-blangko/pemindahan', { ...keepers, schema: routes.transfer }, async (request, reply) => {
    const entries = await refusingWhenFull(() => recordBlankEntry(ctx.db, { kind: 'transfer', ...request.body }, user(request).username, at()));
    request.log.info({ by: user(request).username, ...request.body }, 'blank transfer recorded');
    return reply.status(201).send(await movementResponse(ctx, entries));
  });

  app.post('/api/stok-blangko/kerusakan', { ...printers, schema: routes.spoilage }, async (request, reply) => {
    const entries = await refusingWhenFull(() => recordBlankEntry(ctx.db, { kind: 'spoilage', ...request.body }, user(request).username, at()));
    request.log.info({ by: user(request).username, ...request.body }, 'blank spoilage recorded');
    return reply.status(201).send(await movementResponse(ctx, entries));
  });

  app.post('/api/stok-blangko/koreksi', { ...supervisor, schema: routes.correction }, async (request, reply) => {
    const entries = await refusingWhenFull(() => correctBlankCount(ctx, { ...request.body, supervisor: user(request) }));
    request.log.info({ by: user(request).username, siteId: request.body.siteId, delta: request.body.delta }, 'blank count corrected');
    return reply.status(201).send(await movementResponse(ctx, entries));
  });

  // Loans between offices (provinces lend between kabupaten): each is a ledger entry naming the other office.
  app.post('/api/stok-blangko/pinjaman-keluar', { ...keepers, schema: blankLoanRoutes.lend }, async (request, reply) => {
    const entries = await refusingWhenFull(() => recordBlankLoan(ctx, 'out', request.body, user(request).username));
    request.log.info({ by: user(request).username, ...request.body }, 'blanks lent to another office');
    return reply.status(201).send(await movementResponse(ctx, entries));
  });

  app.post('/api/stok-blangko/pinjaman-masuk', { ...keepers, schema: blankLoanRoutes.borrow }, async (request, reply) => {
    const entries = await refusingWhenFull(() => recordBlankLoan(ctx, 'in', request.body, user(request).username));
    request.log.info({ by: user(request).username, ...request.body }, 'blanks received from another office');
    return reply.status(201).send(await movementResponse(ctx, entries));
  });

  app.get('/api/stok-blangko/pinjaman', { preValidation: requireRole(), schema: blankLoanRoutes.balances }, async () => ({ items: await blankLoanBalances(ctx) }));
}
