import type { FastifyInstance } from 'fastify';
import { supportRoutes as routes } from '@tangguh/protocol';
import { SyntheticCaptureDevice, syntheticResidents } from '@tangguh/capture';
import { requireRole, typed } from '@tangguh/platform';
import type { OfficeContext } from '../context.ts';
import { listSites } from '../repositories/sites.ts';
import { syncStatus } from '../services/sync-monitor.ts';

const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** The operator's supporting endpoints: link status, region lists, the capture device, sample data. */
export async function supportRoutes(plain: FastifyInstance, ctx: OfficeContext): Promise<void> {
  const app = typed(plain);
  const anyStaff = { preValidation: requireRole() };
  const recorders = { preValidation: requireRole('operator', 'supervisor', 'admin') };

  app.get('/api/sync/status', { ...anyStaff, schema: routes.syncStatus }, async () => syncStatus(ctx.db, ctx.now()));

  app.get('/api/regions/districts', { ...anyStaff, schema: routes.districts }, async () => ({ items: ctx.regions.districtsOf(ctx.office.regencyCode) }));

  app.get('/api/regions/villages', { ...anyStaff, schema: routes.villages }, async (request) => {
    const { district } = request.query;
    return { items: ctx.regions.villagesOf(district) };
  });

  app.get('/api/sites', { ...anyStaff, schema: routes.sites }, async () => ({ items: await listSites(ctx.db) }));

  // The capture device sits beside the operator's workstation; this endpoint is where its SDK would be
  // reached. The synthetic device gives repeatable templates for the demo and the tests.
  app.post('/api/capture/synthetic', { ...recorders, schema: routes.capture }, async (request) => {
    const body = request.body;
    const device = body.noise === undefined ? ctx.device : new SyntheticCaptureDevice({ noise: body.noise });
    const result = await device.capture({ subjectKey: body.subjectKey, attempt: body.attempt });
    return {
      device: device.name,
      photo: { mime: result.photo.mime, data: toBase64(result.photo.bytes) },
      signature: { mime: result.signature.mime, data: toBase64(result.signature.bytes) },
      biometrics: result.biometrics.map((b) => ({ position: b.position, template: toBase64(b.template), quality: b.quality })),
    };
  });

  app.get('/api/demo/sample-resident', { ...recorders, schema: routes.sampleResident }, async () => {
    const residents = syntheticResidents(1, { seed: Date.now() % 2_147_483_647, regencyCode: ctx.office.regencyCode, regions: ctx.regions, today: ctx.now() });
    return { biodata: residents[0]! };
  });
}
