import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isBase64, recordingPacketSchema } from './sync.ts';

const REFERENCE = /^[A-Za-z0-9+/]*={0,2}$/;

describe('isBase64', () => {
  it('says what the regular expression it replaces says, on base64 and on anything else', () => {
    for (const text of ['', 'QQ==', 'QUI=', 'QUJD', 'A===', '=', '==', 'QQ=Q', 'QQ ==', 'é', 'QQ\n', 'a-b_', '+/+/']) expect(isBase64(text), text).toBe(REFERENCE.test(text));
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => isBase64(Buffer.from(bytes).toString('base64'))));
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'AZaz09+/=-_ \u00e9\u{1f600}'.split('')), maxLength: 12 }), (text) => isBase64(text) === REFERENCE.test(text)));
  });

  it('refuses a packet whose photo is not base64', () => {
    const packet = {
      recordId: '6f1c2b8e-0a4b-4c3e-9a55-2f4f8f0f5d11',
      registrationNumber: 'R-1',
      siteId: 'dinas',
      recordedAt: new Date().toISOString(),
      photo: { mime: 'image/png', data: 'not base64!' },
    };
    const issues = recordingPacketSchema.safeParse(packet).error?.issues ?? [];
    expect(issues.some((issue) => issue.path.join('.') === 'photo.data' && issue.message === 'base64')).toBe(true);
  });
});
