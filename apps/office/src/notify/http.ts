import { ChannelError } from './types.ts';

/** Every HTTP call a channel makes: a deadline for the whole exchange and an answer read up to a bound. */
export interface HttpLimits {
  timeoutMs: number;
  maxResponseBytes: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = { timeoutMs: 10_000, maxResponseBytes: 64 * 1024 };

export interface HttpAnswer {
  status: number;
  text: string;
}

/**
 * POSTs to a gateway and reads at most `maxResponseBytes` of its answer: a gateway that streams forever or
 * answers with megabytes cannot hold a worker or its memory. A timeout or a refused connection is a
 * retryable ChannelError; the caller decides what a status means.
 */
export async function postBounded(url: string, headers: Record<string, string>, body: string, limits: HttpLimits = DEFAULT_HTTP_LIMITS): Promise<HttpAnswer> {
  // undici (about 5 MiB resident) is loaded at the first message, not at the office's start.
  const { request } = await import('undici');
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    const response = await request(url, {
      method: 'POST',
      headers,
      body,
      signal,
      // undici follows no redirects unless asked: a gateway cannot send us elsewhere.
      headersTimeout: limits.timeoutMs,
      bodyTimeout: limits.timeoutMs,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      const bytes = chunk as Buffer;
      size += bytes.length;
      if (size > limits.maxResponseBytes) {
        response.body.destroy();
        throw new ChannelError(`answer larger than ${limits.maxResponseBytes} bytes (status ${response.statusCode})`, false);
      }
      chunks.push(bytes);
    }
    return { status: response.statusCode, text: Buffer.concat(chunks).toString('utf8') };
  } catch (error) {
    if (error instanceof ChannelError) throw error;
    const reason = signal.aborted ? `no answer within ${limits.timeoutMs} ms` : (error as Error).message;
    throw new ChannelError(`${new URL(url).host}: ${reason}`, false);
  }
}

/** How a gateway's HTTP status is taken: 5xx, 408 and 429 are worth another try; other 4xx are not. */
export function statusFailure(status: number, text: string): ChannelError {
  const retryable = status >= 500 || status === 408 || status === 429;
  return new ChannelError(`HTTP ${status}: ${text.slice(0, 200)}`, !retryable);
}
