/**
 * The status checks against the office's real data on SQLite and PostgreSQL: printers and blank stock count
 * per site (a kecamatan that runs out of blanks cannot print while the Dinas can), a centre that answers
 * slowly (a real HTTP server on loopback) is "degraded", not down, and the 90 days of history line up by day.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS, freshLocation, setupOrFail } from '../../../../test/pg.ts';
import { provisionStack } from '../../../cli/src/stack.ts';
import { openOffice } from '../runtime.ts';
import type { OfficeContext } from '../context.ts';
import { upsertPrinter } from '../repositories/print-plan.ts';
import { listIncidents, raiseHistory } from '../repositories/service-status.ts';
import { recordBlankEntry } from './blank-stock.ts';
import { CentralClient } from './central-client.ts';
import { recordSyncSuccess } from './sync-monitor.ts';
import { runStatusChecks } from './status-probes.ts';
import { serviceStateAt, serviceStatus, statusChanged, stopServiceStatus } from './service-status.ts';

const HYSTERESIS = { failAfter: 2, recoverAfter: 2 };
const KEC = 'kec-35.09.19';

describe.each(DIALECTS)('status checks on %s', (dialect) => {
  let ctx: OfficeContext;
  let close = async () => {};

  setupOrFail(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tangguh-probes-'));
    const store = await freshLocation(dialect, dir, 'office');
    const paths = await provisionStack(dir, { officeDb: store.location });
    const office = await openOffice(paths.officeDb);
    ctx = office.ctx;
    close = async () => {
      stopServiceStatus(ctx);
      await office.handle.close();
      await store.drop();
      rmSync(dir, { recursive: true, force: true });
    };
  });
  afterAll(async () => close());

  const printer = (id: string, siteId: string, state: 'ready' | 'in_repair') =>
    upsertPrinter(ctx.db, { id, siteId, name: id, capacityPerDay: 250, state, ribbonLeft: 500, filmLeft: 500, printsPerRibbon: 500, printsPerFilm: 500, updatedAt: ctx.now().toISOString() });

  it('judges printers and blanks per printing site: a kecamatan out of blanks cannot print, the Dinas with blanks can', async () => {
    await recordSyncSuccess(ctx.db, ctx.now(), ctx.now());
    await printer('P-DINAS', 'dinas', 'ready');
    await printer('P-KEC', KEC, 'ready');
    await recordBlankEntry(ctx.db, { kind: 'receipt', siteId: 'dinas', tranche: 'T1', quantity: 100, serials: { from: 1, to: 100 } }, 'admin', ctx.now().toISOString());
    await serviceStatus(ctx);

    await runStatusChecks(ctx, { hysteresis: HYSTERESIS });
    expect((await serviceStateAt(ctx, KEC, 'cetak'))?.state).toBe('normal');
    await runStatusChecks(ctx, { hysteresis: HYSTERESIS });
    const kecamatan = await serviceStateAt(ctx, KEC, 'cetak');
    expect(kecamatan?.state).toBe('gangguan');
    expect(kecamatan?.causes).toEqual(['blank_stock']);
    expect(kecamatan?.whatToDo.id).toContain('Suket');
    expect((await serviceStateAt(ctx, 'dinas', 'cetak'))?.state).toBe('normal');
    // A kecamatan without printers does not offer printing at all.
    expect(await serviceStateAt(ctx, 'kec-35.09.01', 'cetak')).toBeUndefined();
    const open = (await listIncidents(ctx.db, ctx.now().toISOString())).filter((i) => i.resolved_at === null);
    expect(open.map((i) => [i.capability, i.scope])).toEqual([['blank_stock', KEC]]);
    expect(open[0]!.title_id).toContain('Kecamatan Kaliwates');

    // Blanks moved there, and the Dinas's only printer goes for repair: each site changes on its own.
    await recordBlankEntry(ctx.db, { kind: 'transfer', fromSiteId: 'dinas', toSiteId: KEC, quantity: 60 }, 'admin', ctx.now().toISOString());
    await printer('P-DINAS', 'dinas', 'in_repair');
    await runStatusChecks(ctx, { hysteresis: HYSTERESIS });
    await runStatusChecks(ctx, { hysteresis: HYSTERESIS });
    expect((await serviceStateAt(ctx, KEC, 'cetak'))?.state).toBe('normal');
    expect((await serviceStateAt(ctx, 'dinas', 'cetak'))?.state).toBe('gangguan');
    expect((await serviceStateAt(ctx, 'dinas', 'perekaman'))?.state).toBe('normal');
    const incidents = await listIncidents(ctx.db, new Date(Date.now() - 60_000).toISOString());
    expect(incidents.find((i) => i.capability === 'blank_stock')!.resolved_at).not.toBeNull();
    expect(incidents.find((i) => i.capability === 'printers' && i.scope === 'dinas')!.resolved_at).toBeNull();
    await printer('P-DINAS', 'dinas', 'ready');
  });

  it('calls a centre that answers slower than the threshold degraded, not down: e-signing is terganggu, recording and printing are not touched', async () => {
    const slow: Server = createServer((request, response) => {
      setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ available: true, since: null })), 250);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const client = new CentralClient({ baseUrl: `http://127.0.0.1:${(slow.address() as AddressInfo).port}`, officeId: ctx.office.id, signingPrivateKey: ctx.signingPrivateKey, timeoutMs: 5_000 });
    try {
      await recordSyncSuccess(ctx.db, ctx.now(), ctx.now());
      for (let i = 0; i < HYSTERESIS.failAfter; i++) await runStatusChecks(ctx, { hysteresis: HYSTERESIS, client, centralLatencyDegradedMs: 100 });
      expect((await serviceStateAt(ctx, 'dinas', 'tte_dokumen'))?.state).toBe('terganggu');
      expect((await serviceStateAt(ctx, 'dinas', 'perekaman'))?.state).toBe('normal');
      // The slow centre alone does not touch printing (at the Dinas, 40 blanks left are "running low" on their own).
      expect((await serviceStateAt(ctx, KEC, 'cetak'))?.state).toBe('normal');
      expect((await serviceStateAt(ctx, 'dinas', 'cetak'))?.causes).toEqual(['blank_stock']);
      const open = (await listIncidents(ctx.db, ctx.now().toISOString())).filter((i) => i.resolved_at === null && i.capability === 'central_sync');
      expect(open).toHaveLength(0);
      for (let i = 0; i < HYSTERESIS.recoverAfter; i++) await runStatusChecks(ctx, { hysteresis: HYSTERESIS, client, centralLatencyDegradedMs: 1_000 });
      expect((await serviceStateAt(ctx, 'dinas', 'tte_dokumen'))?.state).toBe('normal');
    } finally {
      await new Promise((resolve) => slow.close(resolve));
    }
  });

  it('shows 90 days of history per service, oldest first, the worst state of each day over all sites', async () => {
    const status = await serviceStatus(ctx);
    const tenDaysAgo = new Date(Date.parse(`${status.history.to}T00:00:00Z`) - 10 * 86_400_000).toISOString().slice(0, 10);
    await raiseHistory(ctx.db, [
      { day: tenDaysAgo, service: 'cetak', site_id: 'dinas', worst_rank: 1 },
      { day: tenDaysAgo, service: 'cetak', site_id: KEC, worst_rank: 3 },
    ]);
    // Raised only: a lower state later the same day does not hide the outage.
    await raiseHistory(ctx.db, [{ day: tenDaysAgo, service: 'cetak', site_id: KEC, worst_rank: 0 }]);
    await statusChanged(ctx);
    const history = (await serviceStatus(ctx)).history;
    const cetak = history.services.find((s) => s.service === 'cetak')!.states;
    expect(cetak).toHaveLength(90);
    expect(cetak[79]).toBe('gangguan');
    expect(cetak[78]).toBeNull();
    expect(cetak[89]).toBe('gangguan');
  });
});
