// An office's own signed revocation list: the Sukets it revoked or superseded that the centre's list may
// not carry yet (the centre learns of them only through the office's sync, never while it is down).
//
// It is signed with the office's certified document key, not the root, so it needs no round trip: the
// trust list already vouches for that key. Its powers are deliberately narrow — an entry counts only
// for documents whose issuer is the list's office (checked in verify.ts), so a stolen office key can at
// worst withdraw that office's own documents, never anyone else's, and a revocation can only make a
// document less valid. The content type keeps it from ever being opened as the centre's list.
import { fromBase64Url, toBase64Url } from './bytes.ts';
import { cborDecode } from './cbor.ts';
import { parseSign1, verifySign1 } from './cose.ts';
import { CredentialFormatError } from './errors.ts';
import { publicKeyFromBase64Url, type SigningKey } from './keys.ts';
import { checkRevocationList, MAX_LIST_CHARS, signList, type RevocationList, type TrustedKey, type TrustList } from './lists.ts';

export const OFFICE_REVOCATION_LIST_CONTENT_TYPE = 'application/tangguh-office-revocation-list+cbor';

/** Signs an office's revocation list (issuer = the office id) with that office's certified SUKET document key. */
export function signOfficeRevocationList(list: RevocationList, key: SigningKey): string {
  return signList(checkRevocationList(list), key, OFFICE_REVOCATION_LIST_CONTENT_TYPE);
}

/**
 * Verifies an office's revocation list against a trust list: signed by a SUKET key the trust list
 * certifies for the office named as issuer, issued inside that key's validity and before any revocation
 * of the key. Throws CredentialFormatError otherwise.
 */
export function openOfficeRevocationList(signed: string, trust: TrustList): RevocationList {
  if (typeof signed !== 'string' || signed.length > MAX_LIST_CHARS) throw new CredentialFormatError('office list: not text or too long');
  const parsed = parseSign1(fromBase64Url(signed));
  if (parsed.contentType !== OFFICE_REVOCATION_LIST_CONTENT_TYPE) throw new CredentialFormatError(`office list: content type is not ${OFFICE_REVOCATION_LIST_CONTENT_TYPE}`);
  const kid = toBase64Url(parsed.kid);
  const key: TrustedKey | undefined = trust.keys.find((k) => k.kid === kid);
  if (!key) throw new CredentialFormatError(`office list: key ${kid} is not in the trust list`);
  // Heads' TTE keys live at the centre; only the office's own document key speaks for the office.
  if (key.purpose !== 'SUKET') throw new CredentialFormatError('office list: not signed with an office document key');
  if (!verifySign1(parsed, publicKeyFromBase64Url(key.publicKey))) throw new CredentialFormatError('office list: signature does not verify');
  const list = checkRevocationList(cborDecode(parsed.payload));
  if (list.issuer !== key.officeId) throw new CredentialFormatError(`office list: issuer ${list.issuer} is not the key's office ${key.officeId}`);
  if (list.issuedAt < key.notBefore || list.issuedAt > key.notAfter) throw new CredentialFormatError('office list: issued outside the key’s validity');
  if (key.revokedAt !== undefined && key.revokedAt <= list.issuedAt) throw new CredentialFormatError('office list: issued after its key was revoked');
  return list;
}

/** Opens every list that verifies and leaves out the rest (a list signed by a key this trust list does not know yet, say). */
export function openOfficeRevocationLists(signed: readonly string[], trust: TrustList): RevocationList[] {
  const opened: RevocationList[] = [];
  for (const text of signed) {
    try {
      opened.push(openOfficeRevocationList(text, trust));
    } catch {
      // A list we cannot vouch for adds nothing; the centre's list still applies.
    }
  }
  return opened;
}
