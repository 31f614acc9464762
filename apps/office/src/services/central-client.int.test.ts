import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeyPair } from '@tangguh/protocol/node';
import { provisionStack } from '../../../cli/src/stack.ts';
import { openOffice } from '../runtime.ts';
import type { OfficeContext } from '../context.ts';
import { CentralClient, CentralUnavailable } from './central-client.ts';
import { refreshList, requestCertificate } from './trust-sync.ts';
import { currentTteState, probeTte } from './tte-status.ts';
import { readCentralLink } from './sync-monitor.ts';
import { startSyncWorker } from '../workers/sync-worker.ts';
import { waitFor } from '../../../../test/helpers.ts';

/*
 * A centre whose answers are cut off mid-body (a link that drops, a proxy that gives up): an in-process HTTP
 * server that sends the status line, the headers and half of the promised body, then closes the connection.
 * The body is read after fetch resolves, so the failure surfaces there — as undici's bare "terminated" unless
 * the client says what happened.
 */
describe('answers from the centre cut off mid-body', () => {
  let server: Server;
  let url: string;
  let dir: string;
  let office: OfficeContext;
  let closeOffice: () => Promise<void>;
  /** What the server does to the next answers: cut them, or send headers and then nothing. */
  let mode: 'cut' | 'stall' = 'cut';

  beforeAll(async () => {
    server = createServer((request, response) => {
      const body = JSON.stringify({ available: true, since: null, appliedSeq: 3, changeSeq: 3, signed: 'x'.repeat(200) });
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
      if (mode === 'stall') return response.flushHeaders();
      response.write(body.slice(0, body.length / 2), () => response.socket?.destroy());
      request.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'tangguh-truncated-'));
    const paths = await provisionStack(dir, { users: false });
    const opened = await openOffice(paths.officeDb);
    office = opened.ctx;
    closeOffice = () => opened.handle.close();
  }, 60_000);
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await closeOffice?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const client = (timeoutMs?: number) => new CentralClient({ baseUrl: url, officeId: '3509', signingPrivateKey: generateSigningKeyPair().privateKey, timeoutMs });
  const failureOf = async (call: Promise<unknown>): Promise<Error> => {
    const outcome = await call.then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    if (!outcome) throw new Error('expected the call to fail');
    return outcome;
  };

  it("are reported by the sync client as the centre's truncated answer, never as undici's 'terminated'", async () => {
    mode = 'cut';
    for (const call of [() => client().appliedSeq(), () => client().changes(0, 10), () => client().tteHealth(), () => client().push({ officeId: '3509', entries: [] })]) {
      const error = await failureOf(call());
      expect(error).toBeInstanceOf(CentralUnavailable);
      expect(error.message).toBe('jawaban pusat terpotong / truncated response from the centre');
      expect(error.message).not.toMatch(/terminated/);
      // No status: the answer never arrived whole, so it is not the centre's word on anything.
      expect((error as CentralUnavailable).status).toBeUndefined();
    }
  });

  it("show as the office's last sync error in its own words, the link as unreachable", async () => {
    mode = 'cut';
    const worker = startSyncWorker(office, { centralUrl: url, backoff: { baseMs: 50, capMs: 100 }, idleMs: 50 });
    try {
      const link = await waitFor(async () => {
        const current = await readCentralLink(office.db, office.now());
        return current.lastError ? current : undefined;
      });
      expect(link.reachable).toBe(false);
      expect(link.lastError).toBe('jawaban pusat terpotong / truncated response from the centre');
    } finally {
      await worker.stop();
    }
  });

  it('count as the centre being unreachable for the TTE status, not as the TTE being down', async () => {
    mode = 'cut';
    await probeTte(office, client(), 0);
    const state = await currentTteState(office);
    expect(state.available).toBe(false);
    expect(state.reason).toBe('CENTRE_UNREACHABLE');
  });

  it('are reported by the trust sync as truncated too (signed lists and key certificates)', async () => {
    mode = 'cut';
    const options = { centralUrl: url };
    for (const call of [() => refreshList(office, options, 'TRUST_LIST'), () => requestCertificate(office, options, { publicKey: 'AAAA', purpose: 'SUKET' })]) {
      const error = await failureOf(call());
      expect(error).toBeInstanceOf(CentralUnavailable);
      expect(error.message).toMatch(/jawaban pusat terpotong/);
    }
  });

  it('that stall after the headers time out as the centre being unreachable', async () => {
    mode = 'stall';
    const started = Date.now();
    const error = await failureOf(client(300).appliedSeq());
    expect(error).toBeInstanceOf(CentralUnavailable);
    expect(error.message).toMatch(/pusat tidak terjangkau \/ centre unreachable/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
