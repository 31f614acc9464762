import { afterEach, describe, expect, it, vi } from 'vitest';
import { CentralUnavailable } from './central-client.ts';
import { feedSyncer } from './feed-syncer.ts';

const ctx = { office: { id: '3509' } } as Parameters<typeof feedSyncer>[0];

/** A feed of `pages` pages of `perPage` items each, counting how often it is asked. */
function feed(pages: number, perPage: number) {
  let asked = 0;
  return {
    get asked() {
      return asked;
    },
    pull: async () => {
      asked += 1;
      return { stored: perPage, hasMore: asked < pages };
    },
  };
}

describe('a feed step of the sync worker', () => {
  afterEach(() => vi.restoreAllMocks());

  it('drains the feed page after page and returns how much it stored', async () => {
    const f = feed(3, 5);
    expect(await feedSyncer(ctx, 'x / x', f.pull).run(() => true)).toBe(15);
    expect(f.asked).toBe(3);
  });

  it('stops at the page limit of a cycle, and when the worker stops', async () => {
    const limited = feed(50, 1);
    expect(await feedSyncer(ctx, 'x / x', limited.pull, 20).run(() => true)).toBe(20);
    expect(limited.asked).toBe(20);
    const stopped = feed(50, 1);
    let running = true;
    const syncer = feedSyncer(ctx, 'x / x', async () => {
      const page = await stopped.pull();
      running = stopped.asked < 2;
      return page;
    });
    expect(await syncer.run(() => running)).toBe(2);
  });

  it('fails the cycle only when the centre cannot be reached', async () => {
    const down = feedSyncer(ctx, 'x / x', () => Promise.reject(new CentralUnavailable('connection refused')));
    await expect(down.run(() => true)).rejects.toThrow('connection refused');
    const serverError = feedSyncer(ctx, 'x / x', () => Promise.reject(new CentralUnavailable('bad gateway', 502)));
    await expect(serverError.run(() => true)).rejects.toThrow('bad gateway');
  });

  it('says a missing feed or a refused page once, keeps what it stored before, and says it again after a success', async () => {
    const said = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const outcomes: (() => Promise<{ stored: number; hasMore: boolean }>)[] = [
      async () => ({ stored: 2, hasMore: true }),
      () => Promise.reject(new CentralUnavailable('not found', 404)),
      () => Promise.reject(new CentralUnavailable('not found', 404)),
      () => Promise.reject(new Error('package altered')),
      async () => ({ stored: 1, hasMore: false }),
      () => Promise.reject(new Error('package altered')),
    ];
    const syncer = feedSyncer(ctx, 'paket cetak belum diterima / print packages not taken', () => outcomes.shift()!());
    expect(await syncer.run(() => true)).toBe(2);
    expect(await syncer.run(() => true)).toBe(0);
    expect(await syncer.run(() => true)).toBe(0);
    expect(await syncer.run(() => true)).toBe(1);
    expect(await syncer.run(() => true)).toBe(0);
    expect(said.mock.calls.map(([line]) => line)).toEqual([
      '[kantor 3509] paket cetak belum diterima / print packages not taken: not found',
      '[kantor 3509] paket cetak belum diterima / print packages not taken: package altered',
      '[kantor 3509] paket cetak belum diterima / print packages not taken: package altered',
    ]);
  });
});
