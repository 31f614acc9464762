import { DomainError } from '@tangguh/domain';
import { CommandMissing, CommandTimedOut, runCommand, type CommandResult } from './commands.ts';
import type { CardPrinter, PrinterHealth, PrintSubmission } from './types.ts';

/**
 * A card printer behind CUPS, driven by CUPS' own `lp` and `lpstat` — a card printer's vendor driver sits
 * in CUPS like any other, and these two commands are maintained with it (the npm `ipp` client is not).
 * The PDF goes to `lp` on stdin, so no file of a resident's card is left in a temporary folder.
 */

/** A CUPS queue name as the office accepts it: letters, digits, '_' and '-' (CUPS allows more; the office does not need more). */
export const CUPS_QUEUE_NAME = /^[A-Za-z0-9_-]{1,127}$/;
/** What `lp` is told the medium is: the card itself (ID-1), so a driver without a card size does not scale it to A4. */
export const ID1_MEDIA = 'Custom.85.6x53.98mm';

export interface CupsPrinterOptions {
  /** `printers.id` in the office's database. */
  id: string;
  queue: string;
  /** `-o media=…` for each job; a card printer's own PPD may name its card size instead (e.g. CR80). */
  media?: string;
  /** Time limits for one `lp` (which carries the PDF) and one `lpstat`. */
  submitTimeoutMs?: number;
  statusTimeoutMs?: number;
  /** Where `lp` and `lpstat` are, when not on PATH. */
  lpCommand?: string;
  lpstatCommand?: string;
  /** CUPS' IPP test tool (Debian's cups brings it through cups-filters): tells a completed job from a cancelled one. */
  ipptoolCommand?: string;
  /** A CUPS server other than this machine's (`host[:port]`, passed as `-h`); by default the local scheduler. */
  server?: string;
}

const CUPS_SERVER_NAME = /^[A-Za-z0-9.[\]:_-]{1,255}$/;

const cupsMissing = (command: string) =>
  new DomainError(
    'PRINTER_CUPS_MISSING',
    { id: `CUPS tidak terpasang di server ini (perintah ${command} tidak ditemukan).`, en: `CUPS is not installed on this server (no ${command} command).` },
    'unavailable',
  );
const queueMissing = (queue: string) =>
  new DomainError('PRINTER_QUEUE_NOT_FOUND', { id: `Antrean printer CUPS "${queue}" tidak ada.`, en: `The CUPS printer queue "${queue}" does not exist.` }, 'unavailable');
const cupsRefused = (what: { id: string; en: string }, detail: string) =>
  new DomainError('PRINTER_CUPS_REFUSED', { id: `CUPS menolak ${what.id}: ${detail}`, en: `CUPS refused ${what.en}: ${detail}` }, 'unavailable');
const JOB = { id: 'pekerjaan cetak', en: 'the print job' };
const STATUS = { id: 'permintaan status', en: 'the status request' };
const cupsNotRunning = () =>
  new DomainError('PRINTER_CUPS_NOT_RUNNING', { id: 'Layanan CUPS (cupsd) tidak berjalan atau tidak dapat dihubungi.', en: 'The CUPS scheduler (cupsd) is not running or cannot be reached.' }, 'unavailable');
const both = (error: DomainError) => `${error.messages.id} / ${error.messages.en}`;
const cupsSilent = (command: string, ms: number) =>
  new DomainError('PRINTER_CUPS_TIMEOUT', { id: `CUPS tidak menjawab dalam ${ms} ms (${command}).`, en: `CUPS did not answer within ${ms} ms (${command}).` }, 'unavailable');

/** What `lp`/`lpstat` say about a queue that does not exist (CUPS 2.x, C locale). */
const NO_SUCH_QUEUE = /does not exist|Invalid destination name|Unknown destination|not found/i;

const firstLine = (result: CommandResult) => (result.stderr.trim() || result.stdout.trim()).split('\n')[0]!.replace(/^(lp|lpstat):\s*(Error -\s*)?/, '');

