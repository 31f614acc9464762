import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRegionDirectory } from '@tangguh/regions';
import { addCentralUser, openCentral, registerOffice } from '@tangguh/central/provision';
import { setOfficeHead } from '@tangguh/central/services/tte-heads';
import { addOfficeUser, provisionOffice } from '@tangguh/office/provision';
import { openDatabase, restrictFolder } from '@tangguh/platform';
import { Agent, fetch as undiciFetch } from 'undici';
import type { OfficeDb } from '@tangguh/office/schema';
import { provisionOfficeTrust } from './trust-provision.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Set (to dist/server) in the compiled CLI that `npm start` runs (npm run build:server): the nodes it starts are the compiled ones too. */
const SERVER_BUILD = process.env.TANGGUH_SERVER_BUILD;
export const CENTRAL_MAIN = SERVER_BUILD ? join(SERVER_BUILD, 'central.mjs') : join(ROOT, 'apps/central/src/main.ts');
export const OFFICE_MAIN = SERVER_BUILD ? join(SERVER_BUILD, 'office.mjs') : join(ROOT, 'apps/office/src/main.ts');

/** Node's arguments that run a node's entry: TypeScript sources under the tsx loader, a compiled file as it is. */
export function nodeEntryArgs(main: string): string[] {
  return main.endsWith('.ts') ? ['--import', 'tsx', main] : [main];
}

export const JEMBER = {
  id: '3509',
  name: 'Dinas Kependudukan dan Pencatatan Sipil Kabupaten Jember',
  regencyCode: '35.09',
} as const;

export const DEMO_OFFICE_USERS = [
  { username: 'operator', password: 'operator-jember', fullName: 'Siti Aminah', role: 'operator', siteId: 'dinas' },
  { username: 'operator.kaliwates', password: 'operator-jember', fullName: 'Bagus Prasetyo', role: 'operator', siteId: 'kec-35.09.19' },
  { username: 'supervisor', password: 'supervisor-jember', fullName: 'Rina Wulandari', role: 'supervisor', siteId: 'dinas' },
  { username: 'kepala', password: 'kepala-jember', fullName: 'Drs. Hadi Santoso', role: 'head', siteId: 'dinas' },
  { username: 'admin', password: 'admin-jember', fullName: 'Admin Dinas', role: 'admin', siteId: 'dinas' },
] as const;

export const DEMO_CENTRAL_USERS = [
  { username: 'adjudikator', password: 'adjudikator-pusat', fullName: 'Petugas Adjudikasi Pusat', role: 'adjudicator' },
  { username: 'admin', password: 'admin-pusat', fullName: 'Admin Pusat', role: 'admin' },
] as const;

export interface StackPaths {
  centralDb: string;
  officeDb: string;
}

/**
 * Prepares a centre and one office that trust each other: the centre's sealing key in the office, the
 * office's signing key registered at the centre, sites and demo users. Safe to run again on existing data.
 * `timeZone` sets the office's IANA zone on first provisioning (by default its province's: Asia/Jakarta for Jember).
 */
