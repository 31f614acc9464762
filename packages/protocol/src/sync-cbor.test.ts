import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decoder, Encoder } from 'cbor-x';
import { CborError, PUSH_CBOR_LIMITS, decodeCbor, encodeCbor } from './sync-cbor.ts';
import { isRecordingEntry, pushBatchAsJson, pushBatchSchema, type PushBatch } from './sync.ts';

/**
 * Byte strings as plain Uint8Arrays (a decoder may hand back Buffers, views of its input), and cbor-x's BigInt
 * for a 64-bit integer as the number it is, for toEqual.
 */
const plainBytes = (value: unknown): unknown =>
  typeof value === 'bigint'
    ? Number(value)
    : value instanceof Uint8Array
    ? new Uint8Array(value)
    : Array.isArray(value)
      ? value.map(plainBytes)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainBytes(v)]))
        : value;

/** A plain JSON-like value with byte strings: what a push is made of. */
const pushLike = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.uint8Array({ maxLength: 40 }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => k !== '__proto__'), tie('value'), { maxKeys: 5 }),
  ),
})).value;

const packet = (i: number) => ({
  recordId: `6f1c2b8e-0a4b-4c3e-9a55-2f4f8f0f5d${String(10 + i).padStart(2, '0')}`,
  registrationNumber: `R-${i}`,
  siteId: 'dinas',
  recordedAt: '2026-11-28T01:02:03.000Z',
  biodata: {
    nik: '3509010101900001',
    kkNumber: '3509010101000001',
    fullName: 'Siti Aminah',
    birthPlace: 'Jember',
    birthDate: '1990-01-01',
    sex: 'P' as const,
    religion: 'ISLAM' as const,
    maritalStatus: 'KAWIN' as const,
    occupation: 'Guru',
    nationality: 'WNI' as const,
    address: { street: 'Jl. Mastrip 1', rt: '001', rw: '002', villageCode: '35.09.01.2001' },
  },
  photo: { mime: 'image/jpeg', data: new Uint8Array([0xff, 0xd8, i, 0xff, 0xd9]) },
  signature: { mime: 'image/png', data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, i]) },
  sealedBiometrics: new Uint8Array(400).fill(i),
  exceptions: [],
});

describe('the binary push body (CBOR)', () => {
  it('decodes what it encodes, and reads and writes standard CBOR (cbor-x agrees both ways)', () => {
    const plain = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false, pack: false, structuredClone: false, variableMapSize: true });
    const reader = new Decoder({ useRecords: false, mapsAsObjects: true, pack: false, structuredClone: false });
    fc.assert(
      fc.property(pushLike, (value) => {
        const bytes = encodeCbor(value);
        expect(plainBytes(decodeCbor(bytes))).toEqual(value);
        expect(plainBytes(decodeCbor(new Uint8Array(plain.encode(value) as Uint8Array)))).toEqual(value);
        expect(plainBytes(reader.decode(bytes))).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });

  it('carries a push with its bytes as bytes, smaller than the JSON body, and the schema takes either form', () => {
    const batch: PushBatch = { officeId: '3509', entries: [0, 1, 2].map((i) => ({ seq: i + 1, kind: 'recording.created' as const, occurredAt: '2026-11-28T01:02:03.000Z', packet: packet(i) })) };
    const binary = encodeCbor(batch);
    const json = Buffer.from(JSON.stringify(pushBatchAsJson(batch)));
    expect(binary.length).toBeLessThan(json.length);
    const decoded = pushBatchSchema.parse(decodeCbor(binary));
    expect(plainBytes(decoded)).toEqual(batch);
    const fromJson = pushBatchSchema.parse(JSON.parse(json.toString('utf8')));
    const first = fromJson.entries[0]!;
    expect(isRecordingEntry(first) && Buffer.from(first.packet.sealedBiometrics as string, 'base64')).toEqual(Buffer.from(packet(0).sealedBiometrics));
  });

  it('refuses malformed input with a CborError that says why', () => {
    const refused: [string, number[], RegExp][] = [
      ['empty', [], /ends where an item was expected/],
      ['truncated text', [0x63, 0x61], /longer than the body/],
      ['trailing bytes', [0x01, 0x02], /bytes after the item/],
      ['indefinite array', [0x9f, 0x01, 0xff], /indefinite/],
      ['a tag', [0xc1, 0x1a, 0, 0, 0, 0], /tags/],
      ['undefined', [0xf7], /simple value/],
      ['a lone break', [0xff], /break/],
      ['a number key', [0xa1, 0x01, 0x02], /key that is not text/],
      ['__proto__ key', [0xa1, 0x69, ...Buffer.from('__proto__'), 0xa0], /__proto__/],
      ['a repeated key', [0xa2, 0x61, 0x61, 0x01, 0x61, 0x61, 0x02], /repeated map key/],
      ['a reserved head', [0x1c], /reserved/],
      ['an integer past 2^53', [0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], /2\^53/],
    ];
    for (const [name, bytes, why] of refused) {
      const attempt = () => decodeCbor(new Uint8Array(bytes));
      expect(attempt, name).toThrow(CborError);
      expect(attempt, name).toThrow(why);
    }
  });

  it('is bounded: a declared length beyond the body, too deep a nesting or too many items is refused before it is built', () => {
    // An array that claims 2^32-1 items in a 5-byte body: refused at once, nothing allocated.
    expect(() => decodeCbor(new Uint8Array([0x9a, 0xff, 0xff, 0xff, 0xff]))).toThrow(/array longer than the body/);
    expect(() => decodeCbor(new Uint8Array([0xba, 0xff, 0xff, 0xff, 0xff]))).toThrow(/map longer than the body/);
    expect(() => decodeCbor(new Uint8Array([0x5a, 0xff, 0xff, 0xff, 0xff]))).toThrow(/byte string longer than the body/);
    // Nesting: [[[[…]]]] past the push's depth (a stack overflow is never reached).
    const deep = new Uint8Array(100_000).fill(0x81);
    expect(() => decodeCbor(deep)).toThrow(new RegExp(`nested deeper than ${PUSH_CBOR_LIMITS.maxDepth}`));
    expect(decodeCbor(new Uint8Array([0x81, 0x81, 0x80]))).toEqual([[[]]]);
    // Items: many small ones, each honest about its length, still stop at the limit.
    const many = encodeCbor(new Array(PUSH_CBOR_LIMITS.maxItems + 1).fill(0));
    expect(() => decodeCbor(many)).toThrow(/more than 200000 items/);
    expect(() => decodeCbor(encodeCbor([1, 2, 3]), { maxDepth: 8, maxItems: 3 })).toThrow(/more than 3 items/);
  });

  it('never throws anything but a CborError, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeCbor(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(CborError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
