// What `tangguh verify <input>` was given. The rule, in this order:
//   1. text starting `TGH1:` (after trimming the whitespace a paste brings) is the credential text;
//   2. an existing file is read as a PDF, a PNG/JPEG photo or a text file, within the verifier's upload
//      limits (a file over them is refused, exit 2, with the reason);
//   3. text holding `TGH1:` further in (a URL, percent-encoded or not, or a line copied with its label) is
//      verified from that point, and text starting with another case (`tgh1:`) is verified as given: the
//      verdict then says it is not a readable Tangguh document (exit 1), rather than "file not found";
//   4. anything else is neither a Tangguh code nor a file: a usage error (exit 2) saying both.
import { readFile, stat } from 'node:fs/promises';
import { CREDENTIAL_PREFIX, UploadRefusedError } from '@tangguh/credential';
import { readCredentialFromUpload, uploadKind } from '@tangguh/credential/node';

/** A usage problem, lists that cannot be had, or an input that cannot be used: exit code 2, as opposed to a verdict. */
export class CliUsageError extends Error {}

/** The largest file read: the office's upload limit, so the CLI and the API accept the same files. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

/**
 * `TGH1:` further in the text, up to where a URL parameter would end. Percent-decoded only when its colon
 * is encoded (`TGH1%3A…`): Base45 itself contains `%`, so a raw text must not be decoded.
 */
function embeddedCredential(input: string): string | undefined {
  const at = input.search(/TGH1(:|%3A)/);
  if (at < 0) return undefined;
  const raw = input.slice(at).split(/[&#]/)[0]!.trim();
  if (raw.startsWith(CREDENTIAL_PREFIX)) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

async function existingFile(path: string): Promise<{ size: number } | undefined> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new CliUsageError(`${path} adalah folder, bukan berkas / is a folder, not a file.`);
    return info;
  } catch (error) {
    if (error instanceof CliUsageError) throw error;
    return undefined;
  }
}

async function credentialFromFile(path: string, size: number): Promise<string | null> {
  if (size > MAX_FILE_BYTES) throw new CliUsageError(`Berkas ${path} terlalu besar (lebih dari 10 MB) / the file is too large (over 10 MB).`);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    throw new CliUsageError(`Berkas tidak dapat dibaca / cannot read ${path}: ${(error as Error).message}`);
  }
  if (uploadKind(bytes)) {
    try {
      return await readCredentialFromUpload(bytes);
    } catch (error) {
      if (!(error instanceof UploadRefusedError)) throw error;
      throw new CliUsageError(`${path}: ${error.refusal.messages.id}\n${path}: ${error.refusal.messages.en}`);
    }
  }
  const text = Buffer.from(bytes).toString('utf8').trim();
  return text.startsWith(CREDENTIAL_PREFIX) ? text : null;
}

/** The credential text from the argument, by the rule above; null when a file holds none to read. */
export async function credentialFromArgument(input: string): Promise<string | null> {
  const trimmed = input.trim();
  if (trimmed.startsWith(CREDENTIAL_PREFIX)) return trimmed;
  const file = await existingFile(input);
  if (file) return credentialFromFile(input, file.size);
  const embedded = embeddedCredential(trimmed);
  if (embedded) return embedded;
  if (/^tgh1:/i.test(trimmed)) return trimmed;
  throw new CliUsageError(
    `Bukan kode Tangguh (teks TGH1:…) dan tidak ada berkas bernama "${input}".\nNot a Tangguh code (TGH1:… text) and no file named "${input}" exists.`,
  );
}
