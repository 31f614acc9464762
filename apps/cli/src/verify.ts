import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  fromBase64Url,
  keyId,
  openOfficeRevocationLists,
  openRevocationList,
  openTrustList,
  verifyCredential,
  type RevocationList,
  type TrustList,
  type VerificationResult,
} from '@tangguh/credential';
import { DEFAULT_TIME_ZONE, timeZoneOfProvince, zonedIsoDate } from '@tangguh/domain';
import { SUKET_FIELD_LABELS } from '@tangguh/office/services/suket-subject';
import { CliUsageError, credentialFromArgument } from './verify-input.ts';

export { CliUsageError, credentialFromArgument };

export const DEFAULT_FROM = 'http://127.0.0.1:7200';


interface Root {
  kid: string;
  publicKey: string;
}

interface FetchedLists {
  root: Root;
  list: { signed: string; fetchedAt?: string };
  revocations: { signed: string; fetchedAt?: string };
  /** The office's own signed revocations (an office serves them, the centre does not). */
  officeRevocations?: { signed: string; officeId?: string; issuedAt?: string };
}

async function getJson(base: string, paths: string[]): Promise<unknown> {
  let last = '';
  for (const path of paths) {
    let response: Response;
    try {
      response = await fetch(new URL(path, base), { signal: AbortSignal.timeout(15_000) });
    } catch (error) {
      throw new CliUsageError(`Tidak dapat menghubungi ${base} / cannot reach ${base}: ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}`);
    }
    if (response.ok) return response.json();
    last = `${path}: HTTP ${response.status}`;
  }
  throw new CliUsageError(`Daftar tidak tersedia di ${base} / lists not available at ${base} (${last})`);
}

/** The lists as an office (/api/trust/…) or the centre (/trust/…) serves them. */
export async function fetchLists(from: string): Promise<FetchedLists> {
  const root = (await getJson(from, ['/api/trust/root', '/trust/root'])) as Root;
  const list = (await getJson(from, ['/api/trust/list', '/trust/list'])) as FetchedLists['list'];
  const revocations = (await getJson(from, ['/api/trust/revocations', '/trust/revocations'])) as FetchedLists['revocations'];
  return { root, list, revocations, officeRevocations: await fetchOfficeRevocations(from) };
}

/** An office's own revocations; absent (the centre, or an older office) is not an error. */
async function fetchOfficeRevocations(from: string): Promise<FetchedLists['officeRevocations']> {
  try {
    const response = await fetch(new URL('/api/trust/office-revocations', from), { signal: AbortSignal.timeout(15_000) });
    if (!response.ok) return undefined;
    const body = (await response.json()) as FetchedLists['officeRevocations'];
    return typeof body?.signed === 'string' ? body : undefined;
  } catch {
    return undefined;
  }
}

const FILES = { root: 'root.json', list: 'list.json', revocations: 'revocations.json', officeRevocations: 'office-revocations.json' } as const;

async function readLists(dir: string): Promise<FetchedLists> {
  const read = async (name: string) => {
    try {
      return JSON.parse(await readFile(join(dir, name), 'utf8')) as unknown;
    } catch (error) {
      throw new CliUsageError(`Tidak dapat membaca ${join(dir, name)} / cannot read it (${(error as Error).message}); simpan dengan / save with: tangguh trust-fetch --out ${dir}`);
    }
  };
  const lists: FetchedLists = { root: (await read(FILES.root)) as Root, list: (await read(FILES.list)) as FetchedLists['list'], revocations: (await read(FILES.revocations)) as FetchedLists['revocations'] };
  // Saved from an office only; a folder saved from the centre (or by an older version) has none.
  const office = await readFile(join(dir, FILES.officeRevocations), 'utf8').catch(() => undefined);
  if (office !== undefined) lists.officeRevocations = JSON.parse(office) as FetchedLists['officeRevocations'];
  return lists;
}

