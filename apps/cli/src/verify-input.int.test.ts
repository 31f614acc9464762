// `tangguh verify` as its own process, offline from lists written here: how it tells a credential text
// from a file name, and that the three files that stalled the office are refused by the CLI too, quickly.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCredential, keyId, signRevocationList, signTrustList, toBase64Url } from '@tangguh/credential';
import { fullSuket, world } from '../../../packages/credential/src/test-support.ts';
import { makeTempDir, removeTempDirs } from '../../../test/helpers.ts';
import { hugeDimensionsPng, inflationBombPdf, inflationBombPng } from '../../../test/hostile-uploads.ts';
import { runTangguh } from './test-support.ts';

const tangguh = (...args: string[]) => runTangguh(args);

describe('tangguh verify: what the argument is, and files over the limits', () => {
  let dir: string;
  let lists: string;
  let text: string;
  let baselineMs: number;

  beforeAll(async () => {
    dir = makeTempDir('tangguh-verify-input-');
    lists = join(dir, 'lists');
    mkdirSync(lists);
    const w = world();
    const root = { kid: keyId(w.root.publicKey), publicKey: toBase64Url(w.root.publicKey) };
    writeFileSync(join(lists, 'root.json'), JSON.stringify(root));
    writeFileSync(join(lists, 'list.json'), JSON.stringify({ signed: signTrustList(w.trust, w.root) }));
    writeFileSync(join(lists, 'revocations.json'), JSON.stringify({ signed: signRevocationList(w.revocations, w.root) }));
    text = encodeCredential(fullSuket(), w.suketKey);
    // How long a genuine verification takes here (mostly starting the process), to judge "quickly" by.
    const genuine = await tangguh('verify', text, '--lists', lists);
    expect(genuine.code, genuine.stderr).toBe(0);
    baselineMs = genuine.ms;
  });

  afterAll(() => removeTempDirs());

  it('verifies text pasted with surrounding whitespace and a newline (exit 0)', async () => {
    const run = await tangguh('verify', `  ${text}\n`, '--lists', lists);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('ASLI / Valid');
  });

  it('verifies the credential inside a URL (percent-encoded) or a line copied with its label (exit 0)', async () => {
    for (const url of [`https://contoh.go.id/cek?kode=${encodeURIComponent(text)}&sumber=wa`, `Kode Suket: ${text}`]) {
      const run = await tangguh('verify', url, '--lists', lists);
      expect(run.code, `${url}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toContain('ASLI / Valid');
    }
  });

  it('verifies lower-case tgh1: text as given: a verdict that it cannot be read (exit 1), not "file not found"', async () => {
    const run = await tangguh('verify', text.toLowerCase(), '--lists', lists);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).not.toContain('ASLI / Valid');
    expect(run.stderr).not.toMatch(/no file named|cannot read/);
  });

  it('reads an existing file holding the text (exit 0)', async () => {
    const file = join(dir, 'kode.txt');
    writeFileSync(file, `${text}\n`);
    const run = await tangguh('verify', file, '--lists', lists);
    expect(run.code, run.stderr).toBe(0);
  });

  it('says "not a Tangguh code and no such file" for other text (exit 2), and a folder is not a file (exit 2)', async () => {
    const missing = await tangguh('verify', join(dir, 'foto-hilang.png'), '--lists', lists);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Bukan kode Tangguh');
    expect(missing.stderr).toContain('no file named');
    const folder = await tangguh('verify', dir, '--lists', lists);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('is a folder');
  });

  const hostile = [
    { name: 'a 48 KB PNG declaring 7000×7000 pixels', file: 'besar.png', make: hugeDimensionsPng, says: /7000×7000.*too large to read/ },
    { name: 'an interlaced PNG whose data inflates to 1 GiB', file: 'bom.png', make: inflationBombPng, says: /far more data than its size needs/ },
    { name: 'a PDF whose object stream inflates to 256 MiB', file: 'bom.pdf', make: inflationBombPdf, says: /PDF's contents are too large/ },
  ];
  for (const { name, file, make, says } of hostile) {
    it(`refuses ${name} with a message in both languages (exit 2), about as fast as a genuine check`, async () => {
      const path = join(dir, file);
      writeFileSync(path, await make());
      const run = await tangguh('verify', path, '--lists', lists);
      console.log(`tangguh verify ${name}: exit ${run.code} in ${Math.round(run.ms)} ms (a genuine check: ${Math.round(baselineMs)} ms)`);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(says);
      expect(run.stderr).toMatch(/tidak dibaca|terlalu besar/);
      expect(run.ms).toBeLessThan(2 * baselineMs + 2000);
    });
  }
});
