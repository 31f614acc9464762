import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '@tangguh/domain';
import { MIN_PROTOCOL_VERSION, PROTOCOL_VERSION, SIGNATURE_MAX_SKEW_MS, SYNC_HEADERS } from '@tangguh/protocol';
import { verifyOfficeRequest } from '@tangguh/protocol/node';
import type { CentralContext } from '../context.ts';
import { findOffice } from '../repositories/offices.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes of a JSON body, kept because an office signature covers them. */
    rawBody?: Buffer;
    /** The wire protocol version the office speaks (1 when it sends no header). */
    protocolVersion?: number;
    /** The office whose signature this request carries, once verified. */
    officeId?: string;
  }
}

/**
 * Reads the office's protocol version before anything else, so a request from an office too old (or too
 * new) for this centre is told so plainly instead of failing in some later, stranger way.
 */
export function installProtocolVersion(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/sync/')) return;
    const header = request.headers[SYNC_HEADERS.protocol];
    // Offices released before versioning send no header: they speak version 1.
    const version = header === undefined ? 1 : Number(header);
    if (!Number.isInteger(version) || version < MIN_PROTOCOL_VERSION || version > PROTOCOL_VERSION) {
      throw new DomainError('PROTOCOL_VERSION_UNSUPPORTED', {
        id: `Versi protokol ${String(header)} tidak didukung; pusat melayani versi ${MIN_PROTOCOL_VERSION}–${PROTOCOL_VERSION}. Perbarui perangkat lunak kantor.`,
        en: `Protocol version ${String(header)} is not supported; the centre serves versions ${MIN_PROTOCOL_VERSION}–${PROTOCOL_VERSION}. Update the office software.`,
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

const unauthenticated = (code: string, id: string, en: string) => new DomainError(code, { id, en }, 'unauthenticated');

/** Checks the office's signature (as its protocol version signs) and returns the office id. */
export async function authenticateOffice(ctx: CentralContext, request: FastifyRequest): Promise<string> {
  const officeId = request.headers[SYNC_HEADERS.office];
  const timestamp = request.headers[SYNC_HEADERS.timestamp];
  const signature = request.headers[SYNC_HEADERS.signature];
  if (typeof officeId !== 'string' || typeof timestamp !== 'string' || typeof signature !== 'string') {
    throw unauthenticated('SIGNATURE_MISSING', 'Permintaan tidak ditandatangani kantor.', 'The request is not signed by an office.');
  }
  const skew = Math.abs(Date.now() - Date.parse(timestamp));
  if (!Number.isFinite(skew) || skew > SIGNATURE_MAX_SKEW_MS) {
    throw unauthenticated('SIGNATURE_EXPIRED', 'Waktu tanda tangan di luar batas; periksa jam kantor.', 'Signature timestamp out of range; check the office clock.');
  }
  const office = await findOffice(ctx.db, officeId);
  const signed = { officeId, method: request.method, path: request.url, timestamp, body: request.rawBody ?? Buffer.alloc(0) };
  if (!office || !verifyOfficeRequest(office.public_key, signed, signature, request.protocolVersion ?? 1)) {
    throw unauthenticated('SIGNATURE_INVALID', 'Tanda tangan kantor tidak sah.', 'The office signature is not valid.');
  }
  return officeId;
}

/**
 * A preValidation hook: the signature is checked over the raw bytes after they are read and before the
 * body is validated against its schema, so an unsigned request is refused as unsigned, not as malformed.
 */
export const signedByOffice = (ctx: CentralContext) => async (request: FastifyRequest) => {
  request.officeId = await authenticateOffice(ctx, request);
};

/** The verified signer of a request behind `signedByOffice`. */
export function signerOf(request: FastifyRequest): string {
  if (!request.officeId) throw new Error('route is missing the signedByOffice hook');
  return request.officeId;
}
