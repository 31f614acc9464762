import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { tteChallengeText, type SignChallenge, type SignResult, type TteClaims, type TteEnrolment, type TteProof } from '@tangguh/protocol';
import { tteClaimsDigest } from '@tangguh/protocol/node';
import type { HttpClient, HttpResponse } from './helpers.ts';

/**
 * The head's side of TTE signing for tests, as the /pimpinan page does it in a browser: an Ed25519 key
 * pair that never leaves this object (WebCrypto's non-extractable key there), its public key sent to the
 * centre through the office, and the signature over each batch's challenge.
 */
export interface HeadKey {
  /** Raw public key, base64url, as the centre holds it. */
  publicKey: string;
  sign(challenge: string): string;
}

export function makeHeadKey(): HeadKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: publicKey.export({ format: 'jwk' }).x!, sign: (challenge) => sign(null, Buffer.from(challenge, 'utf8'), privateKey).toString('base64url') };
}

/** The head's proof over a batch as the centre rebuilds it (what the office and the browser make between them). */
export function proofFor(key: HeadKey, officeId: string, username: string, documents: { documentId: string; claims: TteClaims }[], issuedAt = new Date().toISOString()): TteProof {
  const nonce = randomBytes(18).toString('base64url');
  const challenge = tteChallengeText({ officeId, username, nonce, issuedAt, documents: documents.map((d) => ({ documentId: d.documentId, claimsDigest: tteClaimsDigest(d.claims) })) });
  return { nonce, issuedAt, signature: key.sign(challenge) };
}

/** Enrols a new key as the head (through the office) and approves it as the centre's admin; returns the key. */
export async function enrolHead(head: HttpClient, centreAdmin: HttpClient, key = makeHeadKey()): Promise<HeadKey> {
  const enrolled = await head.post<{ enrolment: TteEnrolment }>('/api/tte/enrolment', { publicKey: key.publicKey });
  if (enrolled.status !== 200) throw new Error(`enrolment refused: ${enrolled.status} ${JSON.stringify(enrolled.body)}`);
  const decided = await centreAdmin.post(`/api/admin/tte/enrolments/${enrolled.body.enrolment.id}/decision`, { approve: true });
  if (decided.status !== 200) throw new Error(`approval refused: ${decided.status} ${JSON.stringify(decided.body)}`);
  return key;
}

/** The office prepares the next batch of waiting documents (all, or those named) and its challenge. */
export async function prepareBatch(head: HttpClient, ids?: string[]): Promise<SignChallenge> {
  const prepared = await head.post<SignChallenge>('/api/documents/sign-all/challenge', ids ? { ids } : {});
  if (prepared.status !== 200) throw new Error(`challenge refused: ${prepared.status} ${JSON.stringify(prepared.body)}`);
  return prepared.body;
}

/** Sends a prepared batch back with the head's signature over its challenge. */
export function submitBatch(head: HttpClient, challenge: SignChallenge, signature: string): Promise<HttpResponse<SignResult>> {
  return head.post<SignResult>('/api/documents/sign-all', { documentIds: challenge.documentIds, nonce: challenge.nonce, issuedAt: challenge.issuedAt, signature });
}

/**
 * Signs everything waiting (or the documents named), batch after batch, as the page's button does. Answers
 * like one sign-all of before: the total signed, or the first refusal as it came.
 */
export async function signAllAsHead<T = SignResult>(head: HttpClient, key: HeadKey, ids?: string[]): Promise<HttpResponse<T>> {
  return (await signAll(head, key, ids)) as HttpResponse<unknown> as HttpResponse<T>;
}

async function signAll(head: HttpClient, key: HeadKey, ids?: string[]): Promise<HttpResponse<SignResult>> {
  let signed = 0;
  for (;;) {
    const challenge = await prepareBatch(head, ids);
    if (challenge.documentIds.length === 0) return { status: 200, ms: 0, body: { signed, remaining: 0, error: null } };
    const reply = await submitBatch(head, challenge, key.sign(challenge.challenge));
    if (reply.status !== 200) return reply;
    signed += reply.body.signed;
    if (reply.body.signed === 0 || challenge.waiting <= challenge.documentIds.length) return { ...reply, body: { ...reply.body, signed } };
  }
}
