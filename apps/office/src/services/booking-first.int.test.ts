/**
 * The first booking after an office starts, before anything has asked for the service status: the slot checks
 * read that status inside the booking's transaction, and on SQLite building it needs the connection the
 * transaction holds. It must complete, not wait on itself.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS, setupOrFail } from '../../../../test/pg.ts';
import { startTestOffice, type TestOfficeApi } from '../api/test-office.ts';
import { makeBooking } from './booking.ts';
import { stopServiceStatus } from './service-status.ts';

describe.each(DIALECTS)('the first booking after a start on %s', (dialect) => {
  let office: TestOfficeApi;
  setupOrFail(async () => {
    office = await startTestOffice(dialect);
    office.ctx.now = () => new Date('2026-12-01T08:30:00+07:00');
  });
  afterAll(async () => office?.close());

  it('is taken, also when it is the first thing that needs the status', async () => {
    // Forget whatever the start-up built, as a process that has served nothing yet holds nothing.
    stopServiceStatus(office.ctx);
    const outcome = await Promise.race([
      makeBooking(office.ctx, { siteId: 'dinas', service: 'akta', day: '2026-12-02', windowStart: '10:00', nik: '3509000000000777', lang: 'id' }).then((b) => b.window.start),
      new Promise<string>((resolve) => setTimeout(() => resolve('still waiting after 20 s'), 20_000).unref()),
    ]);
    expect(outcome).toBe('10:00');
  });
});
