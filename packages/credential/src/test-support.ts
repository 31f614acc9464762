// Shared fixtures for this package's tests (not exported from the package).
import type { CredentialClaims } from './credential.ts';
import { generateSigningKey, type SigningKey } from './keys.ts';
import type { RevocationList, TrustedKey, TrustList } from './lists.ts';
import { toBase64Url } from './bytes.ts';

export const DAY = 86_400;
/** 2026-11-24 10:00 WIB */
export const ISSUED_AT = Date.UTC(2026, 10, 24, 3, 0, 0) / 1000;
export const SIX_MONTHS = 182 * DAY;
export const NOW = ISSUED_AT + 7 * DAY;

export function fullSuket(overrides: Partial<CredentialClaims> = {}): CredentialClaims {
  return {
    typ: 'SUKET',
    ser: 'SKT-3509-20261124-000001',
    iss: '3509',
    iat: ISSUED_AT,
    exp: ISSUED_AT + SIX_MONTHS,
    sub: {
      nik: '3509125807980003',
      nama: 'MUHAMMAD RIZKY PRATAMA WIBOWO',
      tempatLahir: 'JEMBER',
      tanggalLahir: '1998-07-18',
      jenisKelamin: 'LAKI-LAKI',
      alamat: 'JL. KH. AGUS SALIM GG. MAWAR NO. 123',
      rtRw: '003/012',
      kelDesa: 'Kebonsari',
      kecamatan: 'SUMBERSARI',
      kabKota: 'KABUPATEN JEMBER',
      agama: 'ISLAM',
      statusPerkawinan: 'BELUM KAWIN',
      pekerjaan: 'PEGAWAI NEGERI SIPIL (PNS)',
      kewarganegaraan: 'WNI',
    },
    ...overrides,
  };
}

export function kartuKeluarga(overrides: Partial<CredentialClaims> = {}): CredentialClaims {
  return {
    typ: 'KK',
    ser: 'KK-3509-20261124-000123',
    iss: '3509',
    iat: ISSUED_AT,
    sub: { nomor: '3509121203150007', judul: 'KARTU KELUARGA', kepalaKeluarga: 'SUPARMAN', alamat: 'DUSUN KRAJAN RT 002 RW 005', kelDesa: 'Kebonsari' },
    ...overrides,
  };
}

export interface World {
  root: SigningKey;
  suketKey: SigningKey;
  tteKey: SigningKey;
  otherOfficeKey: SigningKey;
  rotatedKey: SigningKey;
  trust: TrustList;
  revocations: RevocationList;
}

export function trusted(key: SigningKey, fields: Partial<TrustedKey> = {}): TrustedKey {
  return {
    kid: key.kid,
    officeId: '3509',
    officeName: 'Disdukcapil Kabupaten Jember',
    purpose: 'SUKET',
    publicKey: toBase64Url(key.publicKey),
    notBefore: ISSUED_AT - 365 * DAY,
    notAfter: ISSUED_AT + 365 * DAY,
    ...fields,
  };
}

export function world(): World {
  const root = generateSigningKey();
  const suketKey = generateSigningKey();
  const tteKey = generateSigningKey();
  const otherOfficeKey = generateSigningKey();
  const rotatedKey = generateSigningKey();
  return {
    root,
    suketKey,
    tteKey,
    otherOfficeKey,
    rotatedKey,
    trust: {
      issuer: 'PUSAT',
      issuedAt: ISSUED_AT - DAY,
      sequence: 7,
      keys: [
        trusted(suketKey),
        trusted(tteKey, { purpose: 'TTE' }),
        trusted(otherOfficeKey, { officeId: '3510', officeName: 'Disdukcapil Kabupaten Banyuwangi' }),
        trusted(rotatedKey, { notBefore: ISSUED_AT - 400 * DAY, revokedAt: ISSUED_AT - 30 * DAY }),
      ],
    },
    revocations: {
      issuer: 'PUSAT',
      issuedAt: ISSUED_AT + DAY,
      sequence: 41,
      entries: [
        { ser: 'SKT-3509-20261124-000002', revokedAt: ISSUED_AT + DAY, reason: 'CARD_ISSUED' },
        { ser: 'KK-3509-20261124-000100', revokedAt: ISSUED_AT, reason: 'SUPERSEDED', supersededBy: 'KK-3509-20261124-000123' },
      ],
    },
  };
}
