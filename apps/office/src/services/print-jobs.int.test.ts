import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyCardChip } from '@tangguh/credential';
import { DIALECTS, setupOrFail } from '../../../../test/pg.ts';
import { blankLedgerEntries, blankBalances } from '../repositories/blank-stock.ts';
import { findPrintJob } from '../repositories/print-jobs.ts';
import { upsertPrinter, listPrinters } from '../repositories/print-plan.ts';
import { requestCardReplacement } from './card-replacements.ts';
import { cachedTrustList } from './trust-store.ts';
import { createPrintBatch, printBatch } from './print-batches.ts';
import { cancelPrintJob, confirmPrintedCard, createPrintJobs, printJob, printRoomQueue, reportSpoiledCard } from './print-jobs.ts';
import { printRoomPass, resumeUnfinished, printersOf } from './print-run.ts';
import { startPrintRoom, type PrintRoomHarness } from './print-room-harness.ts';

describe.each(DIALECTS)('the print room on %s', (dialect) => {
  let room: PrintRoomHarness;
  let ids: string[] = [];
  const worker = 'system:test';

  setupOrFail(async () => {
    room = await startPrintRoom(dialect);
    ids = await room.printReady(9, 4242);
  });
  afterAll(async () => {
    await room?.close();
  });

  const status = async (id: string) => (await room.office.db.selectFrom('records').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  const pass = () => printRoomPass(room.office, room.devices, { worker });
  const stillWaiting = async () => {
    const rows = await room.office.db.selectFrom('records').select('id').where('id', 'in', ids).where('status', '=', 'PRINT_READY_RECORD').execute();
    return ids.filter((id) => rows.some((r) => r.id === id));
  };
  const consumptionsOf = async (recordId: string) => (await blankLedgerEntries(room.office.db, { limit: 1000 })).filter((e) => e.kind === 'consumption' && e.recordId === recordId);

  it('queues a record whose package has not arrived: it waits, and prints by itself once the package comes', async () => {
    const [job] = await createPrintJobs(room.office, { recordIds: [ids[0]!], replacementRequestIds: [], siteId: 'dinas', by: 'operator' });
    expect(job!.state).toBe('waiting_package');
    expect(await status(ids[0]!)).toBe('SENT_FOR_CARD_PRINTING');
    expect((await pass()).printed).toBe(0);
    expect((await printJob(room.office.db, job!.id)).state).toBe('waiting_package');

    expect(await room.deliverPackages()).toBe(9);
    expect((await pass()).printed).toBe(1);
    const printed = await printJob(room.office.db, job!.id);
    expect(printed).toMatchObject({ state: 'printed', blankSerial: 1000, printerId: 'p1', recordStatus: 'CARD_PRINTED' });
    expect(room.printer.printed()).toEqual([`KTP-el_${job!.id}_blangko_1000.pdf`]);
    // The chip of blank 1000 holds the centre's signed data for this record.
    const chip = await room.encoder.read(1000);
    const facts = verifyCardChip(chip!, (await cachedTrustList(room.office.db))!);
    expect(facts).toMatchObject({ recordId: ids[0], kind: 'FIRST', officeId: room.office.office.id });
    expect(facts.signer.purpose).toBe('CARD');
    expect(await consumptionsOf(ids[0]!)).toHaveLength(1);
  });

  it('refuses to queue a record twice, or one already printed, with a bilingual reason', async () => {
    await expect(createPrintJobs(room.office, { recordIds: [ids[0]!], replacementRequestIds: [], siteId: 'dinas', by: 'operator' })).rejects.toMatchObject({ code: 'RECORD_NOT_PRINTABLE' });
    await createPrintJobs(room.office, { recordIds: [ids[1]!], replacementRequestIds: [], siteId: 'dinas', printerId: 'p1', by: 'operator' });
    await expect(createPrintJobs(room.office, { recordIds: [ids[1]!], replacementRequestIds: [], siteId: 'dinas', by: 'operator' })).rejects.toMatchObject({ code: 'PRINT_JOB_EXISTS', messages: { id: expect.stringMatching(/antrean/) } });
    await expect(createPrintJobs(room.office, { recordIds: [ids[2]!], replacementRequestIds: [], siteId: 'dinas', printerId: 'nope', by: 'operator' })).rejects.toMatchObject({ code: 'PRINTER_NOT_AT_SITE' });
    // Two operators picking the same record at the same moment: one job, and a clean refusal for the other.
    const both = await Promise.allSettled([0, 1].map(() => createPrintJobs(room.office, { recordIds: [ids[3]!], replacementRequestIds: [], siteId: 'dinas', by: 'operator' })));
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(both.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'PRINT_JOB_EXISTS' } });
    // Nothing half-made: the refused request left ids[2] waiting as it was.
    expect(await status(ids[2]!)).toBe('PRINT_READY_RECORD');
    expect((await pass()).printed).toBe(2);
  });

  it('prints a batch while the centre is down; the statuses reach the centre once it is back, exactly once', async () => {
    await room.centralDown();
    const batch = await createPrintBatch(room.office, { siteId: 'dinas', printerId: 'p1', count: 3, by: 'supervisor' });
    expect(batch).toMatchObject({ state: 'running', progress: { total: 3, queued: 3, printed: 0 } });
    const outcome = await pass();
    expect(outcome.printed).toBe(3);
    const done = await printBatch(room.office.db, batch.id);
    expect(done).toMatchObject({ state: 'done', progress: { total: 3, printed: 3, queued: 0 } });
    const batchRecords = (await room.office.db.selectFrom('records').select(['id', 'status']).where('status', '=', 'CARD_PRINTED').execute()).map((r) => r.id);
    // The three of the batch, and the three printed before it.
    expect(batchRecords).toHaveLength(6);

    await room.centralUp();
    await room.pushAll();
    const atCentre = await room.central.db.selectFrom('enrollments').select(['record_id', 'status']).where('record_id', 'in', batchRecords).execute();
    expect(atCentre.map((e) => e.status)).toEqual(batchRecords.map(() => 'CARD_PRINTED'));
    const events = await room.central.db.selectFrom('office_events').select(['subject_id', 'payload']).where('kind', '=', 'card.status').execute();
    const printedEvents = events.filter((e) => (JSON.parse(e.payload) as { status: string }).status === 'CARD_PRINTED');
    expect(printedEvents.map((e) => e.subject_id).sort()).toEqual([...batchRecords].sort());
    // Pushed again (nothing new): nothing applied twice.
    expect(await room.pushAll()).toBe(0);
    expect(await room.central.db.selectFrom('office_events').select('seq').where('kind', '=', 'card.status').execute()).toHaveLength(events.length);
  });

  it('a worker that dies before the card goes out carries on with the same blank: one card, one blank', async () => {
    const [recordId] = await stillWaiting();
    const [job] = await createPrintJobs(room.office, { recordIds: [recordId!], replacementRequestIds: [], siteId: 'dinas', by: 'operator' });
    room.encoder.failNextWrite = true;
    await expect(pass()).rejects.toThrow(/killed/);
    const stuck = (await findPrintJob(room.office.db, job!.id))!;
    expect(stuck).toMatchObject({ state: 'printing', submitting_at: null });
    expect(await consumptionsOf(recordId!)).toHaveLength(1);
    // A new worker starts: it carries the claimed job on.
    await resumeUnfinished(room.office, room.devices, await printersOf(room.office), worker);
    const printed = (await findPrintJob(room.office.db, job!.id))!;
    expect(printed).toMatchObject({ state: 'printed', blank_serial: stuck.blank_serial });
    expect(await consumptionsOf(recordId!)).toHaveLength(1);
    expect(room.printer.printed().filter((f) => f.includes(job!.id))).toHaveLength(1);
  });

  it('a worker that dies after the printer took the card never sends it again: the job waits for a person to look', async () => {
    const [recordId] = await stillWaiting();
    const [job] = await createPrintJobs(room.office, { recordIds: [recordId!], replacementRequestIds: [], siteId: 'dinas', by: 'operator' });
    room.printer.dieAfterSubmit = true;
    await expect(pass()).rejects.toThrow(/killed/);
    room.printer.dieAfterSubmit = false;
    await resumeUnfinished(room.office, room.devices, await printersOf(room.office), worker);
    await pass();
    const uncertain = await printJob(room.office.db, job!.id);
    expect(uncertain.state).toBe('uncertain');
    expect(uncertain.problem?.id).toMatch(/terputus/);
    expect(room.printer.printed().filter((f) => f.includes(job!.id))).toHaveLength(1);
    expect(await consumptionsOf(recordId!)).toHaveLength(1);
    expect(await status(recordId!)).toBe('SENT_FOR_CARD_PRINTING');
    const confirmed = await confirmPrintedCard(room.office, job!.id, 'supervisor');
    expect(confirmed).toMatchObject({ state: 'printed', recordStatus: 'CARD_PRINTED' });
  });

  it('a printed card reported spoiled is reprinted on a new blank; the record is CARD_PRINTED once', async () => {
    const [first] = (await room.office.db.selectFrom('records').select('id').where('id', '=', ids[0]!).execute()).map((r) => r.id);
    const jobs = await room.office.db.withTables<{ print_jobs: { id: string; record_id: string; state: string } }>().selectFrom('print_jobs').select(['id', 'state']).where('record_id', '=', first!).execute();
    const before = (await blankBalances(room.office.db, ['dinas'])).get('dinas')!;
    const { spoiled, reprint } = await reportSpoiledCard(room.office, jobs[0]!.id, { reason: 'overheating', by: 'supervisor' });
    expect(spoiled).toMatchObject({ state: 'spoiled', spoilageReason: 'overheating', blankSerial: 1000 });
    expect(reprint).toMatchObject({ state: 'queued', reprintOf: spoiled.id });
    expect((await pass()).printed).toBe(1);
    const again = await printJob(room.office.db, reprint.id);
    expect(again.state).toBe('printed');
    expect(again.blankSerial).not.toBe(1000);
    expect((await blankBalances(room.office.db, ['dinas'])).get('dinas')).toBe(before - 1);
    await expect(reportSpoiledCard(room.office, randomUUID(), { reason: 'damaged', by: 'supervisor' })).rejects.toMatchObject({ code: 'PRINT_JOB_NOT_FOUND' });
    await room.pushAll();
    const printedEvents = (await room.central.db.selectFrom('office_events').select('payload').where('kind', '=', 'card.status').where('subject_id', '=', first!).execute()).filter(
      (e) => (JSON.parse(e.payload) as { status: string }).status === 'CARD_PRINTED',
    );
    expect(printedEvents).toHaveLength(1);
  });

  it('prints a replacement card from the centre’s replacement package; the record keeps its status', async () => {
    const nik = (await room.office.db.selectFrom('records').select('nik').where('id', '=', ids[0]!).executeTakeFirstOrThrow()).nik;
    const request = await requestCardReplacement(room.office, { nik, reason: 'LOST', operator: room.operator });
    const [job] = await createPrintJobs(room.office, { recordIds: [], replacementRequestIds: [request.requestId], siteId: 'dinas', by: 'operator' });
    expect(job).toMatchObject({ state: 'waiting_package', card: 'REPLACEMENT', recordId: null });
    await room.pushAll();
    await room.deliverPackages();
    expect((await pass()).printed).toBe(1);
    const printed = await printJob(room.office.db, job!.id);
    expect(printed).toMatchObject({ state: 'printed', card: 'REPLACEMENT', recordId: ids[0], recordStatus: 'CARD_PRINTED' });
    expect(verifyCardChip((await room.encoder.read(printed.blankSerial!))!, (await cachedTrustList(room.office.db))!)).toMatchObject({ kind: 'REPLACEMENT', recordId: ids[0] });
    await room.pushAll();
    const events = await room.central.db.selectFrom('office_events').select('payload').where('kind', '=', 'card.status').where('subject_id', '=', ids[0]!).execute();
    expect(events.filter((e) => (JSON.parse(e.payload) as { card: string }).card === 'REPLACEMENT')).toHaveLength(2);
  });

  it('never sends to a printer in repair, nor past its capacity for the day; the job says why it waits', async () => {
    const [p1] = await listPrinters(room.office.db);
    const ready = await room.printReady(1, 5151);
    await room.deliverPackages();
    const [job] = await createPrintJobs(room.office, { recordIds: ready, replacementRequestIds: [], siteId: 'dinas', by: 'operator' });
    await upsertPrinter(room.office.db, { ...p1!, state: 'in_repair' });
    expect((await pass()).printed).toBe(0);
    const printedToday = (await room.office.db.withTables<{ print_jobs: { printer_id: string; blank_serial: number | null } }>().selectFrom('print_jobs').select('blank_serial').where('printer_id', '=', 'p1').where('blank_serial', 'is not', null).execute()).length;
    await upsertPrinter(room.office.db, { ...p1!, state: 'ready', capacityPerDay: printedToday });
    expect((await pass()).printed).toBe(0);
    expect((await printJob(room.office.db, job!.id)).state).toBe('queued');
    await upsertPrinter(room.office.db, { ...p1!, state: 'ready', capacityPerDay: printedToday + 1 });
    expect((await pass()).printed).toBe(1);
    const after = (await listPrinters(room.office.db))[0]!;
    expect(after.ribbonLeft).toBe(1000 - printedToday - 1);
  });

  it('lists a record whose job was cancelled after the plan’s queue, and prints it when queued again', async () => {
    // The capacity test before left the printer full for today.
    await upsertPrinter(room.office.db, { ...(await listPrinters(room.office.db))[0]!, capacityPerDay: 500 });
    const [recordId] = await room.printReady(1, 6262);
    await room.deliverPackages();
    const [job] = await createPrintJobs(room.office, { recordIds: [recordId!], replacementRequestIds: [], siteId: 'dinas', by: 'operator' });
    expect((await printRoomQueue(room.office, 100)).items.map((i) => i.recordId)).not.toContain(recordId);
    await cancelPrintJob(room.office, job!.id);
    const queue = await printRoomQueue(room.office, 100);
    const listed = queue.items.find((i) => i.recordId === recordId)!;
    expect(listed).toMatchObject({ priorityClass: 'requeue', packageReady: true, position: queue.total });
    expect(listed.explanation.en).toMatch(/cancelled or failed/);
    await createPrintJobs(room.office, { recordIds: [recordId!], replacementRequestIds: [], siteId: 'dinas', by: 'operator' });
    expect((await pass()).printed).toBe(1);
    expect(await status(recordId!)).toBe('CARD_PRINTED');
    expect((await printRoomQueue(room.office, 100)).items.map((i) => i.recordId)).not.toContain(recordId);
  });
});
