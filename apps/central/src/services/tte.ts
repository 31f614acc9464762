import { DomainError } from '@tangguh/domain';
import type { TteHealth, TteSignRequest, TteSignResponse } from '@tangguh/protocol';
import { encodeCredential, fromBase64Url, generateSigningKey, signingKeyFromPrivate, toBase64Url, type CredentialClaims, type SigningKey } from '@tangguh/credential';
import type { CentralContext } from '../context.ts';
import { openSecretText, sealSecret } from '@tangguh/platform';
import { insertSignaturesIfAbsent, insertSignerIfAbsent, listSignatures, findSigner, markSignerCertified, renameSigner, replaceSignerKey, signedDocumentIds } from '../repositories/tte.ts';
import { readSetting, readSettings, writeSetting } from '../repositories/settings.ts';
import { findDocumentKey } from '../repositories/trust.ts';
import { certifyDocumentKey } from './trust.ts';
import { authoriseSigner } from './tte-heads.ts';

export type TteAvailability = TteHealth;

const AVAILABLE_KEY = 'tte_available';
const SINCE_KEY = 'tte_since';

export const tteUnavailable = (since: string | null) =>
  new DomainError(
    'TTE_UNAVAILABLE',
    {
      id: `Layanan tanda tangan elektronik (TTE) pusat sedang tidak tersedia${since ? ` sejak ${since}` : ''}. Dokumen tetap menunggu tanda tangan; tidak ada yang berubah.`,
      en: `The centre's e-signature (TTE) service is unavailable${since ? ` since ${since}` : ''}. Documents keep waiting for signature; nothing was changed.`,
    },
    'unavailable',
  );

/** The outage switch, shared by every API process through the database. */
export async function getTteAvailability(ctx: CentralContext): Promise<TteAvailability> {
  const value = await readSettings(ctx.db, [AVAILABLE_KEY, SINCE_KEY]);
  return { available: value.get(AVAILABLE_KEY) !== 'false', since: value.get(SINCE_KEY) ?? null };
}

/** Turns the service off or on (outage simulation); `since` moves only when the state changes. */
export async function setTteAvailability(ctx: CentralContext, available: boolean): Promise<TteAvailability> {
  return ctx.db.transaction().execute(async (trx) => {
    const current = await readSetting(trx, AVAILABLE_KEY);
    const wasAvailable = current !== 'false';
    if (current !== undefined && wasAvailable === available) {
      return { available, since: (await readSetting(trx, SINCE_KEY)) ?? null };
    }
    const since = ctx.now().toISOString();
    for (const [key, value] of [
      [AVAILABLE_KEY, String(available)],
      [SINCE_KEY, since],
    ] as const) {
      await writeSetting(trx, key, value);
    }
    return { available, since };
  });
}

/** A key is replaced this long before its certificate runs out, so nothing is signed on its last day. */
const RENEW_BEFORE_MS = 7 * 86_400_000;

/**
 * The head's TTE key: made on first use and certified in the trust list (purpose TTE) before it signs
 * anything. A key whose certification failed half-way is certified on its next use; a key the centre
 * revoked, or whose certificate is about to run out, is replaced by a new one (documents it signed keep
 * verifying against its public key in the trust list).
 */
