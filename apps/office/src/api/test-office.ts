/**
 * Test support for the API tests of access and visibility: a provisioned Jember office (SQLite or
 * PostgreSQL) serving its real HTTP API on loopback, three residents recorded through the real service at
 * two sites, a Suket and documents — and a fetch that logs in and sends the headers a browser would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { syntheticResidents } from '@tangguh/capture';
import type { Biodata } from '@tangguh/domain';
import { freshLocation, type DIALECTS } from '../../../../test/pg.ts';
import { freePort, provisionStack } from '../../../cli/src/stack.ts';
import { syntheticRecording } from '../../../cli/src/seed.ts';
import { buildOfficeApp } from '../app.ts';
import { openOffice } from '../runtime.ts';
import type { OfficeContext } from '../context.ts';
import { officeSessionStore } from '../repositories/users.ts';
import { recordResident } from '../services/recording.ts';
import { issueSuket } from '../services/suket.ts';
import { createDocument } from '../services/documents.ts';

/** Kaliwates, the kecamatan of the demo's `operator.kaliwates`. */
export const KALIWATES = '35.09.19';

export interface TestOfficeApi {
  ctx: OfficeContext;
  url: string;
  /** Who the records are about: living in Kaliwates (recorded at the Dinas), elsewhere (Dinas), elsewhere (recorded at Kaliwates). */
  residents: { kaliwatesResident: Resident; elsewhere: Resident; recordedAtKaliwates: Resident };
  close(): Promise<void>;
}

export interface Resident {
  biodata: Biodata;
  recordId: string;
  suketSerial: string;
  documentId: string;
}

export async function startTestOffice(dialect: (typeof DIALECTS)[number]): Promise<TestOfficeApi> {
  const dir = mkdtempSync(join(tmpdir(), 'tangguh-access-'));
  const store = await freshLocation(dialect, dir, 'office');
  const paths = await provisionStack(dir, { officeDb: store.location });
  const office = await openOffice(paths.officeDb);
  const ctx = office.ctx;
  const users = officeSessionStore(ctx.db);
  const dinas = (await users.findLogin('operator'))!.user;
  const kaliwatesOperator = (await users.findLogin('operator.kaliwates'))!.user;
  const kaliwatesVillage = ctx.regions.villagesOf(KALIWATES)[0]!.code;
  const people = syntheticResidents(40, { seed: 77, regencyCode: '35.09', regions: ctx.regions }).filter((p) => !p.address.villageCode.startsWith(`${KALIWATES}.`));
  const plan = [
    { biodata: { ...people[0]!, address: { ...people[0]!.address, villageCode: kaliwatesVillage } }, operator: dinas },
    { biodata: people[1]!, operator: dinas },
    { biodata: people[2]!, operator: kaliwatesOperator },
  ];
  const made: Resident[] = [];
  for (const [i, { biodata, operator }] of plan.entries()) {
    const { record } = await recordResident(ctx, { request: await syntheticRecording(biodata, `access-${i}`), operator });
    const { suket } = await issueSuket(ctx, { recordId: record.id, operator });
    const document = await createDocument(ctx, { type: 'KK', nik: biodata.nik, name: biodata.fullName, nomor: `3509120101230${String(i).padStart(3, '0')}`, fields: {}, operator: dinas });
    made.push({ biodata, recordId: record.id, suketSerial: suket.serial, documentId: document.id });
  }
  const app: FastifyInstance = await buildOfficeApp(ctx, { serveWeb: false });
  const port = await freePort();
  await app.listen({ port, host: '127.0.0.1' });
  return {
    ctx,
    url: `http://127.0.0.1:${port}`,
    residents: { kaliwatesResident: made[0]!, elsewhere: made[1]!, recordedAtKaliwates: made[2]! },
    async close() {
      await app.close();
      await office.handle.close();
      await store.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Answer<T> {
  status: number;
  body: T;
}

/** A logged-in person at the office, with the headers a browser sends (the screen, a Referer). */
export async function signIn(url: string, username: string, password: string) {
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (login.status !== 200) throw new Error(`login as ${username} failed: ${login.status}`);
  const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
  return async <T = unknown>(method: string, path: string, headers: Record<string, string> = {}): Promise<Answer<T>> => {
    // State-changing routes read JSON only (an empty body is refused with 415): send `{}` as the web does.
    const json = ['POST', 'PUT', 'PATCH'].includes(method) ? { body: '{}', type: { 'content-type': 'application/json' } } : undefined;
    const response = await fetch(`${url}${path}`, { method, headers: { cookie, ...json?.type, ...headers }, body: json?.body });
    const type = response.headers.get('content-type') ?? '';
    const body = type.includes('application/json') ? await response.json() : new Uint8Array(await response.arrayBuffer());
    return { status: response.status, body: body as T };
  };
}
