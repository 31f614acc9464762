/**
 * Tampering with a credential the way a forger would: the envelope stays well-formed (so a verifier
 * reads it), but the signed bytes or the signature are changed. Uses the credential package's own
 * Base45 and COSE writers, and fflate's zlib as encodeCredential does.
 */
import { unzlibSync, zlibSync } from 'fflate';
import { CREDENTIAL_PREFIX } from '@tangguh/credential';
import { decodeBase45, encodeBase45 } from '../packages/credential/src/base45.ts';
import { encodeSign1, parseSign1 } from '../packages/credential/src/cose.ts';

function open(text: string) {
  return parseSign1(unzlibSync(decodeBase45(text.slice(CREDENTIAL_PREFIX.length))));
}

function close(protectedBytes: Uint8Array, payload: Uint8Array, signature: Uint8Array): string {
  return CREDENTIAL_PREFIX + encodeBase45(zlibSync(encodeSign1(protectedBytes, payload, signature), { level: 9 }));
}

/**
 * The same credential with one bit of its signed content flipped (by default in the middle of it, where
 * the printed fields are), keeping the signature: what a forger who edits a field by hand produces.
 */
export function alterPayload(text: string, at?: number): string {
  const sign1 = open(text);
  const payload = new Uint8Array(sign1.payload);
  const i = at ?? Math.floor(payload.length / 2);
  payload[i] = payload[i]! ^ 0x01;
  return close(sign1.protectedBytes, payload, sign1.signature);
}

/** The claims of `text` with the signature of `donor` (another credential of the same office). */
export function swapSignature(text: string, donor: string): string {
  const sign1 = open(text);
  return close(sign1.protectedBytes, sign1.payload, open(donor).signature);
}
