/**
 * Shared helpers for the integration tests that run real centre and office processes: temp data dirs,
 * a small HTTP client with a cookie jar, bounded polling, read-only looks into the nodes' SQLite files,
 * and a ready-made stack (centre + Jember office) on loopback.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { syntheticResidents } from '@tangguh/capture';
import type { Biodata } from '@tangguh/domain';
import { loadRegionDirectory } from '@tangguh/regions';
import type { RecordingRequest } from '@tangguh/protocol';
import { freePort, provisionStack, startCentral, startOffice, type NodeProcess, type StackPaths } from '../apps/cli/src/stack.ts';
import { syntheticRecording } from '../apps/cli/src/seed.ts';

// ---------------------------------------------------------------------------------------------------
// Temp dirs

const tempDirs = new Set<string>();

/** A fresh directory under the OS temp dir; removed by `removeTempDirs` (set KEEP_TEST_DATA=1 to keep it). */
export function makeTempDir(prefix = 'tangguh-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  if (process.env.KEEP_TEST_DATA) console.log(`[test] data kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

export function removeTempDirs(): void {
  for (const dir of [...tempDirs]) removeTempDir(dir);
}

// ---------------------------------------------------------------------------------------------------
// Time

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Shown when the wait times out, with the last value or error seen. */
  message?: string;
}

/**
 * Polls `predicate` until it returns a truthy value (which is returned) or the time is up. A predicate
 * that throws counts as "not yet"; the last error is reported on timeout.
 */
export async function waitFor<T>(predicate: () => T | Promise<T>, options: WaitOptions = {}): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 200;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`waitFor timed out after ${timeoutMs} ms: ${options.message ?? 'condition not met'} (last: ${detail})`);
    }
    await sleep(intervalMs);
  }
}

// ---------------------------------------------------------------------------------------------------
// HTTP

export interface HttpResponse<T = unknown> {
  status: number;
  body: T;
  /** Wall time of the request, in ms. */
  ms: number;
}

/** A tiny fetch wrapper that keeps the session cookie(s) a node sets, like a browser would. */
export class HttpClient {
  private readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    private readonly defaults: { timeoutMs?: number } = {},
  ) {}

  async request<T = unknown>(method: string, path: string, body?: unknown, options: { timeoutMs?: number } = {}): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = {};
    // State-changing routes read JSON only (an empty body is refused with 415), so send `{}` as the web does.
    if (body === undefined && ['POST', 'PUT', 'PATCH'].includes(method)) body = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const started = performance.now();
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? this.defaults.timeoutMs ?? 30_000),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('application/json') && text.length > 0) parsed = JSON.parse(text);
    return { status: response.status, body: parsed as T, ms: performance.now() - started };
  }

  get<T = unknown>(path: string, options?: { timeoutMs?: number }) {
    return this.request<T>('GET', path, undefined, options);
  }

  post<T = unknown>(path: string, body: unknown, options?: { timeoutMs?: number }) {
    return this.request<T>('POST', path, body, options);
  }
}

