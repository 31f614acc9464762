import { PDFDocument, StandardFonts, type PDFFont } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitText, printable, wrapLines } from './card-text.ts';

let font: PDFFont;
beforeAll(async () => {
  font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
});

describe('fitting card text', () => {
  it('keeps WinAnsi text, gives a letter with a foreign diacritic its base letter, and anything else a ?', () => {
    expect(printable('  JL.  MERDEKA\tNO. 5 ')).toBe('JL. MERDEKA NO. 5');
    expect(printable('ÉLISE Ā Ş')).toBe('ÉLISE A S');
    expect(printable('SITI 李')).toBe('SITI ?');
  });

  it('wraps at spaces, and breaks a word only when it alone is wider than the box', () => {
    const lines = wrapLines('RADEN AJENG KARTINI DJOJOADHININGRAT', font, 6, 70);
    expect(lines.join(' ')).toBe('RADEN AJENG KARTINI DJOJOADHININGRAT');
    for (const line of lines) expect(font.widthOfTextAtSize(line, 6)).toBeLessThanOrEqual(70);
    const long = 'A'.repeat(60);
    const broken = wrapLines(long, font, 6, 50);
    expect(broken.length).toBeGreaterThan(1);
    expect(broken.join('')).toBe(long);
    for (const line of broken) expect(font.widthOfTextAtSize(line, 6)).toBeLessThanOrEqual(50);
  });

  it('keeps the size when the text fits, wraps or shrinks when it does not, and gives up below the floor', () => {
    expect(fitText('GURU', font, { size: 6, minSize: 4, width: 100, maxLines: 1 })).toEqual({ lines: ['GURU'], size: 6 });
    const shrunk = fitText('PEGAWAI NEGERI SIPIL', font, { size: 6, minSize: 3.5, width: 50, maxLines: 1 })!;
    expect(shrunk.lines).toEqual(['PEGAWAI NEGERI SIPIL']);
    expect(shrunk.size).toBeLessThan(6);
    expect(font.widthOfTextAtSize(shrunk.lines[0]!, shrunk.size)).toBeLessThanOrEqual(50);
    expect(fitText('PEGAWAI NEGERI SIPIL', font, { size: 6, minSize: 6, width: 50, maxLines: 2 })!.lines).toHaveLength(2);
    expect(fitText('JALAN '.repeat(100), font, { size: 6, minSize: 3.5, width: 100, maxLines: 3 })).toBeUndefined();
  });
});
