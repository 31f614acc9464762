import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { AccessLogResponse } from '@tangguh/protocol';
import { DIALECTS, setupOrFail } from '../../../../test/pg.ts';
import type { ErrorBodyShape } from '../../../../test/helpers.ts';
import { signIn, startTestOffice, type TestOfficeApi } from './test-office.ts';

type Caller = Awaited<ReturnType<typeof signIn>>;

describe.each(DIALECTS)('the access log of an office on %s', (dialect) => {
  let office: TestOfficeApi;
  let operator: Caller;
  let head: Caller;
  let admin: Caller;
  let supervisor: Caller;

  setupOrFail(async () => {
    office = await startTestOffice(dialect);
    operator = await signIn(office.url, 'operator', 'operator-jember');
    head = await signIn(office.url, 'kepala', 'kepala-jember');
    admin = await signIn(office.url, 'admin', 'admin-jember');
    supervisor = await signIn(office.url, 'supervisor', 'supervisor-jember');
  });
  afterAll(async () => {
    await office?.close();
  });

  const logOf = async (query: string) => {
    const answer = await head<AccessLogResponse>('GET', `/api/access-log?${query}`);
    expect(answer.status).toBe(200);
    return answer.body.items;
  };
  const rowCount = async () => Number((await sql<{ n: number }>`select count(*) as n from access_log`.execute(office.ctx.db)).rows[0]!.n);

  it('records who read a record, its photo, its Suket and its document, with the screen each read came from', async () => {
    const { recordId, suketSerial, documentId, biodata } = office.residents.elsewhere;
    const screen = `/petugas/rekaman/${recordId}`;
    expect((await operator('GET', `/api/recordings/${recordId}`, { 'x-tangguh-screen': screen })).status).toBe(200);
    // An <img> sends no custom header: the Referer names the page.
    expect((await operator('GET', `/api/recordings/${recordId}/photo`, { referer: `${office.url}${screen}` })).status).toBe(200);
    expect((await operator('GET', `/api/sukets/${suketSerial}/pdf`, { 'x-tangguh-screen': screen })).status).toBe(200);
    expect((await operator('GET', `/api/documents/${documentId}`)).status).toBe(200);

    const entries = await logOf(`nik=${biodata.nik}&username=operator`);
    expect(entries.map((e) => [e.action, e.screen]).reverse()).toEqual([
      ['record.view', screen],
      ['record.photo', screen],
      ['suket.pdf', screen],
      ['document.view', 'api'],
    ]);
    expect(entries.every((e) => e.username === 'operator' && e.role === 'operator' && e.siteId === 'dinas' && e.nik === biodata.nik)).toBe(true);
    expect(entries.find((e) => e.action === 'suket.pdf')).toMatchObject({ recordId, subject: suketSerial });
    expect(Date.now() - Date.parse(entries[0]!.at)).toBeLessThan(60_000);
  });

  it('logs a search by NIK under that NIK, and a polling screen once rather than on every poll', async () => {
    const { nik } = office.residents.kaliwatesResident.biodata;
    for (let poll = 0; poll < 5; poll++) expect((await supervisor('GET', `/api/recordings?q=${nik}`, { 'x-tangguh-screen': '/petugas' })).status).toBe(200);
    await supervisor('GET', `/api/recordings?q=${nik}`, { 'x-tangguh-screen': '/petugas/dokumen' });
    const searches = await logOf(`nik=${nik}&username=supervisor`);
    expect(searches.map((e) => [e.action, e.screen, e.subject]).reverse()).toEqual([
      ['record.search', '/petugas', nik],
      ['record.search', '/petugas/dokumen', nik],
    ]);
  });

  it('strips control characters from the screen name before the head reads it', async () => {
    const { recordId, biodata } = office.residents.recordedAtKaliwates;
    // A header carries Latin-1 only; its C1 controls (a terminal's CSI, NEL) are what could disguise a name.
    await operator('GET', `/api/recordings/${recordId}`, { 'x-tangguh-screen': '/petugas/\u009b31m\u0085rekaman' });
    const [entry] = await logOf(`nik=${biodata.nik}&username=operator`);
    expect(entry?.screen).toBe('/petugas/31mrekaman');
  });

  it('filters by resident, by operator and by calendar day in the office zone', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: office.ctx.office.timeZone }).format(new Date());
    expect((await logOf(`day=${today}`)).length).toBeGreaterThan(0);
    expect(await logOf('day=2020-01-01')).toEqual([]);
    expect(await logOf('username=nobody')).toEqual([]);
    const bad = await head<ErrorBodyShape>('GET', '/api/access-log?day=2026-02-30');
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues?.[0]).toMatchObject({ field: 'day' });
  });

  it('lets the head of office and admins read the log, and refuses operators and supervisors with 403', async () => {
    expect((await admin('GET', '/api/access-log')).status).toBe(200);
    for (const caller of [operator, supervisor]) {
      const refused = await caller<ErrorBodyShape>('GET', '/api/access-log');
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
    }
  });

  it('lets nobody change or erase the log over the API: 403 for an operator and for the head alike', async () => {
    const before = await rowCount();
    for (const caller of [operator, head, admin]) {
      const refused = await caller<ErrorBodyShape>('DELETE', '/api/access-log');
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('ACCESS_LOG_APPEND_ONLY');
      expect(refused.body.error.messages.id).toContain('tidak dapat diubah atau dihapus');
    }
    expect(await rowCount()).toBe(before);
  });

  it('refuses UPDATE and DELETE at the database itself, so rows stay as written', async () => {
    const before = await rowCount();
    expect(before).toBeGreaterThan(0);
    await expect(sql`update access_log set username = 'someone-else'`.execute(office.ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from access_log`.execute(office.ctx.db)).rejects.toThrow(/append-only/);
    if (dialect === 'postgres') await expect(sql`truncate access_log`.execute(office.ctx.db)).rejects.toThrow(/append-only/);
    expect(await rowCount()).toBe(before);
    const names = (await sql<{ username: string }>`select distinct username from access_log`.execute(office.ctx.db)).rows.map((r) => r.username);
    expect(names).not.toContain('someone-else');
  });
});
