import type { FastifyInstance } from 'fastify';
import { requireRole, typed } from '@tangguh/platform';
import { reconciliationRoutes as routes } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import { reconciliationReport, type CentreView } from '../services/reconciliation.ts';
import { renderReconciliationPdf } from '../services/reconciliation-pdf.ts';

/**
 * The reconciliation report after an outage, for the head of office and admins: as JSON for the page
 * /pimpinan/rekonsiliasi and as an A4 PDF. It names records by registration number and status only (no NIK,
 * no name), so it is not an access to a resident's data.
 */
export async function reconciliationRoutes(plain: FastifyInstance, ctx: OfficeContext, options: { centre?: CentreView } = {}): Promise<void> {
  const app = typed(plain);
  const heads = { preValidation: requireRole('head', 'admin') };

  app.get('/api/reconciliation', { ...heads, schema: routes.report }, async (request) => reconciliationReport(ctx, request.query, options.centre));

  app.get('/api/reconciliation/pdf', { ...heads, schema: routes.pdf }, async (request, reply) => {
    const report = await reconciliationReport(ctx, request.query, options.centre);
    const bytes = await renderReconciliationPdf(report);
    const day = report.window.from.slice(0, 10).replaceAll('-', '');
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="rekonsiliasi-${ctx.office.id}-${day}.pdf"`)
      .header('cache-control', 'no-store')
      .send(Buffer.from(bytes));
  });
}
