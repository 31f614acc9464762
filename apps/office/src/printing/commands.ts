import { execFile } from 'node:child_process';

/**
 * Running the print system's own commands (`lp`, `lpstat`): always by execFile with an argument list (no
 * shell, so a queue name or title cannot become a command), always with a time limit and an output limit,
 * in the C locale so their answers can be read, and with the document on stdin rather than a file path.
 */

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The command is not installed (ENOENT) — distinct from a command that ran and refused. */
export class CommandMissing extends Error {
  constructor(readonly command: string) {
    super(`${command}: not found`);
    this.name = 'CommandMissing';
  }
}

/** The command did not answer within its time limit and was killed. */
export class CommandTimedOut extends Error {
  constructor(
    readonly command: string,
    readonly ms: number,
  ) {
    super(`${command}: no answer within ${ms} ms`);
    this.name = 'CommandTimedOut';
  }
}

export interface RunOptions {
  timeoutMs: number;
  /** Bytes written to the command's stdin, then closed. */
  input?: Uint8Array;
  /** Largest stdout or stderr kept (bytes); more kills the command. */
  maxOutput?: number;
}

/** Runs `command args…`; resolves with its exit code and output whatever the code, rejects only when it could not run or answer. */
export function runCommand(command: string, args: readonly string[], options: RunOptions): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      {
        timeout: options.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: options.maxOutput ?? 1024 * 1024,
        encoding: 'utf8',
        windowsHide: true,
        env: { ...process.env, LANG: 'C', LC_ALL: 'C' },
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ code: 0, stdout, stderr });
        const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
        if (e.code === 'ENOENT') return reject(new CommandMissing(command));
        if (e.killed) return reject(new CommandTimedOut(command, options.timeoutMs));
        if (typeof e.code === 'number') return resolve({ code: e.code, stdout, stderr });
        reject(error);
      },
    );
    if (options.input) {
      // A command that exits without reading all of stdin closes the pipe: that is its answer, not a crash.
      child.stdin?.on('error', () => {});
      child.stdin?.end(options.input);
    } else child.stdin?.end();
  });
}
