/**
 * The status model end to end inside one office (SQLite and PostgreSQL), over real HTTP on loopback: what the
 * sync worker records about the centre drives the checks, the checks drive the services, incidents, the
 * JSON (with its ETag), the Atom feed and the event stream; officers' overrides, maintenance and
 * announcements reach the same snapshot. The real centre, stopped and started, is test/status-outage.int.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { EventSource } from 'undici';
import { xml2js, type Element } from 'xml-js';
import { afterAll, describe, expect, it } from 'vitest';
import { publicStatusSchema, statusAdminSchema, type PublicStatus } from '@tangguh/protocol';
import { DIALECTS, freshLocation, setupOrFail } from '../../../../test/pg.ts';
import { freePort, provisionStack } from '../../../cli/src/stack.ts';
import { buildOfficeApp } from '../app.ts';
import { openOffice } from '../runtime.ts';
import type { OfficeContext } from '../context.ts';
import { recordSyncFailure, recordSyncSuccess } from '../services/sync-monitor.ts';
import { runStatusChecks } from '../services/status-probes.ts';
import { incidentEvents, recordIncidentAffected, type IncidentEvent } from '../services/incidents.ts';
import { onServiceStatusChange, serviceStateAt, serviceStatus } from '../services/service-status.ts';

const HYSTERESIS = { failAfter: 3, recoverAfter: 2 };

describe.each(DIALECTS)('service status on %s', (dialect) => {
  let ctx: OfficeContext;
  let app: FastifyInstance;
  let url = '';
  let close = async () => {};
  const incidentLog: IncidentEvent[] = [];

  setupOrFail(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tangguh-status-'));
    const store = await freshLocation(dialect, dir, 'office');
    const paths = await provisionStack(dir, { officeDb: store.location });
    const office = await openOffice(paths.officeDb);
    ctx = office.ctx;
    incidentEvents(ctx).on('incident', (e) => incidentLog.push(e));
    app = await buildOfficeApp(ctx, { serveWeb: false });
    const port = await freePort();
    await app.listen({ port, host: '127.0.0.1' });
    url = `http://127.0.0.1:${port}`;
    close = async () => {
      await app.close();
      await office.handle.close();
      await store.drop();
      rmSync(dir, { recursive: true, force: true });
    };
  });
  afterAll(async () => close());

  const getStatus = async () => {
    const response = await fetch(`${url}/api/status`);
    expect(response.status).toBe(200);
    return publicStatusSchema.parse(await response.json());
  };
  const stateOf = (status: PublicStatus, siteId: string, service: string) => status.sites.find((s) => s.siteId === siteId)?.services.find((s) => s.service === service)?.state;
  const centreDown = () => recordSyncFailure(ctx.db, ctx.now(), 'connect ECONNREFUSED 127.0.0.1:7100', new Date(Date.now() + 1000));
  const centreUp = () => recordSyncSuccess(ctx.db, ctx.now(), ctx.now());
  const check = () => runStatusChecks(ctx, { hysteresis: HYSTERESIS });

  it('serves every service at every site, normal at first, as prepared JSON with an ETag that answers 304', async () => {
    // A status build that starts before the first check (a board or subscriber asking at start-up) and reads
    // the database before the check writes must not leave "never checked" on show for the next 30 s.
    const early = serviceStatus(ctx);
    await centreUp();
    await check();
    await early;
    const response = await fetch(`${url}/api/status`);
    expect(response.status).toBe(200);
    const etag = response.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    expect(response.headers.get('cache-control')).toContain('max-age');
    const status = publicStatusSchema.parse(await response.json());
    expect(status.sites.length).toBe(32);
    expect(status.sites.find((s) => s.siteId === 'dinas')!.services.map((s) => s.service)).toHaveLength(8);
    expect(status.sites.flatMap((s) => s.services).every((s) => s.state === 'normal')).toBe(true);
    expect(status.history.services).toHaveLength(8);
    expect(status.history.services[0]!.states).toHaveLength(90);
    expect(status.history.services[0]!.states.at(-1)).toBe('normal');
    expect(status.checkedAt).not.toBeNull();
    const again = await fetch(`${url}/api/status`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
  });

  it('refuses a stream request that does not ask for text/event-stream, in the bilingual shape', async () => {
    const response = await fetch(`${url}/api/status/stream`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; messages: { id: string; en: string } } };
    expect(body.error.code).toBe('EVENT_STREAM_REQUIRED');
    expect(body.error.messages.id).toContain('text/event-stream');
  });

  it('the centre failing the configured number of checks flips the services that need it, opens one incident and tells stream clients; flapping adds nothing; recovery resolves it', async () => {
    const events: { at: number; status: PublicStatus }[] = [];
    const told: PublicStatus[] = [];
    const stopListening = onServiceStatusChange(ctx, (status) => told.push(status));
    const source = new EventSource(`${url}/api/status/stream`);
    source.addEventListener('status', (e) => events.push({ at: Date.now(), status: JSON.parse((e as MessageEvent<string>).data) as PublicStatus }));
    try {
      await expect.poll(() => events.length, { timeout: 5_000 }).toBeGreaterThan(0);
      expect(stateOf(events[0]!.status, 'dinas', 'cetak')).toBe('normal');

      await centreDown();
      await check();
      await check();
      expect(stateOf(await getStatus(), 'dinas', 'cetak')).toBe('normal');
      expect(incidentLog.filter((e) => e.kind === 'opened')).toHaveLength(0);
      const flippedAt = Date.now();
      await check();

      const live = await expect
        .poll(() => events.find((e) => stateOf(e.status, 'dinas', 'cetak') === 'terganggu'), { timeout: 5_000 })
        .toBeDefined()
        .then(() => events.find((e) => stateOf(e.status, 'dinas', 'cetak') === 'terganggu')!);
      expect(live.at - flippedAt).toBeLessThan(5_000);
      expect(stateOf(live.status, 'dinas', 'perekaman')).toBe('normal');
      expect(stateOf(live.status, 'dinas', 'suket')).toBe('normal');
      expect(stateOf(live.status, 'dinas', 'tte_dokumen')).toBe('gangguan');
      expect(stateOf(live.status, 'kec-35.09.19', 'kk')).toBe('terganggu');
      const open = live.status.incidents.filter((i) => i.resolvedAt === null);
      expect(open).toHaveLength(1);
      expect(open[0]!.capability).toBe('central_sync');
      expect(open[0]!.updates.map((u) => u.status)).toEqual(['investigating']);
      const perekaman = live.status.sites.find((s) => s.siteId === 'dinas')!.services.find((s) => s.service === 'perekaman')!;
      expect(live.status.explanations[perekaman.explanation]!.explanation.id).toContain('perekaman tetap berjalan');
      expect((await serviceStateAt(ctx, 'dinas', 'cetak'))?.state).toBe('terganggu');
      // In-process listeners (the board, notifications) hear the change itself, once.
      expect(told.filter((t) => stateOf(t, 'dinas', 'cetak') === 'terganggu')).toHaveLength(1);

      // One good check, then bad again, several times: under recoverAfter, so the outage goes on as one incident.
      for (let i = 0; i < 3; i++) {
        await centreUp();
        await check();
        await centreDown();
        await check();
      }
      expect(incidentLog.filter((e) => e.kind === 'opened')).toHaveLength(1);
      expect(stateOf(await serviceStatus(ctx), 'dinas', 'cetak')).toBe('terganggu');

      await recordIncidentAffected(ctx, open[0]!.id, 42);
      await centreUp();
      await check();
      await check();
      const after = await getStatus();
      expect(stateOf(after, 'dinas', 'cetak')).toBe('normal');
      const incident = after.incidents.find((i) => i.id === open[0]!.id)!;
      expect(incident.resolvedAt).not.toBeNull();
      expect(incident.affectedCount).toBe(42);
      expect(incident.updates.map((u) => [u.status, u.byOfficer])).toEqual([
        ['investigating', false],
        ['resolved', false],
      ]);
      expect(incidentLog.map((e) => e.kind)).toEqual(['opened', 'resolved']);
      expect(after.history.services.find((s) => s.service === 'tte_dokumen')!.states.at(-1)).toBe('gangguan');
      await expect.poll(() => events.some((e) => e.status.incidents.some((i) => i.id === incident.id && i.resolvedAt !== null)), { timeout: 5_000 }).toBe(true);
    } finally {
      stopListening();
      source.close();
    }
  });

  it('officers add updates, override a service with a reason, schedule maintenance and announce; each shows at once', async () => {
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'kepala', password: 'kepala-jember' }) });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const send = async (method: string, path: string, body: unknown) => {
      const response = await fetch(`${url}${path}`, { method, headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as unknown };
    };

    const admin = statusAdminSchema.parse(await (await fetch(`${url}/api/status/admin`, { headers: { cookie } })).json());
    const resolved = admin.incidents.find((i) => i.resolvedAt !== null)!;
    const reopen = await send('POST', `/api/status/incidents/${resolved.id}/updates`, { status: 'investigating', message: { id: 'Dibuka lagi' } });
    expect(reopen.status).toBe(409);
    const note = await send('POST', `/api/status/incidents/${resolved.id}/updates`, { status: 'resolved', message: { id: 'Antrean data sudah terkirim semua.', en: 'The backlog has all been sent.' } });
    expect(note.status).toBe(201);
    const withNote = statusAdminSchema.parse(note.body).incidents.find((i) => i.id === resolved.id)!;
    expect(withNote.updates.at(-1)).toMatchObject({ status: 'resolved', byOfficer: true, author: 'kepala', message: { en: 'The backlog has all been sent.' } });

    const override = await send('POST', '/api/status/overrides', { service: 'perekaman', siteId: 'dinas', state: 'gangguan', reason: { id: 'Listrik padam di gedung Dinas.' }, expiresAt: null });
    expect(override.status).toBe(201);
    let status = await getStatus();
    const rekam = status.sites.find((s) => s.siteId === 'dinas')!.services.find((s) => s.service === 'perekaman')!;
    expect(rekam).toMatchObject({ state: 'gangguan', overridden: true });
    expect(status.explanations[rekam.explanation]!.explanation.en).toContain('Listrik padam');
    expect(stateOf(status, 'kec-35.09.19', 'perekaman')).toBe('normal');
    const overrideId = statusAdminSchema.parse(override.body).overrides[0]!.id;
    expect((await send('POST', `/api/status/overrides/${overrideId}/clear`, {})).status).toBe(200);
    expect(stateOf(await getStatus(), 'dinas', 'perekaman')).toBe('normal');

    const soon = new Date(Date.now() - 60_000).toISOString();
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const maintenance = await send('POST', '/api/status/maintenance', { service: 'cetak', siteId: null, startsAt: soon, endsAt: later, note: { id: 'Perawatan printer kartu.', en: 'Card printer servicing.' } });
    expect(maintenance.status).toBe(201);
    status = await getStatus();
    expect(stateOf(status, 'dinas', 'cetak')).toBe('pemeliharaan');
    expect(status.maintenance[0]).toMatchObject({ service: 'cetak', inForce: true });
    const badWindow = await send('POST', '/api/status/maintenance', { service: 'cetak', siteId: null, startsAt: later, endsAt: soon, note: { id: 'Terbalik' } });
    expect(badWindow.status).toBe(400);
    expect((await send('POST', '/api/status/maintenance', { service: null, siteId: 'no-such-site', startsAt: soon, endsAt: later, note: { id: 'x' } })).status).toBe(404);
    expect((await send('POST', `/api/status/maintenance/${status.maintenance[0]!.id}/cancel`, {})).status).toBe(200);
    expect(stateOf(await getStatus(), 'dinas', 'cetak')).toBe('normal');

    const announced = await send('PUT', '/api/status/announcement', { siteId: null, text: { id: 'Pencetakan KTP-el hari Sabtu dibuka pukul 08.00.', en: 'KTP-el printing opens Saturday at 08:00.' }, expiresAt: later });
    expect(announced.status).toBe(200);
    await send('PUT', '/api/status/announcement', { siteId: null, text: { id: 'Pengumuman pengganti.' }, expiresAt: later });
    status = await getStatus();
    expect(status.announcements).toHaveLength(1);
    expect(status.announcements[0]!.text).toEqual({ id: 'Pengumuman pengganti.', en: 'Pengumuman pengganti.' });
    expect((await send('POST', '/api/status/announcement/clear', { siteId: null })).status).toBe(200);
    expect((await getStatus()).announcements).toHaveLength(0);
  });

  it('publishes incidents as an Atom feed that parses, in Indonesian by default and English on request', async () => {
    const response = await fetch(`${url}/api/status/feed.atom`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/atom+xml');
    const doc = xml2js(await response.text()) as Element;
    const feed = doc.elements!.find((e) => e.name === 'feed')!;
    expect(feed.attributes?.xmlns).toBe('http://www.w3.org/2005/Atom');
    const entries = feed.elements!.filter((e) => e.name === 'entry');
    const titles = entries.map((e) => JSON.stringify(e.elements!.find((x) => x.name === 'title')));
    expect(titles.some((t) => t.includes('Gangguan: Sinkronisasi dengan pusat data') && t.includes('(selesai)'))).toBe(true);
    const english = await (await fetch(`${url}/api/status/feed.atom`, { headers: { 'accept-language': 'en' } })).text();
    expect(english).toContain('Outage: Sync with the national centre');
  });

  // Last: the second app's close stops this context's status hub.
  it('keeps the number of open streams bounded: one over the limit gets a bilingual 503 with Retry-After', async () => {
    process.env.TANGGUH_STATUS_MAX_STREAMS = '2';
    const small = await buildOfficeApp(ctx, { serveWeb: false });
    delete process.env.TANGGUH_STATUS_MAX_STREAMS;
    const port = await freePort();
    await small.listen({ port, host: '127.0.0.1' });
    const sources = [new EventSource(`http://127.0.0.1:${port}/api/status/stream`), new EventSource(`http://127.0.0.1:${port}/api/status/stream`)];
    try {
      const opened = sources.map((source) => new Promise<void>((resolve) => source.addEventListener('status', () => resolve(), { once: true })));
      await Promise.all(opened);
      const refused = await fetch(`http://127.0.0.1:${port}/api/status/stream`, { headers: { accept: 'text/event-stream' } });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('30');
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('STATUS_STREAM_FULL');
    } finally {
      for (const source of sources) source.close();
      await small.close();
    }
  });
});
