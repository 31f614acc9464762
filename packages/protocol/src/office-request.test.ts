import { describe, expect, it } from 'vitest';
import { generateSigningKeyPair, sha256Hex, signRequest } from './crypto.ts';
import { officeRequestHeaders, replayKeyV2, signOfficeRequest, verifyOfficeRequest, type OfficeRequest } from './office-request.ts';
import { PROTOCOL_VERSION, SYNC_HEADERS, changesResponseSchema, changesResponseV1Schema, flattenNote } from './sync.ts';

describe('versioned office request signatures', () => {
  const office = generateSigningKeyPair();
  const request: OfficeRequest = { officeId: 'K3509', method: 'POST', path: '/sync/push', timestamp: '2026-11-28T08:00:00.000Z', body: '{"a":1}', requestId: '4b1c6f0e-8a55-4d5e-9a51-2f6f3cbbd0a1' };
  const current = signOfficeRequest(office.privateKey, request);

  it('verify in the version they were made for', () => {
    expect(verifyOfficeRequest(office.publicKey, request, current, PROTOCOL_VERSION)).toBe(true);
  });

  it('do not verify as another version, so a stripped version header is caught', () => {
    expect(verifyOfficeRequest(office.publicKey, request, current, PROTOCOL_VERSION - 1)).toBe(false);
    expect(verifyOfficeRequest(office.publicKey, request, current, PROTOCOL_VERSION + 1)).toBe(false);
  });

  it('in version 2 also cover the office id, which version 1 left out', () => {
    expect(verifyOfficeRequest(office.publicKey, { ...request, officeId: 'K3510' }, current, PROTOCOL_VERSION)).toBe(false);
    const v1 = signOfficeRequest(office.privateKey, request, 1);
    expect(verifyOfficeRequest(office.publicKey, { ...request, officeId: 'K3510' }, v1, 1)).toBe(true);
  });

  it('in version 3 also cover the request id, and the body through the hash its header claims', () => {
    expect(verifyOfficeRequest(office.publicKey, { ...request, requestId: 'another-request-id-0001' }, current, PROTOCOL_VERSION)).toBe(false);
    // The centre checks the signature before it has the body: the claimed hash stands in for it.
    const headersOnly = { ...request, body: '', bodyHash: sha256Hex(request.body) };
    expect(verifyOfficeRequest(office.publicKey, headersOnly, current, PROTOCOL_VERSION)).toBe(true);
    expect(verifyOfficeRequest(office.publicKey, { ...headersOnly, bodyHash: sha256Hex('{"a":2}') }, current, PROTOCOL_VERSION)).toBe(false);
  });

  it('in version 2 are identified for replays by their signing input, which a retry at another moment changes', () => {
    const v2 = { ...request, requestId: undefined };
    expect(replayKeyV2(v2, 2)).toBe(replayKeyV2({ ...v2 }, 2));
    expect(replayKeyV2({ ...v2, timestamp: '2026-11-28T08:00:00.001Z' }, 2)).not.toBe(replayKeyV2(v2, 2));
    expect(replayKeyV2({ ...v2, body: '{"a":2}' }, 2)).not.toBe(replayKeyV2(v2, 2));
  });

  it('in version 1 are exactly the signatures released offices make', () => {
    expect(signOfficeRequest(office.privateKey, request, 1)).toBe(signRequest(office.privateKey, request.method, request.path, request.timestamp, request.body));
  });

  it('travel with the version header, and a content type only when there is a body', () => {
    const post = officeRequestHeaders({ officeId: 'K3509', privateKey: office.privateKey }, 'POST', '/sync/push', '{"a":1}', request.timestamp, request.requestId);
    expect(post).toMatchObject({
      [SYNC_HEADERS.protocol]: String(PROTOCOL_VERSION),
      [SYNC_HEADERS.office]: 'K3509',
      [SYNC_HEADERS.requestId]: request.requestId,
      [SYNC_HEADERS.contentHash]: sha256Hex('{"a":1}'),
      [SYNC_HEADERS.signature]: current,
      'content-type': 'application/json',
    });
    const get = officeRequestHeaders({ officeId: 'K3509', privateKey: office.privateKey }, 'GET', '/sync/state', '', request.timestamp);
    expect(get['content-type']).toBeUndefined();
    // Every call is a new request with its own id.
    const again = officeRequestHeaders({ officeId: 'K3509', privateKey: office.privateKey }, 'GET', '/sync/state', '', request.timestamp);
    expect(again[SYNC_HEADERS.requestId]).not.toBe(get[SYNC_HEADERS.requestId]);
  });
});

describe('change notes across versions', () => {
  it('flatten to the one "Indonesian / English" string of version 1, and to one text when both are the same', () => {
    expect(flattenNote({ id: 'Templat tidak dapat dibuka', en: 'templates could not be opened' })).toBe('Templat tidak dapat dibuka / templates could not be opened');
    expect(flattenNote({ id: 'KTP-el', en: 'KTP-el' })).toBe('KTP-el');
    expect(flattenNote(null)).toBeNull();
  });

  it('as { id, en } are refused by the version 1 schema, which is why the centre flattens them for v1 callers', () => {
    const page = { changes: [{ cursor: 1, recordId: 'r1', status: 'DUPLICATE_RECORD', at: '2026-11-28T08:00:00.000Z', note: { id: 'Cocok', en: 'Matches' } }], nextCursor: 1, hasMore: false };
    expect(changesResponseSchema.safeParse(page).success).toBe(true);
    expect(changesResponseV1Schema.safeParse(page).success).toBe(false);
  });
});
