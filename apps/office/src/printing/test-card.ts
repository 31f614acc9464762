import { SyntheticCaptureDevice } from '@tangguh/capture';
import { generateSigningKey, openCardPackage, signCardPackage, toBase64Url, type CardFields, type OpenedCardPackage, type SigningKey, type TrustList } from '@tangguh/credential';

/**
 * Test support: a genuine card print package, signed by a fresh card-signing key that a trust list
 * certifies for CARD, opened the way the office opens one. The photo and signature are the synthetic
 * capture device's real PNGs, so the card renders with real images.
 */
export const TEST_CARD_FIELDS: CardFields = {
  provinsi: 'PROVINSI JAWA TIMUR',
  kabupatenKota: 'KABUPATEN JEMBER',
  nik: '3509014101900001',
  nama: 'SITI AMINAH',
  tempatLahir: 'JEMBER',
  tanggalLahir: '01-01-1990',
  jenisKelamin: 'PEREMPUAN',
  golonganDarah: 'O',
  alamat: 'JL. MASTRIP NO. 12',
  rtRw: '003/007',
  kelurahanDesa: 'SUMBERSARI',
  kecamatan: 'SUMBERSARI',
  agama: 'ISLAM',
  statusPerkawinan: 'KAWIN',
  pekerjaan: 'GURU',
  kewarganegaraan: 'WNI',
  berlakuHingga: 'SEUMUR HIDUP',
  tempatTerbit: 'JEMBER',
  tanggalTerbit: '28-11-2026',
};

const ISSUED_AT = 1_795_000_000;

export function cardTrustList(key: SigningKey): TrustList {
  return {
    issuer: 'PUSAT-DUKCAPIL',
    issuedAt: ISSUED_AT,
    sequence: 1,
    keys: [{ kid: key.kid, officeId: 'PUSAT', officeName: 'Pusat', purpose: 'CARD', publicKey: toBase64Url(key.publicKey), notBefore: ISSUED_AT - 100, notAfter: ISSUED_AT + 10_000_000 }],
  };
}

export async function testCardPackage(fields: Partial<CardFields> = {}, key: SigningKey = generateSigningKey()): Promise<{ pkg: OpenedCardPackage; bytes: Uint8Array; trust: TrustList; key: SigningKey }> {
  const capture = await new SyntheticCaptureDevice().capture({ subjectKey: `card-${fields.nik ?? TEST_CARD_FIELDS.nik}` });
  const bytes = signCardPackage(
    {
      packageId: 'F-rec-card-1',
      kind: 'FIRST',
      recordId: 'rec-card-1',
      officeId: '3509',
      issuedAt: ISSUED_AT,
      fields: { ...TEST_CARD_FIELDS, ...fields },
      photo: { mime: capture.photo.mime, data: capture.photo.bytes },
      signature: { mime: capture.signature.mime, data: capture.signature.bytes },
      fingerprints: capture.biometrics.filter((b) => b.position === 'R_INDEX' || b.position === 'L_INDEX').map((b) => ({ position: b.position, template: b.template })),
    },
    key,
  );
  const trust = cardTrustList(key);
  return { pkg: openCardPackage(bytes, trust), bytes, trust, key };
}
