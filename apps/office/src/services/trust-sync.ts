import { PROTOCOL_VERSION, SYNC_HEADERS, documentKeyResponseSchema, signedListResponseSchema, type DocumentKeyRequest, type TteSignRequest, type TteSignResponse } from '@tangguh/protocol';
import { officeRequestHeaders } from '@tangguh/protocol/node';
import { decodeCredential, type TrustedKey } from '@tangguh/credential';
import type { OfficeContext } from '../context.ts';
import type { TrustListName } from '../db/migrations-suket.ts';
import type { TteSigner } from './documents.ts';
import { CentralUnavailable, readCentralJson } from './central-client.ts';
import { centralFetch, describeFetchFailure } from './central-tls.ts';
import { markCertified, needsRotation, pendingKeys, promoteListedKeys, requestKeyRotation } from './document-keys.ts';
import { cachedList, cachedTrustList, confirmListFresh, pinnedTrustRoot, storeSignedList } from './trust-store.ts';
import { suketValidityMonths } from './suket-settings.ts';

export interface TrustSyncOptions {
  centralUrl: string;
  timeoutMs?: number;
  /** Least time between two list checks (each is a conditional GET, a 304 when nothing changed). */
  refreshEveryMs?: number;
  /** The centre's TLS certificate (or CA) pinned at provisioning; required for an https centralUrl. */
  centralTlsCa?: string;
}

const LISTS: Record<TrustListName, string> = { TRUST_LIST: '/trust/list', REVOCATION_LIST: '/trust/revocations' };

async function request(options: TrustSyncOptions, path: string, init: RequestInit): Promise<Response> {
  try {
    return await centralFetch(options.centralUrl, options.centralTlsCa)(new URL(path, options.centralUrl), { ...init, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
  } catch (error) {
    throw new CentralUnavailable(describeFetchFailure(error));
  }
}

async function failure(response: Response): Promise<Error> {
  const text = await response.text().catch(() => '');
  let code: string | undefined;
  try {
    code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  } catch {
    // not JSON: a proxy's page
  }
  const message = `HTTP ${response.status}: ${text.slice(0, 200)}`;
  // A refusal (4xx) is not an outage: it must not hold back the rest of the sync with a backoff.
  return response.status >= 500 ? new CentralUnavailable(message, response.status, code) : new Error(message);
}

/**
 * Fetches one signed list if it changed since the copy we hold (If-None-Match on its sequence), checks it
 * against the pinned root and stores it with the time fetched. Returns whether the content changed.
 */
export async function refreshList(ctx: Pick<OfficeContext, 'db' | 'now'>, options: TrustSyncOptions, name: TrustListName): Promise<boolean> {
  const held = await cachedList(ctx.db, name);
  const version = { [SYNC_HEADERS.protocol]: String(PROTOCOL_VERSION) };
  const response = await request(options, LISTS[name], { headers: held ? { ...version, 'if-none-match': `"${held.sequence}"` } : version });
  const fetchedAt = ctx.now().toISOString();
  if (response.status === 304 && held) {
    await confirmListFresh(ctx.db, name, fetchedAt);
    return false;
  }
  if (!response.ok) throw await failure(response);
  const { signed } = signedListResponseSchema.parse(await readCentralJson(response));
  return (await storeSignedList(ctx.db, name, signed, fetchedAt)).changed;
}

/** POST /sync/document-keys, signed like every office request: the centre answers with the certificate entry. */
export async function requestCertificate(ctx: Pick<OfficeContext, 'office' | 'signingPrivateKey'>, options: TrustSyncOptions, body: DocumentKeyRequest): Promise<TrustedKey> {
  const path = '/sync/document-keys';
  const text = JSON.stringify(body);
  const response = await request(options, path, {
    method: 'POST',
    headers: officeRequestHeaders({ officeId: ctx.office.id, privateKey: ctx.signingPrivateKey }, 'POST', path, text),
    body: text,
  });
  if (!response.ok) throw await failure(response);
  return documentKeyResponseSchema.parse(await readCentralJson(response)).key;
}

/**
 * The head's TTE signer, followed by a trust-list refresh when a signed document carries a key the
 * office's list does not have yet (the centre certifies a head's new TTE key while signing): the new
 * key is in what the office serves before the documents are shown as signed, instead of at the next
 * sync pass, so no verifier reads a fresh document as "unknown issuer". A failed refresh leaves the
 * signatures as they are; the sync worker tries again.
 */
export function refreshingTrustOnNewKeys<S extends TteSigner>(ctx: Pick<OfficeContext, 'db' | 'now' | 'office'>, signer: S, options: TrustSyncOptions): S {
  // The signer's other methods stay as they are (inherited); only tteSign is followed by the check.
  return Object.assign(Object.create(signer) as S, {
    async tteSign(request: TteSignRequest): Promise<TteSignResponse> {
      const response = await signer.tteSign(request);
      try {
        const listed = new Set((await cachedTrustList(ctx.db))?.keys.map((k) => k.kid));
        const unlisted = response.signed.some((item) => {
          try {
            return !listed.has(decodeCredential(item.qrText).kid);
          } catch {
            return false;
          }
        });
        if (unlisted) await refreshList(ctx, options, 'TRUST_LIST');
      } catch (error) {
        console.error(`[kantor ${ctx.office.id}] daftar kunci belum diperbarui / trust list not refreshed after signing: ${(error as Error).message}`);
      }
      return response;
    },
  });
}

/**
 * The trust side of the office's sync, run by the sync worker whenever it reaches the centre: starts a
 * key rotation when the current key nears its end, has pending keys certified, refreshes both signed
 * lists, and switches to a new key once the signed trust list carries it. An office with no pinned root
 * (provisioned before trust existed) skips all of it.
 */
export function trustSyncer(ctx: OfficeContext, options: TrustSyncOptions): { run(): Promise<void> } {
  let lastRefresh = 0;
  let lastProblem: string | undefined;
  return {
    async run() {
      if (!(await pinnedTrustRoot(ctx.db))) return;
      const now = ctx.now().getTime();
      const pending = await pendingKeys(ctx.db);
      if (pending.length === 0 && now - lastRefresh < (options.refreshEveryMs ?? 10_000)) return;
      try {
        if (await needsRotation(ctx, 'SUKET', await cachedTrustList(ctx.db), (await suketValidityMonths(ctx.db)) + 1)) await requestKeyRotation(ctx, 'SUKET');
        for (const key of await pendingKeys(ctx.db)) {
          const entry = await requestCertificate(ctx, options, { publicKey: key.public_key, purpose: key.purpose as DocumentKeyRequest['purpose'] });
          await markCertified(ctx.db, key.kid, entry, ctx.now().toISOString());
        }
        await refreshList(ctx, options, 'TRUST_LIST');
        await refreshList(ctx, options, 'REVOCATION_LIST');
        const trust = await cachedTrustList(ctx.db);
        if (trust) await promoteListedKeys(ctx.db, trust);
        lastRefresh = now;
        lastProblem = undefined;
      } catch (error) {
        if (error instanceof CentralUnavailable) throw error;
        // A list that does not open with our root, or an older one: keep the copy we hold and say so once.
        const message = (error as Error).message;
        if (message !== lastProblem) console.error(`[kantor ${ctx.office.id}] daftar kepercayaan ditolak / trust list refused: ${message}`);
        lastProblem = message;
        lastRefresh = now;
      }
    },
  };
}
