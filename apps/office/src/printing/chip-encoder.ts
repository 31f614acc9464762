import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { DomainError } from '@tangguh/domain';
import { CardPackageError, decodeCardChip, encodeCardChip, type CardChip } from '@tangguh/credential';
import type { ChipEncoder } from './types.ts';

/**
 * A chip encoder that keeps what it would write: one CBOR file per blank serial (`<serial>.cbor`, the
 * package's own layout — SOD and data groups), written to a temporary name, flushed, then linked to its
 * name — a link never replaces a file, so of two stations writing one blank at once only one succeeds. Like a
 * real chip, a blank is personalised once: writing it again with the same content is a harmless retry,
 * writing other content is refused. Reading back decodes the file (bounded) but does not judge it — that
 * is `verifyCardChip`'s work, as a reader at the pickup counter would do it.
 */

/** A chip holds about 8 KB on the card; the stored file may hold a full package's photo, but never more than this. */
const MAX_CHIP_FILE = 4 * 1024 * 1024;

const alreadyWritten = (serial: number) =>
  new DomainError('CHIP_ALREADY_WRITTEN', { id: `Cip blangko ${serial} sudah ditulis dengan data lain.`, en: `The chip of blank ${serial} was already written with other data.` }, 'conflict');
const unreadable = (serial: number, detail: string) =>
  new DomainError('CHIP_UNREADABLE', { id: `Cip blangko ${serial} tidak dapat dibaca: ${detail}.`, en: `The chip of blank ${serial} cannot be read: ${detail}.` }, 'conflict');

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

export class SimulatedChipEncoder implements ChipEncoder {
  readonly folder: string;

  constructor(options: { folder: string }) {
    if (!isAbsolute(options.folder)) throw new RangeError(`the chip folder must be an absolute path, not ${JSON.stringify(options.folder)}`);
    this.folder = options.folder;
  }

  private fileOf(blankSerial: number): string {
    if (!Number.isSafeInteger(blankSerial) || blankSerial < 0) throw new RangeError(`not a blank serial: ${blankSerial}`);
    return join(this.folder, `${blankSerial}.cbor`);
  }

  private async stored(blankSerial: number): Promise<Uint8Array | undefined> {
    const file = this.fileOf(blankSerial);
    try {
      if ((await stat(file)).size > MAX_CHIP_FILE) throw unreadable(blankSerial, 'too large');
      return new Uint8Array(await readFile(file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async write(blankSerial: number, chip: CardChip): Promise<void> {
    const file = this.fileOf(blankSerial);
    const bytes = encodeCardChip(chip);
    if (bytes.length > MAX_CHIP_FILE) throw new RangeError(`chip content of ${bytes.length} bytes is over ${MAX_CHIP_FILE}`);
    const existing = await this.stored(blankSerial);
    if (existing) {
      if (sameBytes(existing, bytes)) return;
      throw alreadyWritten(blankSerial);
    }
    await mkdir(this.folder, { recursive: true });
    const temp = join(this.folder, `.${blankSerial}.${randomBytes(6).toString('hex')}.part`);
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    try {
      await link(temp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const other = await this.stored(blankSerial);
      if (!other || !sameBytes(other, bytes)) throw alreadyWritten(blankSerial);
    } finally {
      await rm(temp, { force: true });
    }
  }

  async read(blankSerial: number): Promise<CardChip | undefined> {
    const bytes = await this.stored(blankSerial);
    if (!bytes) return undefined;
    try {
      return decodeCardChip(bytes);
    } catch (error) {
      if (error instanceof CardPackageError) throw unreadable(blankSerial, error.message);
      throw error;
    }
  }
}
