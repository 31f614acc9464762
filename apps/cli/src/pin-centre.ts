import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase } from '@tangguh/platform';
import type { OfficeDb } from '@tangguh/office/schema';
import { pinCentralCertificate } from '@tangguh/office/provision';

/**
 * `tangguh pin-centre --ca centre-ca.pem [--db PATH|URL]`: pins, in a provisioned office, the certificate the
 * centre's TLS must chain to (the centre's own certificate, or the CA that issued it). Done by an operator with the
 * file in hand, never fetched over the network; the SHA-256 fingerprint printed is what to compare, out of band,
 * with the one the centre's operators give. The office is then started with `--central https://…`.
 */
export async function runPinCentre(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { ca: { type: 'string' }, db: { type: 'string', default: process.env.TANGGUH_OFFICE_DB ?? 'data/office/office.db' } } });
  if (!values.ca) {
    process.stderr.write('pin-centre --ca PEM [--db PATH|URL]\n');
    return 2;
  }
  const pem = readFileSync(values.ca, 'utf8');
  let fingerprint: string;
  try {
    fingerprint = new X509Certificate(pem).fingerprint256;
  } catch {
    console.error(`${values.ca}: bukan sertifikat PEM / not a PEM certificate`);
    return 1;
  }
  const office = openDatabase<OfficeDb>(values.db);
  try {
    await pinCentralCertificate(office.db, pem);
  } finally {
    await office.close();
  }
  console.log(`Sertifikat pusat disematkan / centre certificate pinned (SHA-256 ${fingerprint})`);
  return 0;
}