async function signerKey(ctx: CentralContext, officeId: string, signer: TteSignRequest['signer']): Promise<SigningKey> {
  const find = () => findSigner(ctx.db, officeId, signer.username);
  const fresh = () => {
    const key = generateSigningKey();
    return { kid: key.kid, private_key: sealSecret(toBase64Url(key.privateKey)), public_key: toBase64Url(key.publicKey), created_at: ctx.now().toISOString(), certified_at: null };
  };
  let row = await find();
  if (!row) {
    await insertSignerIfAbsent(ctx.db, { office_id: officeId, username: signer.username, full_name: signer.fullName, ...fresh() });
    // Two requests racing for a new head: whichever row landed is the key.
    row = (await find())!;
  }
  if (row.certified_at) {
    const certificate = await findDocumentKey(ctx.db, row.kid);
    if (!certificate || certificate.revoked_at || Date.parse(certificate.not_after) - RENEW_BEFORE_MS <= ctx.now().getTime()) {
      // Only the request that still sees the old kid replaces it; a racing one reads the replacement.
      await replaceSignerKey(ctx.db, officeId, signer.username, row.kid, fresh());
      row = (await find())!;
    }
  }
  if (row.full_name !== signer.fullName) {
    await renameSigner(ctx.db, row.kid, signer.fullName);
  }
  const key = signingKeyFromPrivate(fromBase64Url(openSecretText(row.private_key)));
  if (!row.certified_at) {
    const certify = () => certifyDocumentKey(ctx, { officeId, purpose: 'TTE', publicKey: key.publicKey, holder: `${signer.fullName} (${signer.username})` });
    // Two first requests for one head certify the same key at once; the loser finds it certified on a second try.
    await certify().catch(certify);
    await markSignerCertified(ctx.db, row.kid, ctx.now().toISOString());
  }
  return key;
}

/** The encoder refuses claims it cannot carry; that is the office's input, not a server fault. */
function encodeOrRefuse(documentId: string, claims: CredentialClaims, key: SigningKey): string {
  try {
    return encodeCredential(claims, key);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new DomainError('CLAIMS_INVALID', { id: `Isi dokumen ${documentId} tidak dapat ditandatangani: ${why}`, en: `Document ${documentId} cannot be signed: ${why}` });
  }
}

/**
 * Signs a batch of an office's documents with its head's TTE key, only on the head's own proof over this
 * batch (services/tte-heads.ts), never on the office's word. A document signed before (a retry after a
 * lost answer) gets its first signature back, so the office never holds two QR texts for one.
 */
export async function signDocuments(ctx: CentralContext, officeId: string, request: TteSignRequest): Promise<TteSignResponse> {
  const availability = await getTteAvailability(ctx);
  if (!availability.available) throw tteUnavailable(availability.since);
  const foreign = request.documents.find((d) => d.claims.iss !== officeId);
  if (foreign) {
    throw new DomainError(
      'ISSUER_MISMATCH',
      { id: `Dokumen ${foreign.documentId} diterbitkan atas nama kantor lain.`, en: `Document ${foreign.documentId} names another office as its issuer.` },
      'forbidden',
    );
  }
  const ids = request.documents.map((d) => d.documentId);
  if (new Set(ids).size !== ids.length) {
    throw new DomainError('DOCUMENT_REPEATED', { id: 'Satu dokumen dikirim dua kali dalam satu permintaan.', en: 'A document appears twice in one request.' });
  }

  // The name on the documents is the one the centre holds for the head, whatever the office sent.
  const head = await authoriseSigner(ctx, officeId, request);
  const done = await signedDocumentIds(ctx.db, officeId, ids);
  const fresh = request.documents.filter((d) => !done.has(d.documentId));
  if (fresh.length > 0) {
    const key = await signerKey(ctx, officeId, head);
    const signedAt = ctx.now();
    const iat = Math.floor(signedAt.getTime() / 1000);
    const rows = [];
    for (const document of fresh) {
      const claims: CredentialClaims = { ...document.claims, iss: officeId, iat, sub: { ...document.claims.sub, ttd: head.fullName } };
      rows.push({
        office_id: officeId,
        document_id: document.documentId,
        serial: document.claims.ser,
        typ: document.claims.typ,
        kid: key.kid,
        signer_username: head.username,
        qr_text: encodeOrRefuse(document.documentId, claims, key),
        signed_at: signedAt.toISOString(),
      });
    }
    await insertSignaturesIfAbsent(ctx.db, rows);
  }
  const stored = await listSignatures(ctx.db, officeId, ids);
  const byId = new Map(stored.map((r) => [r.document_id, r]));
  return {
    signed: ids.map((id) => {
      const row = byId.get(id)!;
      return { documentId: id, qrText: row.qr_text, signedAt: row.signed_at };
    }),
  };
}
