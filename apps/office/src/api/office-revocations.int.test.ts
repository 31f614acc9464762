// GET /api/trust/office-revocations on a real office database, with no centre at all: what the office
// itself withdrew, signed at once with its certified Suket key, opening against the trust list it serves.
import { afterAll, expect, it } from 'vitest';
import { fromBase64Url, openOfficeRevocationList, openTrustList } from '@tangguh/credential';
import { residentRequests } from '../../../../test/helpers.ts';
import { openRouteNodes, sessionCookie, ACCOUNTS, type RouteNodes } from '../../../../test/route-nodes.ts';
import { setupOrFail } from '../../../../test/pg.ts';

let world: RouteNodes;
let operator: string;

setupOrFail(async () => {
  world = await openRouteNodes();
  operator = await sessionCookie(world.nodes.office.app, ACCOUNTS.office.operator!);
});

afterAll(async () => {
  await world?.close();
});

it('lists each Suket the office superseded, signed so it opens against the served trust list, with a sequence that only grows and a 304 for an unchanged list', async () => {
  const { app } = world.nodes.office;
  const get = async (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
  const served = async () => {
    const root = fromBase64Url((await get('/api/trust/root')).json<{ publicKey: string }>().publicKey);
    const trust = openTrustList((await get('/api/trust/list')).json<{ signed: string }>().signed, root);
    const response = await get('/api/trust/office-revocations');
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<{ officeId: string; signed: string; sequence: number }>();
    return { body, etag: response.headers.etag as string, list: openOfficeRevocationList(body.signed, trust) };
  };
  const [resident] = await residentRequests(1, 4242);
  const recorded = await app.inject({ method: 'POST', url: '/api/recordings', headers: { cookie: operator }, payload: resident!.request });
  expect(recorded.statusCode, recorded.body).toBe(201);
  const issue = async () => {
    const response = await app.inject({ method: 'POST', url: `/api/recordings/${recorded.json<{ record: { id: string } }>().record.id}/suket`, headers: { cookie: operator }, payload: {} });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ suket: { serial: string } }>().suket.serial;
  };

  const empty = await served();
  expect(empty.list.issuer).toBe('3509');
  expect(empty.list.entries).toEqual([]);

  const first = await issue();
  const second = await issue();
  const one = await served();
  expect(one.list.entries).toEqual([expect.objectContaining({ ser: first, reason: 'SUPERSEDED', supersededBy: second })]);
  expect(one.body.sequence).toBeGreaterThan(empty.body.sequence);
  expect((await get('/api/trust/office-revocations', { 'if-none-match': one.etag })).statusCode).toBe(304);

  const third = await issue();
  const two = await served();
  expect(two.list.entries.map((e) => [e.ser, e.supersededBy])).toEqual([
    [first, second],
    [second, third],
  ]);
  expect(two.body.sequence).toBeGreaterThan(one.body.sequence);
});
