/**
 * Card print packages with real processes: a centre and an office each in its own process. The office's
 * sync worker holds every Print Ready Record's package before anyone asks to print; with the centre stopped
 * (and the office too) the package still opens, verified, from the office's database alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardReplacementView } from '@tangguh/protocol';
import { HttpClient, TestStack, loginOperator, residentRequests, scalar, waitFor, type ErrorBodyShape, type RecordingCreated } from './helpers.ts';
import { openOffice } from '../apps/office/src/runtime.ts';
import { openPrintPackage } from '../apps/office/src/services/print-packages.ts';

let stack: TestStack;
let operator: HttpClient;

beforeAll(async () => {
  stack = await TestStack.create({ officeArgs: ['--backoff-cap-ms', '1000', '--idle-ms', '200'] });
  await stack.startCentral();
  await stack.startOffice();
  operator = await loginOperator(stack.officeUrl);
});

afterAll(async () => {
  await stack?.dispose();
});

describe('card print packages between real processes', () => {
  const recordIds: string[] = [];
  const names: string[] = [];

  it('holds the package of every Print Ready Record before anyone asks to print, sealed at rest', async () => {
    for (const { biodata, request } of await residentRequests(3, 6161)) {
      const created = await operator.post<RecordingCreated>('/api/recordings', request);
      expect(created.status).toBe(201);
      recordIds.push(created.body.record.id);
      names.push(biodata.fullName);
    }
    await waitFor(() => stack.officeDb((db) => scalar(db, `select count(*) from print_packages where status = 'READY'`)) === 3, { timeoutMs: 60_000 });
    const stored = stack.officeDb((db) => db.prepare('select * from print_packages').all() as Record<string, unknown>[]);
    expect(stored.map((r) => r.record_id).sort()).toEqual([...recordIds].sort());
    for (const row of stored) {
      const raw = Buffer.concat([Buffer.from(JSON.stringify({ ...row, sealed_package: null })), row.sealed_package as Buffer]);
      for (const name of names) expect(raw.includes(Buffer.from(name.toUpperCase()))).toBe(false);
    }
  });

  it('answers a replacement request for a NIK the centre does not know as refused, with the reason in both languages', async () => {
    const bad = await operator.post<ErrorBodyShape>('/api/card-replacements', { nik: '12345', reason: 'LOST' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues?.[0]?.field).toBe('nik');
    expect(bad.body.error.messages.id.length).toBeGreaterThan(0);
    const asked = await operator.post<{ request: CardReplacementView }>('/api/card-replacements', { nik: '3509019999990002', reason: 'DAMAGED' });
    expect(asked.status).toBe(201);
    const answer = await waitFor(
      async () => {
        const seen = await operator.get<{ request: CardReplacementView }>(`/api/card-replacements/${asked.body.request.requestId}`);
        return seen.body.request.status === 'REFUSED' ? seen.body.request : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(answer.refusal?.id).toMatch(/NIK/);
    expect(answer.refusal?.en).toMatch(/NIK/);
  });

  it('opens a verified package with the centre and the office stopped: signed by the CARD key, two fingerprints on the chip', async () => {
    await stack.stopCentral('SIGKILL');
    await stack.stopOffice('SIGTERM');
    const { ctx, handle } = await openOffice(stack.paths.officeDb);
    try {
      for (const [i, recordId] of recordIds.entries()) {
        const opened = await openPrintPackage(ctx, recordId);
        expect(opened.signer.purpose).toBe('CARD');
        expect(opened.fingerprints).toHaveLength(2);
        expect(opened.fields.nama).toBe(names[i]!.toLocaleUpperCase('id-ID'));
        expect(opened.fields.berlakuHingga).toBe('SEUMUR HIDUP');
      }
    } finally {
      await handle.close();
    }
  });
});
