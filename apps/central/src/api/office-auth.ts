import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler, onSendHookHandler } from 'fastify';
import { DomainError } from '@tangguh/domain';
import { MIN_PROTOCOL_VERSION, PROTOCOL_VERSION, REQUEST_ID_PATTERN, SIGNATURE_MAX_SKEW_MS, SYNC_HEADERS } from '@tangguh/protocol';
import { CBOR_CONTENT_TYPE, CborError, PUSH_CBOR_LIMITS, decodeCbor, replayKeyV2, sha256Hex, verifyOfficeRequest } from '@tangguh/protocol/node';
import type { CentralContext } from '../context.ts';
import { findOffice } from '../repositories/offices.ts';
import { forgetExpiredRequestIds, rememberRequestId, requestIdSeen } from '../repositories/request-ids.ts';
import { requestReplayed } from '../services/replayed.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes of a JSON or CBOR body, kept because an office signature covers them. */
    rawBody?: Buffer;
    /** The wire protocol version the office speaks (1 when it sends no header). */
    protocolVersion?: number;
    /** The office whose signature this request carries, once verified. */
    officeId?: string;
    /** The office's claim, checked from the headers before the body was read (see `checkOfficeHeaders`). */
    officeClaim?: OfficeClaim;
    /**
     * A v3 request id checked but not yet remembered, on a route that remembers it in its own transaction
     * (`signedByOffice(ctx, { requestIdInTransaction: true })`); remembered before the answer otherwise.
     */
    pendingRequestId?: PendingRequestId;
  }
}

/** A request id to remember in the transaction of the route's work (see `takePendingRequestId`). */
export interface PendingRequestId {
  officeId: string;
  requestId: string;
  expiresAt: string;
}

/** How long a refused upload is still read (and dropped) after the answer, before the connection is closed. */
const LINGER_MS = 500;

/**
 * For a request refused before its body is read: the connection closes after the answer, so a stranger's
 * upload is not read to its end. Node closes such a socket as soon as the answer is flushed, and with upload
 * bytes still arriving that close is a reset, which can reach the client before it has read the answer (an
 * office with a wrong clock would see "connection reset", not "check the office clock"). So: half-close, drop
 * what still comes for a moment — a lingering close — then close.
 */
function closeAfterAnswer(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('connection', 'close');
  const socket = request.raw.socket;
  socket.destroySoon = () => {
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
}

/**
 * Reads the office's protocol version before anything else, so a request from an office too old (or too
 * new) for this centre is told so plainly instead of failing in some later, stranger way.
 */
export function installProtocolVersion(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    // /sync/version says which versions are served: it answers whatever version asks.
    if (!request.url.startsWith('/sync/') || request.url.split('?')[0] === '/sync/version') return;
    const header = request.headers[SYNC_HEADERS.protocol];
    // Offices released before versioning send no header: they speak version 1.
    const version = header === undefined ? 1 : Number(header);
    if (!Number.isInteger(version) || version < MIN_PROTOCOL_VERSION || version > PROTOCOL_VERSION) {
      const named = header === undefined ? '1' : String(header);
      closeAfterAnswer(request, reply);
      throw new DomainError('PROTOCOL_VERSION_UNSUPPORTED', {
        id: `Versi protokol ${named} tidak didukung; pusat melayani versi ${MIN_PROTOCOL_VERSION}–${PROTOCOL_VERSION}. Perbarui perangkat lunak kantor.`,
        en: `Protocol version ${named} is not supported; the centre serves versions ${MIN_PROTOCOL_VERSION}–${PROTOCOL_VERSION}. Update the office software.`,
      });
    }
    request.protocolVersion = version;
  });
}

/** Keeps the raw bytes of JSON bodies in this scope, since the office signature covers exactly them. */
export function keepRawJsonBody(app: FastifyInstance, bodyLimit: number): void {
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    request.rawBody = body as Buffer;
    try {
      done(null, JSON.parse((body as Buffer).toString('utf8')));
    } catch {
      done(new DomainError('BODY_INVALID', { id: 'Isi permintaan bukan JSON yang sah.', en: 'The request body is not valid JSON.' }), undefined);
    }
  });
}

/**
 * Keeps the raw bytes of CBOR bodies (a binary push, see `pushBatchSchema`) in this scope and decodes them with
 * the bounded decoder: at most `bodyLimit` bytes, and the depth and item limits of a push. A body that is not
 * CBOR of the accepted subset is a 400 that says why, in both languages.
 */
