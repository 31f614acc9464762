// Offline verification of a credential text against the centre's trust and revocation lists.
//
// Order of the checks and the verdict each gives (the first that applies wins):
//   1. text, prefix, Base45, zlib, CBOR or the COSE_Sign1 envelope unreadable  → UNREADABLE
//   2. kid not in the trust list                                             → UNKNOWN_ISSUER
//   3. signature does not verify with that key                               → FORGED
//   4. signature verifies but the claims are not a well-formed claim set     → UNREADABLE (signed by a
//      trusted key, so not a forgery; an issuer bug or a newer format)
//   5. key purpose does not fit the type (SUKET needs a SUKET key, other types a TTE key) → FORGED
//   6. claims.iss is not the key's office                                    → FORGED
//   7. iat outside the key's [notBefore, notAfter]                           → FORGED
//   8. key revokedAt ≤ iat                                                   → FORGED
//      (key revoked after iat: judged on the rest. revokedAt is the key's invalidity date; for a
//      compromised key the centre sets it back to when the compromise may have begun, at the
//      latest notBefore, since a thief can backdate iat. A document serial revoked with reason
//      KEY_COMPROMISE is REVOKED like any other.)
//   9. serial in the revocation list, or in a revocation list the issuing office signed itself (an entry
//      there counts only for documents of that office): reason SUPERSEDED → SUPERSEDED, any other reason
//      → REVOKED (every entry counts, whatever its revokedAt, so a slightly fast list or slow clock errs safe)
//  10. exp < now                                                             → EXPIRED
//  11. otherwise                                                             → VALID
// claims and issuer are returned only for VALID, EXPIRED, REVOKED and SUPERSEDED, so a clerk is never
// shown fields that no trusted key vouches for. verifyCredential never throws: an internal error is
// reported as UNREADABLE with a reason that says the check could not be completed.
import { DEFAULT_TIME_ZONE, formatZonedDate, timeZoneOfProvince } from '@tangguh/domain';
import { toBase64Url } from './bytes.ts';
import { decodeEnvelope, parseClaims, type CredentialClaims } from './credential.ts';
import { verifySign1, type Sign1 } from './cose.ts';
import { publicKeyFromBase64Url } from './keys.ts';
import type { RevocationEntry, RevocationList, RevocationReason, TrustedKey, TrustList } from './lists.ts';

export type Verdict = 'VALID' | 'EXPIRED' | 'REVOKED' | 'SUPERSEDED' | 'FORGED' | 'UNKNOWN_ISSUER' | 'UNREADABLE';

export interface Bilingual {
  id: string;
  en: string;
}

export const VERDICT_LABELS: Record<Verdict, Bilingual> = {
  VALID: { id: 'ASLI', en: 'Valid' },
  EXPIRED: { id: 'KEDALUWARSA', en: 'Expired' },
  REVOKED: { id: 'DICABUT', en: 'Revoked' },
  SUPERSEDED: { id: 'DIGANTI', en: 'Superseded' },
  FORGED: { id: 'PALSU', en: 'Forged or altered' },
  UNKNOWN_ISSUER: { id: 'TIDAK DIKENAL', en: 'Unknown issuer' },
  UNREADABLE: { id: 'TIDAK TERBACA', en: 'Unreadable' },
};

export interface VerificationResult {
  verdict: Verdict;
  label: Bilingual;
  reason: Bilingual;
  claims?: CredentialClaims;
  issuer?: { officeId: string; officeName: string; kid: string };
  checkedAt: number;
  trustListIssuedAt: number;
  revocationListIssuedAt: number;
}

export interface VerificationLists {
  trust: TrustList;
  revocations: RevocationList;
  /**
   * Revocation lists signed by offices with their certified keys, already opened against `trust`
   * (openOfficeRevocationList): what an office revoked while the centre could not hear of it.
   */
  officeRevocations?: readonly RevocationList[];
  /** Unix seconds. */
  now: number;
}

