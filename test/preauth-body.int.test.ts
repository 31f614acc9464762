import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, SYNC_HEADERS } from '@tangguh/protocol';
import { generateSigningKeyPair, officeRequestHeaders } from '@tangguh/protocol/node';
import { JEMBER } from '../apps/cli/src/stack.ts';
import { openCentral } from '@tangguh/central/provision';
import { buildBatch, buildPacket, registerTestOffice, testResidents } from './builders.ts';
import { TestStack } from './helpers.ts';

/*
 * Hole 3 of issue 7: the centre read a whole upload (64 MiB on /sync/push, 8 MiB on /sync/tte/sign) before it
 * knew who sent it; one unsigned 60 MB push took it from 156 to 363 MiB. Now it decides from the headers.
 * Measured on a real centre process: its resident memory, sampled while each 60 MB upload is offered.
 */

const MiB = 1024 * 1024;
const UPLOAD = 60 * MiB;

/** Resident set size of a process, in bytes (Linux). */
function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.match(/(\d+)/)?.[1] ?? 0) * 1024;
}

interface Offer {
  status: number;
  code: string | undefined;
  /** Time from the first byte sent to the answer. */
  ms: number;
  /** How much of the upload had been handed to the socket when the answer came. */
  sentBytes: number;
}

/**
 * Offers a 60 MB body in 1 MiB chunks and stops at the centre's first answer. The answer may race the
 * centre's closing of the connection: a reset after the answer is read is expected, before it is a failure.
 */
function offerUpload(url: string, path: string, headers: Record<string, string>): Promise<Offer> {
  const started = Date.now();
  const chunk = Buffer.alloc(MiB, 0x20);
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    let answered = false;
    const req = httpRequest(new URL(path, url), { method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'content-length': String(UPLOAD) } });
    req.on('response', (response) => {
      answered = true;
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (part: string) => (text += part));
      response.on('end', () => {
        req.destroy();
        let code: string | undefined;
        try {
          code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
        } catch {
          code = undefined;
        }
        resolve({ status: response.statusCode ?? 0, code, ms: Date.now() - started, sentBytes });
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && sentBytes < UPLOAD) {
        sentBytes += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe('the centre refuses an upload from a stranger before reading it', () => {
  let stack: TestStack;
  let pid: number;
  const stranger = generateSigningKeyPair();
  const v3 = { [SYNC_HEADERS.protocol]: String(PROTOCOL_VERSION) };

  beforeAll(async () => {
    stack = await TestStack.create();
    const central = await stack.startCentral();
    pid = central.child.pid!;
  }, 60_000);
  afterAll(async () => {
    await stack?.dispose();
  });

  const cases: { name: string; path: string; headers: () => Record<string, string>; status: number; code: string }[] = [
    { name: 'unsigned', path: '/sync/push', headers: () => v3, status: 401, code: 'SIGNATURE_MISSING' },
    { name: 'without a version header (v1, no longer served)', path: '/sync/push', headers: () => ({}), status: 400, code: 'PROTOCOL_VERSION_UNSUPPORTED' },
    {
      name: 'from an office the centre does not know',
      path: '/sync/push',
      headers: () => officeRequestHeaders({ officeId: 'K-ASING', privateKey: stranger.privateKey }, 'POST', '/sync/push', 'x'.repeat(16)),
      status: 401,
      code: 'SIGNATURE_INVALID',
    },
    {
      name: 'signed an hour ago',
      path: '/sync/push',
      headers: () => officeRequestHeaders({ officeId: JEMBER.id, privateKey: stranger.privateKey }, 'POST', '/sync/push', '{}', new Date(Date.now() - 3600_000).toISOString()),
      status: 401,
      code: 'SIGNATURE_EXPIRED',
    },
    {
      name: "in the Jember office's name with another key",
      path: '/sync/push',
      headers: () => officeRequestHeaders({ officeId: JEMBER.id, privateKey: stranger.privateKey }, 'POST', '/sync/push', '{}'),
      status: 401,
      code: 'SIGNATURE_INVALID',
    },
    {
      name: "to the TTE service in the Jember office's name with another key",
      path: '/sync/tte/sign',
      headers: () => officeRequestHeaders({ officeId: JEMBER.id, privateKey: stranger.privateKey }, 'POST', '/sync/tte/sign', '{}'),
      status: 401,
      code: 'SIGNATURE_INVALID',
    },
  ];

  it.each(cases)('a 60 MB upload $name: refused at once, and the centre grows by less than 20 MB', async ({ path, headers, status, code }) => {
    // A quiet baseline: a few small requests first, so lazily loaded code is not counted as the upload's.
    for (let i = 0; i < 3; i++) await fetch(`${stack.centralUrl}/sync/version`);
    const before = rssOf(pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 10);
    let offer: Offer;
    try {
      offer = await offerUpload(stack.centralUrl, path, headers());
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, rssOf(pid));
    console.info(`[preauth] ${path} ${code}: answered in ${offer.ms} ms after ${(offer.sentBytes / MiB).toFixed(0)} MiB offered; RSS ${(before / MiB).toFixed(1)} → peak ${(peak / MiB).toFixed(1)} MiB`);
    expect(offer.status).toBe(status);
    expect(offer.code).toBe(code);
    expect(offer.ms).toBeLessThan(2000);
    expect(peak - before).toBeLessThan(20 * MiB);
  });

  it('still reads a big batch once its signature checks out (the limit after authentication stays 64 MiB)', async () => {
    const { handle, ctx } = await openCentral(stack.paths.centralDb);
    let body: string;
    let signer: { officeId: string; privateKey: string };
    try {
      const office = await registerTestOffice(ctx);
      signer = { officeId: office.officeId, privateKey: office.keys.privateKey };
      const [person] = await testResidents(1, 6060);
      const batch = buildBatch(office.officeId, 1, [await buildPacket(ctx, person!, { subjectKey: person!.nik })]);
      // 12 MB of JSON whitespace around one real entry: six times the default limit, signed like any batch.
      body = JSON.stringify(batch) + ' '.repeat(12 * MiB);
    } finally {
      await handle.close();
    }
    const response = await fetch(`${stack.centralUrl}/sync/push`, { method: 'POST', headers: officeRequestHeaders(signer, 'POST', '/sync/push', body), body });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toEqual({ appliedThrough: 1, applied: 1, replayed: 0 });
  });

  it('still answers the office afterwards', async () => {
    const response = await fetch(`${stack.centralUrl}/health`);
    expect(response.status).toBe(200);
  });
});