export function keepRawCborBody(app: FastifyInstance, bodyLimit: number): void {
  app.addContentTypeParser(CBOR_CONTENT_TYPE, { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    request.rawBody = body as Buffer;
    try {
      done(null, decodeCbor(body as Buffer, PUSH_CBOR_LIMITS));
    } catch (error) {
      const why = error instanceof CborError ? error.message : 'unreadable';
      done(new DomainError('BODY_INVALID', { id: `Isi permintaan bukan CBOR yang sah (${why}).`, en: `The request body is not valid CBOR (${why}).` }), undefined);
    }
  });
}

const unauthenticated = (code: string, id: string, en: string) => new DomainError(code, { id, en }, 'unauthenticated');
const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** What the headers of a signed request claim, once checked as far as they can be without the body. */
interface OfficeClaim {
  officeId: string;
  publicKey: string;
  version: number;
  timestamp: string;
  signature: string;
  /** Version 3: the request id and body hash, both covered by the signature, which is already verified. */
  requestId?: string;
  bodyHash?: string;
}

/**
 * Remembers a request id for the signature window, in the database so every API process sees it, and
 * refuses one seen before. Expired ids are purged at most once a minute per process. With `deferred`, the id
 * is only looked up here (a read, no durable write of its own) and left in `request.pendingRequestId` for the
 * route to remember in its own transaction — one fsync per push instead of two — or, if the route does not
 * get that far, for the onSend hook to remember before the answer leaves (see `installOfficeAuth`).
 */
const lastPurge = new WeakMap<object, number>();
async function refuseReplay(ctx: CentralContext, claim: OfficeClaim, requestId: string, deferred?: FastifyRequest): Promise<void> {
  const expiresAt = new Date(Date.parse(claim.timestamp) + SIGNATURE_MAX_SKEW_MS).toISOString();
  if (deferred) {
    if (await requestIdSeen(ctx.db, claim.officeId, requestId)) throw requestReplayed();
    deferred.pendingRequestId = { officeId: claim.officeId, requestId, expiresAt };
  } else if (!(await rememberRequestId(ctx.db, claim.officeId, requestId, expiresAt))) {
    throw requestReplayed();
  }
  const now = Date.now();
  if (now - (lastPurge.get(ctx.db) ?? 0) > 60_000) {
    lastPurge.set(ctx.db, now);
    await forgetExpiredRequestIds(ctx.db, new Date(now).toISOString());
  }
}

/**
 * Everything that needs no body: the signing headers are there, the timestamp is within the window, the
 * office is registered, and — from version 3, whose signature covers the body's hash as a header — the
 * signature itself and the request id. Runs before the body is read, so a stranger's upload costs the
 * centre its headers only.
 */
export async function checkOfficeHeaders(ctx: CentralContext, request: FastifyRequest, options: SignedOptions = {}): Promise<OfficeClaim> {
  const version = request.protocolVersion ?? 1;
  const officeId = header(request, SYNC_HEADERS.office);
  const timestamp = header(request, SYNC_HEADERS.timestamp);
  const signature = header(request, SYNC_HEADERS.signature);
  const requestId = header(request, SYNC_HEADERS.requestId);
  const bodyHash = header(request, SYNC_HEADERS.contentHash);
  if (!officeId || !timestamp || !signature || (version >= 3 && (!requestId || !bodyHash))) {
    throw unauthenticated('SIGNATURE_MISSING', 'Permintaan tidak ditandatangani kantor.', 'The request is not signed by an office.');
  }
  const skew = Math.abs(Date.now() - Date.parse(timestamp));
  if (!Number.isFinite(skew) || skew > SIGNATURE_MAX_SKEW_MS) {
    throw unauthenticated('SIGNATURE_EXPIRED', 'Waktu tanda tangan di luar batas; periksa jam kantor.', 'Signature timestamp out of range; check the office clock.');
  }
  if (version >= 3 && (!REQUEST_ID_PATTERN.test(requestId ?? '') || !SHA256_HEX.test(bodyHash ?? ''))) {
    throw unauthenticated('REQUEST_ID_INVALID', 'Nomor permintaan atau sidik isi tidak sah.', 'The request id or body hash is malformed.');
  }
  const office = await findOffice(ctx.db, officeId);
  const invalid = () => unauthenticated('SIGNATURE_INVALID', 'Tanda tangan kantor tidak sah.', 'The office signature is not valid.');
  if (!office) throw invalid();
  const claim: OfficeClaim = { officeId, publicKey: office.public_key, version, timestamp, signature, requestId, bodyHash };
  if (version >= 3) {
    const signed = { officeId, method: request.method, path: request.url, timestamp, body: '', requestId, bodyHash };
    if (!verifyOfficeRequest(office.public_key, signed, signature, version)) throw invalid();
    await refuseReplay(ctx, claim, requestId!, options.requestIdInTransaction ? request : undefined);
  }
  return claim;
}

