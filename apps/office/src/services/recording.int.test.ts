import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS, freshLocation, setupOrFail } from '../../../../test/pg.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticResidents } from '@tangguh/capture';
import { DomainError, type Biodata } from '@tangguh/domain';
import { provisionStack } from '../../../cli/src/stack.ts';
import { syntheticRecording } from '../../../cli/src/seed.ts';
import { openOffice } from '../runtime.ts';
import type { OfficeContext } from '../context.ts';
import { officeSessionStore, type OfficeUser } from '../repositories/users.ts';
import { recordResident } from './recording.ts';

describe.each(DIALECTS)('recording at the office on %s', (dialect) => {
  let dir: string;
  let ctx: OfficeContext;
  let close: () => Promise<void>;
  let operator: OfficeUser;
  let people: Biodata[];

  const count = async (table: 'records' | 'outbox' | 'status_events') =>
    Number((await ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  let dropStore = async () => {};
  setupOrFail(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tangguh-rec-'));
    const store = await freshLocation(dialect, dir, 'office');
    dropStore = store.drop;
    const paths = await provisionStack(dir, { officeDb: store.location });
    const office = await openOffice(paths.officeDb);
    ctx = office.ctx;
    close = () => office.handle.close();
    operator = (await officeSessionStore(ctx.db).findLogin('operator'))!.user;
    people = syntheticResidents(5, { seed: 42, regencyCode: '35.09', regions: ctx.regions });
  });

  afterAll(async () => {
    await close?.();
    await dropStore();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('recordResident', () => {
    it('commits the record, its BIO_CAPTURED event and one outbox entry together, with a registration number', async () => {
      const result = await recordResident(ctx, { request: await syntheticRecording(people[0]!, people[0]!.nik), operator });
      expect(result.replayed).toBe(false);
      expect(result.receipt.registrationNumber).toMatch(/^3509-\d{8}-000001$/);
      expect(result.record.status).toBe('BIO_CAPTURED');
      expect([await count('records'), await count('outbox'), await count('status_events')]).toEqual([1, 1, 1]);
    });

    it('keeps biometric templates sealed at rest: no template bytes appear in the stored row', async () => {
      const request = await syntheticRecording(people[1]!, people[1]!.nik);
      const { record } = await recordResident(ctx, { request, operator });
      const row = await ctx.db.selectFrom('records').select('sealed_biometrics').where('id', '=', record.id).executeTakeFirstOrThrow();
      const stored = Buffer.from(row.sealed_biometrics);
      for (const b of request.biometrics) expect(stored.includes(Buffer.from(b.template!, 'base64'))).toBe(false);
    });

    it('returns the first receipt for a retried submission with the same clientRequestId', async () => {
      const request = { ...(await syntheticRecording(people[2]!, people[2]!.nik)), clientRequestId: randomUUID() };
      const first = await recordResident(ctx, { request, operator });
      const again = await recordResident(ctx, { request, operator });
      expect(again.replayed).toBe(true);
      expect(again.receipt.registrationNumber).toBe(first.receipt.registrationNumber);
      expect(await count('records')).toBe(3);
      expect(await count('outbox')).toBe(3);
    });

    it('refuses a second active recording of one NIK, and writes nothing for it', async () => {
      const request = await syntheticRecording(people[0]!, people[0]!.nik);
      await expect(recordResident(ctx, { request, operator })).rejects.toMatchObject({ code: 'NIK_ALREADY_RECORDED', kind: 'conflict' });
      expect(await count('records')).toBe(3);
    });

    it('reports every invalid field at once and writes nothing', async () => {
      const request = await syntheticRecording({ ...people[3]!, birthDate: '1990-01-01' }, people[3]!.nik);
      request.biometrics = request.biometrics.filter((b) => b.position !== 'L_LITTLE');
      request.photo = { mime: 'image/png', data: Buffer.from('not an image').toString('base64') };
      const error = await recordResident(ctx, { request, operator }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      const fields = (error as DomainError).issues.map((i) => i.code);
      expect(fields).toEqual(expect.arrayContaining(['NIK_BIRTHDATE_MISMATCH', 'BIOMETRIC_MISSING', 'PHOTO_FORMAT']));
      for (const issue of (error as DomainError).issues) {
        expect(issue.messages.id.length).toBeGreaterThan(0);
        expect(issue.messages.en.length).toBeGreaterThan(0);
      }
      expect([await count('records'), await count('outbox'), await count('status_events')]).toEqual([3, 3, 3]);
    });
  });
});
