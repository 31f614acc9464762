import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type Db } from '@tangguh/platform';
import { errorBodySchema, printerSchema } from '@tangguh/protocol';
import { DIALECTS, freshLocation, setupOrFail } from '../../../../test/pg.ts';
import { provisionStack } from '../../../cli/src/stack.ts';
import { buildOfficeApp } from '../app.ts';
import { migrateOffice } from '../db/migrate.ts';
import { OFFICE_MIGRATIONS } from '../db/migrations/index.ts';
import type { OfficeDb } from '../db/schema.ts';
import { listPrinters, upsertPrinter } from '../repositories/print-plan.ts';
import { openOffice } from '../runtime.ts';
import { printerFor } from './index.ts';
import { sessionCookies } from '../api/office-http-harness.ts';

// Migration 0008 and the printer's connection over real HTTP, on SQLite and PostgreSQL.

const printer = { siteId: 'dinas', name: 'Printer kartu 1', capacityPerDay: 250, state: 'ready', ribbonLeft: 400, filmLeft: 800, printsPerRibbon: 500, printsPerFilm: 1000 } as const;

describe.each(DIALECTS)('printer connections on %s', (dialect) => {
  describe('migration 0008', () => {
    let dir: string;
    let handle: Db<OfficeDb>;
    let drop = async () => {};
    setupOrFail(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tangguh-printer-0008-'));
      const store = await freshLocation(dialect, dir, 'office');
      drop = store.drop;
      handle = openDatabase<OfficeDb>(store.location);
    });
    afterAll(async () => {
      await handle?.close();
      await drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('keeps a printer saved before it: the row reads as not connected, and printerFor refuses it unless the demo gives a folder', async () => {
      const before = Object.fromEntries(Object.entries(OFFICE_MIGRATIONS).filter(([name]) => name <= '0007_print_plan'));
      await migrateToLatest(handle.db, handle.dialect, before);
      await upsertPrinter(handle.db, { id: 'old-1', ...printer, updatedAt: '2026-11-01T00:00:00.000Z' });
      await migrateOffice(handle);
      const [old] = await listPrinters(handle.db);
      expect(old).toMatchObject({ id: 'old-1', name: 'Printer kartu 1', connection: null });
      expect(() => printerFor(old!)).toThrow(/not connected/);
      expect(printerFor(old!, { fallbackFolder: '/srv/demo/cards' })).toMatchObject({ kind: 'folder', folder: '/srv/demo/cards/old-1' });
    });
  });

  describe('PUT /api/print-plan/printers/:id', () => {
    let dir: string;
    let app: FastifyInstance;
    let close = async () => {};
    let drop = async () => {};
    let base: string;
    const cookies: Record<string, string> = {};

    async function call(method: string, path: string, who: string, body?: unknown) {
      const headers: Record<string, string> = { cookie: cookies[who]! };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as unknown };
    }
    const errorCode = (body: unknown) => errorBodySchema.parse(body).error.code;

    setupOrFail(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tangguh-printer-api-'));
      const store = await freshLocation(dialect, dir, 'office');
      drop = store.drop;
      const paths = await provisionStack(dir, { officeDb: store.location });
      const office = await openOffice(paths.officeDb);
      close = () => office.handle.close();
      app = await buildOfficeApp(office.ctx, { serveWeb: false });
      base = await app.listen({ host: '127.0.0.1', port: 0 });
      Object.assign(cookies, await sessionCookies(base, [['admin', 'admin-jember'], ['supervisor', 'supervisor-jember']] as const));
    });
    afterAll(async () => {
      await app?.close();
      await close();
      await drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('lets an admin connect a printer to a CUPS queue or a folder, and lists the connection', async () => {
      const cups = await call('PUT', '/api/print-plan/printers/dinas-1', 'admin', { ...printer, connection: { driver: 'cups', target: 'Evolis_Primacy-2' } });
      expect(cups.status, JSON.stringify(cups.body)).toBe(200);
      expect(printerSchema.parse(cups.body).connection).toEqual({ driver: 'cups', target: 'Evolis_Primacy-2' });
      const folder = await call('PUT', '/api/print-plan/printers/dinas-2', 'admin', { ...printer, connection: { driver: 'folder', target: '/srv/tangguh/kartu' } });
      expect(folder.status, JSON.stringify(folder.body)).toBe(200);
      const listed = (await call('GET', '/api/print-plan/printers', 'supervisor')).body as { items: unknown[] };
      expect(listed.items.map((p) => printerSchema.parse(p)).map((p) => [p.id, p.connection])).toEqual([
        ['dinas-1', { driver: 'cups', target: 'Evolis_Primacy-2' }],
        ['dinas-2', { driver: 'folder', target: '/srv/tangguh/kartu' }],
      ]);
    });

    it('lets a supervisor change capacity and state but not the connection (403); left out or resent unchanged, it stays', async () => {
      const kept = await call('PUT', '/api/print-plan/printers/dinas-1', 'supervisor', { ...printer, capacityPerDay: 300 });
      expect(kept.status, JSON.stringify(kept.body)).toBe(200);
      expect(printerSchema.parse(kept.body)).toMatchObject({ capacityPerDay: 300, connection: { driver: 'cups', target: 'Evolis_Primacy-2' } });
      const resent = await call('PUT', '/api/print-plan/printers/dinas-1', 'supervisor', { ...printer, state: 'in_repair', connection: { driver: 'cups', target: 'Evolis_Primacy-2' } });
      expect(resent.status, JSON.stringify(resent.body)).toBe(200);
      for (const connection of [{ driver: 'folder', target: '/tmp' }, { driver: 'cups', target: 'Other' }, null]) {
        const refused = await call('PUT', '/api/print-plan/printers/dinas-1', 'supervisor', { ...printer, connection });
        expect(refused.status).toBe(403);
        expect(errorCode(refused.body)).toBe('PRINTER_CONNECTION_ADMIN_ONLY');
      }
      const after = printerSchema.parse(((await call('GET', '/api/print-plan/printers', 'supervisor')).body as { items: unknown[] }).items[0]);
      expect(after).toMatchObject({ state: 'in_repair', connection: { driver: 'cups', target: 'Evolis_Primacy-2' } });
    });

    it('refuses a queue name with other characters, a relative folder or one with .. in it (400), and an admin can disconnect', async () => {
      for (const connection of [
        { driver: 'cups', target: 'queue; rm -rf /' },
        { driver: 'cups', target: '' },
        { driver: 'cups', target: 'x'.repeat(128) },
        { driver: 'folder', target: 'kartu/keluar' },
        { driver: 'folder', target: '/srv/../etc' },
        { driver: 'lpr', target: 'x' },
      ]) {
        const refused = await call('PUT', '/api/print-plan/printers/dinas-2', 'admin', { ...printer, connection });
        expect(refused.status, JSON.stringify(connection)).toBe(400);
      }
      const off = await call('PUT', '/api/print-plan/printers/dinas-2', 'admin', { ...printer, connection: null });
      expect(printerSchema.parse(off.body).connection).toBeNull();
    });
  });
});
