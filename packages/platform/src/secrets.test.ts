import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataKey, MasterKey, MasterKeyError, configureMasterKey, isSealedSecret, masterKeyCheck, masterKeyFromFile, openSecretText, resetMasterKey, sealSecret } from './secrets.ts';

const dir = mkdtempSync(join(tmpdir(), 'tangguh-secrets-'));
afterAll(() => {
  resetMasterKey();
  rmSync(dir, { recursive: true, force: true });
});

const problem = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    if (error instanceof MasterKeyError) return error.code;
    throw error;
  }
  return undefined;
};

describe('secrets sealed under the master key', () => {
  it('seals a PEM so that nothing of it shows, and opens it again with the same key', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIAbcdefghijklmnopqrstuvwxyz0123456789ABCD\n-----END PRIVATE KEY-----\n';
    const sealed = sealSecret(pem);
    expect(isSealedSecret(sealed)).toBe(true);
    expect(sealed).not.toContain('PRIVATE KEY');
    expect(sealed).not.toContain('MC4CAQAw');
    expect(openSecretText(sealed)).toBe(pem);
    // Two seals of one secret differ (fresh IV), so equal keys cannot be spotted in a stolen copy.
    expect(sealSecret(pem)).not.toBe(sealed);
  });

  it('opens a value stored plain by an older release as it is', () => {
    expect(openSecretText('plain-base64url-key')).toBe('plain-base64url-key');
  });

  it('refuses another master key with MASTER_KEY_WRONG, for a value and for the database check', () => {
    const sealed = sealSecret('a private key');
    const other = new MasterKey('another operator secret, not the one used');
    expect(problem(() => other.open(sealed))).toBe('MASTER_KEY_WRONG');
    const check = masterKeyCheck(undefined)!;
    expect(masterKeyCheck(check)).toBeUndefined();
    expect(problem(() => other.open(check))).toBe('MASTER_KEY_WRONG');
  });

  it('refuses a key file inside the data folder, a short key, and a missing key', () => {
    const data = join(dir, 'data');
    const inside = join(data, 'office', 'master.key');
    const outside = join(dir, 'master.key');
    rmSync(data, { recursive: true, force: true });
    writeFileSync(outside, 'a long enough operator secret\n', { mode: 0o644 });
    expect(problem(() => masterKeyFromFile(outside))).toBe('MASTER_KEY_FILE_OPEN');
    chmodSync(outside, 0o600);
    expect(problem(() => masterKeyFromFile(inside, join(data, 'office', 'office.db')))).toBe('MASTER_KEY_INSIDE_DATA');
    expect(problem(() => masterKeyFromFile(outside, join(data, 'office', 'office.db')))).toBeUndefined();
    expect(problem(() => masterKeyFromFile(join(dir, 'absent.key')))).toBe('MASTER_KEY_FILE_UNREADABLE');
    expect(problem(() => new MasterKey('short'))).toBe('MASTER_KEY_TOO_SHORT');
    const saved = process.env.TANGGUH_MASTER_KEY;
    delete process.env.TANGGUH_MASTER_KEY;
    try {
      resetMasterKey();
      expect(problem(() => configureMasterKey())).toBe('MASTER_KEY_MISSING');
    } finally {
      process.env.TANGGUH_MASTER_KEY = saved;
      resetMasterKey();
    }
  });
});

describe('the gallery data key', () => {
  it('seals templates so their bytes do not appear, opens them, and passes plain legacy rows through', () => {
    const template = new Uint8Array(300).map((_, i) => (i * 7 + 3) & 0xff);
    template[0] = 0xff;
    template[1] = 0x0f;
    const key = DataKey.generate();
    const sealed = key.seal(template);
    expect(DataKey.isSealed(sealed)).toBe(true);
    expect(Buffer.from(sealed).includes(Buffer.from(template.subarray(2, 34)))).toBe(false);
    expect(key.open(sealed)).toEqual(template);
    expect(key.open(template)).toBe(template);
  });

  it('is stored wrapped by the master key and opens to the same key after a restart', () => {
    const key = DataKey.generate();
    const wrapped = key.wrap();
    expect(isSealedSecret(wrapped)).toBe(true);
    const sealed = key.seal(new Uint8Array([1, 2, 3, 4]));
    expect(DataKey.unwrap(wrapped).open(sealed)).toEqual(new Uint8Array([1, 2, 3, 4]));
    expect(problem(() => DataKey.unwrap(new MasterKey('a different operator secret').seal(new Uint8Array(32))))).toBe('MASTER_KEY_WRONG');
  });
});
