import { changesResponseSchema, pushBatchAsJson, pushFeedResultSchema, pushResultSchema, syncStateResponseSchema, type ChangesResponse, type PushBatch, type PushFeedResult, type PushResult } from '@tangguh/protocol';
import { CBOR_CONTENT_TYPE, encodeCbor, officeRequestHeaders } from '@tangguh/protocol/node';
import { centralFetch, describeFetchFailure, type CentralFetch } from './central-tls.ts';
import { tteHealthSchema, tteSignResponseSchema, type TteHealth, type TteSignRequest, type TteSignResponse } from '@tangguh/protocol';
import { printPackagesResponseSchema, type PrintPackagesResponse } from '@tangguh/protocol';
import { gallerySubsetResponseSchema, type GallerySubsetResponse } from '@tangguh/protocol';
import { blankAnswersResponseSchema, type BlankAnswersResponse } from '@tangguh/protocol';
import { centralReconcileResponseSchema, type CentralReconcileResponse } from '@tangguh/protocol';
import { tteEnrolmentSchema, tteEnrolmentStatusSchema, type TteEnrolment, type TteEnrolmentStatus, type TteEnrolRequest } from '@tangguh/protocol';

/** A failure talking to the centre, with what the operator should read. */
export class CentralUnavailable extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'CentralUnavailable';
  }
}

export interface CentralClientOptions {
  baseUrl: string;
  officeId: string;
  signingPrivateKey: string;
  timeoutMs?: number;
  /** The centre's TLS certificate (or CA) pinned at provisioning; required for an https baseUrl. */
  centralTlsCa?: string;
}

const TRUNCATED = 'jawaban pusat terpotong / truncated response from the centre';

/**
 * Reads an answer's body as JSON. The body arrives after the headers, so a link that breaks mid-answer fails
 * here, not in fetch: undici then throws its bare "terminated", which must reach the operator as what it is.
 */
export async function readCentralJson(response: Response): Promise<unknown> {
  const text = await readCentralText(response);
  try {
    return JSON.parse(text);
  } catch {
    throw new CentralUnavailable(TRUNCATED);
  }
}

/** The body as text; a body cut off (or timed out) on the way is a CentralUnavailable, never undici's own error. */
export async function readCentralText(response: Response): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    // The timeout covers the body as well: a centre that stops sending is unreachable, not truncated.
    if ((error as Error).name === 'TimeoutError') throw new CentralUnavailable('pusat tidak terjangkau / centre unreachable (TimeoutError)');
    throw new CentralUnavailable(TRUNCATED);
  }
}

interface SignedRequest {
  method: 'GET' | 'POST';
  path: string;
  body: string | Uint8Array;
  headers: Record<string, string>;
}

/** Signed HTTP calls from this office to the centre. */
export class CentralClient {
  private readonly fetch: CentralFetch;
  /** The centre answered a binary push with 415 (a release from before it): JSON from then on. */
  private binaryRefused = false;
  /** Until when the drain sends one batch at a time (see stopPipelining). */
  private pipelineOffUntil = 0;

  constructor(private readonly options: CentralClientOptions) {
    this.fetch = centralFetch(options.baseUrl, options.centralTlsCa);
  }

  async push(batch: PushBatch): Promise<PushResult> {
    return pushResultSchema.parse(await this.call('POST', '/sync/push', JSON.stringify(pushBatchAsJson(batch))));
  }

  /**
   * Pushes a batch and asks for the change-feed entries it appends, which the sync worker applies with the
   * acknowledgement. A centre from before the feed ignores the question and answers the plain result.
   */
  async pushWithFeed(batch: PushBatch): Promise<PushFeedResult> {
    return this.preparePush(batch)();
  }

  /**
   * Encodes and signs a push now and returns what sends it: the drain prepares the next batch while the centre
   * is still applying the one before, so that work is off the path between two batches. Binary (images and
   * sealed templates as bytes, no base64 at either end; see pushBatchSchema) unless the centre once answered
   * 415, a release from before it: then JSON from then on, and a prepared binary push refused so goes as JSON.
   */
  /** Whether the drain may send a batch while the one before it is still on the wire. */
  get pipelines(): boolean {
    return Date.now() >= this.pipelineOffUntil;
  }

  /**
   * The centre refused a pipelined push as a gap: a centre from before pipelining does not hold one for its
   * predecessor, and a batch lost on the way leaves the next one nothing to wait for. One batch at a time for
   * the next `ms`, then pipelining is tried again (once a minute costs an old centre one refused push).
   */
  stopPipelining(ms = 60_000): void {
    this.pipelineOffUntil = Date.now() + ms;
  }

