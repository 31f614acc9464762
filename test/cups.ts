/**
 * A real CUPS for tests: the scheduler started if it is not running (Debian's cups starts without systemd:
 * `cupsd` forks into the background), a queue on the cups-pdf virtual printer — as a card printer's driver
 * would sit in CUPS — and the PDF it wrote found and read back. Nothing here is skipped when CUPS is
 * missing: the test fails and says what to install.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { CommandMissing, runCommand } from '../apps/office/src/printing/commands.ts';

export const TEST_QUEUE = 'TangguhTestPDF';
const INSTALL = 'install it: apt-get install cups printer-driver-cups-pdf';

async function cups(command: string, args: string[], timeoutMs = 15_000) {
  try {
    return await runCommand(command, args, { timeoutMs });
  } catch (error) {
    if (error instanceof CommandMissing) throw new Error(`CUPS is missing (no ${command}); ${INSTALL}`, { cause: error });
    throw error;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function schedulerRunning(): Promise<boolean> {
  const status = await cups('lpstat', ['-r']);
  return /scheduler is running/.test(status.stdout);
}

/** Starts `cupsd` when `lpstat -r` says it is not running, and waits (up to 20 s) until it answers. */
export async function ensureCupsRunning(): Promise<void> {
  if (await schedulerRunning()) return;
  if (!existsSync('/usr/sbin/cupsd')) throw new Error(`CUPS is missing (no /usr/sbin/cupsd); ${INSTALL}`);
  const started = await cups('/usr/sbin/cupsd', []);
  if (started.code !== 0) throw new Error(`cupsd did not start (exit ${started.code}): ${started.stderr.trim()} — it needs root`);
  for (let waited = 0; waited < 20_000; waited += 250) {
    if (await schedulerRunning()) return;
    await sleep(250);
  }
  throw new Error('cupsd was started but does not answer lpstat -r within 20 s');
}

/** The cups-pdf PPD as CUPS names it (`lpinfo -m`), the one with options if both are there. */
async function cupsPdfPpd(): Promise<string> {
  const models = (await cups('lpinfo', ['-m'], 60_000)).stdout.split('\n').map((line) => line.split(' ')[0]!);
  const pdf = models.filter((m) => /cups-pdf/i.test(m));
  const chosen = pdf.find((m) => /_opt\.ppd$/i.test(m)) ?? pdf[0];
  if (!chosen) throw new Error(`no cups-pdf driver in lpinfo -m; ${INSTALL}`);
  return chosen;
}

/** Creates (or re-creates) the test queue on the cups-pdf backend, enabled and accepting jobs. */
export async function ensurePdfQueue(queue = TEST_QUEUE): Promise<string> {
  await ensureCupsRunning();
  const made = await cups('lpadmin', ['-p', queue, '-E', '-v', 'cups-pdf:/', '-m', await cupsPdfPpd()]);
  if (made.code !== 0) throw new Error(`lpadmin could not create ${queue}: ${made.stderr.trim()}`);
  // -E enables it; a previous test run may have left it stopped or refusing jobs.
  await cups('cupsenable', [queue]);
  await cups('cupsaccept', [queue]);
  return queue;
}

/** Where cups-pdf writes this user's PDFs: `Out` of /etc/cups/cups-pdf.conf (${HOME}/PDF by default). */
export function cupsPdfOutDir(): string {
  const conf = existsSync('/etc/cups/cups-pdf.conf') ? readFileSync('/etc/cups/cups-pdf.conf', 'utf8') : '';
  const out = /^\s*Out\s+(.+?)\s*$/m.exec(conf)?.[1] ?? '${HOME}/PDF';
  const me = userInfo();
  return out.replace(/\$\{HOME\}/g, me.homedir).replace(/\$\{USER\}/g, me.username);
}

/**
 * The PDF cups-pdf wrote for a job: it names the file `<title>-job_<n>.pdf` (or `<title>.pdf` without
 * labels), title characters outside [A-Za-z0-9._-] made '_'. Waits up to `timeoutMs` for it to appear.
 */
export async function cupsPdfOutput(jobId: string, title: string, timeoutMs = 30_000): Promise<Uint8Array> {
  const dir = cupsPdfOutDir();
  const n = /-(\d+)$/.exec(jobId)?.[1];
  const safeTitle = title.replace(/[^A-Za-z0-9._-]/g, '_');
  for (let waited = 0; waited <= timeoutMs; waited += 250) {
    const names = existsSync(dir) ? readdirSync(dir) : [];
    const byJob = names.find((name) => name.endsWith(`-job_${n}.pdf`) && name.startsWith(safeTitle));
    const byTitle = names.filter((name) => name.startsWith(safeTitle) && name.endsWith('.pdf')).sort((a, b) => statSync(join(dir, b)).mtimeMs - statSync(join(dir, a)).mtimeMs)[0];
    const found = byJob ?? byTitle;
    // Written by the backend, then closed: wait until its size settles.
    if (found) {
      const file = join(dir, found);
      const size = statSync(file).size;
      await sleep(200);
      if (size > 0 && statSync(file).size === size) return new Uint8Array(readFileSync(file));
    }
    await sleep(250);
  }
  throw new Error(`cups-pdf wrote no PDF for job ${jobId} ("${title}") in ${dir} within ${timeoutMs} ms`);
}

/** Removes what cups-pdf wrote for titles starting with `prefix` (a test's own jobs), so runs do not pile up. */
export function removeCupsPdfOutputs(prefix: string): void {
  const dir = cupsPdfOutDir();
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) if (name.startsWith(prefix) && name.endsWith('.pdf')) rmSync(join(dir, name), { force: true });
}

/** Runs a CUPS admin command (cupsenable, cupsdisable, cancel…) and fails loudly if it refuses. */
export async function cupsAdmin(command: string, args: string[]): Promise<void> {
  const result = await cups(command, args);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr.trim()}`);
}
