import { useEffect, useState } from 'react';
import { publicStatusSchema, type PublicStatus } from '@tangguh/protocol';
import { contractApi } from '../../api.ts';

export const POLL_MS = 30_000;

/**
 * The public status, live: the server's event stream (EventSource) sends the whole status on connect and
 * on each change. When the stream is refused (too many connections) or not available, the page asks
 * GET /api/status every 30 s instead; the browser's own retry brings the stream back after a break.
 */
export function useLiveStatus(): { status: PublicStatus | undefined; live: boolean; failed: boolean } {
  const [status, setStatus] = useState<PublicStatus>();
  const [live, setLive] = useState(false);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let stopped = false;
    let poller: ReturnType<typeof setTimeout> | undefined;
    let got = false;
    let streaming = false;
    const controller = new AbortController();
    const accept = (next: PublicStatus) => {
      got = true;
      // An older version arriving late (a poll racing the stream) never replaces a newer one.
      setStatus((current) => (current && current.version > next.version ? current : next));
      setFailed(false);
    };
    const poll = async () => {
      try {
        accept(await contractApi.get(publicStatusSchema, '/api/status', controller.signal));
      } catch {
        if (!stopped) setFailed(true);
      }
      poller = undefined;
      if (!stopped && !streaming) poller = setTimeout(() => void poll(), POLL_MS);
    };
    const startPolling = () => {
      if (poller === undefined && !stopped) void poll();
    };
    let source: EventSource | undefined;
    if (typeof EventSource === 'function') {
      source = new EventSource('/api/status/stream');
      source.addEventListener('status', (event) => {
        const parsed = publicStatusSchema.safeParse(JSON.parse((event as MessageEvent<string>).data));
        if (parsed.success) accept(parsed.data);
        streaming = true;
        if (poller !== undefined) clearTimeout(poller);
        poller = undefined;
        setLive(true);
      });
      source.onerror = () => {
        streaming = false;
        setLive(false);
        // CLOSED: the server refused the stream (e.g. 503 when full); the browser will not retry by itself.
        if (source?.readyState === EventSource.CLOSED) startPolling();
      };
    } else {
      startPolling();
    }
    // A first answer even if the stream is slow to open.
    const first = setTimeout(() => {
      if (!got) startPolling();
    }, 3_000);
    return () => {
      stopped = true;
      controller.abort();
      source?.close();
      clearTimeout(first);
      if (poller !== undefined) clearTimeout(poller);
    };
  }, []);

  return { status, live, failed };
}
