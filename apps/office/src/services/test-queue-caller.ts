/**
 * A counter process for the multi-process queue test: opens the office at argv[2] with its clock at
 * argv[3], and at each counter of argv[4] (comma-separated ids) calls and finishes tickets until none waits,
 * all counters at once — after printing "ready" and reading "go" on stdin, so that every process starts
 * calling at the same moment. Prints the ids it was given, one JSON line, and exits.
 */
import { openOffice } from '../runtime.ts';
import { officeSessionStore } from '../repositories/users.ts';
import { callNext, finishTicket } from './queue.ts';

const [location, clock, counters] = process.argv.slice(2) as [string, string, string];
const { ctx, handle } = await openOffice(location);
const at = new Date(clock);
ctx.now = () => at;
const operator = (await officeSessionStore(ctx.db).findLogin('operator'))!.user;
const called: string[] = [];
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
await Promise.all(
  counters.split(',').map(async (id) => {
    for (;;) {
      const result = await callNext(ctx, id, operator);
      if (!result.ticket) return;
      called.push(result.ticket.id);
      await finishTicket(ctx, id, operator);
    }
  }),
);
await handle.close();
process.stdout.write(`${JSON.stringify(called)}\n`);
process.exit(0);
