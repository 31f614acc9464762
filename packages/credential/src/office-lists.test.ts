import { describe, expect, it } from 'vitest';
import {
  CredentialFormatError,
  encodeCredential,
  generateSigningKey,
  openOfficeRevocationList,
  openOfficeRevocationLists,
  signOfficeRevocationList,
  signRevocationList,
  verifyCredential,
  type RevocationList,
} from './index.ts';
import { DAY, fullSuket, ISSUED_AT, NOW, world } from './test-support.ts';

const w = world();

/** What Jember (3509) revoked while the centre was down: its first Suket, replaced by the next. */
const jemberList = (fields: Partial<RevocationList> = {}): RevocationList => ({
  issuer: '3509',
  issuedAt: ISSUED_AT + 2 * DAY,
  sequence: 3,
  entries: [{ ser: 'SKT-3509-20261124-000001', revokedAt: ISSUED_AT + 2 * DAY, reason: 'SUPERSEDED', supersededBy: 'SKT-3509-20261124-000003' }],
  ...fields,
});

describe('an office’s own revocation list', () => {
  it('opens against the trust list when signed with the office’s certified Suket key', () => {
    const signed = signOfficeRevocationList(jemberList(), w.suketKey);
    expect(openOfficeRevocationList(signed, w.trust)).toEqual(jemberList());
  });

  it('makes a Suket the centre has not heard about read DIGANTI, naming the newer one', () => {
    const text = encodeCredential(fullSuket(), w.suketKey);
    expect(verifyCredential(text, { trust: w.trust, revocations: w.revocations, now: NOW }).verdict).toBe('VALID');
    const officeRevocations = openOfficeRevocationLists([signOfficeRevocationList(jemberList(), w.suketKey)], w.trust);
    const result = verifyCredential(text, { trust: w.trust, revocations: w.revocations, officeRevocations, now: NOW });
    expect(result.verdict).toBe('SUPERSEDED');
    expect(result.reason.id).toContain('SKT-3509-20261124-000003');
  });

  it('counts only for documents of its own office: Banyuwangi cannot withdraw a Jember Suket', () => {
    const banyuwangi = signOfficeRevocationList(jemberList({ issuer: '3510' }), w.otherOfficeKey);
    const officeRevocations = openOfficeRevocationLists([banyuwangi], w.trust);
    expect(officeRevocations).toHaveLength(1);
    const text = encodeCredential(fullSuket(), w.suketKey);
    expect(verifyCredential(text, { trust: w.trust, revocations: w.revocations, officeRevocations, now: NOW }).verdict).toBe('VALID');
  });

  it('refuses a list naming another office than the key’s, signed by a key not in the trust list, by a TTE key, or by the root', () => {
    expect(() => openOfficeRevocationList(signOfficeRevocationList(jemberList({ issuer: '3510' }), w.suketKey), w.trust)).toThrow(/issuer/);
    expect(() => openOfficeRevocationList(signOfficeRevocationList(jemberList(), generateSigningKey()), w.trust)).toThrow(/not in the trust list/);
    expect(() => openOfficeRevocationList(signOfficeRevocationList(jemberList(), w.tteKey), w.trust)).toThrow(/document key/);
    // The centre's list (other content type) is never taken for an office's, even with a known key.
    expect(() => openOfficeRevocationList(signRevocationList(jemberList(), w.suketKey), w.trust)).toThrow(CredentialFormatError);
  });

  it('refuses a list issued after its key was revoked or outside the key’s validity', () => {
    expect(() => openOfficeRevocationList(signOfficeRevocationList(jemberList(), w.rotatedKey), w.trust)).toThrow(/revoked/);
    expect(() => openOfficeRevocationList(signOfficeRevocationList(jemberList({ issuedAt: ISSUED_AT + 400 * DAY }), w.suketKey), w.trust)).toThrow(/validity/);
  });

  it('refuses a tampered list and leaves it out of the opened ones', () => {
    const signed = signOfficeRevocationList(jemberList(), w.suketKey);
    const tampered = signed.slice(0, 40) + (signed[40] === 'A' ? 'B' : 'A') + signed.slice(41);
    expect(() => openOfficeRevocationList(tampered, w.trust)).toThrow();
    expect(openOfficeRevocationLists([tampered, 'not a list'], w.trust)).toEqual([]);
  });
});
