import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractRoutes, type ContractRoute } from '@tangguh/platform';
import { provisionStack } from '../../../cli/src/stack.ts';
import { buildOfficeApp } from '../app.ts';
import { openOffice } from '../runtime.ts';

interface OpenApiOperation {
  tags?: string[];
  summary?: string;
  requestBody?: unknown;
  parameters?: { in: string; name: string }[];
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, unknown> };
}

/** POST routes that take no body, or raw bytes rather than JSON. */
const BODYLESS = new Set(['POST /api/auth/logout', 'POST /api/recordings/:id/suket', 'POST /api/verifikasi/gambar', 'POST /api/api-keys/:id/revoke', 'POST /api/distribusi/manifes/:id/kirim']);

/** A route that only ever refuses (DELETE of an append-only log) documents its refusal instead of a success. */
const refusesOnly = (r: ContractRoute) => {
  const statuses = Object.keys(r.schema?.response ?? {});
  return statuses.length > 0 && statuses.every((status) => /^4\d\d$/.test(status));
};

let dir: string;
let app: FastifyInstance;
let close: () => Promise<void>;
let routes: ContractRoute[];
let doc: OpenApiDocument;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tangguh-contract-'));
  const paths = await provisionStack(dir);
  const office = await openOffice(paths.officeDb);
  close = () => office.handle.close();
  app = await buildOfficeApp(office.ctx, { serveWeb: false });
  await app.ready();
  routes = contractRoutes(app).filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.method !== 'HEAD');
  const response = await app.inject({ method: 'GET', url: '/api/docs/json' });
  expect(response.statusCode).toBe(200);
  doc = JSON.parse(response.body) as OpenApiDocument;
});

afterAll(async () => {
  await app?.close();
  await close?.();
  rmSync(dir, { recursive: true, force: true });
});

const name = (r: ContractRoute) => `${r.method} ${r.url}`;
const openApiPath = (url: string) => url.replace(/:([A-Za-z]+)/g, '{$1}');

describe('the office API contract', () => {
  it('has every office /api route in the route table (auth, recordings, Suket, documents, trust, verification, support)', () => {
    const names = routes.map(name);
    for (const expected of ['POST /api/auth/login', 'GET /api/recordings/:id', 'POST /api/sukets/:serial/revoke', 'POST /api/documents/sign-all', 'GET /api/trust/list', 'POST /api/verifikasi', 'GET /api/sync/status']) {
      expect(names).toContain(expected);
    }
    expect(routes.length).toBeGreaterThan(30);
  });

  it('declares a response schema for a success status on every /api route (or its refusal, for one that only refuses), with tags and a summary', () => {
    const missing = routes.filter((r) => !refusesOnly(r) && !Object.keys(r.schema?.response ?? {}).some((status) => /^2\d\d$/.test(status)));
    expect(missing.map(name)).toEqual([]);
    expect(routes.filter((r) => !r.schema?.tags?.length || !r.schema.summary).map(name)).toEqual([]);
  });

  it('declares the error body for the 4xx answers of every /api route', () => {
    expect(routes.filter((r) => !Object.keys(r.schema?.response ?? {}).some((status) => /^4\d\d$/.test(status))).map(name)).toEqual([]);
  });

  it('declares the request: params wherever the path has them, a body on every POST and PUT that takes one', () => {
    expect(routes.filter((r) => r.url.includes(':') && !r.schema?.params).map(name)).toEqual([]);
    expect(routes.filter((r) => ['POST', 'PUT'].includes(r.method) && !BODYLESS.has(name(r)) && !r.schema?.body).map(name)).toEqual([]);
  });

  it('publishes valid OpenAPI 3.1 JSON at /api/docs/json with a path and a success response for each route', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const route of routes) {
      const operation = doc.paths[openApiPath(route.url)]?.[route.method.toLowerCase()];
      expect(operation, name(route)).toBeDefined();
      const success = Object.entries(operation!.responses).find(([status]) => (refusesOnly(route) ? /^4\d\d$/ : /^2\d\d$/).test(status));
      expect(success, `${name(route)} has a documented success response`).toBeDefined();
      expect(Object.keys(success![1].content ?? {}).length, `${name(route)} documents its content type`).toBeGreaterThan(0);
      expect(operation!.tags?.length, name(route)).toBeGreaterThan(0);
    }
  });

  it('documents binary answers by their content type and every error with the shared Error schema', () => {
    expect(Object.keys(doc.paths['/api/sukets/{serial}/pdf']!.get!.responses['200']!.content!)).toEqual(['application/pdf']);
    expect(Object.keys(doc.paths['/api/recordings/{id}/photo']!.get!.responses['200']!.content!)).toEqual(['image/jpeg', 'image/png']);
    expect(doc.paths['/api/recordings']!.post!.responses['400']!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/Error' });
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) expect(doc.components?.schemas?.[ref], `component ${ref}`).toBeDefined();
  });
});