/** The centre's entry for a serial, else the entry of the issuing office's own list. */
function revocationOf(lists: VerificationLists, officeId: string, ser: string): RevocationEntry | undefined {
  const central = lists.revocations.entries.find((e) => e.ser === ser);
  if (central) return central;
  for (const list of lists.officeRevocations ?? []) {
    if (list.issuer !== officeId) continue;
    const entry = list.entries.find((e) => e.ser === ser);
    if (entry) return entry;
  }
  return undefined;
}

/**
 * Dates in reasons are calendar dates in the issuing office's zone, so they read as the paper does
 * (the office id is its regency code, whose province fixes the zone). Dates of the centre's own lists
 * are in Asia/Jakarta, where the centre is.
 */
const CENTRE_TIME_ZONE: string = DEFAULT_TIME_ZONE;
const issuerTimeZone = (officeId: string): string => timeZoneOfProvince(officeId) ?? DEFAULT_TIME_ZONE;
const dateId = (unix: number, timeZone = CENTRE_TIME_ZONE): string => (Number.isFinite(unix) ? formatZonedDate(new Date(unix * 1000), timeZone, 'id') : String(unix));
const dateEn = (unix: number, timeZone = CENTRE_TIME_ZONE): string => (Number.isFinite(unix) ? formatZonedDate(new Date(unix * 1000), timeZone, 'en') : String(unix));

const REVOCATION_REASONS: Record<RevocationReason, Bilingual> = {
  CARD_ISSUED: { id: 'KTP-el pemiliknya sudah terbit', en: "the holder's e-KTP card has been issued" },
  SUPERSEDED: { id: 'diganti dengan dokumen yang lebih baru', en: 'replaced by a newer document' },
  ISSUED_IN_ERROR: { id: 'diterbitkan karena kesalahan', en: 'issued in error' },
  KEY_COMPROMISE: { id: 'kunci tanda tangan kantor penerbit bocor', en: "the issuing office's signing key was compromised" },
  OTHER: { id: 'ditarik oleh penerbit', en: 'withdrawn by the issuer' },
};

const TYPE_NAMES: Record<string, Bilingual> = {
  SUKET: { id: 'Surat Keterangan pengganti KTP-el', en: 'temporary e-KTP certificate (Suket)' },
  KK: { id: 'Kartu Keluarga', en: 'family card (KK)' },
  AKTA_KELAHIRAN: { id: 'Akta Kelahiran', en: 'birth certificate' },
  AKTA_KEMATIAN: { id: 'Akta Kematian', en: 'death certificate' },
};
function typeName(typ: string): Bilingual {
  return TYPE_NAMES[typ] ?? { id: `dokumen ${typ}`, en: `document of type ${typ}` };
}

const R = {
  unreadable: {
    id: 'Kode tidak dapat dibaca: bukan kode dokumen Tangguh, atau rusak atau terpotong saat dipindai. Coba pindai ulang dengan cahaya yang cukup; jika tetap gagal, jangan terima dokumen ini.',
    en: 'The code cannot be read: it is not a Tangguh document code, or it was damaged or cut off when scanned. Try scanning again in good light; if it still fails, do not accept this document.',
  },
  unreadableContent: {
    id: 'Tanda tangan kode ini sah, tetapi isinya tidak dapat dibaca oleh aplikasi ini. Perbarui aplikasi atau hubungi Disdukcapil penerbit; jangan terima dokumen ini sebelum dipastikan.',
    en: 'The signature on this code is genuine, but this application cannot read its content. Update the application or contact the issuing office; do not accept this document until it is confirmed.',
  },
  internal: {
    id: 'Pemeriksaan tidak dapat diselesaikan karena kesalahan teknis (misalnya daftar kunci rusak). Hasil belum pasti; jangan terima dokumen ini sebelum diperiksa ulang.',
    en: 'The check could not be completed because of a technical fault (for example a damaged key list). The result is not known; do not accept this document until it has been checked again.',
  },
  forgedSignature: {
    id: 'Tanda tangan tidak cocok: isi dokumen telah diubah atau dipalsukan.',
    en: 'The signature does not match: the content of the document has been altered or forged.',
  },
} satisfies Record<string, Bilingual>;

