/**
 * Counters in separate processes on one SQLite file (an office whose API runs as several processes): each
 * process calls from its own counters at once, and no ticket is ever given to two of them. In one process
 * the driver serializes transactions; across processes only SQLite's locks do, so this is where the call's
 * order of statements (the write on the counter's row first) is proven.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshLocation, setupOrFail } from '../../../../test/pg.ts';
import { provisionStack } from '../../../cli/src/stack.ts';
import { openOffice } from '../runtime.ts';
import type { OfficeContext } from '../context.ts';
import { officeSessionStore } from '../repositories/users.ts';
import { issueTicket, openCounter } from './queue.ts';

const CHILD = join(import.meta.dirname, 'test-queue-caller.ts');
const CLOCK = '2026-12-01T09:00:00+07:00';

/** Starts a counter process; `ready` resolves once it has opened the office, `go()` lets it call. */
function counterProcess(location: string, counterIds: string[]): { ready: Promise<void>; go(): void; called: Promise<string[]> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, location, CLOCK, counterIds.join(',')], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('ready\n')) markReady();
  });
  const called = new Promise<string[]>((resolve, reject) =>
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`counter process exited ${code}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)!) as string[]);
    }),
  );
  return { ready, go: () => child.stdin.write('go\n'), called };
}

describe('counters in four processes on one SQLite office', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tangguh-queue-processes-'));
  let location = '';
  let ctx: OfficeContext;
  let close: () => Promise<void>;

  setupOrFail(async () => {
    const store = await freshLocation('sqlite', dir, 'office');
    const paths = await provisionStack(dir, { officeDb: store.location });
    location = paths.officeDb;
    const office = await openOffice(location);
    ctx = office.ctx;
    ctx.now = () => new Date(CLOCK);
    close = () => office.handle.close();
  });
  afterAll(async () => {
    await close?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('never gives one ticket to two counters, and calls every ticket', async () => {
    const operator = (await officeSessionStore(ctx.db).findLogin('operator'))!.user;
    const counters: string[] = [];
    for (let n = 1; n <= 12; n++) counters.push((await openCounter(ctx, { siteId: 'dinas', number: n, services: ['perekaman', 'pengambilan', 'cetak'] }, operator)).id);
    const issued: string[] = [];
    for (let i = 0; i < 150; i++) issued.push((await issueTicket(ctx, { siteId: 'dinas', service: (['perekaman', 'pengambilan', 'cetak'] as const)[i % 3]!, priority: i % 7 === 0 ? 'hamil' : null, lang: 'id' })).ticket.id);
    const perProcess = [0, 1, 2, 3].map((p) => counters.filter((_, i) => i % 4 === p));
    const processes = perProcess.map((ids) => counterProcess(location, ids));
    await Promise.all(processes.map((p) => p.ready));
    for (const p of processes) p.go();
    const byProcess = await Promise.all(processes.map((p) => p.called));
    // They really ran side by side: more than one process took tickets.
    expect(byProcess.filter((ids) => ids.length > 0).length).toBeGreaterThan(1);
    const called = byProcess.flat();
    expect(called).toHaveLength(150);
    expect(new Set(called).size).toBe(150);
    expect([...called].sort()).toEqual([...issued].sort());
  });
});