export async function provisionStack(
  dataDir: string,
  options: { centralDb?: string; officeDb?: string; users?: boolean; timeZone?: string; /** PEM the office pins for the centre's TLS. */ centralTlsCa?: string } = {},
): Promise<StackPaths> {
  // Owner-only folders: they hold biodata, photos and the (sealed) keys.
  for (const dir of [dataDir, join(dataDir, 'central'), join(dataDir, 'office')]) restrictFolder(dir);
  const paths = { centralDb: options.centralDb ?? join(dataDir, 'central', 'central.db'), officeDb: options.officeDb ?? join(dataDir, 'office', 'office.db') };
  const regions = await loadRegionDirectory();
  const central = await openCentral(paths.centralDb);
  try {
    const { publicKey } = await provisionOffice(paths.officeDb, { ...JEMBER, timeZone: options.timeZone, centralSealingPublicKey: central.ctx.sealingPublicKey, centralTlsCa: options.centralTlsCa }, regions);
    await registerOffice(central.ctx, { officeId: JEMBER.id, name: JEMBER.name, regencyCode: JEMBER.regencyCode, publicKey });
    await provisionOfficeTrust(central.ctx, paths.officeDb, JEMBER.id);
    if (options.users ?? true) {
      for (const user of DEMO_CENTRAL_USERS) await addCentralUser(central.ctx, { ...user });
      // The centre, not the office, says who heads the office: only that person's enrolled key gets documents signed.
      const head = DEMO_OFFICE_USERS.find((u) => u.role === 'head')!;
      await setOfficeHead(central.ctx, { officeId: JEMBER.id, username: head.username, fullName: head.fullName, by: 'provisioning' });
      const office = openDatabase<OfficeDb>(paths.officeDb);
      try {
        for (const user of DEMO_OFFICE_USERS) await addOfficeUser(office.db, { ...user });
      } finally {
        await office.close();
      }
    }
  } finally {
    await central.handle.close();
  }
  return paths;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface NodeProcess {
  child: ChildProcess;
  url: string;
  /** Ends the process: SIGTERM lets it close cleanly, SIGKILL simulates a crash or power cut. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * The centre's TLS files for `--tls-cert/--tls-key`, and the PEM the office pins: the CA when given, else the
 * centre's own (self-signed) certificate.
 */
export function centralTlsFiles(tls: { cert: string; key: string; ca?: string }): { args: string[]; pin: string } {
  return { args: ['--tls-cert', resolve(tls.cert), '--tls-key', resolve(tls.key)], pin: readFileSync(tls.ca ?? tls.cert, 'utf8') };
}

export interface SpawnOptions {
  quiet?: boolean;
  /** The node serves HTTPS with a certificate that chains to this PEM: its health is checked over TLS against it. */
  ca?: string;
}

/** Starts a node (central or office) as its own OS process and waits until it answers /health. */
export async function spawnNode(main: string, args: string[], port: number, options: SpawnOptions = {}): Promise<NodeProcess> {
  const child = spawn(process.execPath, [...nodeEntryArgs(main), '--port', String(port), ...args], {
    cwd: ROOT,
    stdio: options.quiet ? ['ignore', 'ignore', 'pipe'] : ['ignore', 'inherit', 'inherit'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `${options.ca ? 'https' : 'http'}://127.0.0.1:${port}`;
  const dispatcher = options.ca ? new Agent({ connect: { ca: options.ca } }) : undefined;
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${main} exited with ${child.exitCode}: ${stderr.slice(-2000)}`);
    try {
      const response = dispatcher ? await undiciFetch(`${url}/health`, { dispatcher, signal: AbortSignal.timeout(1000) }) : await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${main} did not start within 30 s: ${stderr.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    url,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export const startCentral = (db: string, port: number, extra: string[] = [], options?: SpawnOptions) =>
  spawnNode(CENTRAL_MAIN, ['--db', db, ...extra], port, options);

export const startOffice = (db: string, port: number, centralUrl: string, extra: string[] = [], options?: { quiet?: boolean }) =>
  spawnNode(OFFICE_MAIN, ['--db', /^postgres(ql)?:\/\//.test(db) ? db : resolve(db), '--central', centralUrl, ...extra], port, options);

/**
 * One role of a node as its own process (`--services=api` or `--services=worker`), for running a node split
 * the way a centre behind a load balancer runs: processes that share only the database (for SQLite, the same
 * file in WAL mode). A worker answers /health on `port` (its --health-port) so the caller knows it is ready.
 */
function serviceArgs(services: 'api' | 'worker', port: number): string[] {
  return services === 'worker' ? ['--services=worker', '--health-port', String(port)] : ['--services=api'];
}

export const startCentralService = (services: 'api' | 'worker', db: string, port: number, extra: string[] = [], options?: { quiet?: boolean }) =>
  spawnNode(CENTRAL_MAIN, ['--db', db, ...serviceArgs(services, port), ...extra], port, options);

export const startOfficeService = (services: 'api' | 'worker', db: string, port: number, centralUrl: string, extra: string[] = [], options?: { quiet?: boolean }) =>
  spawnNode(OFFICE_MAIN, ['--db', resolve(db), '--central', centralUrl, ...serviceArgs(services, port), ...extra], port, options);