function unknownIssuer(kid: string, trust: TrustList): Bilingual {
  return {
    id: `Penerbit tidak dikenal: kunci tanda tangan ${kid} tidak ada dalam daftar kunci resmi Disdukcapil (daftar tanggal ${dateId(trust.issuedAt)}). Dokumen ini mungkin palsu, atau daftar kunci di perangkat ini sudah lama: perbarui daftar lalu periksa lagi.`,
    en: `Unknown issuer: signing key ${kid} is not in the official key list (list of ${dateEn(trust.issuedAt)}). The document may be forged, or the key list on this device is out of date: update it and check again.`,
  };
}

function safeNumber(read: () => unknown): number {
  try {
    const v = read();
    return typeof v === 'number' ? v : 0;
  } catch {
    return 0;
  }
}

function result(verdict: Verdict, reason: Bilingual, lists: VerificationLists, extra?: Pick<VerificationResult, 'claims' | 'issuer'>): VerificationResult {
  const r: VerificationResult = {
    verdict,
    label: VERDICT_LABELS[verdict],
    reason,
    checkedAt: safeNumber(() => lists.now),
    trustListIssuedAt: safeNumber(() => lists.trust.issuedAt),
    revocationListIssuedAt: safeNumber(() => lists.revocations.issuedAt),
  };
  if (extra?.claims) r.claims = extra.claims;
  if (extra?.issuer) r.issuer = extra.issuer;
  return r;
}

