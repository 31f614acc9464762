import { CliUsageError, trustFetchCommand, verifyCommand } from './verify.ts';

/** Runs `verify` or `trust-fetch`; usage errors (and lists that cannot be had) exit with 2, never with a stack trace. */
export async function runVerifyCli(command: 'verify' | 'trust-fetch', args: string[]): Promise<number> {
  try {
    return command === 'verify' ? await verifyCommand(args) : await trustFetchCommand(args);
  } catch (error) {
    const parseError = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (error instanceof CliUsageError || parseError) {
      process.stderr.write(`${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}