export class CupsPrinter implements CardPrinter {
  readonly id: string;
  readonly kind = 'cups' as const;
  readonly queue: string;
  private readonly options: Required<Omit<CupsPrinterOptions, 'id' | 'queue' | 'server'>>;
  /** `-h server` before every lp/lpstat argument list, or nothing for the local scheduler. */
  private readonly host: string[];

  constructor(options: CupsPrinterOptions) {
    if (!CUPS_QUEUE_NAME.test(options.queue)) throw new RangeError(`not a CUPS queue name: ${JSON.stringify(options.queue)}`);
    if (options.server !== undefined && !CUPS_SERVER_NAME.test(options.server)) throw new RangeError(`not a CUPS server: ${JSON.stringify(options.server)}`);
    this.host = options.server ? ['-h', options.server] : [];
    this.id = options.id;
    this.queue = options.queue;
    this.options = {
      media: options.media ?? ID1_MEDIA,
      submitTimeoutMs: options.submitTimeoutMs ?? 30_000,
      statusTimeoutMs: options.statusTimeoutMs ?? 10_000,
      lpCommand: options.lpCommand ?? 'lp',
      lpstatCommand: options.lpstatCommand ?? 'lpstat',
      ipptoolCommand: options.ipptoolCommand ?? 'ipptool',
    };
  }

  private async run(command: string, args: string[], timeoutMs: number, input?: Uint8Array): Promise<CommandResult> {
    try {
      return await runCommand(command, [...this.host, ...args], { timeoutMs, input });
    } catch (error) {
      if (error instanceof CommandMissing) throw cupsMissing(command);
      if (error instanceof CommandTimedOut) throw cupsSilent(command, timeoutMs);
      throw error;
    }
  }

  /**
   * `lp` and `lpstat` answer "no such destination" both for a queue that does not exist and when they
   * cannot reach the scheduler at all; `lpstat -r` tells the two apart, so the message says which.
   */
  private async whyUnknown(): Promise<DomainError> {
    const status = await this.run(this.options.lpstatCommand, ['-r'], this.options.statusTimeoutMs);
    return /scheduler is running/.test(status.stdout) ? queueMissing(this.queue) : cupsNotRunning();
  }

