import type { FastifyInstance } from 'fastify';
import { requireRole, typed } from '@tangguh/platform';
import { pickupRoutes as routes, type IdentityCheck } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { approveOverride, checkFingerprints, handOverCard, searchForPickup } from '../services/pickup.ts';
import { approveReplacementOverride, checkReplacementFingerprints, handOverReplacement, replacementHandoverMessage, searchReplacementsForPickup } from '../services/replacement-pickup.ts';
import { refusingWhenFull } from '../services/storage-errors.ts';
import { logRead } from './access-log.ts';

/**
 * The pickup counter: operators find the card and check the holder's fingers against the chip; a supervisor
 * may vouch instead (an override with a reason); the hand-over needs one of the two, recorded.
 */
export async function pickupRoutes(plain: FastifyInstance, ctx: OfficeContext): Promise<void> {
  const app = typed(plain);
  const counter = { preValidation: requireRole('operator', 'supervisor', 'admin') };
  const supervisor = { preValidation: requireRole('supervisor') };
  const user = (request: { sessionUser?: unknown }) => request.sessionUser as OfficeUser;

  app.get('/api/pengambilan', { ...counter, schema: routes.search }, async (request) => {
    const q = request.query.q.trim();
    const items = await searchForPickup(ctx, user(request), request.query);
    // Replacement cards are found by the resident's NIK (the request names the NIK; the record may be another office's).
    const replacements = /^\d{16}$/.test(q) ? await searchReplacementsForPickup(ctx, user(request), q) : [];
    await logRead(ctx, request, { action: 'record.search', nik: /^\d{16}$/.test(q) ? q : null, subject: request.query.birthDate ? `${q} ${request.query.birthDate}` : q });
    return { items, replacements };
  });

  app.post('/api/pengambilan/:id/sidik-jari', { ...counter, schema: routes.fingerprint }, async (request) => {
    const check = await refusingWhenFull(() => checkFingerprints(ctx, user(request), request.params.id, request.body.fingerprints));
    request.log.info({ by: user(request).username, record: request.params.id, matched: check.matched, score: check.score }, 'pickup fingerprint check');
    return { check, message: checkMessage(check) };
  });

  app.post('/api/pengambilan/pengganti/:id/sidik-jari', { ...counter, schema: routes.replacementFingerprint }, async (request) => {
    const check = await refusingWhenFull(() => checkReplacementFingerprints(ctx, user(request), request.params.id, request.body.fingerprints));
    request.log.info({ by: user(request).username, replacement: request.params.id, matched: check.matched, score: check.score }, 'replacement pickup fingerprint check');
    return { check, message: checkMessage(check) };
  });

  app.post('/api/pengambilan/pengganti/:id/persetujuan', { ...supervisor, schema: routes.replacementOverride }, async (request) => {
    const check = await refusingWhenFull(() => approveReplacementOverride(ctx, user(request), request.params.id, request.body.reason));
    request.log.info({ by: user(request).username, replacement: request.params.id }, 'replacement pickup identity override');
    return { check, message: { id: `Penyerahan tanpa kecocokan sidik jari disetujui oleh ${check.checkedBy}.`, en: `Hand-over without a fingerprint match approved by ${check.checkedBy}.` } };
  });

  app.post('/api/pengambilan/pengganti/:id/serah-terima', { ...counter, schema: routes.replacementHandover }, async (request) => {
    const handover = await refusingWhenFull(() => handOverReplacement(ctx, user(request), request.params.id, request.body));
    request.log.info({ by: user(request).username, replacement: handover.requestId, oldCard: handover.oldCard }, 'replacement card handed over');
    return { handover, message: replacementHandoverMessage(handover) };
  });

  function checkMessage(check: IdentityCheck) {
    const pct = (n: number | null) => (n === null ? '?' : `${Math.round(n * 100)}%`);
    return check.matched
      ? { id: `Sidik jari cocok (${pct(check.score)}, ambang ${pct(check.threshold)}). Kartu dapat diserahkan.`, en: `Fingerprints match (${pct(check.score)}, threshold ${pct(check.threshold)}). The card can be handed over.` }
      : { id: `Sidik jari TIDAK cocok (${pct(check.score)}, ambang ${pct(check.threshold)}). Ulangi, atau minta persetujuan penyelia.`, en: `Fingerprints do NOT match (${pct(check.score)}, threshold ${pct(check.threshold)}). Try again, or ask a supervisor for an override.` };
  }

  app.post('/api/pengambilan/:id/persetujuan', { ...supervisor, schema: routes.override }, async (request) => {
    const check = await refusingWhenFull(() => approveOverride(ctx, user(request), request.params.id, request.body.reason));
    request.log.info({ by: user(request).username, record: request.params.id }, 'pickup identity override');
    return { check, message: { id: `Penyerahan tanpa kecocokan sidik jari disetujui oleh ${check.checkedBy}.`, en: `Hand-over without a fingerprint match approved by ${check.checkedBy}.` } };
  });

  app.post('/api/pengambilan/:id/serah-terima', { ...counter, schema: routes.handover }, async (request) => {
    const handover = await refusingWhenFull(() => handOverCard(ctx, user(request), request.params.id, request.body.checkId));
    request.log.info({ by: user(request).username, record: handover.recordId, sukets: handover.revokedSukets.length }, 'card handed over');
    const n = handover.revokedSukets.length;
    const message = {
      id: `KTP-el diserahkan.${n > 0 ? ` Suket ${handover.revokedSukets.join(', ')} dicabut (kartu sudah diterima).` : ''}`,
      en: `e-KTP handed over.${n > 0 ? ` Suket ${handover.revokedSukets.join(', ')} revoked (card issued).` : ''}`,
    };
    return { handover, message };
  });
}
