/**
 * The trust and revocation lists the verifier checks against: fetched from the office, checked
 * against the root key pinned on this device at the first visit, and kept for offline use.
 *
 * Trust on first use: the first root key the office gives is pinned. A later, different root is
 * refused (never silently adopted), because a swapped root would make forged documents look genuine.
 */
import { fromBase64Url, openOfficeRevocationList, openOfficeRevocationLists, openRevocationList, openTrustList, type RevocationList, type TrustList } from '@tangguh/credential';
import { kvGet, kvSet } from './kv.ts';

export interface PinnedRoot {
  kid: string;
  /** base64url, as the office serves it */
  publicKey: string;
  pinnedAt: string;
}

export interface ListCopy {
  signed: string;
  /** When the office last had this list from the centre (ISO). The age shown to the clerk. */
  fetchedAt: string;
  /** When this device stored it (ISO). */
  storedAt: string;
}

export interface VerifierState {
  root?: PinnedRoot;
  trust?: ListCopy;
  revocations?: ListCopy;
  /**
   * The office's own signed revocations (fetchedAt = when the office signed it): what it revoked or
   * superseded that the centre's list does not carry yet, e.g. while the centre is down.
   */
  officeRevocations?: ListCopy;
}

export interface OpenedLists {
  trust: TrustList;
  revocations: RevocationList;
  /** Opened against `trust`; empty when there is none or it does not verify. */
  officeRevocations: RevocationList[];
}

export type RefreshOutcome =
  | { kind: 'updated' }
  /** No answer from the office (or only the service worker's cached copy): the stored lists stay. */
  | { kind: 'offline' }
  | { kind: 'rootMismatch'; offeredKid: string }
  | { kind: 'invalid' }
  | { kind: 'serverError'; status: number };

/** Lists older than this may be missing recent revocations; the page says so. */
export const STALE_AFTER_MS = 7 * 24 * 3600 * 1000;
export const REFRESH_EVERY_MS = 5 * 60 * 1000;
const FETCH_TIMEOUT_MS = 8_000;
const STATE_KEY = 'state-v1';
/** Set by the service worker on answers it served from its cache instead of the network. */
export const FROM_CACHE_HEADER = 'x-tangguh-from-cache';

export async function loadState(): Promise<VerifierState> {
  return (await kvGet<VerifierState>(STATE_KEY)) ?? {};
}

/** Opens the stored lists with the pinned root; null when there is nothing (valid) to check against. */
export function openLists(state: VerifierState): OpenedLists | null {
  if (!state.root || !state.trust || !state.revocations) return null;
  try {
    const rootKey = fromBase64Url(state.root.publicKey);
    const trust = openTrustList(state.trust.signed, rootKey);
    const officeRevocations = state.officeRevocations ? openOfficeRevocationLists([state.officeRevocations.signed], trust) : [];
    return { trust, revocations: openRevocationList(state.revocations.signed, rootKey), officeRevocations };
  } catch {
    return null;
  }
}

/** The oldest of the two lists' office fetch times: what "how old are my lists" honestly means. */
export function listsAgeMs(state: VerifierState, now = Date.now()): number | null {
  const times = [state.trust?.fetchedAt, state.revocations?.fetchedAt].map((t) => (t ? Date.parse(t) : NaN));
  if (times.some((t) => Number.isNaN(t))) return null;
  return now - Math.min(...times);
}

class Unreachable extends Error {}
class ServerError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

async function getJson(path: string): Promise<{ body: unknown; fromCache: boolean }> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, cache: 'no-store', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch {
    throw new Unreachable(path);
  }
  // A proxy in front of a dead office answers 502–504: the same as no answer.
  if (response.status >= 502 && response.status <= 504) throw new Unreachable(path);
  if (!response.ok) throw new ServerError(response.status);
  try {
    return { body: await response.json(), fromCache: response.headers.get(FROM_CACHE_HEADER) === '1' };
  } catch {
    throw new ServerError(response.status);
  }
}

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

function stringField(body: unknown, name: string): string {
  const value = field(body, name);
  if (typeof value !== 'string' || value === '') throw new ServerError(200);
  return value;
}

/** ISO time from an ISO string, unix seconds or unix milliseconds; now when absent or unreadable. */
export function toIsoTime(value: unknown, fallback = new Date()): string {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value < 1e12 ? value * 1000 : value).toISOString();
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    if (!Number.isNaN(parsed)) return new Date(parsed).toISOString();
  }
  return fallback.toISOString();
}

