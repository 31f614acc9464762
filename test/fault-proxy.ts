/**
 * A TCP proxy that breaks the office ↔ centre link on purpose (ARCHITECTURE.md principle 7). It sits
 * between the office's sync worker and the centre and, while a fault is switched on:
 *   - latency: holds every chunk for `latencyMs` (± `jitterMs`) in each direction, keeping byte order;
 *   - resets: an exchange, with probability `resetRate`, has its connection reset (RST) after a random number of bytes,
 *     in the middle of a request or of a response;
 *   - truncation: an exchange, with probability `truncateRate`, has its response cut after a random
 *     number of bytes and then closed cleanly (FIN), so the client reads a short body;
 *   - partition 'refuse': the port stops listening (ECONNREFUSED) and open connections are reset;
 *   - partition 'blackhole': connections stay open but nothing moves either way until the partition
 *     ends, when the held bytes are delivered (as TCP would retransmit them) — unless the client gave up.
 * Written on node:net rather than with a fault-injection tool (toxiproxy and the like) because a test
 * must run on a bare machine with nothing but Node, and the faults have to follow a seeded schedule.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { seededRandom } from './helpers.ts';

export interface FaultSettings {
  latencyMs?: number;
  jitterMs?: number;
  /** Probability that an exchange (request and answer) is reset after a random number of bytes. */
  resetRate?: number;
  /** Probability that an exchange's answer is cut short (then FIN) after a random number of bytes. */
  truncateRate?: number;
  partition?: 'refuse' | 'blackhole';
}

export interface FaultStats {
  connections: number;
  resets: number;
  truncations: number;
  refusedPeriods: number;
  /** Chunks held by a blackhole (either direction). */
  blackholedChunks: number;
  delayedChunks: number;
}

/** Where a connection is cut, drawn when it opens under the settings of that moment. */
interface Doom {
  kind: 'reset' | 'truncate';
  direction: 'request' | 'response';
  afterBytes: number;
}

interface Link {
  client: Socket;
  upstream?: Socket;
  doom?: Doom;
  bytes: { request: number; response: number };
  /** Chunks waiting for their delivery time or for a partition to end, per direction. */
  held: { request: Buffer[]; response: Buffer[] };
  /** When the previous chunk of each direction is delivered: latency must not reorder bytes. */
  lastDue: { request: number; response: number };
  /** Which side spoke last: a request after an answer starts a new exchange. */
  lastDirection?: 'request' | 'response';
  closed: boolean;
}

/**
 * Where an exchange is cut: log-uniform from 1 byte to 8 KiB, so short answers (a push's acknowledgement is
 * a few hundred bytes with its headers) are cut as often as long ones, inside the headers or the body.
 */
const cutOffset = (random: ReturnType<typeof seededRandom>) => random.int(1, 2 ** random.int(1, 13));

export class FaultProxy {
  private settings: FaultSettings = {};
  private readonly links = new Set<Link>();
  private server: Server;
  private listening = Promise.resolve();
  readonly stats: FaultStats = { connections: 0, resets: 0, truncations: 0, refusedPeriods: 0, blackholedChunks: 0, delayedChunks: 0 };
  private readonly random: ReturnType<typeof seededRandom>;

  private constructor(
    /** 0 until the first listen; then the same port for every re-listen after a 'refuse' partition. */
    private boundPort: number,
    private readonly target: { host: string; port: number },
    seed: number,
  ) {
    this.random = seededRandom(seed);
    this.server = this.makeServer();
  }