/** Finishes what the headers could not: the body against the signed hash (v3), or the whole signature (v2). */
export async function authenticateOffice(ctx: CentralContext, request: FastifyRequest): Promise<string> {
  const claim = request.officeClaim ?? (await checkOfficeHeaders(ctx, request));
  const body = request.rawBody ?? Buffer.alloc(0);
  if (claim.version >= 3) {
    if (sha256Hex(body) !== claim.bodyHash) throw unauthenticated('SIGNATURE_INVALID', 'Isi permintaan tidak sesuai tanda tangan kantor.', 'The request body does not match the office signature.');
    return claim.officeId;
  }
  const signed = { officeId: claim.officeId, method: request.method, path: request.url, timestamp: claim.timestamp, body };
  if (!verifyOfficeRequest(claim.publicKey, signed, claim.signature, claim.version)) {
    throw unauthenticated('SIGNATURE_INVALID', 'Tanda tangan kantor tidak sah.', 'The office signature is not valid.');
  }
  // A v2 request names no id: its signing input identifies it (see PROTOCOL_VERSION in @tangguh/protocol).
  await refuseReplay(ctx, claim, replayKeyV2(signed, claim.version));
  return claim.officeId;
}

const SIGNED_BY_OFFICE = Symbol('signedByOffice');
type SignedHook = ((request: FastifyRequest) => Promise<void>) & { [SIGNED_BY_OFFICE]?: { ctx: CentralContext; options: SignedOptions } };

export interface SignedOptions {
  /**
   * The route remembers a v3 request id in its own transaction (`takePendingRequestId`) rather than in a
   * write of its own before the body is read: a seen id is still refused from the headers, and one the route
   * never remembers (it failed) is remembered before the answer is sent.
   */
  requestIdInTransaction?: boolean;
}

/**
 * The request id a `requestIdInTransaction` route remembers in its transaction (`rememberRequestId` inside it,
 * refusing with `requestReplayed` when another request took it first). Call `settled` once that transaction has
 * committed; until then the id stays pending and is remembered before the answer if the route fails.
 */
export function takePendingRequestId(request: FastifyRequest): { pending?: PendingRequestId; settled(): void } {
  const pending = request.pendingRequestId;
  return { pending, settled: () => (request.pendingRequestId = undefined) };
}

/**
 * A preValidation hook: the signature is complete once the raw bytes are read and before the body is
 * validated against its schema, so an unsigned request is refused as unsigned, not as malformed. A route
 * that uses it also gets `checkOfficeHeaders` as an onRequest hook (see `installOfficeAuth`).
 */
export const signedByOffice = (ctx: CentralContext, options: SignedOptions = {}): SignedHook =>
  Object.assign(
    async (request: FastifyRequest) => {
      request.officeId = await authenticateOffice(ctx, request);
    },
    { [SIGNED_BY_OFFICE]: { ctx, options } },
  );

/**
 * Gives every route whose preValidation is `signedByOffice` an onRequest check of its headers, so no signed
 * route can forget to authenticate before reading its body. A refusal there also closes the connection
 * (see `closeAfterAnswer`): the client's unread upload is dropped with the socket, not read to its end.
 */
export function installOfficeAuth(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const hooks = [route.preValidation ?? []].flat() as SignedHook[];
    const signed = hooks.find((hook) => hook[SIGNED_BY_OFFICE])?.[SIGNED_BY_OFFICE];
    if (!signed) return;
    const { ctx, options } = signed;
    const checkHeaders: onRequestHookHandler = async (request, reply) => {
      try {
        request.officeClaim = await checkOfficeHeaders(ctx, request, options);
      } catch (error) {
        closeAfterAnswer(request, reply);
        throw error;
      }
    };
    route.onRequest = [...[route.onRequest ?? []].flat(), checkHeaders];
    if (options.requestIdInTransaction) {
      // A request id the route did not remember (it failed before or in its transaction) is remembered before
      // the answer leaves, so a replay of this request is refused whatever its first answer was.
      const rememberPending: onSendHookHandler = async (request, _reply, payload) => {
        const pending = request.pendingRequestId;
        if (pending) {
          request.pendingRequestId = undefined;
          await rememberRequestId(ctx.db, pending.officeId, pending.requestId, pending.expiresAt);
        }
        return payload;
      };
      route.onSend = [...[route.onSend ?? []].flat(), rememberPending];
    }
  });
}

/** The verified signer of a request behind `signedByOffice`. */
export function signerOf(request: FastifyRequest): string {
  if (!request.officeId) throw new Error('route is missing the signedByOffice hook');
  return request.officeId;
}
