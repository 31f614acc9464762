import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve, isAbsolute } from 'node:path';

/**
 * Secrets at rest. Every private key a node stores (the office's request-signing key, its Suket/TTE document
 * keys, the centre's root key, its X25519 sealing key, the heads' TTE keys, the gallery's data key) is sealed
 * with AES-256-GCM under a key derived by scrypt from a master secret the operator supplies — environment
 * `TANGGUH_MASTER_KEY`, or a key file outside the data folder (`--key-file`, or `TANGGUH_MASTER_KEY_FILE`).
 * A copy of the database alone opens nothing. scrypt runs once per salt per process (the derived key is
 * cached), so opening a key per request costs one AES-GCM decryption, not a KDF.
 */
export const MASTER_KEY_ENV = 'TANGGUH_MASTER_KEY';
export const MASTER_KEY_FILE_ENV = 'TANGGUH_MASTER_KEY_FILE';

const SEALED_PREFIX = 'tgh-sealed:v1:';
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const MIN_SECRET_LENGTH = 16;

export type MasterKeyProblem = 'MASTER_KEY_MISSING' | 'MASTER_KEY_WRONG' | 'MASTER_KEY_TOO_SHORT' | 'MASTER_KEY_FILE_UNREADABLE' | 'MASTER_KEY_FILE_OPEN' | 'MASTER_KEY_INSIDE_DATA';

/** Why a node refuses to open its data; the message says what the operator should do, in both languages. */
export class MasterKeyError extends Error {
  constructor(
    readonly code: MasterKeyProblem,
    readonly messages: { id: string; en: string },
  ) {
    super(`${code}: ${messages.id} / ${messages.en}`);
    this.name = 'MasterKeyError';
  }
}

const missing = () =>
  new MasterKeyError('MASTER_KEY_MISSING', {
    id: `Kunci induk tidak diberikan: setel ${MASTER_KEY_ENV} atau --key-file (berkas di luar folder data). Kunci privat di basis data tersimpan terenkripsi.`,
    en: `No master key given: set ${MASTER_KEY_ENV} or --key-file (a file outside the data folder). The private keys in the database are stored encrypted.`,
  });

export const wrongMasterKey = () =>
  new MasterKeyError('MASTER_KEY_WRONG', {
    id: 'Kunci induk salah: kunci privat di basis data ini tidak dapat dibuka dengannya. Tidak ada yang diubah.',
    en: 'Wrong master key: the private keys in this database do not open with it. Nothing was changed.',
  });

function aesGcmSeal(key: Buffer, plain: Uint8Array): { iv: Buffer; tag: Buffer; body: Buffer } {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), body };
}

function aesGcmOpen(key: Buffer, iv: Uint8Array, tag: Uint8Array, body: Uint8Array): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  const plain = decipher.update(body);
  // GCM is a stream mode: final() yields nothing more, it only checks the tag (and throws on a wrong key or
  // altered bytes). Not concatenating saves a copy per gallery row, a tenth of the opening's cost.
  decipher.final();
  return plain;
}

export class MasterKey {
  private readonly derived = new Map<string, Buffer>();
  private readonly salt = randomBytes(16);

  constructor(private readonly secret: string) {
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new MasterKeyError('MASTER_KEY_TOO_SHORT', {
        id: `Kunci induk terlalu pendek (minimal ${MIN_SECRET_LENGTH} karakter).`,
        en: `The master key is too short (at least ${MIN_SECRET_LENGTH} characters).`,
      });
    }
  }

  private keyFor(salt: Buffer): Buffer {
    const id = salt.toString('base64');
    let key = this.derived.get(id);
    if (!key) {
      key = scryptSync(this.secret, salt, 32, SCRYPT);
      this.derived.set(id, key);
    }
    return key;
  }

  /** `tgh-sealed:v1:` + base64url(salt ‖ iv ‖ tag ‖ ciphertext). */
  seal(plain: string | Uint8Array): string {
    const { iv, tag, body } = aesGcmSeal(this.keyFor(this.salt), typeof plain === 'string' ? Buffer.from(plain, 'utf8') : plain);
    return SEALED_PREFIX + Buffer.concat([this.salt, iv, tag, body]).toString('base64url');
  }

  /** Opens a sealed value; a value stored before sealing existed (no prefix) is returned as it is. */
  open(stored: string): Buffer {
    if (!isSealedSecret(stored)) return Buffer.from(stored, 'utf8');
    const raw = Buffer.from(stored.slice(SEALED_PREFIX.length), 'base64url');
    if (raw.length < 44) throw wrongMasterKey();
    try {
      return aesGcmOpen(this.keyFor(raw.subarray(0, 16)), raw.subarray(16, 28), raw.subarray(28, 44), raw.subarray(44));
    } catch {
      throw wrongMasterKey();
    }
  }
}

export const isSealedSecret = (stored: string): boolean => stored.startsWith(SEALED_PREFIX);

let configured: MasterKey | undefined;

/**
 * Reads the master secret from a key file, refusing one inside the data folder (a copy of the folder would
 * carry its own key). `dataLocation` is a SQLite path or a postgres:// URL (then nothing is checked).
 */
