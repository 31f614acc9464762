import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isRecordingEntry, type OfficeEventEntryWire } from '@tangguh/protocol';
import type { Db } from '@tangguh/platform';
import { DIALECTS, setupOrFail } from '../../../../test/pg.ts';
import { registerTestOffice } from '../../../../test/builders.ts';
import type { CentralContext } from '../../../central/src/context.ts';
import type { CentralDb } from '../../../central/src/db/schema.ts';
import { moveEnrollmentStatus } from '../../../central/src/repositories/card-status.ts';
import { applyPushBatch } from '../../../central/src/services/inbox.ts';
import { openCentral } from '../../../central/src/services/provision.ts';
import { startTestOffice, type TestOfficeApi } from '../api/test-office.ts';
import { recordCardStatus } from './card-status.ts';
import { nextOutboxBatch } from './sync.ts';

// The office moves cards with recordCardStatus; the outbox carries card.status to a real centre (in this
// process, SQLite), which moves its enrollment where the lifecycle allows, once, whatever a replay does.
describe.each(DIALECTS)('card statuses from the office to the centre, office on %s', (dialect) => {
  let office: TestOfficeApi;
  let central: { ctx: CentralContext; handle: Db<CentralDb> };
  let dir: string;

  setupOrFail(async () => {
    office = await startTestOffice(dialect);
    dir = mkdtempSync(join(tmpdir(), 'tangguh-card-status-'));
    central = await openCentral(join(dir, 'central.db'));
    await registerTestOffice(central.ctx, office.ctx.office.id);
  });
  afterAll(async () => {
    await office?.close();
    await central?.handle.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const status = async (id: string) => (await office.ctx.db.selectFrom('records').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  const centralStatus = async (id: string) => (await central.handle.db.selectFrom('enrollments').select('status').where('record_id', '=', id).executeTakeFirstOrThrow()).status;
  const at = '2026-12-21T15:00:00.000Z';

  it('moves the record and its timeline, refuses a skipped step, and says false for a status already reached', async () => {
    const { ctx, residents } = office;
    const id = residents.kaliwatesResident.recordId;
    const other = residents.elsewhere.recordId;
    // Everything recorded so far reaches the centre first, then the centre makes both print-ready.
    const recorded = await nextOutboxBatch(ctx, 1000);
    await applyPushBatch(central.ctx, ctx.office.id, { officeId: ctx.office.id, entries: recorded });
    for (const recordId of [id, other]) {
      await ctx.db.updateTable('records').set({ status: 'PRINT_READY_RECORD' }).where('id', '=', recordId).execute();
      await moveEnrollmentStatus(central.handle.db, recordId, 'RECEIVED_AT_CENTRAL', 'PRINT_READY_RECORD', at);
    }

    await expect(ctx.db.transaction().execute((trx) => recordCardStatus(trx, { recordId: other, status: 'CARD_PRINTED', at, by: 'operator' }))).rejects.toMatchObject({ code: 'CARD_STATUS_NOT_ALLOWED', kind: 'conflict' });
    expect(await status(other)).toBe('PRINT_READY_RECORD');

    const moves = [];
    for (const next of ['SENT_FOR_CARD_PRINTING', 'CARD_PRINTED', 'CARD_PRINTED', 'CARD_SHIPPED', 'CARD_ISSUED', 'CARD_SHIPPED'] as const) {
      moves.push(await ctx.db.transaction().execute((trx) => recordCardStatus(trx, { recordId: id, status: next, at, by: 'operator', detail: { blankSerial: 7 } })));
    }
    expect(moves).toEqual([true, true, false, true, true, false]);
    expect(await status(id)).toBe('CARD_ISSUED');
    const timeline = await ctx.db.selectFrom('status_events').select('status').where('record_id', '=', id).where('source', '=', 'office').orderBy('id').execute();
    expect(timeline.map((t) => t.status).slice(-4)).toEqual(['SENT_FOR_CARD_PRINTING', 'CARD_PRINTED', 'CARD_SHIPPED', 'CARD_ISSUED']);
    // A replacement card leaves the record where it is, and is still told to the centre.
    expect(await ctx.db.transaction().execute((trx) => recordCardStatus(trx, { recordId: id, status: 'CARD_PRINTED', at, by: 'operator', card: 'REPLACEMENT', packageId: 'R-x' }))).toBe(true);
    expect(await status(id)).toBe('CARD_ISSUED');
  });

  it('reaches the centre exactly once: the enrollment follows, a replay changes nothing, a replacement only is logged', async () => {
    const { ctx, residents } = office;
    const id = residents.kaliwatesResident.recordId;
    const recordedThrough = Number((await central.handle.db.selectFrom('offices').select('applied_seq').where('office_id', '=', ctx.office.id).executeTakeFirstOrThrow()).applied_seq);
    const all = await nextOutboxBatch(ctx, 1000);
    const events = all.filter((e): e is OfficeEventEntryWire => !isRecordingEntry(e) && e.seq > recordedThrough && e.kind === 'card.status');
    expect(events.map((e) => e.payload.status)).toEqual(['SENT_FOR_CARD_PRINTING', 'CARD_PRINTED', 'CARD_SHIPPED', 'CARD_ISSUED', 'CARD_PRINTED']);
    expect(events.at(-1)!.payload).toMatchObject({ card: 'REPLACEMENT', packageId: 'R-x' });
    const fresh = all.filter((e) => e.seq > recordedThrough);
    const first = await applyPushBatch(central.ctx, ctx.office.id, { officeId: ctx.office.id, entries: fresh });
    expect(first.applied).toBe(fresh.length);
    expect(await centralStatus(id)).toBe('CARD_ISSUED');
    const replay = await applyPushBatch(central.ctx, ctx.office.id, { officeId: ctx.office.id, entries: fresh });
    expect(replay).toMatchObject({ applied: 0, replayed: fresh.length });
    expect(await centralStatus(id)).toBe('CARD_ISSUED');
    expect(await centralStatus(residents.elsewhere.recordId)).toBe('PRINT_READY_RECORD');
    const logged = await central.handle.db.selectFrom('office_events').select('kind').where('kind', '=', 'card.status').execute();
    expect(logged).toHaveLength(5);
  });

  it('at the centre, ignores a card status for another office’s record and a move backwards', async () => {
    const { ctx, residents } = office;
    const id = residents.kaliwatesResident.recordId;
    const applied = Number((await central.handle.db.selectFrom('offices').select('applied_seq').where('office_id', '=', ctx.office.id).executeTakeFirstOrThrow()).applied_seq);
    const stranger = await registerTestOffice(central.ctx);
    const payload = (status: string) => ({ recordId: id, status, at, by: 'x', card: 'FIRST', packageId: null, detail: {} });
    await applyPushBatch(central.ctx, stranger.officeId, { officeId: stranger.officeId, entries: [{ seq: 1, kind: 'card.status', occurredAt: at, subjectId: id, payload: payload('CARD_SHIPPED') }] });
    await applyPushBatch(central.ctx, ctx.office.id, { officeId: ctx.office.id, entries: [{ seq: applied + 1, kind: 'card.status', occurredAt: at, subjectId: id, payload: payload('SENT_FOR_CARD_PRINTING') }] });
    expect(await centralStatus(id)).toBe('CARD_ISSUED');
  });
});
