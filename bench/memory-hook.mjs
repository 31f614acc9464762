// Preloaded into the nodes bench/office-memory.ts starts (NODE_OPTIONS="--import <this file>"): on SIGUSR2
// the process writes <TANGGUH_BENCH_MEMORY_FILE>.<pid>.json with process.memoryUsage() and V8's heap and
// heap-space figures, then collects garbage once (gc exposed at that moment, not at start) and adds the
// figures after it — what the heap holds versus what V8 merely had not collected yet. Nothing runs otherwise.
import { writeFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import { isMainThread } from 'node:worker_threads';

const out = process.env.TANGGUH_BENCH_MEMORY_FILE;
if (out && isMainThread) {
  process.on('SIGUSR2', () => {
    const before = process.memoryUsage();
    const heap = v8.getHeapStatistics();
    const spaces = v8.getHeapSpaceStatistics().map((s) => ({ name: s.space_name, used: s.space_used_size, size: s.space_size, physical: s.physical_space_size }));
    v8.setFlagsFromString('--expose-gc');
    vm.runInNewContext('gc')();
    const afterGc = process.memoryUsage();
    writeFileSync(`${out}.${process.pid}.json`, JSON.stringify({ before, heap, spaces, afterGc }));
  });
}
