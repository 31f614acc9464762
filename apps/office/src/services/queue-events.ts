import { EventEmitter } from 'node:events';
import type { QueueCallEvent } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';

/**
 * What the board's event stream hears in this process: a call (with its text and audio URL) and "something
 * changed at this site" (a ticket issued, a counter opened or closed, a ticket finished) after which the
 * board — waits included — is computed again. The counters and the board are served by the same API
 * process; a board in another process polls the JSON instead.
 */
export interface QueueEventMap {
  call: [siteId: string, call: QueueCallEvent];
  change: [siteId: string];
}

const emitters = new WeakMap<OfficeContext, EventEmitter<QueueEventMap>>();

export function queueEvents(ctx: OfficeContext): EventEmitter<QueueEventMap> {
  let e = emitters.get(ctx);
  if (!e) {
    e = new EventEmitter<QueueEventMap>();
    e.setMaxListeners(0);
    emitters.set(ctx, e);
  }
  return e;
}
