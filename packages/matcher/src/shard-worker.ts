import { parentPort, workerData } from 'node:worker_threads';
import { BitSamplingIndex, type BitSamplingOptions } from './bit-sampling-index.ts';
import type { ShardRequest, ShardResponse } from './sharded-matcher.ts';
import { openSealedPage, pageWords, sealedOpener, type SealedOpener } from './sealed-sets.ts';

/** One shard of the gallery in its own thread: an index over the people whose record ids hash to it. */
const index = new BitSamplingIndex(workerData as BitSamplingOptions);
const port = parentPort!;
let open: SealedOpener | undefined;
/** A loaded page is opened into these, then copied into the index: kept from page to page. */
let pageWordsBuffer = new Uint32Array(0);
let pageMasks = new Uint16Array(0);

port.on('message', (request: ShardRequest) => {
  let response: ShardResponse;
  try {
    switch (request.op) {
      case 'add':
        index.addPacked(request.ids, request.words, request.masks);
        response = { id: request.id, ok: true, size: index.size };
        break;
      case 'opener':
        open = sealedOpener(request.layout);
        response = { id: request.id, ok: true };
        break;
      case 'load': {
        if (!open) throw new Error('sealed people sent before their opener');
        const started = performance.now();
        const people = request.ids.length;
        if (pageMasks.length < people) {
          pageWordsBuffer = new Uint32Array(pageWords(people));
          pageMasks = new Uint16Array(people);
        }
        const words = pageWordsBuffer.subarray(0, pageWords(people));
        const masks = pageMasks.subarray(0, people);
        openSealedPage(request, open, words, masks);
        const opened = performance.now();
        index.addPacked(request.ids, words, masks);
        response = { id: request.id, ok: true, size: index.size, unsealMs: opened - started, indexMs: performance.now() - opened };
        break;
      }
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