export function masterKeyFromFile(keyFile: string, dataLocation?: string): MasterKey {
  const file = resolve(keyFile);
  if (dataLocation && !/^postgres(ql)?:\/\//.test(dataLocation)) {
    const inside = relative(dirname(resolve(dataLocation)), file);
    if (!inside.startsWith('..') && !isAbsolute(inside)) {
      throw new MasterKeyError('MASTER_KEY_INSIDE_DATA', {
        id: `Berkas kunci induk ${file} berada di dalam folder data; simpan di luar folder data.`,
        en: `The master key file ${file} is inside the data folder; keep it outside the data folder.`,
      });
    }
  }
  let secret: string;
  try {
    // Like ssh with a private key: a key file others may read is refused, not used.
    if ((statSync(file).mode & 0o077) !== 0) {
      throw new MasterKeyError('MASTER_KEY_FILE_OPEN', {
        id: `Berkas kunci induk ${file} dapat dibaca pengguna lain; jalankan chmod 600 padanya.`,
        en: `The master key file ${file} is readable by other users; run chmod 600 on it.`,
      });
    }
    secret = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if (error instanceof MasterKeyError) throw error;
    throw new MasterKeyError('MASTER_KEY_FILE_UNREADABLE', {
      id: `Berkas kunci induk ${file} tidak dapat dibaca (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      en: `The master key file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
    });
  }
  return new MasterKey(secret);
}

/** Chooses this process's master key: a key file (checked against the data folder), else the environment. */
export function configureMasterKey(options: { keyFile?: string; dataLocation?: string } = {}): MasterKey {
  const keyFile = options.keyFile ?? process.env[MASTER_KEY_FILE_ENV];
  if (keyFile) configured = masterKeyFromFile(keyFile, options.dataLocation);
  else if (process.env[MASTER_KEY_ENV]) configured = new MasterKey(process.env[MASTER_KEY_ENV]);
  else throw missing();
  return configured;
}

/** The process's master key: the configured one, else the one the environment names; throws when there is none. */
export function masterKey(): MasterKey {
  return configured ?? configureMasterKey();
}

/** Forgets the configured key (tests that try another key in the same process). */
export function resetMasterKey(): void {
  configured = undefined;
}

export const sealSecret = (plain: string | Uint8Array): string => masterKey().seal(plain);
export const openSecretText = (stored: string): string => masterKey().open(stored).toString('utf8');
export const openSecretBytes = (stored: string): Uint8Array => new Uint8Array(masterKey().open(stored));

const CHECK_TEXT = 'tangguh master key check';

/**
 * The database's proof of which master key it was sealed with: given the stored check, throws when this key
 * does not open it (before anything is written); given none, returns the check to store.
 */
export function masterKeyCheck(stored: string | undefined): string | undefined {
  if (stored === undefined) return sealSecret(CHECK_TEXT);
  if (openSecretText(stored) !== CHECK_TEXT) throw wrongMasterKey();
  return undefined;
}

/**
 * Run before the migrations: a missing or wrong master key is refused before anything in the database changes,
 * not even its schema. `readStoredCheck` reads the node's stored check; on a new database it throws (no settings
 * table yet), and there is nothing to refuse.
 */
export async function refuseWrongMasterKeyBefore(readStoredCheck: () => Promise<string | undefined>): Promise<void> {
  masterKey();
  let stored: string | undefined;
  try {
    stored = await readStoredCheck();
  } catch {
    return;
  }
  if (stored !== undefined) masterKeyCheck(stored);
}

const DATA_MAGIC = Buffer.from('TGS1', 'ascii');

/**
 * A symmetric data key for bulk data (the centre's gallery): made once, stored sealed by the master key,
 * opened once at start. Each value is MAGIC ‖ iv ‖ tag ‖ ciphertext, one AES-256-GCM operation — a gallery of
 * a million templates is opened in seconds, where a KDF or a key parse per record would take hours.
 */
export class DataKey {
  private constructor(private readonly key: Buffer) {}

  static generate(): DataKey {
    return new DataKey(randomBytes(32));
  }

  /** Opens a data key stored with `wrap()`. */
  static unwrap(stored: string): DataKey {
    const key = masterKey().open(stored);
    if (key.length !== 32) throw wrongMasterKey();
    return new DataKey(key);
  }

  wrap(): string {
    return sealSecret(this.key);
  }

  seal(plain: Uint8Array): Uint8Array {
    const { iv, tag, body } = aesGcmSeal(this.key, plain);
    return new Uint8Array(Buffer.concat([DATA_MAGIC, iv, tag, body]));
  }

  static isSealed(value: Uint8Array): boolean {
    return value.length >= 32 && Buffer.from(value.buffer, value.byteOffset, 4).equals(DATA_MAGIC);
  }

  /**
   * What another thread of this process needs to open this key's values without the master key: the key and
   * the layout MAGIC ‖ iv ‖ tag ‖ ciphertext (the centre's matcher shards open the gallery rows they index,
   * so that both cores share the opening). A copy of the key for a worker thread, never for disk or the wire.
   */
  threadOpener(): { algorithm: 'aes-256-gcm'; key: Uint8Array; magic: Uint8Array; ivBytes: number; tagBytes: number } {
    return { algorithm: 'aes-256-gcm', key: new Uint8Array(this.key), magic: new Uint8Array(DATA_MAGIC), ivBytes: 12, tagBytes: 16 };
  }

  /** Opens a sealed value; one stored before sealing (no magic) is returned as it is. */
  open(value: Uint8Array): Uint8Array {
    if (!DataKey.isSealed(value)) return value;
    const raw = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return new Uint8Array(aesGcmOpen(this.key, raw.subarray(4, 16), raw.subarray(16, 32), raw.subarray(32)));
  }
}
