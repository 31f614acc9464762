import { DomainError } from '@tangguh/domain';
import type { OfficeContext } from '../context.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { enqueueOfficeEvent } from '../repositories/outbox.ts';
import { appendSignatureAudit, findDocument, getPolicy, listAudit, markWetSigned, olderVersions, setPolicy, type AuditRow } from '../repositories/documents.ts';
import { documentNotFound, supersede, viewOf, type DocumentView } from './documents.ts';

/**
 * The wet-signature fallback. Offices fell back to wet signatures when TTE was down (Malang 2019), and a
 * ministry later reprimanded an office for it: so it is a policy switch, off by default, that only the
 * head or an admin may turn, and every switch and every use is recorded (who, role, why, when) and sent
 * to the centre.
 */
export const WET_SIGNATURE_POLICY = 'wet_signature_fallback';

export interface WetSignaturePolicy {
  enabled: boolean;
  changedAt: string | null;
  changedBy: string | null;
  reason: string | null;
}

export interface AuditEntry {
  id: number;
  action: AuditRow['action'];
  documentId: string | null;
  documentSerial: string | null;
  actor: string;
  actorName: string;
  actorRole: string;
  reason: string;
  at: string;
}

const presentAudit = (row: AuditRow): AuditEntry => ({
  id: Number(row.id),
  action: row.action,
  documentId: row.document_id,
  documentSerial: row.document_serial,
  actor: row.actor,
  actorName: row.actor_name,
  actorRole: row.actor_role,
  reason: row.reason,
  at: row.at,
});

export async function wetSignaturePolicy(ctx: OfficeContext): Promise<WetSignaturePolicy> {
  const row = await getPolicy(ctx.db, WET_SIGNATURE_POLICY);
  return row ? { enabled: row.enabled === 1, changedAt: row.changed_at, changedBy: row.changed_by, reason: row.reason } : { enabled: false, changedAt: null, changedBy: null, reason: null };
}

export async function signatureAudit(ctx: OfficeContext, limit = 100): Promise<AuditEntry[]> {
  return (await listAudit(ctx.db, limit)).map(presentAudit);
}

/** Turns the fallback on or off; a switch to the state it is already in changes and records nothing. */
export async function setWetSignaturePolicy(ctx: OfficeContext, props: { enabled: boolean; reason: string; actor: OfficeUser }): Promise<WetSignaturePolicy> {
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const current = await getPolicy(trx, WET_SIGNATURE_POLICY);
    if ((current?.enabled === 1) === props.enabled) return;
    await setPolicy(trx, { key: WET_SIGNATURE_POLICY, enabled: props.enabled ? 1 : 0, changed_at: at, changed_by: props.actor.username, reason: props.reason });
    const auditId = await appendSignatureAudit(trx, {
      action: props.enabled ? 'POLICY_ON' : 'POLICY_OFF',
      policy: WET_SIGNATURE_POLICY,
      document_id: null,
      actor: props.actor.username,
      actor_name: props.actor.fullName,
      actor_role: props.actor.role,
      reason: props.reason,
      at,
    });
    await enqueueOfficeEvent(trx, {
      kind: 'policy.wet_signature',
      subjectId: `${WET_SIGNATURE_POLICY}:${auditId}`,
      payload: { policy: WET_SIGNATURE_POLICY, enabled: props.enabled, reason: props.reason, by: props.actor.username, byName: props.actor.fullName, role: props.actor.role, at },
      at,
    });
  });
  return wetSignaturePolicy(ctx);
}

export const policyDisabled = () =>
  new DomainError(
    'POLICY_DISABLED',
    {
      id: 'Tanda tangan basah tidak diizinkan: kebijakan fallback tanda tangan basah sedang nonaktif. Dokumen tetap menunggu TTE.',
      en: 'Wet signatures are not allowed: the wet-signature fallback policy is off. The document keeps waiting for TTE.',
    },
    'conflict',
  );

/** The head signs one waiting document by hand while the policy allows it; recorded and sent to the centre. */
export async function wetSignDocument(ctx: OfficeContext, props: { id: string; reason: string; head: OfficeUser }): Promise<DocumentView> {
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const policy = await getPolicy(trx, WET_SIGNATURE_POLICY);
    if (policy?.enabled !== 1) throw policyDisabled();
    const row = await findDocument(trx, props.id);
    if (!row) throw documentNotFound();
    if (row.status !== 'AWAITING_SIGNATURE') {
      throw new DomainError(
        'DOCUMENT_NOT_AWAITING',
        { id: `Dokumen ini tidak sedang menunggu tanda tangan (status ${row.status}).`, en: `This document is not waiting for a signature (status ${row.status}).` },
        'conflict',
      );
    }
    await markWetSigned(trx, row.id, { at, by: props.head.username, byName: props.head.fullName, reason: props.reason });
    await appendSignatureAudit(trx, { action: 'WET_SIGNED', policy: WET_SIGNATURE_POLICY, document_id: row.id, actor: props.head.username, actor_name: props.head.fullName, actor_role: props.head.role, reason: props.reason, at });
    await enqueueOfficeEvent(trx, {
      kind: 'document.wet_signed',
      subjectId: row.serial,
      payload: { ser: row.serial, documentId: row.id, type: row.type, nomor: row.nomor, by: props.head.username, byName: props.head.fullName, reason: props.reason, at },
      at,
    });
    await supersede(trx, await olderVersions(trx, row, ['SIGNED', 'WET_SIGNED']), row, at);
  });
  return viewOf(ctx, props.id);
}
