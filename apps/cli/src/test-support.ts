/**
 * Test support for the CLI's integration tests: `tangguh` run as its own process, and a centre running in the
 * test's process on a loopback port for an office to sync with.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCentralApp } from '@tangguh/central';
import { openCentral } from '@tangguh/central/provision';
import type { CentralContext } from '@tangguh/central/context';
import { freePort } from './stack.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = join(ROOT, 'apps/cli/src/main.ts');

export interface CliRun {
  /** The exit code; -1 when the process was killed (e.g. at the timeout) or did not start. */
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `tangguh <args>` as its own process, as an operator's or a bank clerk's terminal would. */
export function runTangguh(args: string[], timeoutMs = 60_000): Promise<CliRun> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** The centre of a provisioned stack (its SQLite file or PostgreSQL URL), serving on a free loopback port. */
export async function centreOnLoopback(location: string): Promise<{ ctx: CentralContext; url: string; close(): Promise<void> }> {
  const c = await openCentral(location);
  const app = await buildCentralApp(c.ctx, { serveWeb: false });
  const port = await freePort();
  await app.listen({ port, host: '127.0.0.1' });
  return {
    ctx: c.ctx,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await c.handle.close();
    },
  };
}
