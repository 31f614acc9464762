import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { beforeAll, beforeEach } from 'vitest';

/** The test server's URL: TANGGUH_TEST_PG_URL, or the database `.ci/run` creates. */
export const DEFAULT_TEST_PG_URL = 'postgres://tangguh:tangguh@127.0.0.1:5432/tangguh_test';

export function pgUrl(): string {
  return process.env.TANGGUH_TEST_PG_URL || DEFAULT_TEST_PG_URL;
}

export interface FreshPgDatabase {
  /** Name of the throwaway database, `t_<hex>`. */
  name: string;
  /** postgres:// URL of the throwaway database, for openCentral / openDatabase. */
  url: string;
  /** Drops the database (closing any connection still open to it). Safe to call twice. */
  drop(): Promise<void>;
}

const redact = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

function unreachable(url: string, cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new Error(
    [
      `PostgreSQL for the integration tests is not reachable at ${redact(url)} (${reason}).`,
      'These tests need it and do not skip. Start it with either:',
      '  .ci/run                              (installs and starts everything, then runs npm test), or by hand (Debian, as root):',
      '  apt-get install -y postgresql && pg_ctlcluster "$(ls /usr/lib/postgresql | sort -V | tail -1)" main start',
      "  runuser -u postgres -- psql -c \"CREATE ROLE tangguh LOGIN CREATEDB PASSWORD 'tangguh'\" -c 'CREATE DATABASE tangguh_test OWNER tangguh'",
      'or point TANGGUH_TEST_PG_URL at another server whose role may CREATE DATABASE.',
    ].join('\n'),
    { cause },
  );
}

async function withAdminClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  // A server going away mid-test must fail the query, not crash the test process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw unreachable(url, error);
  }
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Drops a throwaway database. FORCE (PostgreSQL 13+) closes connections a test forgot to close, but it
 * refuses ("must be a member of the role whose process is being terminated", 42501) when another role's
 * process — an autovacuum worker, say — is in the database at that moment; such a process leaves on its
 * own, so the drop is retried for a while, then tried once without FORCE.
 */
async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 20; attempt += 1) {
    try {
      await withAdminClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      return;
    } catch (error) {
      lastError = error;
      const code = (error as { code?: string }).code;
      if (code !== '42501' && code !== '55006') throw error;
      await sleep(250);
    }
  }
  try {
    await withAdminClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name}`));
  } catch {
    throw lastError;
  }
}

/**
 * Creates a database of its own for one test file (or one suite) on the test server, so tests never
 * share state, and returns its URL and a drop(). Throws a clear error, failing the test, when the
 * server is not reachable.
 */
export async function freshPgDatabase(): Promise<FreshPgDatabase> {
  const adminUrl = pgUrl();
  const owner = decodeURIComponent(new URL(adminUrl).username) || 'tangguh';
  const name = `t_${randomBytes(8).toString('hex')}`;
  await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name} OWNER ${pg.escapeIdentifier(owner)}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    async drop() {
      if (dropped) return;
      await dropDatabase(adminUrl, name);
      dropped = true;
    },
  };
}

/**
 * Like beforeAll, but if the setup throws (PostgreSQL down, say) every test of the suite FAILS with
 * that error, where a failing beforeAll would only mark them skipped.
 */
export function setupOrFail(setup: () => Promise<void>): void {
  let failure: { error: unknown } | undefined;
  beforeAll(async () => {
    try {
      await setup();
    } catch (error) {
      failure = { error };
    }
  });
  beforeEach(() => {
    if (failure) throw failure.error;
  });
}

/** Both databases a node runs on, for `describe.each`: SQLite (the offices' default) and PostgreSQL. */
export const DIALECTS = ['sqlite', 'postgres'] as const;

/**
 * Where a test's database lives: `<dir>/<name>.db` for SQLite, a throwaway database for PostgreSQL. Pass
 * `location` to openOffice / openCentral / provisionStack; `drop()` removes a PostgreSQL one (the caller
 * removes `dir`).
 */
export async function freshLocation(dialect: (typeof DIALECTS)[number], dir: string, name: string): Promise<{ location: string; drop(): Promise<void> }> {
  if (dialect === 'sqlite') return { location: `${dir}/${name}.db`, drop: async () => {} };
  const db = await freshPgDatabase();
  return { location: db.url, drop: () => db.drop() };
}

/**
 * An empty database of its own: `fileName` in a fresh temp dir (named from `tempPrefix`) for SQLite, a throwaway
 * database for PostgreSQL; `cleanup` removes either.
 */
export interface FreshStore {
  location: string;
  cleanup(): Promise<void>;
}

export async function freshStore(dialect: (typeof DIALECTS)[number], tempPrefix: string, fileName = 'central.db'): Promise<FreshStore> {
  if (dialect === 'postgres') {
    const db = await freshPgDatabase();
    return { location: db.url, cleanup: () => db.drop() };
  }
  const dir = await mkdtemp(join(tmpdir(), tempPrefix));
  return { location: join(dir, fileName), cleanup: () => rm(dir, { recursive: true, force: true }) };
}
