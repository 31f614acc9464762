import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { CardPackageError, generateSigningKey, verifyCardChip } from '@tangguh/credential';
import { DomainError } from '@tangguh/domain';
import { renderCard } from './card-pdf.ts';
import { SimulatedChipEncoder } from './chip-encoder.ts';
import { FolderPrinter } from './folder-printer.ts';
import { printerFor } from './index.ts';
import { cardTrustList, testCardPackage } from './test-card.ts';

const root = mkdtempSync(join(tmpdir(), 'tangguh-folder-chip-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const code = (p: Promise<unknown>) => p.then(() => 'ACCEPTED', (e: unknown) => (e instanceof DomainError || e instanceof CardPackageError ? e.code : `other: ${String(e)}`));

describe('the folder printer', () => {
  it('writes <title>.pdf whole (no temporary file left), makes the folder, and reports the job completed', async () => {
    const folder = join(root, 'cards', 'dinas-1');
    const printer = new FolderPrinter({ id: 'dinas-1', folder });
    expect((await printer.health()).state).toBe('ready');
    const pdf = await renderCard((await testCardPackage()).pkg, { blankSerial: 9, place: 'JEMBER', date: '2026-11-28' });
    const { externalJobId } = await printer.submit({ title: 'job-17-9', pdf });
    expect(externalJobId).toBe('job-17-9.pdf');
    expect(readdirSync(folder)).toEqual(['job-17-9.pdf']);
    expect((await PDFDocument.load(readFileSync(join(folder, 'job-17-9.pdf')))).getPageCount()).toBe(2);
    expect(await printer.jobState(externalJobId)).toBe('completed');
    expect(await printer.jobState('job-18-10.pdf')).toBe('failed');
  });

  it('keeps a title inside its folder: separators and dots become plain characters', async () => {
    const folder = join(root, 'plain');
    const printer = new FolderPrinter({ id: 'p', folder });
    const { externalJobId } = await printer.submit({ title: '../../etc/passwd', pdf: new Uint8Array([1]) });
    expect(externalJobId).toBe('__.._etc_passwd.pdf');
    expect(readdirSync(folder)).toEqual(['__.._etc_passwd.pdf']);
    expect(await printer.jobState('../x.pdf')).toBe('failed');
    expect(() => new FolderPrinter({ id: 'r', folder: 'relative/cards' })).toThrow(RangeError);
  });

  it('is offline when its folder cannot be written, and not a folder is an error', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    expect((await new FolderPrinter({ id: 'f', folder: file }).health()).state).toBe('error');
    if (process.getuid?.() !== 0) {
      // Root writes anywhere: the permission case is only real for another user.
      const locked = join(root, 'locked');
      await new FolderPrinter({ id: 'l', folder: locked }).submit({ title: 'a', pdf: new Uint8Array([1]) });
      chmodSync(locked, 0o500);
      expect((await new FolderPrinter({ id: 'l', folder: locked }).health()).state).toBe('offline');
    }
  });

  it('is what printerFor gives for a folder connection; a CUPS connection gives a CUPS printer; an unconnected one only with a fallback', () => {
    expect(printerFor({ id: 'a', connection: { driver: 'folder', target: '/srv/cards' } })).toMatchObject({ kind: 'folder', id: 'a', folder: '/srv/cards' });
    expect(printerFor({ id: 'b', connection: { driver: 'cups', target: 'Evolis_1' } })).toMatchObject({ kind: 'cups', id: 'b', queue: 'Evolis_1' });
    expect(printerFor({ id: 'c', connection: null }, { fallbackFolder: '/srv/demo' })).toMatchObject({ kind: 'folder', folder: '/srv/demo/c' });
    expect(() => printerFor({ id: 'd', connection: null })).toThrow(/not connected/);
  });
});

describe('the simulated chip encoder', () => {
  it('writes a real package’s chip, reads it back, and the centre’s signature and every data group verify', async () => {
    const { pkg, trust } = await testCardPackage();
    const encoder = new SimulatedChipEncoder({ folder: join(root, 'chips') });
    expect(await encoder.read(501)).toBeUndefined();
    await encoder.write(501, pkg.chip);
    expect(readdirSync(join(root, 'chips'))).toEqual(['501.cbor']);
    const chip = (await encoder.read(501))!;
    expect(Buffer.from(chip.sod).equals(Buffer.from(pkg.chip.sod))).toBe(true);
    expect([...chip.dataGroups.keys()].sort()).toEqual([1, 2, 3, 7]);
    expect(verifyCardChip(chip, trust)).toMatchObject({ packageId: pkg.packageId, recordId: pkg.recordId, officeId: pkg.officeId, kind: 'FIRST' });
    // Signed by a key this trust list does not hold: refused.
    expect(() => verifyCardChip(chip, cardTrustList(generateSigningKey()))).toThrow(/card-signing key/);
  });

  it('refuses a chip whose data group was altered on disk', async () => {
    const { pkg, trust } = await testCardPackage();
    const folder = join(root, 'tampered');
    const encoder = new SimulatedChipEncoder({ folder });
    await encoder.write(502, pkg.chip);
    const bytes = readFileSync(join(folder, '502.cbor'));
    // The name in DG1 is stored as text: change one letter of it in the file.
    const at = bytes.indexOf(Buffer.from('SITI AMINAH'));
    expect(at).toBeGreaterThan(0);
    bytes[at] = 'X'.charCodeAt(0);
    writeFileSync(join(folder, '502.cbor'), bytes);
    const chip = (await encoder.read(502))!;
    let refused: unknown;
    try {
      verifyCardChip(chip, trust);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(CardPackageError);
    expect((refused as CardPackageError).code).toBe('HASH_MISMATCH');
  });

  it('personalises a blank once: the same content again is a harmless retry, other content is refused, garbage reads as unreadable', async () => {
    const first = await testCardPackage();
    const other = await testCardPackage({ nik: '3509015202910002', nama: 'BUDI' });
    const folder = join(root, 'once');
    const encoder = new SimulatedChipEncoder({ folder });
    await encoder.write(503, first.pkg.chip);
    expect(await code(encoder.write(503, first.pkg.chip))).toBe('ACCEPTED');
    expect(await code(encoder.write(503, other.pkg.chip))).toBe('CHIP_ALREADY_WRITTEN');
    // Two stations writing one blank at once: exactly one content wins, the other is refused.
    const race = await Promise.all([code(encoder.write(504, first.pkg.chip)), code(encoder.write(504, other.pkg.chip))]);
    expect(race.sort()).toEqual(['ACCEPTED', 'CHIP_ALREADY_WRITTEN']);
    expect(readdirSync(folder).sort()).toEqual(['503.cbor', '504.cbor']);
    writeFileSync(join(folder, '505.cbor'), 'not cbor at all');
    expect(await code(encoder.read(505))).toBe('CHIP_UNREADABLE');
  });
});
