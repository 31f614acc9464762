import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { DomainError } from '@tangguh/domain';
import { readQrFromImage } from '@tangguh/credential/node';
import { cardBackCode, ID1, renderCard } from './card-pdf.ts';
import { CommandMissing, runCommand } from './commands.ts';
import { testCardPackage } from './test-card.ts';

// The card read back by poppler (the same tools CUPS' filters use): its text, where every word sits, and
// the back's QR decoded from a rendering of the page.
const dir = mkdtempSync(join(tmpdir(), 'tangguh-card-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function poppler(command: string, args: string[]) {
  try {
    const result = await runCommand(command, args, { timeoutMs: 30_000, maxOutput: 16 * 1024 * 1024 });
    if (result.code !== 0) throw new Error(`${command} failed: ${result.stderr}`);
    return result.stdout;
  } catch (error) {
    if (error instanceof CommandMissing) throw new Error(`${command} is missing: install poppler-utils (Debian's cups depends on it through cups-filters)`, { cause: error });
    throw error;
  }
}

let n = 0;
function saved(pdf: Uint8Array): string {
  const file = join(dir, `card-${++n}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

interface Word {
  page: number;
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Every word with its box (points, origin top left) from `pdftotext -bbox`. */
async function words(file: string): Promise<Word[]> {
  const html = await poppler('pdftotext', ['-bbox', file, '-']);
  const out: Word[] = [];
  html.split('<page ').slice(1).forEach((page, index) => {
    for (const m of page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
      out.push({ page: index + 1, xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: m[5]!.replace(/&amp;/g, '&') });
    }
  });
  return out;
}

const issue = { blankSerial: 1_200_345, place: 'JEMBER', date: '2026-11-28' };
const LONG_NAME = 'RADEN AJENG KARTINI DJOJOADHININGRAT BINTI RADEN MAS ADIPATI ARIO SOSRONINGRAT SOERJO';
const LONG_ADDRESS = 'JALAN PANJANG SEKALI NOMOR 123 BLOK C RUMAH SUSUN SEDERHANA SEWA KEBUN JERUK LANTAI 4 UNIT 17 DEKAT MASJID';

describe('the KTP-el card document', () => {
  it('has two pages of ID-1 size, and its text is the package’s: NIK, name, every label and value, place and date of issue', async () => {
    const { pkg } = await testCardPackage();
    const pdf = await renderCard(pkg, issue);
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(2);
    for (const page of doc.getPages()) {
      expect(page.getWidth()).toBeCloseTo(242.65, 2);
      expect(page.getHeight()).toBeCloseTo(153.01, 2);
    }
    expect(ID1.width).toBeCloseTo((85.6 / 25.4) * 72, 6);

    const file = saved(pdf);
    const front = await poppler('pdftotext', ['-f', '1', '-l', '1', '-layout', file, '-']);
    for (const text of ['PROVINSI JAWA TIMUR', 'KABUPATEN JEMBER', 'NIK', '3509014101900001', 'SITI AMINAH', 'Tempat/Tgl Lahir', 'JEMBER, 01-01-1990', 'PEREMPUAN', 'Gol. Darah', 'JL. MASTRIP NO. 12', '003/007', 'Kel/Desa', 'SUMBERSARI', 'Kecamatan', 'ISLAM', 'Status Perkawinan', 'KAWIN', 'GURU', 'Kewarganegaraan', 'WNI', 'Berlaku Hingga', 'SEUMUR HIDUP', '28-11-2026'])
      expect(front).toContain(text);
    const back = await poppler('pdftotext', ['-f', '2', '-l', '2', '-layout', file, '-']);
    expect(back).toContain('3509014101900001');
    expect(back).toContain('1200345');
    expect(back).toContain(cardBackCode('3509014101900001', 1_200_345));
    expect(back).not.toContain('SITI AMINAH');
    expect(doc.getTitle()).toBe('KTP-el blangko 1200345');
  });

  it('fits a long name and a long address inside the card, left of the photo, without cutting a word', async () => {
    const { pkg } = await testCardPackage({ nama: LONG_NAME, alamat: LONG_ADDRESS });
    const file = saved(await renderCard(pkg, issue));
    const all = await words(file);
    for (const w of all) {
      expect(w.xMin, w.text).toBeGreaterThanOrEqual(0);
      expect(w.yMin, w.text).toBeGreaterThanOrEqual(0);
      expect(w.xMax, w.text).toBeLessThanOrEqual(ID1.width);
      expect(w.yMax, w.text).toBeLessThanOrEqual(ID1.height);
    }
    // Every word of the name and the address is there, in order, and none reaches the photo (x ≥ 182).
    // In reading order: top to bottom, then left to right (pdftotext keeps the content stream's order).
    const front = all.filter((w) => w.page === 1).sort((a, b) => a.yMin - b.yMin || a.xMin - b.xMin);
    for (const value of [LONG_NAME, LONG_ADDRESS]) {
      const expected = value.split(' ');
      const start = front.findIndex((w, i) => expected.every((word, k) => front[i + k]?.text === word));
      expect(start, value).toBeGreaterThanOrEqual(0);
      for (const w of front.slice(start, start + expected.length)) expect(w.xMax, w.text).toBeLessThan(182);
    }
    // It wrapped: the name takes two lines.
    const nameWords = front.filter((w) => LONG_NAME.split(' ').includes(w.text));
    expect(new Set(nameWords.map((w) => Math.round(w.yMin))).size).toBe(2);
  });

  it('puts a QR on the back that reads as the NIK and the blank serial', async () => {
    const { pkg } = await testCardPackage();
    const file = saved(await renderCard(pkg, issue));
    await poppler('pdftoppm', ['-f', '2', '-l', '2', '-r', '400', '-png', '-singlefile', file, join(dir, 'back')]);
    expect(readQrFromImage(new Uint8Array(readFileSync(join(dir, 'back.png'))))).toBe('KTP-EL:1:3509014101900001:1200345');
  });

  it('is deterministic, and refuses what cannot be printed well: a field too long even when small, a damaged photo, a bad issue', async () => {
    const { pkg } = await testCardPackage();
    expect(await renderCard(pkg, issue)).toEqual(await renderCard(pkg, issue));
    const refusal = (p: Promise<unknown>) => p.then(() => 'ACCEPTED', (e: unknown) => (e instanceof DomainError ? e.code : `other: ${String(e)}`));
    const { pkg: huge } = await testCardPackage({ alamat: 'JALAN '.repeat(200) });
    expect(await refusal(renderCard(huge, issue))).toBe('CARD_TEXT_TOO_LONG');
    expect(await refusal(renderCard({ ...pkg, photo: { mime: 'image/png', data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2]) } }, issue))).toBe('CARD_IMAGE_INVALID');
    expect(await refusal(renderCard(pkg, { ...issue, blankSerial: -1 }))).toBe('CARD_ISSUE_INVALID');
    expect(await refusal(renderCard(pkg, { ...issue, date: '28-11-2026' }))).toBe('CARD_ISSUE_INVALID');
  });

  it('prints a letter the standard font lacks as its base letter, never failing the card', async () => {
    const { pkg } = await testCardPackage({ nama: 'ŞITI ĀMINAH' });
    const text = await poppler('pdftotext', ['-f', '1', '-l', '1', saved(await renderCard(pkg, issue)), '-']);
    expect(text).toContain('SITI AMINAH');
  });
});
