/**
 * The fault proxy itself, against a plain HTTP server: each switch does what the network test relies on,
 * so a converged sync run under it means the faults really happened.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from './fault-proxy.ts';
import { sleep } from './helpers.ts';

const BODY = 'x'.repeat(20_000);
let server: Server;
let proxy: FaultProxy;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.end(BODY));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  proxy = await FaultProxy.start({ port: typeof address === 'object' && address ? address.port : 0 }, { seed: 7 });
});

afterAll(async () => {
  await proxy?.close();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

/** One request (with a body as large as the answer) on a fresh connection, so each meets the settings of its moment. */
async function fetchBody(): Promise<{ ok: true; length: number; ms: number } | { ok: false; error: string; ms: number }> {
  const started = Date.now();
  try {
    const response = await fetch(proxy.url, { method: 'POST', body: BODY, headers: { connection: 'close' }, signal: AbortSignal.timeout(5_000) });
    const text = await response.text();
    return { ok: true, length: text.length, ms: Date.now() - started };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, error: cause?.code ?? cause?.message ?? (error as Error).message, ms: Date.now() - started };
  }
}

describe('fault proxy', () => {
  it('passes the whole answer through on a healthy link', async () => {
    await proxy.heal();
    expect(await fetchBody()).toMatchObject({ ok: true, length: BODY.length });
  });

  it('adds the configured latency to an answer', async () => {
    await proxy.set({ latencyMs: 150 });
    const result = await fetchBody();
    expect(result).toMatchObject({ ok: true, length: BODY.length });
    expect(result.ms).toBeGreaterThanOrEqual(290);
    await proxy.heal();
  });

  it('cuts every connection short when resets and truncations are certain', async () => {
    const before = { ...proxy.stats };
    await proxy.set({ resetRate: 0.5, truncateRate: 0.5 });
    const results = await Promise.all(Array.from({ length: 10 }, () => fetchBody()));
    expect(results.every((r) => !r.ok || r.length < BODY.length)).toBe(true);
    expect(proxy.stats.resets + proxy.stats.truncations - before.resets - before.truncations).toBe(10);
    await proxy.heal();
  });

  it('refuses connections during a refuse partition and listens again on the same port after it', async () => {
    await proxy.set({ partition: 'refuse' });
    expect(await fetchBody()).toMatchObject({ ok: false, error: 'ECONNREFUSED' });
    await proxy.heal();
    expect(await fetchBody()).toMatchObject({ ok: true, length: BODY.length });
  });

  it('holds a request in a blackhole and delivers it when the partition ends', async () => {
    await proxy.set({ partition: 'blackhole' });
    const pending = fetchBody();
    await sleep(400);
    await proxy.heal();
    const result = await pending;
    expect(result).toMatchObject({ ok: true, length: BODY.length });
    expect(result.ms).toBeGreaterThanOrEqual(390);
  });
});