  preparePush(batch: PushBatch, options: { pipelined?: boolean } = {}): () => Promise<PushFeedResult> {
    // Pipelined: sent while the batch before it may still be on its way or being applied, so the centre
    // waits a moment for that one instead of refusing the gap (a centre from before this ignores the flag).
    const path = options.pipelined ? '/sync/push?feed=1&pipelined=1' : '/sync/push?feed=1';
    if (this.binaryRefused) {
      const request = this.sign('POST', path, JSON.stringify(pushBatchAsJson(batch)));
      return async () => pushFeedResultSchema.parse(await this.send(request));
    }
    const request = this.sign('POST', path, encodeCbor(batch, 1 << 20), CBOR_CONTENT_TYPE);
    return async () => {
      try {
        return pushFeedResultSchema.parse(await this.send(request));
      } catch (error) {
        if (!(error instanceof CentralUnavailable && error.status === 415)) throw error;
        this.binaryRefused = true;
        return this.preparePush(batch, options)();
      }
    };
  }

  async changes(after: number, limit: number): Promise<ChangesResponse> {
    return changesResponseSchema.parse(await this.call('GET', `/sync/changes?after=${after}&limit=${limit}`, ''));
  }

  /** A page of this office's card print packages after a cursor. */
  async printPackages(after: number, limit: number): Promise<PrintPackagesResponse> {
    return printPackagesResponseSchema.parse(await this.call('GET', `/sync/print-packages?after=${after}&limit=${limit}`, ''));
  }

  /** A page of the kabupaten's gallery after a cursor, sealed to the office's gallery key (raw X25519, base64url). */
  async gallerySubset(after: number, limit: number, sealTo: string): Promise<GallerySubsetResponse> {
    return gallerySubsetResponseSchema.parse(await this.call('GET', `/sync/gallery-subset?after=${after}&limit=${limit}&sealTo=${sealTo}`, ''));
  }

  /** The centre's view of this office's records and events in [from, to], for the reconciliation report. */
  async reconcile(from: string, to: string): Promise<CentralReconcileResponse> {
    return centralReconcileResponseSchema.parse(await this.call('GET', `/sync/reconcile?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, ''));
  }

  /** A page of the centre's answers to this office's blank requests after a cursor. */
  async blankAnswers(after: number, limit: number): Promise<BlankAnswersResponse> {
    return blankAnswersResponseSchema.parse(await this.call('GET', `/sync/blank-requests/answers?after=${after}&limit=${limit}`, ''));
  }

  async appliedSeq(): Promise<number> {
    return syncStateResponseSchema.parse(await this.call('GET', '/sync/state', '')).appliedSeq;
  }

  /** Whether the centre's e-signature (TTE) service is up. */
  async tteHealth(): Promise<TteHealth> {
    return tteHealthSchema.parse(await this.call('GET', '/sync/tte/health', ''));
  }

  /** Asks the centre's TTE service to sign a batch of documents with the head's key. */
  async tteSign(request: TteSignRequest): Promise<TteSignResponse> {
    return tteSignResponseSchema.parse(await this.call('POST', '/sync/tte/sign', JSON.stringify(request)));
  }

  /** Forwards a head's browser-made key to the centre, where a centre admin approves it. */
  async tteEnrol(request: TteEnrolRequest): Promise<TteEnrolment> {
    return tteEnrolmentSchema.parse(await this.call('POST', '/sync/tte/enrolments', JSON.stringify(request)));
  }

  /** Whether the centre holds this person as the office's head, and their latest key enrolment. */
  async tteEnrolmentStatus(username: string): Promise<TteEnrolmentStatus> {
    return tteEnrolmentStatusSchema.parse(await this.call('GET', `/sync/tte/enrolments?username=${encodeURIComponent(username)}`, ''));
  }

  private call(method: 'GET' | 'POST', path: string, body: string | Uint8Array, contentType?: string): Promise<unknown> {
    return this.send(this.sign(method, path, body, contentType));
  }

  /** A request signed in the current protocol version, which it names in a header; sent by `send`. */
  private sign(method: 'GET' | 'POST', path: string, body: string | Uint8Array, contentType?: string): SignedRequest {
    const headers = officeRequestHeaders({ officeId: this.options.officeId, privateKey: this.options.signingPrivateKey }, method, path, body, undefined, undefined, contentType);
    return { method, path, body, headers };
  }

  private async send({ method, path, body, headers }: SignedRequest): Promise<unknown> {
    let response: Response;
    try {
      response = await this.fetch(new URL(path, this.options.baseUrl), {
        method,
        headers,
        // The bytes as they are (a Buffer from encodeCbor): the signature's hash covers exactly them.
        body: method === 'POST' ? (body as string | Uint8Array<ArrayBuffer>) : undefined,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new CentralUnavailable(describeFetchFailure(error));
    }
    const text = await readCentralText(response);
    if (!response.ok) {
      let code: string | undefined;
      let message = text.slice(0, 200);
      try {
        const parsed = JSON.parse(text) as { error?: { code?: string; messages?: { id: string; en: string } } };
        code = parsed.error?.code;
        if (parsed.error?.messages) message = `${parsed.error.messages.id} / ${parsed.error.messages.en}`;
      } catch {
        // A proxy's HTML error page: keep its first characters.
      }
      throw new CentralUnavailable(`HTTP ${response.status}: ${message}`, response.status, code);
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new CentralUnavailable(TRUNCATED);
    }
  }
}
