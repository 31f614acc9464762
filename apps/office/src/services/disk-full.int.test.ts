import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { RecordDetailResponse } from '@tangguh/protocol';
import { freePort, provisionStack } from '../../../cli/src/stack.ts';
import { login, residentRequests, type ErrorBodyShape, type HttpClient, type RecordingCreated } from '../../../../test/helpers.ts';
import { buildOfficeApp } from '../app.ts';
import { openOffice } from '../runtime.ts';
import type { OfficeContext } from '../context.ts';

/**
 * A full disk, made real by SQLite's own write limit (PRAGMA max_page_count on the office's connection): the
 * database cannot grow past it, exactly as when the filesystem has no free block left. Recording goes on
 * through the real HTTP API until refused; then the file is checked page by page and every acknowledged
 * recording is read back.
 */
describe('an office whose disk fills up while operators record', () => {
  let dir: string;
  let officeDb: string;
  let ctx: OfficeContext;
  let close: () => Promise<void>;
  let app: FastifyInstance;
  let url: string;
  let operator: HttpClient;
  const acknowledged: { id: string; nik: string; photo: string }[] = [];
  const refusals: ErrorBodyShape[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tangguh-full-'));
    ({ officeDb } = await provisionStack(dir));
    const office = await openOffice(officeDb);
    ctx = office.ctx;
    app = await buildOfficeApp(ctx, { serveWeb: false });
    url = `http://127.0.0.1:${await freePort()}`;
    await app.listen({ port: Number(new URL(url).port), host: '127.0.0.1' });
    operator = await login(url, 'operator', 'operator-jember');
    close = async () => {
      await app.close();
      await office.handle.close();
    };
    // Room for a few recordings more than the database holds now, and not one page beyond.
    const pages = Number((await sql<{ page_count: number }>`pragma page_count`.execute(ctx.db)).rows[0]!.page_count);
    await sql.raw(`pragma max_page_count = ${pages + 40}`).execute(ctx.db);

    for (const { request } of await residentRequests(60, 4242)) {
      const response = await operator.post<RecordingCreated | ErrorBodyShape>('/api/recordings', request);
      if (response.status === 201) acknowledged.push({ id: (response.body as RecordingCreated).record.id, nik: request.biodata.nik, photo: request.photo.data });
      else refusals.push(response.body as ErrorBodyShape);
    }
  }, 120_000);

  afterAll(async () => {
    await close?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts recordings until the disk is full, then refuses each with 503 DISK_FULL in both languages', () => {
    console.log(`[disk full] ${acknowledged.length} recordings acknowledged, ${refusals.length} refused with DISK_FULL`);
    expect(acknowledged.length).toBeGreaterThan(2);
    expect(refusals.length).toBeGreaterThan(10);
    for (const refusal of refusals) {
      expect(refusal.error.code).toBe('DISK_FULL');
      expect(refusal.error.messages.id).toContain('Penyimpanan kantor penuh');
      expect(refusal.error.messages.en).toContain('storage is full');
    }
  });

  it('answers the 503 status with the standard error shape over HTTP', async () => {
    const [one] = await residentRequests(1, 999);
    const response = await operator.post<ErrorBodyShape>('/api/recordings', one!.request);
    expect(response.status).toBe(503);
    expect(response.body.error).toMatchObject({ code: 'DISK_FULL', message: expect.stringContaining('penuh') });
  });

  it('leaves the database intact: integrity_check ok, and every acknowledged recording is stored whole with one outbox entry', async () => {
    expect((await sql<{ integrity_check: string }>`pragma integrity_check`.execute(ctx.db)).rows.map((r) => r.integrity_check)).toEqual(['ok']);
    const rows = await ctx.db.selectFrom('records').select(['id', 'nik', 'photo']).execute();
    expect(rows.map((r) => r.id).sort()).toEqual(acknowledged.map((a) => a.id).sort());
    for (const stored of rows) expect(Buffer.from(stored.photo).toString('base64')).toBe(acknowledged.find((a) => a.id === stored.id)!.photo);
    const outbox = await ctx.db.selectFrom('outbox').select(['seq', 'record_id']).orderBy('seq').execute();
    expect(outbox.map((o) => o.record_id)).toEqual(expect.arrayContaining(acknowledged.map((a) => a.id)));
    expect(outbox.map((o) => Number(o.seq))).toEqual(outbox.map((_, i) => i + 1));
  });

  it('reads every acknowledged recording back over the API once space is freed, from a fresh process opening the file', async () => {
    await close();
    const checked = new Database(officeDb, { readonly: true });
    expect(checked.pragma('integrity_check', { simple: true })).toBe('ok');
    checked.close();
    const reopened = await openOffice(officeDb);
    app = await buildOfficeApp(reopened.ctx, { serveWeb: false });
    await app.listen({ port: Number(new URL(url).port), host: '127.0.0.1' });
    close = async () => {
      await app.close();
      await reopened.handle.close();
    };
    const fresh = await login(url, 'operator', 'operator-jember');
    for (const { id, nik } of acknowledged) {
      const detail = await fresh.get<RecordDetailResponse>(`/api/recordings/${id}`);
      expect(detail.status).toBe(200);
      expect(detail.body.record.nik).toBe(nik);
    }
  });
});
