import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeClaimsPayload, coseToText } from './credential.ts';
import { encodeSign1, sign1 } from './cose.ts';
import { cborEncode } from './cbor.ts';
import {
  CREDENTIAL_PREFIX,
  VERDICT_LABELS,
  decodeCredential,
  encodeCredential,
  generateSigningKey,
  verifyCredential,
  type CredentialClaims,
  type SigningKey,
  type Verdict,
  type VerificationResult,
} from './index.ts';
import { DAY, ISSUED_AT, NOW, SIX_MONTHS, fullSuket, kartuKeluarga, trusted, world } from './test-support.ts';

const w = world();
const lists = { trust: w.trust, revocations: w.revocations, now: NOW };
const check = (text: string, now = NOW): VerificationResult => verifyCredential(text, { ...lists, now });

function expectVerdict(result: VerificationResult, verdict: Verdict): void {
  expect(result.verdict).toBe(verdict);
  expect(result.label).toEqual(VERDICT_LABELS[verdict]);
  expect(result.reason.id.length).toBeGreaterThan(20);
  expect(result.reason.en.length).toBeGreaterThan(20);
  expect(result.trustListIssuedAt).toBe(w.trust.issuedAt);
  expect(result.revocationListIssuedAt).toBe(w.revocations.issuedAt);
  if (verdict === 'VALID' || verdict === 'EXPIRED' || verdict === 'REVOKED' || verdict === 'SUPERSEDED') {
    expect(result.claims).toBeDefined();
    expect(result.issuer?.officeId).toBe('3509');
  } else {
    expect(result.claims).toBeUndefined();
    expect(result.issuer).toBeUndefined();
  }
}

/** Same protected header and signature, different payload: what a forger who edits the fields produces. */
function withAlteredClaims(text: string, change: (c: CredentialClaims) => CredentialClaims): string {
  const env = decodeEnvelope(text);
  const claims = decodeCredential(text).claims;
  return coseToText(encodeSign1(env.protectedBytes, encodeClaimsPayload(change(claims)), env.signature));
}

