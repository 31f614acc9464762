import { useEffect, useState } from 'react';
import { publicStatusSchema, type PublicStatus } from '@tangguh/protocol';
import { contractApi } from '../../api.ts';
import { followLiveStream } from '../../live-stream.ts';

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
    let got = false;
    const accept = (next: PublicStatus) => {
      got = true;
      // An older version arriving late (a poll racing the stream) never replaces a newer one.
      setStatus((current) => (current && current.version > next.version ? current : next));
      setFailed(false);
    };
    return followLiveStream({
      streamUrl: '/api/status/stream',
      events: {
        status: (data) => {
          const parsed = publicStatusSchema.safeParse(JSON.parse(data));
          if (parsed.success) accept(parsed.data);
          return true;
        },
      },
      poll: async (signal) => accept(await contractApi.get(publicStatusSchema, '/api/status', signal)),
      pollMs: POLL_MS,
      onPolled: (ok) => {
        if (!ok) setFailed(true);
      },
      onLive: () => setLive(true),
      onBroken: () => setLive(false),
      received: () => got,
    });
  }, []);

  return { status, live, failed };
}
