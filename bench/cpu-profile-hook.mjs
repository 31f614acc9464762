// Preloaded into the nodes a benchmark starts (NODE_OPTIONS="--import <this file>", since NODE_OPTIONS may
// not carry --cpu-prof): samples the process's CPU with the inspector from start to exit and writes
// <TANGGUH_BENCH_PROFILE_DIR>/<pid>-<script>.cpuprofile when it exits.
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const dir = process.env.TANGGUH_BENCH_PROFILE_DIR;
if (dir && isMainThread) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  let written = false;
  process.on('exit', () => {
    if (written) return;
    written = true;
    // The inspector answers a session of the same thread synchronously, so this runs before the exit.
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      const script = (process.argv[1] ?? 'node').split('/').slice(-3).join('-').replace(/[^A-Za-z0-9_.-]/g, '');
      writeFileSync(`${dir}/${process.pid}-${script}.cpuprofile`, JSON.stringify(result.profile));
    });
  });
}
