import type { FastifyInstance } from 'fastify';
import { requireRole, typed } from '@tangguh/platform';
import { printPlanRoutes as routes } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import { listHolidays } from '../repositories/print-plan.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { currentPriorityPolicy, listPrinters, markHoliday, savePrinter, setPriorityPolicy, unmarkHoliday } from '../services/print-settings.ts';

/** The print plan's settings: any staff member reads them (the print room shows why), admins set them. */
export async function printPlanRoutes(plain: FastifyInstance, ctx: OfficeContext): Promise<void> {
  const app = typed(plain);
  const anyStaff = { preValidation: requireRole() };
  const admin = { preValidation: requireRole('admin') };
  const keepers = { preValidation: requireRole('supervisor', 'admin') };
  const user = (request: { sessionUser?: unknown }) => request.sessionUser as OfficeUser;

  app.get('/api/print-plan/policy', { ...anyStaff, schema: routes.policy }, async () => currentPriorityPolicy(ctx.db));
  app.put('/api/print-plan/policy', { ...admin, schema: routes.setPolicy }, async (request) => {
    request.log.info({ by: user(request).username, policy: request.body }, 'print priority policy set');
    return setPriorityPolicy(ctx, request.body, user(request).username);
  });

  app.get('/api/print-plan/holidays', { ...anyStaff, schema: routes.holidays }, async (request) => ({ items: await listHolidays(ctx.db, request.query.from, request.query.to) }));
  app.put('/api/print-plan/holidays/:date', { ...admin, schema: routes.setHoliday }, async (request) =>
    markHoliday(ctx, { date: request.params.date, ...request.body }, user(request).username),
  );
  app.delete('/api/print-plan/holidays/:date', { ...admin, schema: routes.removeHoliday }, async (request) => {
    await unmarkHoliday(ctx, request.params.date);
    return { ok: true as const };
  });

  app.get('/api/print-plan/printers', { ...anyStaff, schema: routes.printers }, async () => ({ items: await listPrinters(ctx.db) }));
  app.put('/api/print-plan/printers/:id', { ...keepers, schema: routes.setPrinter }, async (request) => savePrinter(ctx, { id: request.params.id, ...request.body }, user(request)));
}
