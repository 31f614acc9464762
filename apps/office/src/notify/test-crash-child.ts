/**
 * A notifier process for the crash test: opens the office at argv[2], sends one batch of due messages and
 * exits. The test kills it (SIGKILL) while a provider holds its answer, i.e. after the message left and
 * before the process could record that it did.
 */
import { openOffice } from '../runtime.ts';
import { createNotifier } from './worker.ts';

const { ctx, handle } = await openOffice(process.argv[2]!);
const notifier = await createNotifier(ctx);
process.stdout.write('ready\n');
await notifier.dispatcher.runOnce();
await notifier.stop();
await handle.close();
process.stdout.write('finished\n');
