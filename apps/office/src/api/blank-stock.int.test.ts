import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blankMovementResponseSchema, errorBodySchema, publicBlankStockSchema } from '@tangguh/protocol';
import { sessionCookies, startOfficeOverHttp, type OfficeOverHttp } from './office-http-harness.ts';

// The office over real HTTP on loopback with its demo accounts and sites; no centre needed for stock.
let office: OfficeOverHttp;
let base: string;
let cookies: Record<string, string>;
const KALIWATES_SITE = 'kec-35.09.19';

async function call(method: string, path: string, who?: string, body?: unknown) {
  const headers: Record<string, string> = who ? { cookie: cookies[who]! } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as unknown };
}

function expectRefusal(response: { status: number; body: unknown }, status: number, code: string) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  const { error } = errorBodySchema.parse(response.body);
  expect(error.code).toBe(code);
  expect(error.messages.id).not.toBe(error.messages.en);
}

beforeAll(async () => {
  office = await startOfficeOverHttp('tangguh-blank-api-');
  base = office.base;
  cookies = await sessionCookies(base, [['admin', 'admin-jember'], ['operator', 'operator-jember'], ['supervisor', 'supervisor-jember']] as const);
});

afterAll(async () => {
  await office?.close();
});

describe('blank-card stock over HTTP', () => {
  it("shows anyone today's stock per site, every site listed, without a login", async () => {
    const response = await call('GET', '/api/stok-blangko');
    expect(response.status).toBe(200);
    const stock = publicBlankStockSchema.parse(response.body);
    expect(stock.timeZone).toBe('Asia/Jakarta');
    expect(stock.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(stock.total).toBe(0);
    expect(stock.sites.map((s) => s.siteId)).toContain('dinas');
    expect(stock.sites.length).toBeGreaterThan(1);
  });

  it('records a receipt and a transfer, spoilage at a print station, and the public count follows', async () => {
    const receipt = await call('POST', '/api/stok-blangko/penerimaan', 'supervisor', { siteId: 'dinas', tranche: 'ALOKASI-2026-11', quantity: 400, serialFrom: 700000, serialTo: 700399 });
    expect(receipt.status, JSON.stringify(receipt.body)).toBe(201);
    expect(blankMovementResponseSchema.parse(receipt.body).balances).toEqual([{ siteId: 'dinas', siteName: 'Kantor Dinas', balance: 400 }]);
    const transfer = await call('POST', '/api/stok-blangko/pemindahan', 'admin', { fromSiteId: 'dinas', toSiteId: KALIWATES_SITE, quantity: 150 });
    expect(transfer.status).toBe(201);
    expect(blankMovementResponseSchema.parse(transfer.body).entries.map((e) => [e.kind, e.quantity])).toEqual([
      ['transfer_out', -150],
      ['transfer_in', 150],
    ]);
    const spoiled = await call('POST', '/api/stok-blangko/kerusakan', 'operator', { siteId: KALIWATES_SITE, serial: 700001, reason: 'overheating' });
    expect(spoiled.status).toBe(201);
    expectRefusal(await call('POST', '/api/stok-blangko/kerusakan', 'operator', { siteId: KALIWATES_SITE, serial: 700001, reason: 'misprint' }), 409, 'BLANK_SERIAL_USED');
    const stock = publicBlankStockSchema.parse((await call('GET', '/api/stok-blangko')).body);
    expect(stock.total).toBe(399);
    expect(stock.sites.find((s) => s.siteId === KALIWATES_SITE)?.balance).toBe(149);
  });

  it('refuses a transfer beyond the stock, and a receipt whose quantity does not match its serials, with bilingual errors', async () => {
    expectRefusal(await call('POST', '/api/stok-blangko/pemindahan', 'admin', { fromSiteId: KALIWATES_SITE, toSiteId: 'dinas', quantity: 1000 }), 409, 'BLANK_STOCK_INSUFFICIENT');
    const mismatch = await call('POST', '/api/stok-blangko/penerimaan', 'admin', { siteId: 'dinas', tranche: 'X', quantity: 5, serialFrom: 1, serialTo: 3 });
    expect(mismatch.status).toBe(400);
  });

  it("takes a count correction only from a supervisor approving someone else's count", async () => {
    const correction = { siteId: KALIWATES_SITE, delta: -3, reason: 'stock opname 28 November: 146 counted', countedBy: 'operator' };
    expect((await call('POST', '/api/stok-blangko/koreksi', 'operator', correction)).status).toBe(403);
    expect((await call('POST', '/api/stok-blangko/koreksi', 'admin', correction)).status).toBe(403);
    expectRefusal(await call('POST', '/api/stok-blangko/koreksi', 'supervisor', { ...correction, countedBy: 'supervisor' }), 403, 'BLANK_CORRECTION_NEEDS_SUPERVISOR');
    const accepted = await call('POST', '/api/stok-blangko/koreksi', 'supervisor', correction);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    const entry = blankMovementResponseSchema.parse(accepted.body).entries[0];
    expect(entry).toMatchObject({ kind: 'correction', quantity: -3, recordedBy: 'operator', approvedBy: 'supervisor' });
    expect(blankMovementResponseSchema.parse(accepted.body).balances[0]?.balance).toBe(146);
  });
});
