// The upload pool's time limit: a file within every size limit that is still slow to decode (a 16 Mpx
// black page, which jsQR searches in full) is stopped at the limit by terminating its worker, this thread
// keeps running meanwhile, and the next upload gets a fresh worker.
import { afterAll, describe, expect, it } from 'vitest';
import { UploadRefusedError } from '@tangguh/credential';
import { renderQrPng } from '@tangguh/credential/node';
import { closeUploadPool, decodeUploadOffThread } from '../packages/platform/src/upload-pool.ts';
import { deflateRepeated, pngWith } from './hostile-uploads.ts';

/** The longest this thread went without running a timer while `work` ran (a blocked event loop shows here). */
async function longestStall<T>(work: Promise<T>): Promise<{ result: PromiseSettledResult<T>; stall: number }> {
  let last = performance.now();
  let stall = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last);
    last = now;
  }, 10);
  const [result] = await Promise.allSettled([work]);
  clearInterval(timer);
  return { result, stall };
}

const qr = () => renderQrPng('TGH1:UJI-KOLAM');

describe('the upload pool', () => {
  afterAll(() => closeUploadPool());

  it('stops a decode that runs past its time limit by ending the worker, without stalling this thread, and decodes the next upload', async () => {
    const genuine = await qr();
    // Warm: a cold worker also loads its modules, which is not what is timed here.
    expect(await decodeUploadOffThread(genuine, false)).toBe('TGH1:UJI-KOLAM');

    const black = pngWith(4096, 4096, await deflateRepeated(4096 * 4097));
    const started = performance.now();
    const { result, stall } = await longestStall(decodeUploadOffThread(black, false, 300));
    const took = performance.now() - started;
    console.log(`a 4096×4096 black page with a 300 ms limit: refused after ${Math.round(took)} ms; longest stall of this thread ${Math.round(stall)} ms`);
    expect(result.status).toBe('rejected');
    const error = (result as PromiseRejectedResult).reason as unknown;
    expect(error).toBeInstanceOf(UploadRefusedError);
    expect((error as UploadRefusedError).refusal.code).toBe('UPLOAD_TOO_SLOW');
    expect((error as UploadRefusedError).refusal.messages.id).toContain('detik');
    expect(took).toBeLessThan(300 + 2000);
    expect(stall).toBeLessThan(250);

    // The same page with time to finish holds no QR: decoded in full, so it was only the limit that stopped it.
    expect(await decodeUploadOffThread(black, false, 60_000)).toBeNull();
    expect(await decodeUploadOffThread(genuine, false)).toBe('TGH1:UJI-KOLAM');
  });

  it('refuses with 503 "busy" what would queue beyond its limit, and times out what waited too long', async () => {
    const black = pngWith(4096, 4096, await deflateRepeated(4096 * 4097));
    const settled = await Promise.allSettled(Array.from({ length: 16 }, () => decodeUploadOffThread(black, false, 1000)));
    const codes = settled.map((s) => (s.status === 'rejected' && s.reason instanceof UploadRefusedError ? `${s.reason.refusal.status} ${s.reason.refusal.code}` : s.status));
    expect(codes.filter((c) => c === '503 VERIFIER_BUSY').length).toBeGreaterThan(0);
    // Each of the others either ran out of time or, on a quiet machine, finished within it (the page holds no QR).
    expect(codes.every((c) => c === '503 VERIFIER_BUSY' || c === '422 UPLOAD_TOO_SLOW' || c === 'fulfilled')).toBe(true);
    expect(settled.every((s) => s.status === 'rejected' || s.value === null)).toBe(true);
    expect(await decodeUploadOffThread(await qr(), false)).toBe('TGH1:UJI-KOLAM');
  });
});
