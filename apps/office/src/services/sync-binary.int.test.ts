import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CBOR_CONTENT_TYPE, decodeCbor, generateSigningKeyPair } from '@tangguh/protocol/node';
import { CentralClient } from './central-client.ts';

/*
 * The office offers a binary push (application/cbor) and falls back to JSON, for good, when the centre is from a
 * release before it and answers 415 — against a stand-in centre on loopback that answers as such a centre does.
 */
describe('binary push negotiation at the office', () => {
  let server: Server;
  let baseUrl: string;
  const seen: { contentType: string; url: string; body: Buffer }[] = [];
  const batch = {
    officeId: '3509',
    entries: [{ seq: 1, kind: 'note.made', occurredAt: '2026-11-28T01:02:03.000Z', subjectId: 'S-1', payload: { bytes: 'x' } }],
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen.push({ contentType: request.headers['content-type'] ?? '', url: request.url ?? '', body: Buffer.concat(chunks) });
        if (request.headers['content-type'] === CBOR_CONTENT_TYPE && !older) {
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ appliedThrough: 1, applied: 1, replayed: 0 }));
        } else if (request.headers['content-type'] === CBOR_CONTENT_TYPE) {
          const error = { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Format data tidak didukung; kirim JSON.', messages: { id: 'Format data tidak didukung; kirim JSON.', en: 'Unsupported media type; send JSON.' } };
          response.writeHead(415, { 'content-type': 'application/json' }).end(JSON.stringify({ error }));
        } else {
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ appliedThrough: 1, applied: 0, replayed: 1 }));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  let older = false;

  it('sends CBOR to a centre that reads it, and JSON from the first 415 on', async () => {
    const keys = generateSigningKeyPair();
    const client = new CentralClient({ baseUrl, officeId: '3509', signingPrivateKey: keys.privateKey });
    expect(await client.pushWithFeed(batch)).toEqual({ appliedThrough: 1, applied: 1, replayed: 0 });
    expect(seen.at(-1)).toMatchObject({ contentType: CBOR_CONTENT_TYPE, url: '/sync/push?feed=1' });
    expect(decodeCbor(seen.at(-1)!.body)).toEqual(batch);

    older = true;
    const sent = seen.length;
    expect(await client.pushWithFeed(batch)).toEqual({ appliedThrough: 1, applied: 0, replayed: 1 });
    expect(seen.slice(sent).map((s) => s.contentType)).toEqual([CBOR_CONTENT_TYPE, 'application/json']);
    expect(JSON.parse(seen.at(-1)!.body.toString('utf8'))).toEqual(batch);
    // Remembered: the next push goes as JSON straight away.
    await client.pushWithFeed(batch);
    expect(seen.at(-1)!.contentType).toBe('application/json');
    expect(seen.length).toBe(sent + 3);
  });
});
