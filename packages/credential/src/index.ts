// @tangguh/credential — signed, offline-verifiable credentials for the Suket and e-signed (TTE)
// documents. Runs unchanged in Node and in the browser (no node: modules, no Buffer); the QR image
// helpers that need Node live in './node.ts' (`@tangguh/credential/node`).
export { CredentialFormatError } from './errors.ts';
export { toBase64Url, fromBase64Url } from './bytes.ts';
export { generateSigningKey, signingKeyFromPrivate, keyId, type SigningKey } from './keys.ts';
export {
  CREDENTIAL_PREFIX,
  MAX_CREDENTIAL_CHARS,
  MAX_INFLATED_BYTES,

  encodeCredential,
  decodeCredential,
  type CredentialClaims,
  type DecodedCredential,
} from './credential.ts';
export {
  signTrustList,
  openTrustList,
  signRevocationList,
  openRevocationList,
  type TrustedKey,
  type TrustList,
  type RevocationEntry,
  type RevocationList,
  type RevocationReason,
} from './lists.ts';
export {
  CARD_FIELD_NAMES,
  CARD_SOD_CONTENT_TYPE,
  CHIP_FINGERPRINTS,
  CardPackageError,
  decodeCardChip,
  encodeCardChip,
  openCardPackage,
  signCardPackage,
  verifyCardChip,
  type CardChip,
  type CardFields,
  type CardImage,
  type CardPackageContent,
  type CardPackageKind,
  type ChipFingerprint,
  type OpenedCardPackage,
  type VerifiedCardChip,
} from './card-package.ts';
export { OFFICE_REVOCATION_LIST_CONTENT_TYPE, signOfficeRevocationList, openOfficeRevocationList, openOfficeRevocationLists } from './office-lists.ts';
export { VERDICT_LABELS, verifyCredential, type Verdict, type VerificationResult, type VerificationLists, type Bilingual } from './verify.ts';
export { embedCredentialInPdf, extractCredentialFromPdf, readCredentialFromPdf } from './pdf.ts';
export {
  MAX_IMAGE_PIXELS,
  MAX_IMAGE_SIDE,
  MAX_PDF_DECODED_BYTES,
  UPLOAD_REFUSALS,
  UploadRefusedError,
  imageHeader,
  imageBudgetRefusal,
  type ImageHeader,
  type UploadRefusal,
} from './upload-limits.ts';