/** Opens both lists with the root: the pinned one when given (refusing another), else the server's own, with a warning. */
function openLists(lists: FetchedLists, pinned: string | undefined, warn: (line: string) => void): { trust: TrustList; revocations: RevocationList; officeRevocations: RevocationList[] } {
  let rootKey: Uint8Array;
  if (pinned) {
    rootKey = fromBase64Url(pinned);
    if (lists.root?.publicKey && lists.root.publicKey !== pinned) {
      warn(`PERINGATAN: kunci akar dari sumber (${lists.root.kid}) berbeda dengan --root (${keyId(rootKey)}); yang dipakai --root.`);
      warn(`WARNING: the source's root key differs from --root; --root is used.`);
    }
  } else {
    rootKey = fromBase64Url(lists.root.publicKey);
    warn(`PERINGATAN: kunci akar ${lists.root.kid} diambil dari sumber yang sama, tidak dipin. Pin dengan --root <base64url>.`);
    warn(`WARNING: root key ${lists.root.kid} was taken from the same source, not pinned. Pin it with --root <base64url>.`);
  }
  let opened: { trust: TrustList; revocations: RevocationList };
  try {
    opened = { trust: openTrustList(lists.list.signed, rootKey), revocations: openRevocationList(lists.revocations.signed, rootKey) };
  } catch (error) {
    throw new CliUsageError(`Daftar tidak sah untuk kunci akar ini / the lists do not verify with this root: ${(error as Error).message}`);
  }
  const officeRevocations = lists.officeRevocations ? openOfficeRevocationLists([lists.officeRevocations.signed], opened.trust) : [];
  if (lists.officeRevocations && officeRevocations.length === 0) {
    warn('PERINGATAN: daftar pencabutan kantor tidak sah untuk daftar kunci ini dan diabaikan.');
    warn('WARNING: the office’s own revocation list does not verify against the trust list and is ignored.');
  }
  return { ...opened, officeRevocations };
}

/** A calendar date in the issuing office's zone (its province's), as printed on the document; the centre's lists in Jakarta's. */
const date = (unix: number, officeId?: string) => zonedIsoDate(new Date(unix * 1000), (officeId && timeZoneOfProvince(officeId)) || DEFAULT_TIME_ZONE);

export function formatResult(result: VerificationResult, ages: { list?: string; revocations?: string }): string {
  const lines = [`${result.label.id} / ${result.label.en}  (${result.verdict})`, '', `  ${result.reason.id}`, `  ${result.reason.en}`];
  if (result.claims) {
    const c = result.claims;
    const row = (label: string, value: string) => lines.push(`  ${label.padEnd(36)} ${value}`);
    lines.push('');
    row('Nomor / serial', c.ser);
    row('Jenis / type', c.typ);
    if (result.issuer) row('Penerbit / issuer', `${result.issuer.officeName} (${result.issuer.officeId}, kunci/key ${result.issuer.kid})`);
    row('Terbit / issued', date(c.iat, c.iss));
    if (c.exp !== undefined) row('Berlaku s.d. / valid until', date(c.exp, c.iss));
    lines.push('');
    const known = new Map(SUKET_FIELD_LABELS.map((f) => [f.key, f]));
    for (const [key, value] of Object.entries(c.sub)) {
      const label = known.get(key);
      row(label ? `${label.id} / ${label.en}` : key, value);
    }
  }
  lines.push('', `  Daftar kunci / trust list: ${ages.list ?? date(result.trustListIssuedAt)} · daftar cabut / revocations: ${ages.revocations ?? date(result.revocationListIssuedAt)}`);
  return lines.join('\n');
}

/**
 * `tangguh verify <image|pdf|TGH1:text>`. Exit codes: 0 ASLI (VALID); 1 any other verdict, including a file
 * or text with no readable Tangguh credential; 2 a usage error, lists that cannot be had, or an input that
 * cannot be used (neither a Tangguh code nor an existing file, or a file over the upload limits). How the
 * argument is told apart (text, file, URL) is in verify-input.ts.
 */
