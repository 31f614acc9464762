import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '@tangguh/platform';
import { DIALECTS, freshLocation, setupOrFail } from '../../../../test/pg.ts';
import { migrateCentral } from '../db/migrate.ts';
import type { CentralDb } from '../db/schema.ts';
import { findAdjudicationCase, openAdjudicationCase, recordCaseDecision } from './adjudications.ts';
import { forgetExpiredProofNonces, insertHeadKey, latestHeadKey, approvedHeadKey, decideHeadKey, rememberProofNonce, replaceHeadKeysInStatus, type TteHeadKeyRow } from './tte-heads.ts';
import { insertSignaturesIfAbsent, listSignatures, signedDocumentIds } from './tte.ts';
import { insertSettingsIfAbsent, readSetting, readSettings, writeSetting } from './settings.ts';

const headKey = (id: string, requestedAt: string): TteHeadKeyRow => ({
  id,
  office_id: 'K1',
  username: 'kepala',
  full_name: 'Kepala Dinas',
  public_key: `pub-${id}`,
  fingerprint: `fp-${id}`,
  status: 'PENDING',
  requested_at: requestedAt,
  decided_at: null,
  decided_by: null,
});

describe.each(DIALECTS)('the centre repositories that services now go through, on %s', (dialect) => {
  let dir: string;
  let handle: Db<CentralDb>;
  let close = async () => {};

  setupOrFail(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tangguh-central-repos-'));
    const store = await freshLocation(dialect, dir, 'central');
    handle = openDatabase<CentralDb>(store.location);
    close = async () => {
      await handle.close();
      await store.drop();
    };
    await migrateCentral(handle);
  });
  afterAll(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records an adjudication decision once: a second decider is told it was already decided', async () => {
    const opened = await openAdjudicationCase(handle.db, { recordId: 'r-new', candidateRecordId: 'r-old', score: 0.81, openedAt: '2026-01-01T00:00:00.000Z' });
    const decision = { decision: 'DIFFERENT_PERSON', decidedAt: '2026-01-02T00:00:00.000Z', decidedBy: 'adjudikator', note: null };
    expect(await recordCaseDecision(handle.db, opened, decision)).toBe(true);
    expect(await recordCaseDecision(handle.db, opened, { ...decision, decision: 'SAME_PERSON', decidedBy: 'another' })).toBe(false);
    const stored = await findAdjudicationCase(handle.db, opened);
    expect([stored?.decision, stored?.decided_by, Number(stored?.score)]).toEqual(['DIFFERENT_PERSON', 'adjudikator', 0.81]);
  });

  it('accepts a proof nonce once, and again only after it expired and was forgotten', async () => {
    const nonce = { office_id: 'K1', nonce: 'n-1', expires_at: '2026-01-01T00:05:00.000Z' };
    expect(await rememberProofNonce(handle.db, nonce)).toBe(true);
    expect(await rememberProofNonce(handle.db, nonce)).toBe(false);
    expect(await rememberProofNonce(handle.db, { ...nonce, office_id: 'K2' })).toBe(true);
    await forgetExpiredProofNonces(handle.db, '2026-01-01T00:04:59.000Z');
    expect(await rememberProofNonce(handle.db, nonce)).toBe(false);
    await forgetExpiredProofNonces(handle.db, '2026-01-01T00:06:00.000Z');
    expect(await rememberProofNonce(handle.db, nonce)).toBe(true);
  });

  it('keeps one approved key per head: approving a newer key replaces the older, and the latest request is the one shown', async () => {
    await insertHeadKey(handle.db, headKey('k-1', '2026-01-01T00:00:00.000Z'));
    await decideHeadKey(handle.db, 'k-1', { status: 'APPROVED', decided_at: '2026-01-01T01:00:00.000Z', decided_by: 'admin' });
    await insertHeadKey(handle.db, headKey('k-2', '2026-02-01T00:00:00.000Z'));
    await replaceHeadKeysInStatus(handle.db, 'K1', 'kepala', 'APPROVED', { decided_at: '2026-02-01T01:00:00.000Z', decided_by: 'admin' });
    await decideHeadKey(handle.db, 'k-2', { status: 'APPROVED', decided_at: '2026-02-01T01:00:00.000Z', decided_by: 'admin' });
    expect((await approvedHeadKey(handle.db, 'K1', 'kepala'))?.public_key).toBe('pub-k-2');
    expect((await latestHeadKey(handle.db, 'K1', 'kepala'))?.id).toBe('k-2');
  });

  it('keeps the first signature of a document when a retried request signs it again', async () => {
    const signature = { office_id: 'K1', document_id: 'd-1', serial: 'K1-DOK-20260101-000001', typ: 'KK', kid: 'kid-1', signer_username: 'kepala', qr_text: 'TGH1:first', signed_at: '2026-01-01T00:00:00.000Z' };
    await insertSignaturesIfAbsent(handle.db, [signature]);
    await insertSignaturesIfAbsent(handle.db, [{ ...signature, qr_text: 'TGH1:second', signed_at: '2026-01-01T00:01:00.000Z' }]);
    expect(await signedDocumentIds(handle.db, 'K1', ['d-1', 'd-2'])).toEqual(new Set(['d-1']));
    expect((await listSignatures(handle.db, 'K1', ['d-1'])).map((s) => s.qr_text)).toEqual(['TGH1:first']);
    expect(await listSignatures(handle.db, 'K1', [])).toEqual([]);
  });

  it('keeps the first value of a setting stored only-if-absent, and overwrites on a plain write', async () => {
    await insertSettingsIfAbsent(handle.db, [{ key: 'first_wins', value: 'one' }]);
    await insertSettingsIfAbsent(handle.db, [{ key: 'first_wins', value: 'two' }]);
    expect(await readSetting(handle.db, 'first_wins')).toBe('one');
    await writeSetting(handle.db, 'first_wins', 'three');
    expect(await readSettings(handle.db, ['first_wins', 'absent'])).toEqual(new Map([['first_wins', 'three']]));
  });
});