/**
 * Never goes back to an older list (a replayed old list would hide recent revocations): the signed
 * sequence number decides; for the same list the later office fetch time is kept.
 */
export function fresher(current: ListCopy | undefined, currentSequence: number, offered: ListCopy, offeredSequence: number): ListCopy {
  if (!current || offeredSequence > currentSequence) return offered;
  if (offeredSequence < currentSequence) return current;
  return Date.parse(offered.fetchedAt) >= Date.parse(current.fetchedAt) ? offered : current;
}

function sequenceOf(copy: ListCopy | undefined, open: (signed: string) => { sequence: number }): number {
  if (!copy) return -1;
  try {
    return open(copy.signed).sequence;
  } catch {
    return -1;
  }
}

/**
 * The office's own revocation list: the offered one when it verifies against the trust list kept and is
 * at least as new as the stored one, else the stored one. An office that serves none (an older
 * version) or cannot sign one now is not an error: the centre's list still applies.
 */
async function officeRevocationsOf(stored: ListCopy | undefined, trust: TrustList, storedAt: string): Promise<ListCopy | undefined> {
  const open = (signed: string) => openOfficeRevocationList(signed, trust);
  let offered: ListCopy;
  let offeredSequence: number;
  try {
    const answer = await getJson('/api/trust/office-revocations');
    offered = { signed: stringField(answer.body, 'signed'), fetchedAt: toIsoTime(field(answer.body, 'issuedAt')), storedAt };
    offeredSequence = open(offered.signed).sequence;
  } catch {
    return stored;
  }
  return fresher(stored, sequenceOf(stored, open), offered, offeredSequence);
}

/**
 * Asks the office for its root key and both lists. Lists are kept only when they open with the
 * pinned root, and replace the stored ones only when at least as new.
 */
export async function refreshLists(state: VerifierState): Promise<{ state: VerifierState; outcome: RefreshOutcome }> {
  try {
    const rootAnswer = await getJson('/api/trust/root');
    const offeredRoot = { kid: stringField(rootAnswer.body, 'kid'), publicKey: stringField(rootAnswer.body, 'publicKey') };
    if (state.root && state.root.publicKey !== offeredRoot.publicKey) {
      return { state, outcome: { kind: 'rootMismatch', offeredKid: offeredRoot.kid } };
    }
    const root: PinnedRoot = state.root ?? { ...offeredRoot, pinnedAt: new Date().toISOString() };
    const rootKey = fromBase64Url(root.publicKey);

    const [listAnswer, revocationAnswer] = await Promise.all([getJson('/api/trust/list'), getJson('/api/trust/revocations')]);
    const storedAt = new Date().toISOString();
    const trust: ListCopy = { signed: stringField(listAnswer.body, 'signed'), fetchedAt: toIsoTime(field(listAnswer.body, 'fetchedAt')), storedAt };
    const revocations: ListCopy = {
      signed: stringField(revocationAnswer.body, 'signed'),
      fetchedAt: toIsoTime(field(revocationAnswer.body, 'fetchedAt')),
      storedAt,
    };
    const openTrust = (signed: string) => openTrustList(signed, rootKey);
    const openRevocations = (signed: string) => openRevocationList(signed, rootKey);
    let offeredSequences: [number, number];
    try {
      offeredSequences = [openTrust(trust.signed).sequence, openRevocations(revocations.signed).sequence];
    } catch {
      return { state, outcome: { kind: 'invalid' } };
    }

    const next: VerifierState = {
      root,
      trust: fresher(state.trust, sequenceOf(state.trust, openTrust), trust, offeredSequences[0]),
      revocations: fresher(state.revocations, sequenceOf(state.revocations, openRevocations), revocations, offeredSequences[1]),
    };
    const officeRevocations = await officeRevocationsOf(state.officeRevocations, openTrust(next.trust!.signed), storedAt);
    if (officeRevocations) next.officeRevocations = officeRevocations;
    await kvSet(STATE_KEY, next);
    const fromCache = rootAnswer.fromCache || listAnswer.fromCache || revocationAnswer.fromCache;
    return { state: next, outcome: fromCache ? { kind: 'offline' } : { kind: 'updated' } };
  } catch (error) {
    if (error instanceof ServerError) return { state, outcome: { kind: 'serverError', status: error.status } };
    return { state, outcome: { kind: 'offline' } };
  }
}