/** Logs in to a node and returns a client holding the session cookie; throws unless the login succeeds. */
export async function login(baseUrl: string, username: string, password: string): Promise<HttpClient> {
  const client = new HttpClient(baseUrl);
  const response = await client.post('/api/auth/login', { username, password });
  if (response.status !== 200) throw new Error(`login as ${username} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return client;
}

export const OPERATOR = { username: 'operator', password: 'operator-jember' } as const;
export const HEAD = { username: 'kepala', password: 'kepala-jember' } as const;

export const loginOperator = (baseUrl: string) => login(baseUrl, OPERATOR.username, OPERATOR.password);

// ---------------------------------------------------------------------------------------------------
// Shapes of the office API the tests read

export interface RecordSummaryBody {
  id: string;
  registrationNumber: string;
  nik: string;
  status: string;
  recordedAt: string;
}

export interface RecordingCreated {
  record: RecordSummaryBody;
  receipt: { registrationNumber: string; recordedAt: string };
}

export interface TimelineEvent {
  status: string;
  at: string;
  source: string;
  note: string | null;
}

export interface RecordDetail {
  record: RecordSummaryBody;
  timeline: TimelineEvent[];
}

export interface SyncStatusBody {
  central: { reachable: boolean | null; lastSuccessAt: string | null; lastError: string | null };
  outbox: { pending: number; oldestPendingAt: string | null };
}

export interface ErrorBodyShape {
  error: { code: string; message: string; messages: { id: string; en: string }; issues?: { field: string; code: string; messages: { id: string; en: string } }[] };
}

/** Where deduplication leaves a record until a card is printed or a human decides. */
export const DEDUP_FINAL_STATUSES = ['PRINT_READY_RECORD', 'DUPLICATE_RECORD', 'ADJUDICATE_RECORD'] as const;

// ---------------------------------------------------------------------------------------------------
// Synthetic residents

/**
 * `count` distinct residents of Jember with their recording requests (each captured as its own subject,
 * so each should become PRINT_READY_RECORD). Residents are unique by NIK within one seed.
 */
export async function residentRequests(count: number, seed: number): Promise<{ biodata: Biodata; request: RecordingRequest }[]> {
  const regions = await loadRegionDirectory();
  const people = syntheticResidents(count, { seed, regencyCode: '35.09', regions });
  const out: { biodata: Biodata; request: RecordingRequest }[] = [];
  for (const biodata of people) out.push({ biodata, request: await syntheticRecording(biodata, `subject-${seed}-${biodata.nik}`) });
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Databases (read-only looks while the nodes run, or after they stopped)

/** Opens a node's SQLite file read-only; WAL lets it read while the node writes. */
export function openReadonly(path: string): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

export function withReadonly<T>(path: string, read: (db: Database.Database) => T): T {
  const db = openReadonly(path);
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export const scalar = (db: Database.Database, sql: string, ...params: unknown[]): number => Number(db.prepare(sql).pluck().get(...params) ?? 0);

// ---------------------------------------------------------------------------------------------------
// A centre and the Jember office, as real processes on loopback

export interface StackOptions {
  officeArgs?: string[];
  centralArgs?: string[];
  /** Print the nodes' own output (default: quiet). */
  verbose?: boolean;
}

export class TestStack {
  central?: NodeProcess;
  office?: NodeProcess;

  private constructor(
    readonly dir: string,
    readonly paths: StackPaths,
    readonly centralPort: number,
    readonly officePort: number,
    private readonly options: StackOptions,
  ) {}

  /** Provisions a fresh centre + office in a temp dir; starts nothing. */
  static async create(options: StackOptions = {}): Promise<TestStack> {
    const dir = makeTempDir();
    const paths = await provisionStack(dir);
    return new TestStack(dir, paths, await freePort(), await freePort(), options);
  }

  get centralUrl(): string {
    return `http://127.0.0.1:${this.centralPort}`;
  }

  /** Where the office's sync worker finds the centre, if not directly (a fault proxy in between). */
  officeCentralUrl?: string;

  get officeUrl(): string {
    return `http://127.0.0.1:${this.officePort}`;
  }

  /** Starts the centre on its fixed port (so a running office finds it again after a restart). */
  async startCentral(extra: string[] = this.options.centralArgs ?? []): Promise<NodeProcess> {
    if (this.central && this.central.child.exitCode === null && this.central.child.signalCode === null) throw new Error('centre already running');
    this.central = await startCentral(this.paths.centralDb, this.centralPort, extra, { quiet: !this.options.verbose });
    return this.central;
  }

  async startOffice(extra: string[] = this.options.officeArgs ?? []): Promise<NodeProcess> {
    if (this.office && this.office.child.exitCode === null && this.office.child.signalCode === null) throw new Error('office already running');
    this.office = await startOffice(this.paths.officeDb, this.officePort, this.officeCentralUrl ?? this.centralUrl, extra, { quiet: !this.options.verbose });
    return this.office;
  }

  async stopCentral(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.central?.stop(signal);
    this.central = undefined;
  }

  async stopOffice(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.office?.stop(signal);
    this.office = undefined;
  }

  /** Stops whatever still runs (SIGKILL after 10 s) and removes the temp data. */
  async dispose(): Promise<void> {
    for (const node of [this.office, this.central]) {
      if (!node) continue;
      const killer = setTimeout(() => node.child.kill('SIGKILL'), 10_000);
      await node.stop('SIGTERM');
      clearTimeout(killer);
    }
    this.office = undefined;
    this.central = undefined;
    removeTempDir(this.dir);
  }

  officeDb<T>(read: (db: Database.Database) => T): T {
    return withReadonly(this.paths.officeDb, read);
  }

  centralDb<T>(read: (db: Database.Database) => T): T {
    return withReadonly(this.paths.centralDb, read);
  }
}

// ---------------------------------------------------------------------------------------------------
// Convergence: what the office committed, the centre holds exactly once

