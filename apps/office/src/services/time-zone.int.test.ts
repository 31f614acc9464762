import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticResidents } from '@tangguh/capture';
import { openSqlite } from '@tangguh/platform';
import { provisionStack } from '../../../cli/src/stack.ts';
import { syntheticRecording } from '../../../cli/src/seed.ts';
import { buildOfficeApp } from '../app.ts';
import type { OfficeContext } from '../context.ts';
import type { OfficeDb } from '../db/schema.ts';
import { openOffice } from '../runtime.ts';
import { officeSessionStore, type OfficeUser } from '../repositories/users.ts';
import { createDocument, viewOf } from './documents.ts';
import { pickupEstimate } from './pickup-estimate.ts';
import { TIME_ZONE_SETTING } from './provision.ts';
import { recordResident } from './recording.ts';
import { issueSuket } from './suket.ts';
import { observeTte } from './tte-status.ts';

// Friday 4 Dec 2026 22:30 in Jakarta is already Saturday 5 Dec 00:30 in Jayapura.
const LATE_FRIDAY = new Date('2026-12-04T15:30:00Z');
// Friday 4 Dec 2026 14:30 in Jakarta (before the 15:00 signing cut-off) is 16:30 in Jayapura (after it).
const FRIDAY_AFTERNOON = new Date('2026-12-04T07:30:00Z');

let dir: string;
let office: OfficeContext;
let closeOffice: () => Promise<void>;
let operator: OfficeUser;
let app: FastifyInstance;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tangguh-zone-'));
  const paths = await provisionStack(dir, { timeZone: 'Asia/Jayapura' });
  const opened = await openOffice(paths.officeDb);
  office = opened.ctx;
  closeOffice = () => opened.handle.close();
  operator = (await officeSessionStore(office.db).findLogin('operator'))!.user;
  app = await buildOfficeApp(office, { serveWeb: false });
});

afterAll(async () => {
  await app?.close();
  await closeOffice?.();
  rmSync(dir, { recursive: true, force: true });
});

describe('an office in Asia/Jayapura (WIT)', () => {
  it('keeps the zone it was provisioned with and tells the web in the session', async () => {
    expect(office.office.timeZone).toBe('Asia/Jayapura');
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'operator', password: 'operator-jember' } });
    expect(login.statusCode, login.body).toBe(200);
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.json<{ user: { timeZone: string } }>().user.timeZone).toBe('Asia/Jayapura');
  });

  it('numbers registrations, Sukets and documents on Jayapura’s calendar day, which turns over before Jakarta’s', async () => {
    office.now = () => LATE_FRIDAY;
    const [person] = syntheticResidents(1, { seed: 9171, regencyCode: '35.09', regions: office.regions, today: LATE_FRIDAY });
    const { receipt, record } = await recordResident(office, { request: await syntheticRecording(person!, person!.nik), operator });
    expect(receipt.registrationNumber).toBe('3509-20261205-000001');

    const { suket } = await issueSuket(office, { recordId: record.id, operator });
    expect(suket.serial).toBe('SKT-3509-20261205-000001');

    const document = await createDocument(office, { type: 'KK', nik: person!.nik, name: person!.fullName, nomor: '3509120101230001', fields: {}, operator });
    expect(document.serial).toBe('3509-DOK-20261205-000001');

    const counters = await office.db.selectFrom('counters').select(['name', 'value']).where('name', 'like', '%:2026120%').orderBy('name').execute();
    expect(counters).toEqual([
      { name: 'docser:20261205', value: 1 },
      { name: 'regno:20261205', value: 1 },
      { name: 'suket:20261205', value: 1 },
    ]);
  });

  it('estimates pickup on Jayapura’s clock: 16:30 WIT is past the signing cut-off although it is 14:30 in Jakarta', async () => {
    office.now = () => FRIDAY_AFTERNOON;
    await observeTte(office, { available: true, since: null });
    const [person] = syntheticResidents(1, { seed: 9172, regencyCode: '35.09', regions: office.regions, today: FRIDAY_AFTERNOON });
    const created = await createDocument(office, { type: 'KK', nik: person!.nik, name: person!.fullName, nomor: '3509120101230002', fields: {}, operator });
    const view = await viewOf(office, created.id);
    expect(view.pickup.kind).toBe('AFTER_SIGNATURE');
    expect(view.pickup.day).toBe('NEXT_WORKING_DAY');
    expect(view.pickup.messages.id).toContain('hari kerja berikutnya');
    // The same document at the same instant in a Jakarta office would still be signed today.
    expect(pickupEstimate({ status: view.status, supersededBy: null }, { available: true, since: null, reason: null, checkedAt: null }, FRIDAY_AFTERNOON, 'Asia/Jakarta').day).toBe('TODAY');
  });
});

describe('an office whose data predates per-office zones', () => {
  it('reads the zone of its province (Jember: Asia/Jakarta) when no zone is stored', async () => {
    const old = mkdtempSync(join(tmpdir(), 'tangguh-zone-old-'));
    try {
      const paths = await provisionStack(old, { users: false });
      const db = openSqlite<OfficeDb>(paths.officeDb);
      await db.db.deleteFrom('settings').where('key', '=', TIME_ZONE_SETTING).execute();
      await db.close();
      const reopened = await openOffice(paths.officeDb);
      try {
        expect(reopened.ctx.office.timeZone).toBe('Asia/Jakarta');
      } finally {
        await reopened.handle.close();
      }
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
  });
});
