import { parentPort, workerData } from 'node:worker_threads';
import { BitSamplingIndex, type BitSamplingOptions } from './bit-sampling-index.ts';
import type { ShardRequest, ShardResponse } from './sharded-matcher.ts';

/** One shard of the gallery in its own thread: an index over the people whose record ids hash to it. */
const index = new BitSamplingIndex(workerData as BitSamplingOptions);
const port = parentPort!;

port.on('message', (request: ShardRequest) => {
  let response: ShardResponse;
  try {
    switch (request.op) {
      case 'add':
        index.addPacked(request.ids, request.words, request.masks);
        response = { id: request.id, ok: true, size: index.size };
        break;
      case 'search':
        response = {
          id: request.id,
          ok: true,
          candidates: index.searchPacked({ words: request.words, bytes: new Uint8Array(request.words.buffer, request.words.byteOffset, 384), mask: request.mask }, request.options),
        };
        break;
      case 'searchMany':
        response = { id: request.id, ok: true, answers: index.searchManyPacked(request.words, request.masks, request.exclude, request.options) } as ShardResponse;
        break;
      case 'scan':
        response = {
          id: request.id,
          ok: true,
          candidates: index.scanPacked({ words: request.words, bytes: new Uint8Array(request.words.buffer, request.words.byteOffset, 384), mask: request.mask }, request.options),
        };
        break;
      case 'stats':
        response = { id: request.id, ok: true, size: index.size, bytes: index.bytes };
        break;
    }
  } catch (error) {
    response = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(response);
});
