import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfficeEventEntryWire } from '@tangguh/protocol';
import type { Db } from '@tangguh/platform';
import { registerTestOffice } from '../../../../test/builders.ts';
import type { CentralContext } from '../context.ts';
import { trustDb } from '../db/migrations-trust.ts';
import type { CentralDb } from '../db/schema.ts';
import { applyPushBatch } from './inbox.ts';
import { openCentral } from './provision.ts';

// This file never builds the HTTP app or imports a route module (Vitest gives each file its own module
// graph), so it sees the centre exactly as a worker-only process does: opened, with no routes registered.

const OFFICE = '9171';
const at = '2026-12-05T01:00:00.000Z';
let dir: string;
let ctx: CentralContext;
let handle: Db<CentralDb>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tangguh-wiring-'));
  ({ ctx, handle } = await openCentral(join(dir, 'central.db')));
  await registerTestOffice(ctx, OFFICE);
});

afterAll(async () => {
  await handle?.close();
  rmSync(dir, { recursive: true, force: true });
});

const event = (seq: number, kind: string, subjectId: string, payload: Record<string, unknown>): OfficeEventEntryWire => ({ seq, kind, occurredAt: at, subjectId, payload });

describe('office event handlers wired at start-up', () => {
  it('a centre opened without its routes (as a worker-only process is) applies Suket and document events', async () => {
    const suket = `SKT-${OFFICE}-20261205-000001`;
    const result = await applyPushBatch(ctx, OFFICE, {
      officeId: OFFICE,
      entries: [
        event(1, 'suket.issued', suket, { serial: suket, recordId: 'r-1', nik: '9171015807980003', issuedAt: at, expiresAt: '2027-06-05T01:00:00.000Z', kid: 'k-1', issuedBy: 'operator' }),
        event(2, 'suket.revoked', suket, { serial: suket, recordId: 'r-1', revokedAt: at, reason: 'ISSUED_IN_ERROR', revokedBy: 'supervisor' }),
        event(3, 'document.superseded', `${OFFICE}-DOK-20261205-000001`, { ser: `${OFFICE}-DOK-20261205-000001`, supersededBy: `${OFFICE}-DOK-20261205-000002` }),
      ],
    });
    expect(result).toEqual({ appliedThrough: 3, applied: 3, replayed: 0 });

    const logged = await trustDb(ctx.db).selectFrom('sukets').select(['serial', 'office_id', 'revoked_at', 'revoke_reason']).execute();
    expect(logged).toEqual([{ serial: suket, office_id: OFFICE, revoked_at: at, revoke_reason: 'ISSUED_IN_ERROR' }]);
    const revoked = await trustDb(ctx.db).selectFrom('revoked_serials').select(['ser', 'reason', 'superseded_by']).orderBy('ser').execute();
    expect(revoked).toEqual([
      { ser: `${OFFICE}-DOK-20261205-000001`, reason: 'SUPERSEDED', superseded_by: `${OFFICE}-DOK-20261205-000002` },
      { ser: suket, reason: 'ISSUED_IN_ERROR', superseded_by: null },
    ]);
  });
});
