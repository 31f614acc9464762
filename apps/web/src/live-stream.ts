/**
 * How the live screens (the public status page, the TV board) follow the server: its event stream, and
 * polling instead while the stream is not there. The stream's first event marks it live and stops the polling;
 * a broken stream is retried by the browser itself, but one the server refused (CLOSED, e.g. 503 when full) is
 * not, so polling takes over. If nothing has arrived after 3 s, polling starts anyway for a first answer.
 * Returns the clean-up for the effect that calls it.
 */
export function followLiveStream(options: {
  streamUrl: string;
  /** The stream's events by name: each handles its data and says whether it shows the stream live. */
  events: Record<string, (data: string) => boolean>;
  /** One poll: fetches and takes the answer; throws when it failed. */
  poll: (signal: AbortSignal) => Promise<void>;
  pollMs: number;
  /** After each poll (unless stopped): whether it succeeded, and whether the stream is live meanwhile. */
  onPolled: (ok: boolean, streaming: boolean) => void;
  /** The stream is live. */
  onLive: () => void;
  /** The stream broke. */
  onBroken: () => void;
  /** Whether anything (from the stream or a poll) has been taken yet. */
  received: () => boolean;
}): () => void {
  const { streamUrl, events, poll, pollMs, onPolled, onLive, onBroken, received } = options;
  let stopped = false;
  let poller: ReturnType<typeof setTimeout> | undefined;
  let streaming = false;
  const controller = new AbortController();
  const pollOnce = async () => {
    let ok = true;
    try {
      await poll(controller.signal);
    } catch {
      ok = false;
    }
    if (!stopped) onPolled(ok, streaming);
    poller = undefined;
    if (!stopped && !streaming) poller = setTimeout(() => void pollOnce(), pollMs);
  };
  const startPolling = () => {
    if (poller === undefined && !stopped) void pollOnce();
  };
  let source: EventSource | undefined;
  if (typeof EventSource === 'function') {
    source = new EventSource(streamUrl);
    for (const [name, handle] of Object.entries(events)) {
      source.addEventListener(name, (event) => {
        if (!handle((event as MessageEvent<string>).data)) return;
        streaming = true;
        if (poller !== undefined) clearTimeout(poller);
        poller = undefined;
        onLive();
      });
    }
    source.onerror = () => {
      streaming = false;
      onBroken();
      if (source?.readyState === EventSource.CLOSED) startPolling();
    };
  } else {
    startPolling();
  }
  const first = setTimeout(() => {
    if (!received()) startPolling();
  }, 3_000);
  return () => {
    stopped = true;
    controller.abort();
    source?.close();
    clearTimeout(first);
    if (poller !== undefined) clearTimeout(poller);
  };
}