export interface ConvergenceReport {
  officeRecords: number;
  /** Every outbox entry (recordings and any other office events). */
  officeOutbox: number;
  /** The outbox entries that carry a recording (kind recording.created): one per record. */
  officeRecordingEntries: number;
  maxOutboxSeq: number;
  ackedSeq: number;
  centralEnrollments: number;
  appliedEntries: number;
  appliedSeq: number;
  /** Recordings applied more than once at the centre (must be empty). */
  appliedTwice: { record_id: string; n: number }[];
  /**
   * The literal check `select record_id, count(*) from applied_entries group by record_id having count(*) > 1`:
   * empty when the office sent only recordings (other events may legitimately share a subject).
   */
  appliedTwiceAnyKind: { record_id: string; n: number }[];
  /** Applied (office, seq) pairs whose subject differs from the office's outbox entry of that seq (must be 0). */
  seqMismatch: number;
  /** Office records the centre does not hold, and enrollments the office never committed (both must be empty). */
  missingAtCentre: string[];
  unknownAtCentre: string[];
  /** Office records whose status differs from the centre's (after the pull has caught up: empty). */
  statusMismatch: { id: string; office: string; central: string }[];
  /** Office records not (yet) in a final deduplication status. */
  notFinal: { id: string; status: string }[];
  /** The same status recorded twice for one record in the office timeline (a change applied twice). */
  repeatedEvents: { record_id: string; status: string; n: number }[];
  byStatus: Record<string, number>;
}

/** Opens both nodes' databases read-only and compares them; the tests assert on the result. */
export function convergenceReport(paths: StackPaths, officeId = '3509'): ConvergenceReport {
  const office = openReadonly(paths.officeDb);
  const central = openReadonly(paths.centralDb);
  try {
    const officeRows = office.prepare('select id, status from records').all() as { id: string; status: string }[];
    const centralRows = central.prepare('select record_id, status from enrollments where office_id = ?').all(officeId) as { record_id: string; status: string }[];
    const centralStatus = new Map(centralRows.map((r) => [r.record_id, r.status]));
    const officeIds = new Set(officeRows.map((r) => r.id));
    const outbox = new Map(
      (office.prepare('select seq, kind, coalesce(record_id, subject_id) as subject from outbox').all() as { seq: number; kind: string; subject: string }[]).map((r) => [
        Number(r.seq),
        r,
      ]),
    );
    const applied = central.prepare('select seq, record_id from applied_entries where office_id = ?').all(officeId) as { seq: number; record_id: string }[];
    const recordingApplications = new Map<string, number>();
    for (const a of applied) {
      if (outbox.get(Number(a.seq))?.kind !== 'recording.created') continue;
      recordingApplications.set(a.record_id, (recordingApplications.get(a.record_id) ?? 0) + 1);
    }
    const appliedTwiceAnyKind = central
      .prepare('select record_id, count(*) as n from applied_entries where office_id = ? group by record_id having count(*) > 1')
      .all(officeId) as { record_id: string; n: number }[];
    const byStatus: Record<string, number> = {};
    for (const r of officeRows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    return {
      officeRecords: officeRows.length,
      officeOutbox: outbox.size,
      officeRecordingEntries: [...outbox.values()].filter((e) => e.kind === 'recording.created').length,
      maxOutboxSeq: scalar(office, 'select coalesce(max(seq), 0) from outbox'),
      ackedSeq: Number(office.prepare("select value from sync_state where key = 'acked_seq'").pluck().get() ?? 0),
      centralEnrollments: centralRows.length,
      appliedEntries: applied.length,
      appliedSeq: scalar(central, 'select applied_seq from offices where office_id = ?', officeId),
      appliedTwice: [...recordingApplications].filter(([, n]) => n > 1).map(([record_id, n]) => ({ record_id, n })),
      appliedTwiceAnyKind,
      seqMismatch: applied.filter((a) => outbox.get(Number(a.seq))?.subject !== a.record_id).length,
      missingAtCentre: officeRows.filter((r) => !centralStatus.has(r.id)).map((r) => r.id),
      unknownAtCentre: centralRows.filter((r) => !officeIds.has(r.record_id)).map((r) => r.record_id),
      statusMismatch: officeRows
        .filter((r) => centralStatus.has(r.id) && centralStatus.get(r.id) !== r.status)
        .map((r) => ({ id: r.id, office: r.status, central: centralStatus.get(r.id)! })),
      notFinal: officeRows.filter((r) => !(DEDUP_FINAL_STATUSES as readonly string[]).includes(r.status)),
      repeatedEvents: office
        .prepare('select record_id, status, count(*) as n from status_events group by record_id, status having count(*) > 1')
        .all() as { record_id: string; status: string; n: number }[],
      byStatus,
    };
  } finally {
    office.close();
    central.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// Randomness that can be replayed

/** A small seeded generator (mulberry32), so a failing fault-injection run can be repeated with its seed. */
export function seededRandom(seed: number): { next(): number; int(min: number, max: number): number } {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (min, max) => min + Math.floor(next() * (max - min + 1)) };
}
