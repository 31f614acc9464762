import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticResidents } from '@tangguh/capture';
import { buildCentralApp } from '@tangguh/central';
import { openCentral } from '@tangguh/central/provision';
import type { CentralContext } from '@tangguh/central/context';
import { provisionStack, freePort } from '../../../cli/src/stack.ts';
import { syntheticRecording } from '../../../cli/src/seed.ts';
import { openOffice } from '../runtime.ts';
import type { OfficeContext } from '../context.ts';
import { officeSessionStore } from '../repositories/users.ts';
import { getSyncNumber } from '../repositories/sync-state.ts';
import { recordResident } from './recording.ts';
import { CentralClient } from './central-client.ts';
import { pushBacklog } from './sync.ts';

/*
 * The drain keeps two batches on the wire, the second marked pipelined. When the centre refuses that second
 * batch as a gap anyway — a centre from before pipelining, or here the first batch held up on the way for longer
 * than the centre waits — the office acknowledges what did apply, ends the round without an error, sends one
 * batch at a time for a while, and the next round delivers the rest, each entry once.
 */
describe('the drain when a pipelined batch is refused as a gap', () => {
  let dir: string;
  let office: OfficeContext;
  let central: CentralContext;
  let centralApp: FastifyInstance;
  let front: Server;
  let closeAll: () => Promise<void>;
  let held = 0;
  let client: CentralClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tangguh-sync-pipelined-'));
    const paths = await provisionStack(dir);
    const c = await openCentral(paths.centralDb);
    central = c.ctx;
    centralApp = await buildCentralApp(central, { serveWeb: false });
    const centralPort = await freePort();
    await centralApp.listen({ port: centralPort, host: '127.0.0.1' });
    // On the way to the centre: the first unmarked push is held 3 s, longer than the centre holds the
    // pipelined one behind it (2 s); everything else passes at once, headers and bytes as they came.
    front = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        void (async () => {
          const url = req.url ?? '/';
          if (url.startsWith('/sync/push') && !url.includes('pipelined=1') && held++ === 0) await new Promise((resolve) => setTimeout(resolve, 3000));
          const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length', 'transfer-encoding'].includes(name))) as Record<string, string>;
          const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
          const answer = await fetch(`http://127.0.0.1:${centralPort}${url}`, { method: req.method, headers, body });
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
          res.end(Buffer.from(await answer.arrayBuffer()));
        })();
      });
    });
    const frontPort = await freePort();
    await new Promise<void>((resolve) => front.listen(frontPort, '127.0.0.1', resolve));
    const o = await openOffice(paths.officeDb);
    office = o.ctx;
    closeAll = async () => {
      await o.handle.close();
      await c.handle.close();
    };
    const operator = (await officeSessionStore(office.db).findLogin('operator'))!.user;
    for (const person of syntheticResidents(5, { seed: 4141, regencyCode: '35.09', regions: office.regions })) {
      await recordResident(office, { request: await syntheticRecording(person, person.nik), operator });
    }
    client = new CentralClient({ baseUrl: `http://127.0.0.1:${frontPort}`, officeId: office.office.id, signingPrivateKey: office.signingPrivateKey });
  }, 120_000);

  afterAll(async () => {
    await new Promise((resolve) => front?.close(resolve));
    await centralApp?.close();
    await closeAll?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('acknowledges what applied, goes on one batch at a time, and delivers the rest once', async () => {
    expect(client.pipelines).toBe(true);
    // Batches of 2: [1, 2] is held on the way, [3, 4] is refused as a gap after the centre's wait.
    expect(await pushBacklog(office, client, 2, { budgetMs: 60_000 })).toBe(2);
    expect(await getSyncNumber(office.db, 'acked_seq')).toBe(2);
    expect(client.pipelines).toBe(false);
    expect(await pushBacklog(office, client, 2, { budgetMs: 60_000 })).toBe(3);
    expect(await getSyncNumber(office.db, 'acked_seq')).toBe(5);
    const enrolled = Number((await central.db.selectFrom('enrollments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const applied = await central.db.selectFrom('applied_entries').select('seq').orderBy('seq').execute();
    expect(enrolled).toBe(5);
    expect(applied.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5]);
  }, 60_000);
});
