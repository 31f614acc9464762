/**
 * Both nodes built in-process on real SQLite databases (provisioned as `tangguh demo` does), with their
 * route tables and a session cookie per role, for the tests that walk every route: RBAC and fuzz.
 * Requests go through Fastify's inject: the same routing, hooks, validation and serialization as HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { contractRoutes, type ContractRoute } from '@tangguh/platform';
import { buildCentralApp } from '@tangguh/central';
import { openCentral } from '@tangguh/central/provision';
import { provisionStack, type StackPaths } from '../apps/cli/src/stack.ts';
import { buildOfficeApp } from '../apps/office/src/app.ts';
import { openOffice } from '../apps/office/src/runtime.ts';

export type NodeName = 'office' | 'central';

/** The demo accounts of each node, by role. */
export const ACCOUNTS: Record<NodeName, Record<string, { username: string; password: string }>> = {
  office: {
    operator: { username: 'operator', password: 'operator-jember' },
    supervisor: { username: 'supervisor', password: 'supervisor-jember' },
    head: { username: 'kepala', password: 'kepala-jember' },
    admin: { username: 'admin', password: 'admin-jember' },
  },
  central: {
    adjudicator: { username: 'adjudikator', password: 'adjudikator-pusat' },
    admin: { username: 'admin', password: 'admin-pusat' },
  },
};

export interface RouteNode {
  name: NodeName;
  app: FastifyInstance;
  /** Every route but HEAD (Fastify adds one per GET) and the OpenAPI viewer's static files. */
  routes: ContractRoute[];
  /** The node's SQLite file. */
  dbPath: string;
}

export interface RouteNodes {
  dir: string;
  paths: StackPaths;
  nodes: Record<NodeName, RouteNode>;
  close(): Promise<void>;
}

export const routeName = (route: Pick<ContractRoute, 'method' | 'url'>) => `${route.method} ${route.url}`;

export async function openRouteNodes(): Promise<RouteNodes> {
  const dir = mkdtempSync(join(tmpdir(), 'tangguh-routes-'));
  const paths = await provisionStack(dir);
  const office = await openOffice(paths.officeDb);
  const central = await openCentral(paths.centralDb);
  // No centre URL for the office: nothing a fuzzed request does may reach out of this process.
  const officeApp = await buildOfficeApp(office.ctx, { serveWeb: false });
  const centralApp = await buildCentralApp(central.ctx, { serveWeb: false });
  await Promise.all([officeApp.ready(), centralApp.ready()]);
  const table = (app: FastifyInstance) => contractRoutes(app).filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/api/docs/static'));
  return {
    dir,
    paths,
    nodes: {
      office: { name: 'office', app: officeApp, routes: table(officeApp), dbPath: paths.officeDb },
      central: { name: 'central', app: centralApp, routes: table(centralApp), dbPath: paths.centralDb },
    },
    async close() {
      await officeApp.close();
      await centralApp.close();
      await office.handle.close();
      await central.handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Logs in through the node's own route and returns the session cookie. */
export async function sessionCookie(app: FastifyInstance, account: { username: string; password: string }): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: account });
  if (response.statusCode !== 200) throw new Error(`login as ${account.username}: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'tangguh_session');
  if (!cookie) throw new Error(`login as ${account.username} set no session cookie`);
  return `tangguh_session=${cookie.value}`;
}

/** A concrete URL for a route pattern: each `:param` (and a trailing `*`) filled by `fill`. */
export function fillPath(url: string, fill: (param: string) => string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => encodeURIComponent(fill(name))).replace(/\*$/, () => fill('*'));
}
