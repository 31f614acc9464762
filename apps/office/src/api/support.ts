import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { syntheticCaptureRequestSchema } from '@tangguh/protocol';
import { SyntheticCaptureDevice, syntheticResidents } from '@tangguh/capture';
import { requireRole } from '@tangguh/platform';
import type { OfficeContext } from '../context.ts';
import { syncStatus } from '../services/sync-monitor.ts';

const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const districtQuery = z.object({ district: z.string().regex(/^\d{2}\.\d{2}\.\d{2}$/) });

/** The operator's supporting endpoints: link status, region lists, the capture device, sample data. */
export async function supportRoutes(app: FastifyInstance, ctx: OfficeContext): Promise<void> {
  const anyStaff = { preHandler: requireRole() };
  const recorders = { preHandler: requireRole('operator', 'supervisor', 'admin') };

  app.get('/api/sync/status', anyStaff, async () => syncStatus(ctx.db, ctx.now()));

  app.get('/api/regions/districts', anyStaff, async () => ({ items: ctx.regions.districtsOf(ctx.office.regencyCode) }));

  app.get('/api/regions/villages', anyStaff, async (request) => {
    const { district } = districtQuery.parse(request.query);
    return { items: ctx.regions.villagesOf(district) };
  });

  app.get('/api/sites', anyStaff, async () => ({ items: await ctx.db.selectFrom('sites').select(['id', 'name', 'kind']).orderBy('id').execute() }));

  // The capture device sits beside the operator's workstation; this endpoint is where its SDK would be
  // reached. The synthetic device gives repeatable templates for the demo and the tests.
  app.post('/api/capture/synthetic', recorders, async (request) => {
    const body = syntheticCaptureRequestSchema.parse(request.body);
    const device = body.noise === undefined ? ctx.device : new SyntheticCaptureDevice({ noise: body.noise });
    const result = await device.capture({ subjectKey: body.subjectKey, attempt: body.attempt });
    return {
      device: device.name,
      photo: { mime: result.photo.mime, data: toBase64(result.photo.bytes) },
      signature: { mime: result.signature.mime, data: toBase64(result.signature.bytes) },
      biometrics: result.biometrics.map((b) => ({ position: b.position, template: toBase64(b.template), quality: b.quality })),
    };
  });

  app.get('/api/demo/sample-resident', recorders, async () => {
    const [biodata] = syntheticResidents(1, { seed: Date.now() % 2_147_483_647, regencyCode: ctx.office.regencyCode, regions: ctx.regions, today: ctx.now() });
    return { biodata };
  });
}
