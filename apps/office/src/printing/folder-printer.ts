import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { CardPrinter, PrinterHealth, PrintSubmission } from './types.ts';

/**
 * A printer that is a folder: each job becomes `<title>.pdf` in it. For the demo and for offices without a
 * CUPS queue yet (a person prints the PDFs by hand). Written to a temporary name, flushed, then renamed, so
 * whoever watches the folder never sees half a card.
 */

/** A title as a file name: plain characters only, so it can never name a path outside the folder. */
export const fileNameOf = (title: string) => `${title.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '_').slice(0, 120) || 'card'}.pdf`;

export interface FolderPrinterOptions {
  id: string;
  /** An absolute path; made on the first job if missing. */
  folder: string;
}

export class FolderPrinter implements CardPrinter {
  readonly id: string;
  readonly kind = 'folder' as const;
  readonly folder: string;

  constructor(options: FolderPrinterOptions) {
    if (!isAbsolute(options.folder)) throw new RangeError(`a folder printer needs an absolute path, not ${JSON.stringify(options.folder)}`);
    this.id = options.id;
    this.folder = options.folder;
  }

  async submit(job: PrintSubmission): Promise<{ externalJobId: string }> {
    await mkdir(this.folder, { recursive: true });
    const name = fileNameOf(job.title);
    const temp = join(this.folder, `.${name}.${randomBytes(6).toString('hex')}.part`);
    const file = await open(temp, 'wx', 0o640);
    try {
      await file.writeFile(job.pdf);
      await file.sync();
    } catch (error) {
      await file.close();
      await rm(temp, { force: true });
      throw error;
    }
    await file.close();
    await rename(temp, join(this.folder, name));
    // The rename itself made durable: a crash after submit resolves does not lose the card.
    const dir = await open(this.folder, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    return { externalJobId: name };
  }

  /** A folder has no queue: a job is completed once its file is there, failed if it is not. */
  async jobState(externalJobId: string): Promise<'queued' | 'printing' | 'completed' | 'failed'> {
    if (externalJobId !== fileNameOf(externalJobId.replace(/\.pdf$/, ''))) return 'failed';
    try {
      return (await stat(join(this.folder, externalJobId))).isFile() ? 'completed' : 'failed';
    } catch {
      return 'failed';
    }
  }

  async health(): Promise<PrinterHealth> {
    try {
      const info = await stat(this.folder);
      if (!info.isDirectory()) return { state: 'error', detail: `${this.folder} bukan folder / is not a folder` };
      await access(this.folder, constants.W_OK);
      return { state: 'ready' };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Missing is fine: the first job makes it. Not writable is not.
      if (code === 'ENOENT') return { state: 'ready', detail: `${this.folder} dibuat saat cetak pertama / made on the first job` };
      return { state: 'offline', detail: `${this.folder}: ${code ?? (error as Error).message}` };
    }
  }
}
