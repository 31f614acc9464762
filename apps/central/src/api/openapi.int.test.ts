import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@tangguh/platform';
import type { CentralDb } from '../db/schema.ts';
import { buildCentralApp } from '../app.ts';
import { openCentral } from '../services/provision.ts';

interface Operation {
  summary?: string;
  tags?: string[];
  parameters?: { in: string; name: string; schema?: object }[];
  requestBody?: { content: Record<string, { schema?: object }> };
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
}

/**
 * Every route Fastify serves, read from its own route tree (`printRoutes`): one line per path segment,
 * indented by depth, with the methods in brackets. Walking the tree means a route added tomorrow is
 * checked without anyone remembering to list it here.
 */
function routeTable(app: FastifyInstance): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  const parents: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)(?:├── |└── )(.+?) \(([^)]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const path = (parents[depth - 1] ?? '') + match[2]!;
    parents[depth] = path;
    for (const method of match[3]!.split(', ')) if (method !== 'HEAD') routes.push({ method, path });
  }
  return routes;
}

/** `/api/adjudications/:caseId/decision` as OpenAPI writes it: `/api/adjudications/{caseId}/decision`. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

/**
 * POSTs without a JSON body schema, each for a reason: logout takes no body, and the verifier's upload is
 * the raw file (PNG, JPEG or PDF), described in the route's text rather than by a schema.
 */
const BODILESS_POSTS = new Set(['/api/auth/logout', '/api/verifikasi/gambar']);

describe("the centre's OpenAPI document", () => {
  let dir: string;
  let handle: Db<CentralDb>;
  let app: FastifyInstance;
  let doc: OpenApiDocument;
  let contract: { method: string; path: string }[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tangguh-openapi-'));
    let ctx;
    ({ handle, ctx } = await openCentral(join(dir, 'central.db')));
    app = await buildCentralApp(ctx, { serveWeb: false });
    await app.ready();
    const response = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(response.statusCode).toBe(200);
    doc = response.json<OpenApiDocument>();
    contract = routeTable(app).filter((route) => /^\/(api|sync|trust)\//.test(route.path) && !route.path.startsWith('/api/docs'));
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is read from a route table that holds every part of the centre’s API', () => {
    const paths = new Set(contract.map((route) => `${route.method} ${route.path}`));
    for (const expected of ['POST /sync/push', 'GET /sync/changes', 'GET /sync/version', 'POST /sync/tte/sign', 'POST /sync/document-keys', 'GET /api/pipeline/summary', 'POST /api/adjudications/:caseId/decision', 'GET /trust/list']) {
      expect(paths).toContain(expected);
    }
  });

  it('lists every /api, /sync and /trust route with a tag, a summary, its request schemas and a schema for each answer', () => {
    const problems: string[] = [];
    for (const { method, path } of contract) {
      const where = `${method} ${path}`;
      const operation = doc.paths[openApiPath(path)]?.[method.toLowerCase()];
      if (!operation) {
        problems.push(`${where}: not in /api/docs/json`);
        continue;
      }
      if (!operation.tags?.length || !operation.summary) problems.push(`${where}: no tag or summary`);
      for (const [, name] of path.matchAll(/:([A-Za-z]+)/g)) {
        if (!operation.parameters?.some((p) => p.in === 'path' && p.name === name && p.schema)) problems.push(`${where}: path parameter ${name} has no schema`);
      }
      if (method === 'POST' && !BODILESS_POSTS.has(path)) {
        const bodies = Object.values(operation.requestBody?.content ?? {});
        if (bodies.length === 0 || bodies.some((b) => !b.schema)) problems.push(`${where}: no request body schema`);
      }
      const success = Object.entries(operation.responses).filter(([status]) => /^2\d\d$/.test(status));
      if (success.length === 0) problems.push(`${where}: no success response`);
      for (const [status, answer] of success) {
        const contents = Object.values(answer.content ?? {});
        if (contents.length === 0 || contents.some((c) => !c.schema)) problems.push(`${where}: ${status} has no schema`);
      }
      for (const [status, answer] of Object.entries(operation.responses).filter(([s]) => /^[45]\d\d$/.test(s))) {
        if (JSON.stringify(answer.content?.['application/json']?.schema) !== JSON.stringify({ $ref: '#/components/schemas/Error' })) problems.push(`${where}: ${status} is not the shared error body`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('is served as a readable page at /api/docs as well', async () => {
    const page = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });

  it('documents the signed sync routes’ headers, the protocol version among them', () => {
    for (const path of ['/sync/push', '/sync/changes', '/sync/state', '/sync/document-keys', '/sync/tte/sign']) {
      const operation = Object.values(doc.paths[path]!)[0]!;
      const headers = (operation.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name);
      expect(headers, path).toEqual(expect.arrayContaining(['x-tangguh-office', 'x-tangguh-timestamp', 'x-tangguh-signature', 'x-tangguh-protocol']));
    }
  });
});
