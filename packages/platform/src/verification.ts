import type { FastifyInstance, FastifyRequest } from 'fastify';
import { imageBudgetRefusal, imageHeader, UploadRefusedError, type VerificationResult } from '@tangguh/credential';
import { uploadKind } from '@tangguh/credential/node';
import { DomainError, type Bilingual } from '@tangguh/domain';
import { API_KEY_HEADER, CREDENTIAL_TEXT_MAX, verificationRoutes, type VerificationResponse, type VerifyRequest } from '@tangguh/protocol';
import { typed } from './contract.ts';
import { sendError } from './http-errors.ts';
import { closeUploadPool, decodeUploadOffThread } from './upload-pool.ts';

export { CREDENTIAL_TEXT_MAX };
export const VERIFY_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

const badText = (code: string, id: string, en: string) => new DomainError(code, { id, en });

/** The text of a credential from a JSON body `{ text }` or a plain-text body. */
function credentialText(body: VerifyRequest): string {
  const raw = typeof body === 'string' ? body : body.text;
  const text = raw?.trim();
  if (!text) throw badText('CREDENTIAL_TEXT_MISSING', 'Kirim teks QR dalam isian "text".', 'Send the QR text in the "text" field.');
  if (text.length > CREDENTIAL_TEXT_MAX) {
    throw badText('CREDENTIAL_TEXT_TOO_LONG', `Teks QR terlalu panjang (lebih dari ${CREDENTIAL_TEXT_MAX} karakter); ini bukan dokumen Tangguh.`, `The QR text is too long (over ${CREDENTIAL_TEXT_MAX} characters); it is not a Tangguh document.`);
  }
  return text;
}

export { uploadKind };

/**
 * The credential text in an uploaded photo, scan or PDF; null when there is none to read. The kind and an
 * image's declared size are checked here (a few bytes); the decoding itself runs in the upload pool.
 * Throws UploadRefusedError for a file over the limits.
 */
export async function credentialFromUpload(bytes: Uint8Array): Promise<string | null> {
  const kind = uploadKind(bytes);
  if (!kind) {
    throw badText('UPLOAD_UNSUPPORTED', 'Unggah foto PNG atau JPEG, atau berkas PDF dokumen.', 'Upload a PNG or JPEG photo, or the document PDF.');
  }
  const header = kind === 'pdf' ? undefined : imageHeader(bytes);
  const refusal = header && imageBudgetRefusal(header);
  if (refusal) throw new UploadRefusedError(refusal);
  return decodeUploadOffThread(bytes, kind === 'pdf');
}

/** What a node's verifier answers: the credential's verdict and when the node fetched the lists it used. */
export type NodeVerification = VerificationResult & { listsFetchedAt: VerificationResponse['listsFetchedAt'] };

/** The verdict as the API shows it: the face image, bytes inside the credential, travels as base64. */
export function presentVerification(result: NodeVerification): VerificationResponse {
  const { claims, ...rest } = result;
  if (!claims) return rest;
  const { img, ...fields } = claims;
  return { ...rest, claims: img ? { ...fields, img: Buffer.from(img).toString('base64') } : fields };
}

/** A node's answer to a request that carries an API key: go on, or refuse with this status and message. */
export type ApiKeyVerdict = { ok: true } | { ok: false; status: 401 | 429; code: string; messages: Bilingual; retryAfterSeconds?: number };

export interface VerificationOptions {
  /** Checks and counts an institution's API key; without it (the centre), a key is ignored and the address limit applies. */
  apiKeys?: (key: string) => Promise<ApiKeyVerdict>;
}

/** The key of a request, from `Authorization: Bearer <key>` or `x-api-key: <key>`. */
export function presentedApiKey(request: FastifyRequest): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  const header = request.headers[API_KEY_HEADER];
  const key = bearer ?? (typeof header === 'string' ? header.trim() : undefined);
  return key ? key : undefined;
}

/**
 * The public verification API shared by the office and the centre: POST /api/verifikasi { text } and
 * POST /api/verifikasi/gambar (a raw PNG, JPEG or PDF body). `verify` answers with the node's verdict
 * and the age of the lists it used; it must never throw for a bad credential, only for a broken node.
 */
export async function installVerificationRoutes(app: FastifyInstance, verify: (text: string) => Promise<NodeVerification>, options: VerificationOptions = {}): Promise<void> {
  const { apiKeys } = options;
  app.addHook('onClose', closeUploadPool);
  // A request with a key is limited by that key's own quota (checked below), not by its address.
  const perAddress = (max: number) => ({ max, timeWindow: '1 minute', allowList: (request: FastifyRequest) => apiKeys !== undefined && presentedApiKey(request) !== undefined });
  await app.register(async (plain) => {
    const scope = typed(plain);
    if (apiKeys) {
      scope.addHook('onRequest', async (request, reply) => {
        const key = presentedApiKey(request);
        if (key === undefined) return;
        const verdict = await apiKeys(key);
        if (verdict.ok) return;
        if (verdict.retryAfterSeconds !== undefined) reply.header('retry-after', String(verdict.retryAfterSeconds));
        return sendError(reply, request, verdict.status, verdict.code, verdict.messages);
      });
    }
    // Too many checks from one address (a scraper, a loop): say so in both languages; anything else goes
    // on to the node's own error handler.
    scope.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
      if (error.statusCode !== 429) throw error;
      return sendError(reply, request, 429, 'TOO_MANY_CHECKS', {
        id: 'Terlalu banyak pemeriksaan dari alamat ini. Tunggu satu menit, lalu coba lagi.',
        en: 'Too many checks from this address. Wait a minute, then try again.',
      });
    });
    // '*' too: whatever a browser or scanner declares, the leading bytes decide (uploadKind).
    for (const type of ['image/png', 'image/jpeg', 'application/pdf', '*']) {
      scope.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: VERIFY_UPLOAD_MAX_BYTES }, (_request, body, done) => done(null, body));
    }

    scope.post('/api/verifikasi', { schema: verificationRoutes.text, bodyLimit: 64 * 1024, config: { rateLimit: perAddress(120) } }, async (request) => {
      return presentVerification(await verify(credentialText(request.body)));
    });

    scope.post('/api/verifikasi/gambar', { schema: verificationRoutes.image, bodyLimit: VERIFY_UPLOAD_MAX_BYTES, config: { rateLimit: perAddress(30) } }, async (request, reply) => {
      if (!(request.body instanceof Buffer) || request.body.length === 0) {
        throw badText('UPLOAD_MISSING', 'Kirim berkas foto (PNG/JPEG) atau PDF sebagai isi permintaan.', 'Send the photo (PNG/JPEG) or PDF file as the request body.');
      }
      let text: string | null;
      try {
        text = await credentialFromUpload(new Uint8Array(request.body));
      } catch (error) {
        if (!(error instanceof UploadRefusedError)) throw error;
        return sendError(reply, request, error.refusal.status, error.refusal.code, error.refusal.messages);
      }
      if (!text) {
        return sendError(reply, request, 422, 'QR_NOT_FOUND', {
          id: 'Tidak ada kode QR yang terbaca pada berkas ini. Foto ulang QR lebih dekat, tegak dan terang, atau unggah PDF aslinya.',
          en: 'No readable QR code was found in this file. Photograph the QR closer, straight and well lit, or upload the original PDF.',
        });
      }
      return presentVerification(await verify(text));
    });
  });
}
