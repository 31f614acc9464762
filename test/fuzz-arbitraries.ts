/**
 * fast-check arbitraries for the fuzz test, made from the routes' own zod schemas: zod 4 turns a schema
 * into JSON Schema (z.toJSONSchema), and `fromJsonSchema` below turns that into values that mostly pass
 * (types, enums, patterns, lengths, bounds) — so requests get past validation into the handlers — while
 * `hostile` makes what no client should send. No library does JSON Schema → fast-check for zod 4 (the
 * zod-fast-check package stops at zod 3), and the subset the protocol uses is small.
 */
import fc from 'fast-check';
import { z, type ZodType } from 'zod';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
};

/** JSON Schema of what a client sends (the input side of transforms and defaults). */
export function jsonSchemaOf(schema: unknown): JsonSchema | undefined {
  if (!(schema instanceof z.ZodType)) return undefined;
  try {
    return z.toJSONSchema(schema as ZodType, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    return undefined;
  }
}

const text = fc.string({ unit: 'grapheme', maxLength: 40 });

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  if (s.format === 'uuid') return fc.uuid();
  if (s.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (s.format === 'date') return fc.date({ min: new Date('1900-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (s.format === 'email') return fc.emailAddress();
  if (s.pattern) {
    try {
      return fc.stringMatching(new RegExp(s.pattern), { size: 'small' });
    } catch {
      // a pattern fast-check cannot generate from: plain text below
    }
  }
  const min = s.minLength ?? 0;
  return fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.max(min, Math.min(s.maxLength ?? 40, 80)) });
}

function numberArb(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : 1e-6) : -1e6);
  const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : 1e-6) : 1e6);
  return integer ? fc.integer({ min: Math.ceil(Math.max(min, -2_147_483_648)), max: Math.floor(Math.min(max, 2_147_483_647)) }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** Values that mostly satisfy the schema. */
export function fromJsonSchema(s: JsonSchema, root: JsonSchema = s, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  if (s.$ref) {
    const name = s.$ref.replace(/^#\/\$defs\//, '');
    const target = root.$defs?.[name];
    return target ? fromJsonSchema(target, root, depth + 1) : fc.anything();
  }
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const options = s.anyOf ?? s.oneOf;
  if (options?.length) return fc.oneof(...options.map((o) => fromJsonSchema(o, root, depth + 1)));
  if (s.allOf?.length) return fromJsonSchema(s.allOf[0]!, root, depth + 1);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return stringArb(s);
    case 'integer':
      return numberArb(s, true);
    case 'number':
      return numberArb(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (s.prefixItems) return fc.tuple(...s.prefixItems.map((p) => fromJsonSchema(p, root, depth + 1)));
      const min = s.minItems ?? 0;
      return fc.array(s.items ? fromJsonSchema(s.items, root, depth + 1) : fc.anything(), { minLength: min, maxLength: Math.max(min, Math.min(s.maxItems ?? 4, 6)) });
    }
    case 'object': {
      const props = Object.entries(s.properties ?? {});
      if (props.length === 0 && typeof s.additionalProperties === 'object') {
        const keys = s.propertyNames ? stringArb(s.propertyNames) : text;
        return fc.dictionary(keys, fromJsonSchema(s.additionalProperties, root, depth + 1), { maxKeys: 4 });
      }
      const required = new Set(s.required ?? []);
      const shape = Object.fromEntries(props.map(([k, v]) => [k, fromJsonSchema(v, root, depth + 1)]));
      return fc.record(shape, { requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)) });
    }
    default:
      return fc.anything();
  }
}

/** Strings that have broken servers before: huge, control and bidi characters, encodings, injections. */
export const nastyString = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }), weight: 4 },
  {
    arbitrary: fc.constantFrom('', ' ', '\u0000', '\u202e\u2066gnp.exe', '\ud800', '../../etc/passwd', '%00', '%', "' OR 1=1 --", '<script>alert(1)</script>', '${7*7}', '__proto__', 'constructor', 'NaN', '-0', '1e309', 'TGH1:', 'A'.repeat(70_000)),
    weight: 3,
  },
  // Long enough to cross every body and field limit; rare, so the run stays short.
  { arbitrary: fc.integer({ min: 1_000, max: 3_000_000 }).map((n) => 'x'.repeat(n)), weight: 1 },
);

/** Any JSON value, with deep nesting, prototype keys and huge numbers. */
export const nastyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.anything({ maxDepth: 3, withBigInt: false, withBoxedValues: false, withMap: false, withSet: false, withTypedArray: false, withDate: false, withNullPrototype: false }).filter((v) => v !== undefined),
  nastyString,
  fc.constantFrom({ __proto__: { admin: true } }, { constructor: { prototype: { x: 1 } } }, [[[[[[[[[[]]]]]]]]]], 1e308, -1, 2 ** 53 + 1),
);

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return 'key';
  }
}

/** A valid-ish value with one field replaced by something of another type, or dropped. */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, nastyJson, fc.nat(), fc.boolean()).map(([value, bad, pick, drop]) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad;
    const keys = Object.keys(value);
    // String() throws for an object whose toString or valueOf is not a function ({ toString: 1 }), which
    // fc.anything makes now and then: the generator must not fail where the route is what is tested.
    if (keys.length === 0) return { [safeString(bad).slice(0, 20)]: bad };
    const key = keys[pick % keys.length]!;
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    if (drop) delete copy[key];
    else copy[key] = bad;
    return copy;
  });
}
