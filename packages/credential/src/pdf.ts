// The credential text travels inside the PDF's document information dictionary (Keywords and
// Subject), so an uploaded PDF can be verified without rendering the page and reading the QR.
// pdf-lib is loaded on demand so the browser verifier only fetches it when a PDF is uploaded, and its
// stream inflation is capped (pdf-guard.ts) in the browser as on the server.
import type { PDFDocument } from 'pdf-lib';
import { CREDENTIAL_PREFIX, MAX_CREDENTIAL_CHARS } from './credential.ts';
import { guardPdfStreams, PdfBudgetExceeded, pdfBudgetExceeded } from './pdf-guard.ts';
import { UPLOAD_REFUSALS, UploadRefusedError } from './upload-limits.ts';

/** Sets Keywords to [text] and Subject to text. */
export function embedCredentialInPdf(doc: PDFDocument, text: string): void {
  doc.setKeywords([text]);
  doc.setSubject(text);
}

function credentialIn(value: string | undefined): string | null {
  if (typeof value !== 'string') return null;
  const start = value.indexOf(CREDENTIAL_PREFIX);
  if (start < 0) return null;
  // Keywords are joined with spaces by pdf-lib, and Base45 itself contains spaces, so the text is taken
  // whole from the prefix to the end; other tools may append keywords after a newline or semicolon.
  const text = value.slice(start).split(/[\r\n;,]/)[0] ?? '';
  return text.length > CREDENTIAL_PREFIX.length && text.length <= MAX_CREDENTIAL_CHARS ? text : null;
}

/**
 * The credential text written by embedCredentialInPdf, or null (not a PDF, no credential, encrypted, …).
 * Throws UploadRefusedError when the PDF's streams would inflate beyond MAX_PDF_DECODED_BYTES.
 */
export async function readCredentialFromPdf(pdf: Uint8Array): Promise<string | null> {
  const lib = await import('pdf-lib');
  guardPdfStreams(lib);
  let doc: PDFDocument;
  try {
    doc = await lib.PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: true, throwOnInvalidObject: false });
  } catch (error) {
    if (error instanceof PdfBudgetExceeded) throw new UploadRefusedError(UPLOAD_REFUSALS.pdfTooLarge());
    return null;
  }
  // pdf-lib reads a stream it could not parse as an invalid object and goes on, so ask the budget itself.
  if (pdfBudgetExceeded(doc.context)) throw new UploadRefusedError(UPLOAD_REFUSALS.pdfTooLarge());
  try {
    return credentialIn(doc.getKeywords()) ?? credentialIn(doc.getSubject());
  } catch {
    return null;
  }
}

/** The same, for callers that only need the text: null for a PDF refused as too large, too. Never throws. */
export async function extractCredentialFromPdf(pdf: Uint8Array): Promise<string | null> {
  try {
    return await readCredentialFromPdf(pdf);
  } catch {
    return null;
  }
}
