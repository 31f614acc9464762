import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { CardPackageError, fromBase64Url, openCardPackage, toBase64Url, type TrustList } from '@tangguh/credential';
import type { Biodata } from '@tangguh/domain';
import type { Db } from '@tangguh/platform';
import { buildBatch, buildPacket, registerTestOffice, testResidents, type TestOffice } from '../../../../test/builders.ts';
import { DIALECTS, freshLocation, setupOrFail } from '../../../../test/pg.ts';
import { makeTempDir, removeTempDir } from '../../../../test/helpers.ts';
import type { CentralContext } from '../context.ts';
import type { CentralDb } from '../db/schema.ts';
import { printPackageDb } from '../db/print-package-tables.ts';
import { openCentral } from './provision.ts';
import { applyPushBatch } from './inbox.ts';
import { runDeduplication } from './dedup.ts';
import { decideCase, listOpenCases } from './adjudication.ts';
import { currentTrustList } from './trust.ts';
import { buildPendingPrintPackages, printPackageFeed } from './print-packages.ts';

/** Flips one bit of one byte of a package. */
function tamper(bytes: Uint8Array, at: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

describe.each(DIALECTS)('card print packages at the centre on %s', (dialect) => {
  const dir = makeTempDir('tangguh-print-packages-');
  let store: { location: string; drop(): Promise<void> };
  let handle: Db<CentralDb>;
  let ctx: CentralContext;
  let people: Biodata[];
  let recording: TestOffice;
  let asking: TestOffice;
  let trust: TrustList;

  setupOrFail(async () => {
    store = await freshLocation(dialect, dir, 'central.db');
    ({ handle, ctx } = await openCentral(store.location));
    people = await testResidents(4, 4242);
    recording = await registerTestOffice(ctx);
    asking = await registerTestOffice(ctx);
    const packets = await Promise.all(people.slice(0, 2).map((p) => buildPacket(ctx, p, { subjectKey: p.nik })));
    await applyPushBatch(ctx, recording.officeId, buildBatch(recording.officeId, 1, packets));
    await runDeduplication(ctx);
    trust = (await currentTrustList(ctx)).list;
  });

  afterAll(async () => {
    await handle?.close();
    await store?.drop();
    removeTempDir(dir);
  });

  it('builds one package per Print Ready Record, signed by the key the trust list certifies for CARD, with exactly two fingerprints', async () => {
    expect(await buildPendingPrintPackages(ctx)).toBe(2);
    // Found again by the scan, nothing is built twice.
    expect(await buildPendingPrintPackages(ctx)).toBe(0);
    const feed = await printPackageFeed(ctx, recording.officeId, 0, 10);
    expect(feed.items.map((i) => [i.cursor, i.kind, i.status])).toEqual([
      [1, 'FIRST', 'READY'],
      [2, 'FIRST', 'READY'],
    ]);
    const opened = openCardPackage(fromBase64Url(feed.items[0]!.package!), trust);
    expect(opened.signer.purpose).toBe('CARD');
    expect(trust.keys.filter((k) => k.purpose === 'CARD').map((k) => k.kid)).toEqual([opened.signer.kid]);
    expect(opened.fingerprints.map((f) => f.position)).toEqual(['R_INDEX', 'L_INDEX']);
    expect(opened.chip.dataGroups.size).toBe(4);
    const person = people.find((p) => p.nik === opened.fields.nik)!;
    expect(opened.fields.nama).toBe(person.fullName.toLocaleUpperCase('id-ID'));
    expect(opened.fields.berlakuHingga).toBe('SEUMUR HIDUP');
    expect(opened.fields.kabupatenKota).toBe('KABUPATEN JEMBER');
    expect(opened.fields.provinsi).toBe('PROVINSI JAWA TIMUR');
    expect(opened.photo.data.length).toBeGreaterThan(100);
  });

  it('keeps the packages sealed at rest: the stored bytes hold neither the name nor the photo', async () => {
    const feed = await printPackageFeed(ctx, recording.officeId, 0, 10);
    const opened = openCardPackage(fromBase64Url(feed.items[0]!.package!), trust);
    const row = await printPackageDb(ctx.db).selectFrom('print_packages').selectAll().where('package_id', '=', feed.items[0]!.packageId).executeTakeFirstOrThrow();
    const raw = Buffer.from(row.sealed_package!);
    expect(raw.includes(Buffer.from(opened.fields.nama))).toBe(false);
    expect(raw.includes(Buffer.from(opened.photo.data.subarray(0, 64)))).toBe(false);
  });

  it('refuses a package with a byte changed in a data group, in the signature, or signed by a key the list does not certify for CARD', async () => {
    const feed = await printPackageFeed(ctx, recording.officeId, 0, 1);
    const bytes = fromBase64Url(feed.items[0]!.package!);
    const refusal = (input: Uint8Array, list: TrustList) => {
      try {
        openCardPackage(input, list);
      } catch (error) {
        expect(error).toBeInstanceOf(CardPackageError);
        return (error as CardPackageError).code;
      }
      return 'ACCEPTED';
    };
    const opened = openCardPackage(bytes, trust);
    const whole = Buffer.from(bytes);
    // A letter of the printed name (DG1), then a byte of the SOD's signature (its last 64 bytes).
    const fieldsAt = whole.indexOf(Buffer.from(opened.chip.dataGroups.get(1)!));
    expect(refusal(tamper(bytes, fieldsAt + 40), trust)).toBe('HASH_MISMATCH');
    const sodAt = whole.indexOf(Buffer.from(opened.chip.sod));
    expect(refusal(tamper(bytes, sodAt + opened.chip.sod.length - 5), trust)).toBe('SIGNATURE_INVALID');
    const withoutCard = { ...trust, keys: trust.keys.map((k) => (k.purpose === 'CARD' ? { ...k, purpose: 'SUKET' as const } : k)) };
    expect(refusal(bytes, withoutCard)).toBe('KEY_NOT_TRUSTED');
  });

  it('builds a replacement for a resident recorded at another office, for the office that asked, and refuses one for a NIK it does not know', async () => {
    const known = randomUUID();
    const unknown = randomUUID();
    const event = (seq: number, requestId: string, nik: string) => ({
      seq,
      kind: 'card.replacement_requested',
      occurredAt: new Date().toISOString(),
      subjectId: requestId,
      payload: { requestId, nik, reason: 'LOST', requestedBy: 'operator' },
    });
    await applyPushBatch(ctx, asking.officeId, { officeId: asking.officeId, entries: [event(1, known, people[0]!.nik), event(2, unknown, people[2]!.nik)] });
    // A replay of the batch is acknowledged and builds nothing again.
    await applyPushBatch(ctx, asking.officeId, { officeId: asking.officeId, entries: [event(1, known, people[0]!.nik), event(2, unknown, people[2]!.nik)] });
    const feed = await printPackageFeed(ctx, asking.officeId, 0, 10);
    expect(feed.items.map((i) => [i.requestId, i.kind, i.status])).toEqual([
      [known, 'REPLACEMENT', 'READY'],
      [unknown, 'REPLACEMENT', 'REFUSED'],
    ]);
    const opened = openCardPackage(fromBase64Url(feed.items[0]!.package!), trust);
    expect(opened.officeId).toBe(asking.officeId);
    expect(opened.fields.nik).toBe(people[0]!.nik);
    const original = (await printPackageFeed(ctx, recording.officeId, 0, 10)).items.find((i) => i.nik === people[0]!.nik)!;
    expect(opened.recordId).toBe(original.recordId);
    expect(feed.items[1]!.reason?.id).toMatch(/NIK/);
    expect(feed.items[1]!.package).toBeNull();
    // The recording office's feed did not grow: the replacement went to the office that asked.
    expect((await printPackageFeed(ctx, recording.officeId, 0, 10)).items).toHaveLength(2);
    expect(toBase64Url(opened.chip.sod).length).toBeGreaterThan(0);
  });

  it('builds the package of a record an adjudicator made print-ready, reading only what entered the gallery since its last run', async () => {
    // The same fingers as the first resident, read badly, under another name: undecidable, so a person decides.
    const doubtful = await buildPacket(ctx, people[3]!, { subjectKey: people[0]!.nik, noise: 0.2 });
    await applyPushBatch(ctx, recording.officeId, buildBatch(recording.officeId, 3, [doubtful]));
    await runDeduplication(ctx);
    expect(await buildPendingPrintPackages(ctx)).toBe(0);
    const open = (await listOpenCases(ctx)).find((c) => c.recordId === doubtful.recordId);
    expect(open).toBeDefined();
    await decideCase(ctx, { caseId: open!.caseId, decision: 'DIFFERENT_PERSON', decidedBy: 'adjudicator' });
    expect(await buildPendingPrintPackages(ctx)).toBe(1);
    const feed = await printPackageFeed(ctx, recording.officeId, 2, 10);
    expect(feed.items.map((i) => [i.recordId, i.kind, i.status])).toEqual([[doubtful.recordId, 'FIRST', 'READY']]);
    expect(openCardPackage(fromBase64Url(feed.items[0]!.package!), trust).fields.nik).toBe(people[3]!.nik);
  });
});