function judge(text: string, lists: VerificationLists): VerificationResult {
  let envelope: Sign1;
  try {
    envelope = decodeEnvelope(text);
  } catch {
    return result('UNREADABLE', R.unreadable, lists);
  }
  const kid = toBase64Url(envelope.kid);
  const key: TrustedKey | undefined = lists.trust.keys.find((k) => k.kid === kid);
  if (!key) return result('UNKNOWN_ISSUER', unknownIssuer(kid, lists.trust), lists);
  if (!verifySign1(envelope, publicKeyFromBase64Url(key.publicKey))) return result('FORGED', R.forgedSignature, lists);
  let claims: CredentialClaims;
  try {
    claims = parseClaims(envelope.payload);
  } catch {
    return result('UNREADABLE', R.unreadableContent, lists);
  }
  const type = typeName(claims.typ);
  const tz = issuerTimeZone(claims.iss);
  const neededPurpose = claims.typ === 'SUKET' ? 'SUKET' : 'TTE';
  if (key.purpose !== neededPurpose) {
    return result(
      'FORGED',
      {
        id: `${type.id} ini ditandatangani dengan kunci yang tidak berwenang untuk jenis dokumen ini (kunci ${key.purpose} milik ${key.officeName}, padahal diperlukan kunci ${neededPurpose}).`,
        en: `This ${type.en} was signed with a key not authorised for this kind of document (a ${key.purpose} key of ${key.officeName}; a ${neededPurpose} key is required).`,
      },
      lists,
    );
  }
  if (claims.iss !== key.officeId) {
    return result(
      'FORGED',
      {
        id: `Kantor penerbit yang tertulis di dokumen (${claims.iss}) tidak sesuai dengan pemilik kunci tanda tangan (${key.officeName}, ${key.officeId}).`,
        en: `The issuing office written in the document (${claims.iss}) is not the owner of the signing key (${key.officeName}, ${key.officeId}).`,
      },
      lists,
    );
  }
  if (claims.iat < key.notBefore || claims.iat > key.notAfter) {
    return result(
      'FORGED',
      {
        id: `Tanggal terbit dokumen (${dateId(claims.iat, tz)}) berada di luar masa berlaku kunci tanda tangan ${key.officeName} (${dateId(key.notBefore, tz)} s.d. ${dateId(key.notAfter, tz)}).`,
        en: `The document's issue date (${dateEn(claims.iat, tz)}) is outside the validity of ${key.officeName}'s signing key (${dateEn(key.notBefore, tz)} to ${dateEn(key.notAfter, tz)}).`,
      },
      lists,
    );
  }
  if (key.revokedAt !== undefined && key.revokedAt <= claims.iat) {
    return result(
      'FORGED',
      {
        id: `Kunci tanda tangan ${key.officeName} sudah dicabut sejak ${dateId(key.revokedAt, tz)}, sebelum tanggal terbit dokumen ini (${dateId(claims.iat, tz)}).`,
        en: `${key.officeName}'s signing key was revoked on ${dateEn(key.revokedAt, tz)}, before this document's issue date (${dateEn(claims.iat, tz)}).`,
      },
      lists,
    );
  }
  const vouched = { claims, issuer: { officeId: key.officeId, officeName: key.officeName, kid } };
  const entry = revocationOf(lists, key.officeId, claims.ser);
  if (entry?.reason === 'SUPERSEDED') {
    const by = entry.supersededBy;
    return result(
      'SUPERSEDED',
      {
        id: `Dokumen nomor ${claims.ser} sudah diganti${by ? ` dengan dokumen nomor ${by}` : ' dengan dokumen yang lebih baru'} sejak ${dateId(entry.revokedAt, tz)}. Mintalah dokumen yang terbaru.`,
        en: `Document ${claims.ser} was replaced${by ? ` by document ${by}` : ' by a newer document'} on ${dateEn(entry.revokedAt, tz)}. Ask for the latest document.`,
      },
      lists,
      vouched,
    );
  }
  if (entry) {
    const why = REVOCATION_REASONS[entry.reason] ?? REVOCATION_REASONS.OTHER;
    return result(
      'REVOKED',
      {
        id: `Dokumen nomor ${claims.ser} telah dicabut sejak ${dateId(entry.revokedAt, tz)} (alasan: ${why.id}). Dokumen ini tidak berlaku lagi.`,
        en: `Document ${claims.ser} was revoked on ${dateEn(entry.revokedAt, tz)} (reason: ${why.en}). It is no longer valid.`,
      },
      lists,
      vouched,
    );
  }
  if (claims.exp !== undefined && claims.exp < lists.now) {
    return result(
      'EXPIRED',
      {
        id: `Tanda tangan asli, tetapi masa berlaku ${type.id} ini sudah habis pada ${dateId(claims.exp, tz)}.`,
        en: `The signature is genuine, but this ${type.en} expired on ${dateEn(claims.exp, tz)}.`,
      },
      lists,
      vouched,
    );
  }
  const until = claims.exp !== undefined ? { id: ` dan berlaku sampai ${dateId(claims.exp, tz)}`, en: ` and is valid until ${dateEn(claims.exp, tz)}` } : { id: '', en: '' };
  const rotated =
    key.revokedAt !== undefined
      ? { id: ' Kunci kantor tersebut sudah diganti setelah dokumen ini terbit; dokumen tetap sah.', en: " The office's key was replaced after this document was issued; the document remains valid." }
      : { id: '', en: '' };
  return result(
    'VALID',
    {
      id: `Tanda tangan asli dari ${key.officeName}: isi dokumen tidak diubah${until.id}. Cocokkan data dan foto dengan orangnya.${rotated.id}`,
      en: `Genuine signature of ${key.officeName}: the content has not been altered${until.en}. Compare the details and the photo with the person.${rotated.en}`,
    },
    lists,
    vouched,
  );
}

/** Judges a credential text; never throws. */
export function verifyCredential(text: string, lists: VerificationLists): VerificationResult {
  try {
    return judge(text, lists);
  } catch {
    return result('UNREADABLE', R.internal, lists);
  }
}
