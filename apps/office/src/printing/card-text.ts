import type { PDFFont } from 'pdf-lib';

/**
 * Fitting the card's text into its boxes. A KTP-el is 85.60 × 53.98 mm: a long name or address must
 * shrink or wrap inside its box, never run over the photo or off the card, and never be cut short —
 * a card that shows half a name is a misprint. So a value is tried at the row's size, then wrapped on
 * spaces, then smaller, down to a floor below which the text would not be legible; only then is it refused.
 */

/**
 * The standard PDF fonts speak WinAnsi only. A letter with a diacritic WinAnsi lacks keeps its base letter
 * (Ā → A, as the centre's biodata is upper-case Latin anyway); anything else becomes '?', never an exception
 * in the middle of a batch.
 */
export function printable(text: string): string {
  const winAnsi = /[\x20-\x7e\u00a0-\u00ff]/;
  let out = '';
  for (const ch of text.normalize('NFC').replace(/\s+/g, ' ').trim()) {
    if (winAnsi.test(ch)) out += ch;
    else {
      const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      out += base.length > 0 && [...base].every((c) => winAnsi.test(c)) ? base : '?';
    }
  }
  return out;
}

/** Splits text into lines no wider than `width` at `size`: at spaces, and inside a word only when the word alone is too wide. */
export function wrapLines(text: string, font: PDFFont, size: number, width: number): string[] {
  const fits = (s: string) => font.widthOfTextAtSize(s, size) <= width;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (fits(next)) {
      line = next;
      continue;
    }
    if (line) lines.push(line);
    // A word wider than the box (a long compound, a row of letters): broken where it must be.
    let rest = word;
    while (!fits(rest)) {
      let cut = rest.length - 1;
      while (cut > 1 && !fits(rest.slice(0, cut))) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines;
}

export interface FittedText {
  lines: string[];
  size: number;
}

/**
 * The largest size from `size` down to `minSize` (in quarter points) at which `text` fits in `maxLines`
 * lines of `width`; undefined when it does not fit even at `minSize`.
 */
export function fitText(text: string, font: PDFFont, opts: { size: number; minSize: number; width: number; maxLines: number }): FittedText | undefined {
  for (let size = opts.size; size >= opts.minSize - 1e-9; size -= 0.25) {
    const oneLine = font.widthOfTextAtSize(text, size) <= opts.width;
    if (oneLine) return { lines: [text], size };
    if (opts.maxLines > 1) {
      const lines = wrapLines(text, font, size, opts.width);
      if (lines.length <= opts.maxLines) return { lines, size };
    }
  }
  return undefined;
}
