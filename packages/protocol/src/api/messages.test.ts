import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeZodError } from '../messages.ts';
import { apiKeyRoutes } from './api-keys.ts';
import { authRoutes } from './auth.ts';
import { documentRoutes } from './documents.ts';
import { recordingRoutes } from './recordings.ts';
import { suketRoutes } from './sukets.ts';
import { supportRoutes } from './support.ts';
import { trustRoutes } from './trust.ts';
import { verificationRoutes } from './verification.ts';

/** Every request schema of the office API, by route. */
const OFFICE_ROUTES = { apiKeyRoutes, authRoutes, verificationRoutes, recordingRoutes, suketRoutes, trustRoutes, supportRoutes, documentRoutes };

type Part = 'body' | 'querystring' | 'params';
const requestSchemas: [string, z.ZodType][] = Object.entries(OFFICE_ROUTES).flatMap(([group, routes]) =>
  Object.entries(routes).flatMap(([route, schema]) =>
    (['body', 'querystring', 'params'] as Part[]).flatMap((part) => {
      const value = (schema as Partial<Record<Part, z.ZodType>>)[part];
      return value ? [[`${group}.${route}.${part}`, value] as [string, z.ZodType]] : [];
    }),
  ),
);

/** What a careless client or a broken form sends in place of a field. */
const JUNK: unknown[] = [undefined, null, 12345, -1, 1.5, true, '', ' ', 'x'.repeat(5000), '!!not-a-format!!', 'NOT_A_CHOICE', [], {}, ['x'], { nested: 1 }];

/** An input shaped like the schema with `leaf` at every leaf: every field gets the same bad value at once. */
function fill(schema: z.core.$ZodType, leaf: unknown, depth = 0): unknown {
  if (depth > 6) return leaf;
  const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  switch (def.type) {
    case 'object': {
      const shape = (schema as z.ZodObject).shape as Record<string, z.core.$ZodType>;
      return Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, fill(field, leaf, depth + 1)]));
    }
    case 'array':
      return [fill(def.element as z.core.$ZodType, leaf, depth + 1)];
    case 'record':
      return { 'Bad Key!': fill(def.valueType as z.core.$ZodType, leaf, depth + 1) };
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return fill(def.innerType as z.core.$ZodType, leaf, depth);
    case 'pipe':
      return fill(def.in as z.core.$ZodType, leaf, depth);
    case 'union':
      return fill((def.options as z.core.$ZodType[])[0]!, leaf, depth);
    default:
      return leaf;
  }
}

/** Bad inputs for one schema: junk as the whole input, junk in every field, and oversized lists. */
function badInputs(schema: z.core.$ZodType): unknown[] {
  const inputs: unknown[] = [...JUNK];
  for (const leaf of JUNK) inputs.push(fill(schema, leaf));
  inputs.push(fill(schema, Array.from({ length: 2000 }, () => 'x')));
  return inputs;
}

/** zod's own English, which must never reach a person. */
const ZOD_INTERNALS = [/invalid input/i, /\bexpected\b/i, /\breceived\b/i, /too small/i, /too big/i, /invalid string/i, /\binvalid\b/i, /must match pattern/i, /\bundefined\b/, /\bNaN\b/, /nonoptional/i, /\bZod/i];

describe('field messages of the office API schemas', () => {
  it('covers every request schema of the office API', () => {
    expect(requestSchemas.length).toBeGreaterThan(20);
  });

  it.each(requestSchemas)('%s: every failure is worded for people, in Indonesian and English, with a named field', (_name, schema) => {
    let failures = 0;
    for (const input of badInputs(schema)) {
      const result = schema.safeParse(input);
      if (result.success) continue;
      failures++;
      for (const issue of describeZodError(result.error)) {
        for (const text of [issue.messages.id, issue.messages.en]) {
          expect(text.trim().length).toBeGreaterThan(3);
          for (const internal of ZOD_INTERNALS) expect(text, `${JSON.stringify(input)?.slice(0, 80)} → ${issue.field}`).not.toMatch(internal);
        }
        // The fallback label 'Isian <path>' means a field nobody named for the operator.
        expect(issue.messages.id, issue.field).not.toMatch(/^Isian /);
        expect(issue.messages.id).not.toBe(issue.messages.en);
      }
    }
    expect(failures).toBeGreaterThan(0);
  });
});