describe('verifyCredential', () => {
  it('VALID for a genuine Suket, with the fields and the issuing office', () => {
    const r = check(encodeCredential(fullSuket(), w.suketKey));
    expectVerdict(r, 'VALID');
    expect(r.claims).toEqual(fullSuket());
    expect(r.issuer).toEqual({ officeId: '3509', officeName: 'Disdukcapil Kabupaten Jember', kid: w.suketKey.kid });
    expect(r.label).toEqual({ id: 'ASLI', en: 'Valid' });
    expect(r.reason.id).toContain('Disdukcapil Kabupaten Jember');
    expect(r.reason.en).toContain('not been altered');
    expect(r.checkedAt).toBe(NOW);
  });

  it('VALID for a TTE document signed with a TTE key (no expiry)', () => {
    const r = check(encodeCredential(kartuKeluarga(), w.tteKey));
    expectVerdict(r, 'VALID');
    expect(r.claims?.exp).toBeUndefined();
  });

  it('FORGED when a field was altered but the signature kept', () => {
    const genuine = encodeCredential(fullSuket(), w.suketKey);
    const altered = withAlteredClaims(genuine, (c) => ({ ...c, sub: { ...c.sub, nama: 'BUDI SANTOSO' } }));
    expect(decodeCredential(altered).claims.sub.nama).toBe('BUDI SANTOSO');
    const r = check(altered);
    expectVerdict(r, 'FORGED');
    expect(r.reason).toEqual({
      id: 'Tanda tangan tidak cocok: isi dokumen telah diubah atau dipalsukan.',
      en: 'The signature does not match: the content of the document has been altered or forged.',
    });
    const extended = withAlteredClaims(genuine, (c) => ({ ...c, exp: (c.exp ?? 0) + 365 * DAY }));
    expectVerdict(check(extended), 'FORGED');
  });

  it('FORGED when the signature comes from another credential', () => {
    const mine = decodeEnvelope(encodeCredential(fullSuket(), w.suketKey));
    const other = decodeEnvelope(encodeCredential(fullSuket({ ser: 'SKT-3509-20261124-000077' }), w.suketKey));
    const swapped = coseToText(encodeSign1(mine.protectedBytes, mine.payload, other.signature));
    expectVerdict(check(swapped), 'FORGED');
  });

  it('FORGED when signed by a key not in the list that claims a listed kid', () => {
    const attacker = generateSigningKey();
    const impostor: SigningKey = { kid: w.suketKey.kid, publicKey: w.suketKey.publicKey, privateKey: attacker.privateKey };
    const r = check(encodeCredential(fullSuket(), impostor));
    expectVerdict(r, 'FORGED');
    expect(r.reason.en).toContain('signature does not match');
  });

  it('UNKNOWN_ISSUER when the kid is not in the trust list', () => {
    const stranger = generateSigningKey();
    const r = check(encodeCredential(fullSuket(), stranger));
    expectVerdict(r, 'UNKNOWN_ISSUER');
    expect(r.reason.id).toContain(stranger.kid);
    expect(r.reason.en).toContain('not in the official key list');
  });

  it('EXPIRED after exp, VALID up to and including exp', () => {
    const text = encodeCredential(fullSuket(), w.suketKey);
    expectVerdict(check(text, ISSUED_AT + SIX_MONTHS), 'VALID');
    const r = check(text, ISSUED_AT + SIX_MONTHS + 1);
    expectVerdict(r, 'EXPIRED');
    expect(r.reason.id).toContain('sudah habis');
    expect(r.reason.en).toContain('expired on 25 May 2027');
  });

  it('writes dates on the issuing office’s calendar: 23:00 WIB in Jember is already the next day in Jayapura', () => {
    const exp = Date.UTC(2027, 4, 24, 16, 0, 0) / 1000; // 24 May 23:00 WIB = 25 May 01:00 WIT
    const jayapuraKey = generateSigningKey();
    const trust = { ...w.trust, keys: [...w.trust.keys, trusted(jayapuraKey, { officeId: '9171', officeName: 'Disdukcapil Kota Jayapura' })] };
    const jember = verifyCredential(encodeCredential(fullSuket({ exp }), w.suketKey), { ...lists, now: exp + 1 });
    const jayapura = verifyCredential(encodeCredential(fullSuket({ exp, iss: '9171', ser: 'SKT-9171-20261125-000001' }), jayapuraKey), { ...lists, trust, now: exp + 1 });
    expect(jember.verdict).toBe('EXPIRED');
    expect(jember.reason.en).toContain('expired on 24 May 2027');
    expect(jayapura.verdict).toBe('EXPIRED');
    expect(jayapura.reason.en).toContain('expired on 25 May 2027');
    expect(jayapura.reason.id).toContain('habis pada 25 Mei 2027');
  });

  it('REVOKED when the serial is on the revocation list (card issued)', () => {
    const r = check(encodeCredential(fullSuket({ ser: 'SKT-3509-20261124-000002' }), w.suketKey));
    expectVerdict(r, 'REVOKED');
    expect(r.reason.id).toContain('KTP-el pemiliknya sudah terbit');
    expect(r.reason.en).toContain('e-KTP card has been issued');
  });

  it('REVOKED beats EXPIRED', () => {
    const r = check(encodeCredential(fullSuket({ ser: 'SKT-3509-20261124-000002' }), w.suketKey), ISSUED_AT + 400 * DAY);
    expectVerdict(r, 'REVOKED');
  });

  it('SUPERSEDED names the newer document', () => {
    const r = check(encodeCredential(kartuKeluarga({ ser: 'KK-3509-20261124-000100' }), w.tteKey));
    expectVerdict(r, 'SUPERSEDED');
    expect(r.reason.id).toContain('KK-3509-20261124-000123');
    expect(r.reason.en).toContain('replaced by document KK-3509-20261124-000123');
  });

  it('FORGED when issued outside the key validity', () => {
    const before = check(encodeCredential(fullSuket({ iat: ISSUED_AT - 366 * DAY, exp: ISSUED_AT }), w.suketKey));
    expectVerdict(before, 'FORGED');
    expect(before.reason.en).toContain('outside the validity');
    const after = check(encodeCredential(fullSuket({ iat: ISSUED_AT + 366 * DAY, exp: ISSUED_AT + 500 * DAY }), w.suketKey), ISSUED_AT + 367 * DAY);
    expectVerdict(after, 'FORGED');
  });

  it('FORGED when a Suket is signed with a TTE key, or a document with a Suket key', () => {
    const suketWithTte = check(encodeCredential(fullSuket(), w.tteKey));
    expectVerdict(suketWithTte, 'FORGED');
    expect(suketWithTte.reason.en).toContain('not authorised');
    expectVerdict(check(encodeCredential(kartuKeluarga(), w.suketKey)), 'FORGED');
  });

  it("FORGED when claims.iss is not the key's office", () => {
    const r = check(encodeCredential(fullSuket({ iss: '3509' }), w.otherOfficeKey));
    expectVerdict(r, 'FORGED');
    expect(r.reason.en).toContain('not the owner of the signing key');
  });

  it('key revoked: FORGED at or after revokedAt, still judged before it', () => {
    const revokedAt = ISSUED_AT - 30 * DAY;
    const after = check(encodeCredential(fullSuket({ iat: revokedAt, exp: revokedAt + SIX_MONTHS }), w.rotatedKey));
    expectVerdict(after, 'FORGED');
    expect(after.reason.en).toContain('was revoked');
    const before = check(encodeCredential(fullSuket({ iat: revokedAt - 1, exp: revokedAt + SIX_MONTHS }), w.rotatedKey));
    expectVerdict(before, 'VALID');
    expect(before.reason.en).toContain('key was replaced');
  });

  it('UNREADABLE for garbage, a wrong prefix, broken Base45, broken zlib', () => {
    const text = encodeCredential(fullSuket(), w.suketKey);
    for (const bad of ['', 'hello', text.slice(1), 'HC1:' + text.slice(5), text.slice(0, -1), text.slice(0, -3), CREDENTIAL_PREFIX + 'AAA', text + 'A'.repeat(4000)]) {
      expectVerdict(check(bad), 'UNREADABLE');
    }
  });

  it('UNREADABLE (signed, not forged) when a trusted key signed a payload that is not a claim set', () => {
    const payload = cborEncode(new Map<number, unknown>([[1, '3509'], [99, 'x']]));
    const r = check(coseToText(sign1(payload, w.suketKey)));
    expectVerdict(r, 'UNREADABLE');
    expect(r.reason.en).toContain('signature on this code is genuine');
  });

  it('never throws, even with broken lists or non-string input', () => {
    const text = encodeCredential(fullSuket(), w.suketKey);
    const brokenKey = { ...w.trust, keys: [{ ...w.trust.keys[0]!, publicKey: '!!' }] };
    const r = verifyCredential(text, { trust: brokenKey, revocations: w.revocations, now: NOW });
    expect(r.verdict).toBe('UNREADABLE');
    expect(r.reason.en).toContain('technical fault');
    expect(verifyCredential(42 as unknown as string, lists).verdict).toBe('UNREADABLE');
    expect(verifyCredential(text, undefined as unknown as typeof lists).verdict).toBe('UNREADABLE');
  });

  it('labels are bilingual', () => {
    expect(VERDICT_LABELS).toEqual({
      VALID: { id: 'ASLI', en: 'Valid' },
      EXPIRED: { id: 'KEDALUWARSA', en: 'Expired' },
      REVOKED: { id: 'DICABUT', en: 'Revoked' },
      SUPERSEDED: { id: 'DIGANTI', en: 'Superseded' },
      FORGED: { id: 'PALSU', en: 'Forged or altered' },
      UNKNOWN_ISSUER: { id: 'TIDAK DIKENAL', en: 'Unknown issuer' },
      UNREADABLE: { id: 'TIDAK TERBACA', en: 'Unreadable' },
    });
  });
});
