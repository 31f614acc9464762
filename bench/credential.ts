/**
 * Credential benchmark: issuing a Suket (sign + QR + A4 PDF) and verifying one (from its text, and from
 * a PNG of its QR), per document, median and p99 — next to a bare Ed25519 signature and a bare verify of
 * a payload of the same size, measured in the same run on the same machine.
 *
 *   npm run bench:credential                 # 300 documents
 *   BENCH_DOCS=1000 npm run bench:credential
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { verifyCredential } from '@tangguh/credential';
import { readQrFromImage, renderQrPng, qrVersion } from '@tangguh/credential/node';
import { syntheticResidents } from '@tangguh/capture';
import { openOffice } from '@tangguh/office/runtime';
import { officeSessionStore } from '@tangguh/office/repositories/users';
import { recordResident } from '@tangguh/office/services/recording';
import { issueSuket } from '@tangguh/office/services/suket';
import { renderSuketPdf } from '@tangguh/office/services/suket-pdf';
import { officeLists } from '@tangguh/office/services/trust-store';
import { provisionStack } from '../apps/cli/src/stack.ts';
import { syntheticRecording } from '../apps/cli/src/seed.ts';

// The nodes seal their private keys under a master key the operator supplies; a benchmark brings a throwaway one.
if (!process.env.TANGGUH_MASTER_KEY_FILE) process.env.TANGGUH_MASTER_KEY ??= 'tangguh-bench-master-key-not-for-production';

const DOCS = Number(process.env.BENCH_DOCS ?? 300);

function stats(samples: number[]): { median: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))]!;
  return { median: at(0.5), p99: at(0.99) };
}

async function time(fn: () => unknown | Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const dir = mkdtempSync(join(tmpdir(), 'tangguh-bench-cred-'));
try {
  const paths = await provisionStack(dir);
  const { ctx, handle } = await openOffice(paths.officeDb);
  const operator = (await officeSessionStore(ctx.db).findLogin('operator'))!.user;
  process.stderr.write(`recording ${DOCS} residents…\n`);
  const recordIds: string[] = [];
  for (const person of syntheticResidents(DOCS, { seed: 11, regencyCode: '35.09', regions: ctx.regions })) {
    recordIds.push((await recordResident(ctx, { request: await syntheticRecording(person, person.nik), operator })).record.id);
  }

  const issueMs: number[] = [];
  const signOnlyMs: number[] = [];
  const texts: string[] = [];
  let pdfBytes = 0;
  for (const [i, recordId] of recordIds.entries()) {
    let text = '';
    issueMs.push(
      await time(async () => {
        const started = performance.now();
        const { suket } = await issueSuket(ctx, { recordId, operator });
        signOnlyMs.push(performance.now() - started);
        text = suket.qrText;
        pdfBytes += (await renderSuketPdf(ctx, suket.serial)).length;
      }),
    );
    texts.push(text);
    if (i % 50 === 0) process.stderr.write(`  issued ${i + 1}/${DOCS}\r`);
  }
  process.stderr.write('\n');

  const lists = (await officeLists(ctx.db))!;
  const now = Math.floor(Date.now() / 1000);
  const verifyMs: number[] = [];
  for (const text of texts) {
    verifyMs.push(await time(() => {
      if (verifyCredential(text, { trust: lists.trust, revocations: lists.revocations, now }).verdict !== 'VALID') throw new Error('bench credential did not verify');
    }));
  }
  const pngs = await Promise.all(texts.slice(0, Math.min(100, texts.length)).map((t) => renderQrPng(t)));
  const scanMs: number[] = [];
  for (const png of pngs) {
    scanMs.push(await time(() => {
      const text = readQrFromImage(png);
      if (!text || verifyCredential(text, { trust: lists.trust, revocations: lists.revocations, now }).verdict !== 'VALID') throw new Error('QR did not read back');
    }));
  }

  // Baseline: a bare Ed25519 signature and verification of a message as long as a Suket's QR text.
  const secret = ed25519.utils.randomSecretKey();
  const publicKey = ed25519.getPublicKey(secret);
  const message = new TextEncoder().encode(texts[0]!);
  const bareSign: number[] = [];
  const bareVerify: number[] = [];
  let signature = ed25519.sign(message, secret);
  for (let i = 0; i < DOCS; i++) {
    bareSign.push(await time(() => (signature = ed25519.sign(message, secret))));
    bareVerify.push(await time(() => ed25519.verify(signature, message, publicKey)));
  }
  await handle.close();

  const rows: [string, number[]][] = [
    ['issue Suket: sign + QR + A4 PDF', issueMs],
    ['  of which sign + store (issueSuket)', signOnlyMs],
    ['baseline: bare Ed25519 sign', bareSign],
    ['verify from QR text', verifyMs],
    ['verify from a PNG of the QR (read + verify)', scanMs],
    ['baseline: bare Ed25519 verify', bareVerify],
  ];
  const signBase = stats(bareSign).median;
  const verifyBase = stats(bareVerify).median;
  console.log(`\nCredential benchmark — ${DOCS} Sukets, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}`);
  console.log(`QR text ${texts[0]!.length} chars, QR version ${qrVersion(texts[0]!)} at level Q; average PDF ${(pdfBytes / DOCS / 1024).toFixed(1)} KiB`);
  console.log(`${'measure'.padEnd(46)} ${'median ms'.padStart(10)} ${'p99 ms'.padStart(10)} ${'× baseline'.padStart(11)}`);
  for (const [name, samples] of rows) {
    const s = stats(samples);
    const base = name.startsWith('verify') ? verifyBase : name.startsWith('baseline') ? s.median : signBase;
    console.log(`${name.padEnd(46)} ${s.median.toFixed(3).padStart(10)} ${s.p99.toFixed(3).padStart(10)} ${(s.median / base).toFixed(1).padStart(11)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