  /** Listens on `port` (0: any free port) and forwards to `target`. */
  static async start(target: { host?: string; port: number }, options: { port?: number; seed?: number } = {}): Promise<FaultProxy> {
    const proxy = new FaultProxy(options.port ?? 0, { host: target.host ?? '127.0.0.1', port: target.port }, options.seed ?? 1);
    proxy.boundPort = await proxy.listen();
    return proxy;
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get current(): FaultSettings {
    return { ...this.settings };
  }

  /** Switches to new faults; `{}` is a healthy link. Held bytes move on when a blackhole ends. */
  async set(settings: FaultSettings): Promise<void> {
    const was = this.settings.partition;
    this.settings = { ...settings };
    if (settings.partition === 'refuse' && was !== 'refuse') {
      this.stats.refusedPeriods += 1;
      await this.listening;
      this.listening = new Promise<void>((resolve) => this.server.close(() => resolve()));
      for (const link of this.links) this.kill(link, 'reset');
    } else if (was === 'refuse' && settings.partition !== 'refuse') {
      await this.listening;
      this.server = this.makeServer();
      this.listening = this.listen().then(() => undefined);
    }
    await this.listening;
    if (settings.partition !== 'blackhole' && was === 'blackhole') {
      for (const link of this.links) {
        if (!link.upstream) this.openUpstream(link);
        this.flush(link, 'request');
        this.flush(link, 'response');
      }
    }
  }

  heal(): Promise<void> {
    return this.set({});
  }

  async close(): Promise<void> {
    for (const link of this.links) this.kill(link, 'reset');
    await this.listening;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private makeServer(): Server {
    return createServer({ noDelay: true }, (client) => this.accept(client));
  }

  private listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.boundPort, '127.0.0.1', () => {
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : this.boundPort);
      });
    });
  }

  private accept(client: Socket): void {
    this.stats.connections += 1;
    const link: Link = { client, bytes: { request: 0, response: 0 }, held: { request: [], response: [] }, lastDue: { request: 0, response: 0 }, closed: false };
    this.links.add(link);
    client.on('data', (chunk: Buffer) => this.carry(link, 'request', chunk));
    client.on('error', () => this.kill(link, 'reset'));
    client.on('close', () => this.kill(link, 'reset'));
    if (this.settings.partition === 'blackhole') {
      // Accepted, then silence: the client's request waits like one sent into a dead route.
      return;
    }
    this.openUpstream(link);
  }

  private openUpstream(link: Link): void {
    if (link.closed) return;
    const upstream = connect({ host: this.target.host, port: this.target.port, noDelay: true });
    link.upstream = upstream;
    upstream.on('data', (chunk: Buffer) => this.carry(link, 'response', chunk));
    upstream.on('error', () => this.kill(link, 'reset'));
    // The centre closed its side (or died): pass the close on once the held bytes are out.
    upstream.on('end', () => this.whenDrained(link, 'response', () => link.client.end()));
    upstream.on('close', () => this.whenDrained(link, 'response', () => this.kill(link, 'end')));
  }

  /**
   * Connections are kept alive across many requests, so the fate of each exchange (a request and its
   * answer) is drawn when it starts — when the client speaks after the centre did — under the settings of
   * that moment, not once per connection.
   */
  private startExchange(link: Link): void {
    link.bytes = { request: 0, response: 0 };
    link.doom = undefined;
    const { resetRate = 0, truncateRate = 0 } = this.settings;
    const draw = this.random.next();
    if (draw < resetRate) {
      link.doom = { kind: 'reset', direction: this.random.next() < 0.5 ? 'request' : 'response', afterBytes: cutOffset(this.random) };
    } else if (draw < resetRate + truncateRate) {
      link.doom = { kind: 'truncate', direction: 'response', afterBytes: cutOffset(this.random) };
    }
  }

  /** Queues a chunk for its direction, applying the doom (cut) and latency of this moment. */
  private carry(link: Link, direction: 'request' | 'response', chunk: Buffer): void {
    if (link.closed) return;
    if (direction === 'request' && link.lastDirection !== 'request') this.startExchange(link);
    link.lastDirection = direction;
    if (this.settings.partition === 'blackhole') this.stats.blackholedChunks += 1;
    let data = chunk;
    const doom = link.doom?.direction === direction ? link.doom : undefined;
    if (doom) {
      const room = doom.afterBytes - link.bytes[direction];
      if (room <= 0) return;
      if (data.length >= room) {
        data = data.subarray(0, room);
        link.held[direction].push(data);
        link.bytes[direction] += data.length;
        this.schedule(link, direction, () => this.cut(link, doom.kind));
        return;
      }
    }
    link.bytes[direction] += data.length;
    link.held[direction].push(data);
    this.schedule(link, direction);
  }

  /** Delivers the held chunks of one direction after the current latency, in order. */
  private schedule(link: Link, direction: 'request' | 'response', then?: () => void): void {
    const { latencyMs = 0, jitterMs = 0 } = this.settings;
    const delay = latencyMs + (jitterMs > 0 ? this.random.int(0, jitterMs) : 0);
    const due = Math.max(Date.now() + delay, link.lastDue[direction]);
    link.lastDue[direction] = due;
    if (delay > 0) this.stats.delayedChunks += 1;
    const count = link.held[direction].length;
    const go = () => {
      this.flush(link, direction, count);
      then?.();
    };
    if (due <= Date.now()) go();
    else setTimeout(go, due - Date.now());
  }

  /** Writes out held chunks (at most `upTo` of them) unless a blackhole holds them. */
  private flush(link: Link, direction: 'request' | 'response', upTo = Infinity): void {
    if (link.closed || this.settings.partition === 'blackhole') return;
    const out = direction === 'request' ? link.upstream : link.client;
    if (!out) return;
    const queue = link.held[direction];
    let n = Math.min(upTo, queue.length);
    while (n-- > 0) out.write(queue.shift()!);
  }

  private whenDrained(link: Link, direction: 'request' | 'response', action: () => void): void {
    const check = () => {
      if (link.closed) return;
      if (link.held[direction].length === 0) action();
      else setTimeout(check, 20);
    };
    check();
  }

  private cut(link: Link, kind: 'reset' | 'truncate'): void {
    if (link.closed) return;
    if (kind === 'reset') this.stats.resets += 1;
    else this.stats.truncations += 1;
    this.kill(link, kind === 'reset' ? 'reset' : 'end');
  }

  /** Ends a link: 'reset' sends RST both ways, 'end' closes the client's side cleanly after what was written. */
  private kill(link: Link, how: 'reset' | 'end'): void {
    if (link.closed) return;
    link.closed = true;
    this.links.delete(link);
    if (how === 'reset') {
      if (!link.client.destroyed) link.client.resetAndDestroy();
      if (link.upstream && !link.upstream.destroyed) link.upstream.resetAndDestroy();
    } else {
      link.client.end();
      link.upstream?.destroy();
    }
  }
}
