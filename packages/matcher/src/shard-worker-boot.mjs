// A worker thread's entry: registers the TypeScript loader in this thread (a `--import tsx` in a worker's
// execArgv does not reach its module loading on Node 20), then runs the shard.
import { register } from 'tsx/esm/api';

register();
await import('./shard-worker.ts');
