// pdf-lib inflates every object stream and cross-reference stream while it loads a PDF, with no limit:
// a 261 KB upload whose object stream inflates to 256 MiB took the office to 2.2 GB. pdf-lib has no option
// for this, so its two stream parsers are wrapped: each stream is inflated here first, by fflate in small
// pushes so no single step can produce more than ~16 MB, against a budget for the whole document, and the
// parser is handed the inflated bytes with the filter removed (it never inflates them again). Only
// FlateDecode (what every PDF writer uses for these streams) is accepted; pdf-lib's other decoders have no
// limit either, so a stream that asks for one is treated as unreadable rather than trusted.
import { Unzlib } from 'fflate';
import type * as PdfLib from 'pdf-lib';
import { MAX_PDF_DECODED_BYTES } from './upload-limits.ts';

type PdfLibModule = typeof PdfLib;
type RawStream = PdfLib.PDFRawStream;

/** Thrown when a document's streams would inflate beyond MAX_PDF_DECODED_BYTES. */
export class PdfBudgetExceeded extends Error {
  constructor() {
    super(`PDF streams inflate to more than ${MAX_PDF_DECODED_BYTES} bytes`);
    this.name = 'PdfBudgetExceeded';
  }
}

interface Budget {
  bytes: number;
  exceeded: boolean;
}

// Per document (pdf-lib's PDFContext), so two PDFs read at once do not share a budget.
const budgets = new WeakMap<object, Budget>();

/** Whether reading the document with this context ran over its budget (pdf-lib swallows the error itself). */
export function pdfBudgetExceeded(context: object): boolean {
  return budgets.get(context)?.exceeded ?? false;
}

/**
 * Compressed bytes per push: deflate's worst case (1032:1) bounds one push's output to ~16.5 MB past the
 * budget. Smaller pushes bound it tighter but cost fflate several times the time (1 KB: 0.8 s to 8 MB).
 */
const PUSH_BYTES = 16 * 1024;

function inflateWithin(data: Uint8Array, budget: Budget): Uint8Array {
  const parts: Uint8Array[] = [];
  let length = 0;
  const unzlib = new Unzlib((chunk) => {
    budget.bytes += chunk.length;
    if (budget.bytes > MAX_PDF_DECODED_BYTES) {
      budget.exceeded = true;
      throw new PdfBudgetExceeded();
    }
    parts.push(chunk);
    length += chunk.length;
  });
  try {
    if (data.length === 0) unzlib.push(data, true);
    for (let i = 0; i < data.length; i += PUSH_BYTES) unzlib.push(data.subarray(i, i + PUSH_BYTES), i + PUSH_BYTES >= data.length);
  } catch (error) {
    if (error instanceof PdfBudgetExceeded) throw error;
    // A damaged tail: keep what inflated, as pdf-lib's own decoder would.
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function inflatedStream(lib: PdfLibModule, raw: RawStream): RawStream {
  const { PDFName, PDFArray, PDFRawStream } = lib;
  const context = raw.dict.context;
  let budget = budgets.get(context);
  if (!budget) budgets.set(context, (budget = { bytes: 0, exceeded: false }));
  if (budget.exceeded) throw new PdfBudgetExceeded();
  const filter = raw.dict.lookup(PDFName.of('Filter'));
  const filters = filter === undefined ? [] : filter instanceof PDFArray ? filter.asArray().map((f) => context.lookup(f)) : [filter];
  if (filters.length === 0) return raw;
  let bytes = raw.contents;
  for (const name of filters) {
    if (name !== PDFName.of('FlateDecode')) throw new Error('PDF stream filter other than FlateDecode');
    bytes = inflateWithin(bytes, budget);
  }
  const dict = raw.dict.clone();
  dict.delete(PDFName.of('Filter'));
  dict.delete(PDFName.of('DecodeParms'));
  return PDFRawStream.of(dict, bytes);
}

const guarded = new WeakSet<object>();

/** Wraps pdf-lib's object-stream and xref-stream parsers once; idempotent. */
export function guardPdfStreams(lib: PdfLibModule): void {
  const objectStreams = lib.PDFObjectStreamParser;
  if (guarded.has(objectStreams)) return;
  guarded.add(objectStreams);
  const parseObjects = objectStreams.forStream;
  objectStreams.forStream = (raw, shouldWaitForTick) => parseObjects(inflatedStream(lib, raw), shouldWaitForTick);
  const xrefStreams = lib.PDFXRefStreamParser;
  const parseXref = xrefStreams.forStream;
  xrefStreams.forStream = (raw) => parseXref(inflatedStream(lib, raw));
}