export async function verifyCommand(args: string[], out = (s: string) => process.stdout.write(`${s}\n`), err = (s: string) => process.stderr.write(`${s}\n`)): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { from: { type: 'string' }, root: { type: 'string' }, lists: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new CliUsageError(
      'Pemakaian / usage: tangguh verify <gambar.png|foto.jpg|dokumen.pdf|TGH1:…> [--from URL | --lists DIR] [--root BASE64URL] [--json]\n' +
        'Keluar / exit: 0 ASLI/valid · 1 hasil lain, termasuk tidak terbaca / any other verdict, including unreadable · 2 pemakaian atau masukan tidak dapat dipakai / usage, or an input that cannot be used',
    );
  if (values.from && values.lists) throw new CliUsageError('Pilih salah satu / choose one: --from or --lists');
  const text = await credentialFromArgument(positionals[0]!);
  const lists = values.lists ? await readLists(values.lists) : await fetchLists(values.from ?? DEFAULT_FROM);
  const opened = openLists(lists, values.root, err);
  const result: VerificationResult = text
    ? verifyCredential(text, { trust: opened.trust, revocations: opened.revocations, officeRevocations: opened.officeRevocations, now: Math.floor(Date.now() / 1000) })
    : {
        verdict: 'UNREADABLE',
        label: { id: 'TIDAK TERBACA', en: 'Unreadable' },
        reason: { id: 'Tidak ada kode QR atau teks dokumen Tangguh yang terbaca pada masukan ini.', en: 'No QR code or Tangguh document text could be read from this input.' },
        checkedAt: Math.floor(Date.now() / 1000),
        trustListIssuedAt: opened.trust.issuedAt,
        revocationListIssuedAt: opened.revocations.issuedAt,
      };
  out(values.json ? JSON.stringify(result, null, 2) : formatResult(result, { list: lists.list.fetchedAt, revocations: lists.revocations.fetchedAt }));
  return result.verdict === 'VALID' ? 0 : 1;
}

/** `tangguh trust-fetch --out DIR`: saves the root and both signed lists for `verify --lists DIR` (no network then). */
export async function trustFetchCommand(args: string[], out = (s: string) => process.stdout.write(`${s}\n`), err = (s: string) => process.stderr.write(`${s}\n`)): Promise<number> {
  const { values } = parseArgs({ args, options: { from: { type: 'string', default: DEFAULT_FROM }, out: { type: 'string' }, root: { type: 'string' } } });
  if (!values.out) throw new CliUsageError('Pemakaian / usage: tangguh trust-fetch --out DIR [--from URL] [--root BASE64URL]');
  const lists = await fetchLists(values.from);
  const opened = openLists(lists, values.root, err);
  await mkdir(values.out, { recursive: true });
  await writeFile(join(values.out, FILES.root), JSON.stringify(values.root ? { kid: keyId(fromBase64Url(values.root)), publicKey: values.root } : lists.root, null, 2));
  await writeFile(join(values.out, FILES.list), JSON.stringify({ fetchedAt: new Date().toISOString(), ...lists.list }, null, 2));
  await writeFile(join(values.out, FILES.revocations), JSON.stringify({ fetchedAt: new Date().toISOString(), ...lists.revocations }, null, 2));
  const own = opened.officeRevocations[0];
  if (own) await writeFile(join(values.out, FILES.officeRevocations), JSON.stringify(lists.officeRevocations, null, 2));
  else await rm(join(values.out, FILES.officeRevocations), { force: true });
  out(`Disimpan / saved in ${values.out}: ${opened.trust.keys.length} kunci/keys (urutan/sequence ${opened.trust.sequence}), ${opened.revocations.entries.length} dicabut/revoked (urutan/sequence ${opened.revocations.sequence})${own ? `, ${own.entries.length} dicabut kantor/revoked by the office ${own.issuer}` : ''}.`);
  return 0;
}
