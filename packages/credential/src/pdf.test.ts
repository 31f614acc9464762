import { describe, expect, it } from 'vitest';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { embedCredentialInPdf, encodeCredential, extractCredentialFromPdf, verifyCredential } from './index.ts';
import { NOW, fullSuket, world } from './test-support.ts';

const w = world();

describe('credential in the PDF', () => {
  it('embed → save → extract returns the same text, which verifies', async () => {
    const text = encodeCredential(fullSuket(), w.suketKey);
    const doc = await PDFDocument.create();
    const page = doc.addPage([595.28, 841.89]);
    page.drawText('SURAT KETERANGAN PENGGANTI KTP-EL', { x: 50, y: 780, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
    doc.setTitle('Surat Keterangan');
    embedCredentialInPdf(doc, text);
    expect(doc.getKeywords()).toBe(text);
    expect(doc.getSubject()).toBe(text);
    const bytes = await doc.save();
    const extracted = await extractCredentialFromPdf(bytes);
    expect(extracted).toBe(text);
    expect(verifyCredential(extracted!, { trust: w.trust, revocations: w.revocations, now: NOW }).verdict).toBe('VALID');
    // Saved again by a tool that rewrites metadata (pdf-lib with updateMetadata): still found.
    const resaved = await (await PDFDocument.load(bytes)).save({ useObjectStreams: false });
    expect(await extractCredentialFromPdf(resaved)).toBe(text);
  });

  it('null for a PDF without a credential and for bytes that are not a PDF', async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    doc.setKeywords(['laporan', 'bulanan']);
    expect(await extractCredentialFromPdf(await doc.save())).toBeNull();
    expect(await extractCredentialFromPdf(new TextEncoder().encode('%PDF-1.7 rubbish'))).toBeNull();
    expect(await extractCredentialFromPdf(new Uint8Array(0))).toBeNull();
  });
});
