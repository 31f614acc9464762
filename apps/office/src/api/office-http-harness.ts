/**
 * Test support for the office's routes over real HTTP on loopback: the office provisioned as `tangguh demo`
 * does (its demo accounts and sites, its own SQLite database, no centre), and the session cookies of the
 * accounts a test acts as.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { provisionStack } from '../../../cli/src/stack.ts';
import { buildOfficeApp } from '../app.ts';
import { openOffice } from '../runtime.ts';

export interface OfficeOverHttp {
  app: FastifyInstance;
  /** `http://127.0.0.1:<port>` */
  base: string;
  close(): Promise<void>;
}

/** A freshly provisioned office listening on a free loopback port; `close` stops it and removes its folder. */
export async function startOfficeOverHttp(tempPrefix: string): Promise<OfficeOverHttp> {
  const dir = mkdtempSync(join(tmpdir(), tempPrefix));
  const paths = await provisionStack(dir);
  const office = await openOffice(paths.officeDb);
  const app = await buildOfficeApp(office.ctx, { serveWeb: false });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    base,
    async close() {
      await app.close();
      await office.handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Logs each account in through the office's own route; its session cookie, by username. */
export async function sessionCookies(base: string, accounts: readonly (readonly [username: string, password: string])[]): Promise<Record<string, string>> {
  const cookies: Record<string, string> = {};
  for (const [username, password] of accounts) {
    const response = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (response.status !== 200) throw new Error(`${username} could not log in: ${response.status} ${await response.text()}`);
    cookies[username] = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  }
  return cookies;
}
