/**
 * A centre and the Jember office, each split into an API process and a worker process that share only the
 * database (`--services=api` / `--services=worker`), as the centre runs behind a load balancer. The centre
 * runs on SQLite (both processes open the same file, WAL) or on a throwaway PostgreSQL database.
 */
import { join } from 'node:path';
import { freePort, provisionStack, startCentralService, startOfficeService, type NodeProcess, type StackPaths } from '../apps/cli/src/stack.ts';
import { freshPgDatabase, type FreshPgDatabase } from './pg.ts';
import { makeTempDir, removeTempDir } from './helpers.ts';

type Role = 'centralApi' | 'centralWorker' | 'officeApi' | 'officeWorker';

export class SplitStack {
  private readonly running = new Map<Role, NodeProcess>();

  private constructor(
    readonly dir: string,
    readonly paths: StackPaths,
    readonly ports: Record<Role, number>,
    private readonly pg: FreshPgDatabase | undefined,
    private readonly officeWorkerArgs: string[],
  ) {}

  static async create(options: { central: 'sqlite' | 'postgres'; officeWorkerArgs?: string[] }): Promise<SplitStack> {
    const dir = makeTempDir('tangguh-split-');
    const pg = options.central === 'postgres' ? await freshPgDatabase() : undefined;
    const paths = await provisionStack(dir, { centralDb: pg?.url ?? join(dir, 'central', 'central.db') });
    const ports = { centralApi: await freePort(), centralWorker: await freePort(), officeApi: await freePort(), officeWorker: await freePort() };
    return new SplitStack(dir, paths, ports, pg, options.officeWorkerArgs ?? []);
  }

  url(role: Role): string {
    return `http://127.0.0.1:${this.ports[role]}`;
  }

  /** The centre: its API process first (it answers the offices), then its dedup worker. */
  async startCentral(): Promise<void> {
    this.running.set('centralApi', await startCentralService('api', this.paths.centralDb, this.ports.centralApi, [], { quiet: !process.env.VERBOSE_NODES }));
    this.running.set('centralWorker', await startCentralService('worker', this.paths.centralDb, this.ports.centralWorker, [], { quiet: !process.env.VERBOSE_NODES }));
  }

  async startOffice(): Promise<void> {
    const central = this.url('centralApi');
    this.running.set('officeApi', await startOfficeService('api', this.paths.officeDb, this.ports.officeApi, central, [], { quiet: !process.env.VERBOSE_NODES }));
    this.running.set('officeWorker', await startOfficeService('worker', this.paths.officeDb, this.ports.officeWorker, central, this.officeWorkerArgs, { quiet: !process.env.VERBOSE_NODES }));
  }

  async stop(role: Role, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.running.get(role)?.stop(signal);
    this.running.delete(role);
  }

  async stopCentral(): Promise<void> {
    await this.stop('centralApi');
    await this.stop('centralWorker');
  }

  /** Stops every process (SIGKILL after 10 s) and removes the data, the PostgreSQL database too. */
  async dispose(): Promise<void> {
    for (const [role, node] of [...this.running].reverse()) {
      const killer = setTimeout(() => node.child.kill('SIGKILL'), 10_000);
      await node.stop('SIGTERM');
      clearTimeout(killer);
      this.running.delete(role);
    }
    await this.pg?.drop();
    removeTempDir(this.dir);
  }
}
