import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema, printerSchema, printPriorityPolicyViewSchema } from '@tangguh/protocol';
import { sessionCookies, startOfficeOverHttp, type OfficeOverHttp } from './office-http-harness.ts';

// The print plan's settings over real HTTP: the policy, the holiday calendar and the printers.
let office: OfficeOverHttp;
let base: string;
let cookies: Record<string, string>;

async function call(method: string, path: string, who: string, body?: unknown) {
  const headers: Record<string, string> = { cookie: cookies[who]! };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as unknown };
}

beforeAll(async () => {
  office = await startOfficeOverHttp('tangguh-print-plan-api-');
  base = office.base;
  cookies = await sessionCookies(base, [['admin', 'admin-jember'], ['operator', 'operator-jember'], ['supervisor', 'supervisor-jember']] as const);
});

afterAll(async () => {
  await office?.close();
});

describe('print plan settings over HTTP', () => {
  it("starts from DOMAIN.md's policy, and an admin's new order applies and names who set it", async () => {
    const initial = printPriorityPolicyViewSchema.parse((await call('GET', '/api/print-plan/policy', 'operator')).body);
    expect(initial).toMatchObject({ order: ['first_time', 'disaster', 'suket', 'lost_damaged', 'data_change'], fairShareAcrossKecamatan: true, setBy: null });
    const set = await call('PUT', '/api/print-plan/policy', 'admin', { order: ['disaster', 'suket'], fairShareAcrossKecamatan: false });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(printPriorityPolicyViewSchema.parse((await call('GET', '/api/print-plan/policy', 'operator')).body)).toMatchObject({ order: ['disaster', 'suket'], fairShareAcrossKecamatan: false, setBy: 'admin' });
    expect((await call('PUT', '/api/print-plan/policy', 'admin', { order: ['suket', 'suket'], fairShareAcrossKecamatan: true })).status).toBe(400);
  });

  it('keeps the holiday calendar: a day marked, listed, and made a working day again', async () => {
    const natal = { kind: 'libur_nasional', name: { id: 'Hari Raya Natal', en: 'Christmas Day' } };
    expect((await call('PUT', '/api/print-plan/holidays/2026-12-25', 'admin', natal)).status).toBe(200);
    expect((await call('PUT', '/api/print-plan/holidays/2026-02-30', 'admin', natal)).status).toBe(400);
    const listed = await call('GET', '/api/print-plan/holidays?from=2026-12-01&to=2026-12-31', 'operator');
    expect(listed.body).toEqual({ items: [{ date: '2026-12-25', ...natal }] });
    expect((await call('DELETE', '/api/print-plan/holidays/2026-12-25', 'admin')).status).toBe(200);
    const again = await call('DELETE', '/api/print-plan/holidays/2026-12-25', 'admin');
    expect(again.status).toBe(404);
    expect(errorBodySchema.parse(again.body).error.code).toBe('HOLIDAY_NOT_FOUND');
  });

  it('records a printer at a site, and refuses one at a site that does not exist', async () => {
    const printer = { siteId: 'dinas', name: 'Printer kartu 1', capacityPerDay: 250, state: 'ready', ribbonLeft: 400, filmLeft: 800, printsPerRibbon: 500, printsPerFilm: 1000 };
    const saved = await call('PUT', '/api/print-plan/printers/dinas-1', 'supervisor', printer);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(printerSchema.parse(saved.body)).toMatchObject({ id: 'dinas-1', ...printer });
    expect((await call('GET', '/api/print-plan/printers', 'operator')).body).toMatchObject({ items: [{ id: 'dinas-1', state: 'ready' }] });
    const nowhere = await call('PUT', '/api/print-plan/printers/x-1', 'admin', { ...printer, siteId: 'nowhere' });
    expect(nowhere.status).toBe(404);
    expect(errorBodySchema.parse(nowhere.body).error.code).toBe('SITE_NOT_FOUND');
  });
});