  async submit(job: PrintSubmission): Promise<{ externalJobId: string }> {
    // The title shows in CUPS' queue and logs: a job id and a blank serial, kept to plain characters.
    const title = job.title.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 127) || 'card';
    const result = await this.run(this.options.lpCommand, ['-d', this.queue, '-t', title, '-o', `media=${this.options.media}`], this.options.submitTimeoutMs, job.pdf);
    if (result.code !== 0) {
      const detail = firstLine(result);
      if (NO_SUCH_QUEUE.test(detail)) throw await this.whyUnknown();
      throw cupsRefused(JOB, detail);
    }
    // "request id is Queue-42 (1 file(s))"
    const match = /request id is (\S+)/.exec(result.stdout);
    if (!match) throw cupsRefused(JOB, `unexpected answer from lp: ${result.stdout.trim().slice(0, 200)}`);
    return { externalJobId: match[1]! };
  }

  /** Job ids of this queue in an `lpstat -o` listing (first column of each job line). */
  private async jobsListed(args: string[]): Promise<Set<string>> {
    const result = await this.run(this.options.lpstatCommand, args, this.options.statusTimeoutMs);
    if (result.code !== 0 && result.stdout.trim() === '') {
      const detail = firstLine(result);
      if (NO_SUCH_QUEUE.test(detail)) throw await this.whyUnknown();
      if (detail) throw cupsRefused(STATUS, detail);
    }
    return new Set(result.stdout.split('\n').map((line) => line.split(/\s+/)[0]!).filter((id) => id.length > 0));
  }

  /**
   * From CUPS' own lists: waiting or printing while `lpstat -o` lists it; once `lpstat -W completed` lists
   * it, IPP's job-state (asked through `ipptool`) tells a card that came out (9) from a job cancelled at the
   * printer (7) or aborted by its driver (8) — `lpstat` lists all three alike. A job CUPS never had, or has
   * purged from its history, is `failed`: a card that cannot be shown to have printed is looked at by a
   * person, never counted as printed. Without ipptool, a listed completed job is taken as completed.
   */
  async jobState(externalJobId: string): Promise<'queued' | 'printing' | 'completed' | 'failed'> {
    if (!externalJobId.startsWith(`${this.queue}-`)) return 'failed';
    if ((await this.jobsListed(['-o', this.queue])).has(externalJobId)) {
      const printer = await this.run(this.options.lpstatCommand, ['-p', this.queue], this.options.statusTimeoutMs);
      return new RegExp(`now printing ${externalJobId}\\b`).test(printer.stdout) ? 'printing' : 'queued';
    }
    if (!(await this.jobsListed(['-W', 'completed', '-o', this.queue])).has(externalJobId)) return 'failed';
    const state = await this.ippJobState(externalJobId.slice(this.queue.length + 1));
    return state === undefined || state === 9 ? 'completed' : 'failed';
  }

  /** IPP job-state (3 pending … 7 canceled, 8 aborted, 9 completed) of a job of the local CUPS, or undefined when ipptool cannot tell. */
  private async ippJobState(jobNumber: string): Promise<number | undefined> {
    if (!/^\d+$/.test(jobNumber)) return undefined;
    // CUPS_SERVER may name a socket; IPP URIs need a host, and the local scheduler answers on localhost.
    const fromEnv = process.env['CUPS_SERVER'] && !process.env['CUPS_SERVER'].startsWith('/') ? process.env['CUPS_SERVER'] : undefined;
    const server = this.host[1] ?? fromEnv ?? 'localhost';
    try {
      const result = await runCommand(this.options.ipptoolCommand, ['-X', `ipp://${server}/jobs/${jobNumber}`, 'get-job-attributes.test'], { timeoutMs: this.options.statusTimeoutMs });
      const state = /<key>job-state<\/key>\s*<integer>(\d+)<\/integer>/.exec(result.stdout)?.[1];
      return state === undefined ? undefined : Number(state);
    } catch (error) {
      if (error instanceof CommandMissing || error instanceof CommandTimedOut) return undefined;
      throw error;
    }
  }

  /**
   * `lpstat -p Q -a Q`: a disabled (stopped) queue or one that refuses jobs is offline, with CUPS' reason
   * ("ribbon out", "Paused"); printing now is busy; idle is ready. A scheduler that is not running is
   * offline too (it may be started again); no CUPS installed or no such queue is an error a person must fix.
   */
  async health(): Promise<PrinterHealth> {
    let out: string;
    try {
      const result = await this.run(this.options.lpstatCommand, ['-p', this.queue, '-a', this.queue], this.options.statusTimeoutMs);
      out = result.stdout;
      if (out.trim() === '') throw await this.whyUnknown();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { state: error.code === 'PRINTER_CUPS_NOT_RUNNING' || error.code === 'PRINTER_CUPS_TIMEOUT' ? 'offline' : 'error', detail: both(error) };
    }
    // A reason is the indented line after the status line it belongs to.
    const reasonAfter = (pattern: RegExp) => {
      const lines = out.split('\n');
      const at = lines.findIndex((line) => pattern.test(line));
      const next = lines[at + 1];
      return at >= 0 && next && /^\s/.test(next) ? next.trim() : '';
    };
    const disabled = new RegExp(`^printer ${this.queue} disabled`, 'm');
    if (disabled.test(out)) return { state: 'offline', detail: `disabled${reasonAfter(disabled) ? `: ${reasonAfter(disabled)}` : ''}` };
    const rejecting = new RegExp(`^${this.queue} not accepting`, 'm');
    if (rejecting.test(out)) return { state: 'offline', detail: `not accepting jobs${reasonAfter(rejecting) ? `: ${reasonAfter(rejecting)}` : ''}` };
    if (new RegExp(`^printer ${this.queue} now printing`, 'm').test(out)) return { state: 'busy' };
    if (new RegExp(`^printer ${this.queue} is idle`, 'm').test(out)) return { state: 'ready' };
    return { state: 'error', detail: `unexpected answer from lpstat: ${out.trim().slice(0, 200)}` };
  }
}
