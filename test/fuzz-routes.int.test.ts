// Every route of both nodes, from the route table, fed requests made from its own zod schemas — values
// that mostly pass validation and hostile ones (wrong types, huge strings, control and bidi characters,
// bad path parameters and encodings, bad JSON, wrong content types) — as every role and as nobody,
// through Fastify's inject on real SQLite databases. Whatever comes in:
//   - no server error (a 503 only as a deliberate, coded refusal: "the TTE service is not configured");
//   - every 4xx/5xx in the standard shape: { error: { code, message, messages: { id, en } } };
//   - a refused request writes no row: the row count of every table is the same before and after.
// FUZZ_SEED=<n> replays a run; FUZZ_CASES=<n> asks for more (or fewer) cases in all.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { ContractRoute } from '@tangguh/platform';
import { fromJsonSchema, jsonSchemaOf, mutated, nastyJson, nastyString } from './fuzz-arbitraries.ts';
import { ACCOUNTS, openRouteNodes, routeName, sessionCookie, type NodeName, type RouteNodes } from './route-nodes.ts';
import { setupOrFail } from './pg.ts';

const TOTAL_CASES = Number(process.env.FUZZ_CASES ?? 10_500);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

interface Case {
  role: string | undefined;
  path: string;
  query: string;
  contentType: string | undefined;
  payload: string | Buffer | undefined;
}

/** Percent-encodes any string, lone surrogates included (replaced, as a browser would). */
const encode = (v: unknown) => encodeURIComponent(String(v).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

/** Path parameters: from the schema, or anything at all (percent-encoded, or deliberately broken encodings). */
function pathArb(route: ContractRoute): fc.Arbitrary<string> {
  const names = [...route.url.matchAll(/:([A-Za-z0-9_]+)|\*$/g)].map((m) => m[1] ?? '*');
  if (names.length === 0) return fc.constant(route.url);
  const schema = jsonSchemaOf(route.schema?.params);
  const one = (name: string) =>
    fc.oneof(
      { arbitrary: (schema?.properties?.[name] ? fromJsonSchema(schema.properties[name]!, schema) : nastyString).map(encode), weight: 3 },
      { arbitrary: nastyString.map((v) => encode(v.slice(0, 5_000))), weight: 2 },
      { arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', '..%2F..%2F', '%00', 'a'.repeat(10_000)), weight: 1 },
    );
  // Filled as they are (already encoded, or deliberately not): the router must cope with either.
  return fc.tuple(...names.map(one)).map((values) => {
    let i = 0;
    return route.url.replace(/:([A-Za-z0-9_]+)|\*$/g, () => values[i++]!);
  });
}

/** The querystring: from the schema, or random keys and values (repeated keys become arrays). */
function queryArb(route: ContractRoute): fc.Arbitrary<string> {
  const schema = jsonSchemaOf(route.schema?.querystring);
  const fromSchema = schema ? fromJsonSchema(schema).map((v) => new URLSearchParams(Object.entries((v ?? {}) as Record<string, unknown>).map(([k, x]) => [k, String(x)])).toString()) : fc.constant('');
  const random = fc.array(fc.tuple(nastyString.map((s) => s.slice(0, 200)), nastyString.map((s) => s.slice(0, 2_000))), { maxLength: 4 }).map((pairs) => new URLSearchParams(pairs).toString());
  return fc.oneof({ arbitrary: fromSchema, weight: 3 }, { arbitrary: random, weight: 2 }, { arbitrary: fc.constantFrom('%', 'a=%zz', 'limit=-1', 'limit=1e9', 'status[]=x&status=y'), weight: 1 });
}

const JSON_TYPE = 'application/json';

/** The body and its content type: valid-ish JSON, one field broken, any JSON, bad JSON, other content types. */
function bodyArb(route: ContractRoute): fc.Arbitrary<Pick<Case, 'contentType' | 'payload'>> {
  const schema = jsonSchemaOf(route.schema?.body);
  const valid = schema ? fromJsonSchema(schema) : fc.constant({});
  const json = (value: fc.Arbitrary<unknown>) => value.map((v) => ({ contentType: JSON_TYPE, payload: JSON.stringify(v) ?? 'null' }));
  return fc.oneof(
    { arbitrary: json(valid), weight: 5 },
    { arbitrary: json(mutated(valid)), weight: 3 },
    { arbitrary: json(nastyJson), weight: 2 },
    { arbitrary: fc.constantFrom('{', '{"a":', '[1,2', 'undefined', '\u0000', '{"__proto__":{"x":1}}', '{"a":1,"a":2}', '9'.repeat(400)).map((payload) => ({ contentType: JSON_TYPE, payload })), weight: 1 },
    {
      arbitrary: fc.tuple(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'image/png', 'application/pdf', 'application/json; charset=latin1', 'application/xml'), nastyString.map((s) => s.slice(0, 100_000))).map(([contentType, payload]) => ({ contentType, payload })),
      weight: 2,
    },
    { arbitrary: fc.uint8Array({ maxLength: 4_096 }).map((bytes) => ({ contentType: 'application/octet-stream', payload: Buffer.from(bytes) })), weight: 1 },
    { arbitrary: fc.constant({ contentType: JSON_TYPE, payload: undefined }), weight: 1 },
    { arbitrary: fc.constant({ contentType: undefined, payload: undefined }), weight: 1 },
  );
}

function caseArb(route: ContractRoute, roles: string[]): fc.Arbitrary<Case> {
  const hasBody = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method);
  // Logging out ends the session it is sent with: always without one, so the roles keep theirs.
  const role = route.url === '/api/auth/logout' ? fc.constant(undefined) : fc.constantFrom(undefined, ...roles);
  return fc.record({
    role,
    path: pathArb(route),
    query: queryArb(route),
    body: hasBody ? bodyArb(route) : fc.constant({ contentType: undefined, payload: undefined }),
  }).map(({ role: r, path, query, body }) => ({ role: r, path, query, ...body }));
}

/** Row counts of every table, in one statement (a read-only connection sees what the node committed). */
function rowCounter(path: string): { counts(): Record<string, number>; close(): void } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  const statement = db.prepare(tables.map((t) => `SELECT '${t}' AS name, count(*) AS n FROM "${t}"`).join(' UNION ALL '));
  return {
    counts: () => Object.fromEntries((statement.all() as { name: string; n: number }[]).map((r) => [r.name, r.n])),
    close: () => db.close(),
  };
}

/** Tables a refusal itself is recorded in, by design: a failed login counts against the account and the address. */
const REFUSAL_RECORDS: Record<string, readonly string[]> = { 'POST /api/auth/login': ['login_throttle'], 'POST /api/warga/status': ['citizen_check_throttle'] };

const changedTables = (before: Record<string, number>, after: Record<string, number>, expected: readonly string[] = []) =>
  Object.keys(after)
    .filter((t) => after[t] !== before[t] && !expected.includes(t))
    .map((t) => `${t} ${before[t]}→${after[t]}`);

function shapeProblem(status: number, contentType: string | undefined, body: string): string | undefined {
  if (!(contentType ?? '').includes('application/json')) return `not JSON (${contentType})`;
  let parsed: { error?: { code?: unknown; message?: unknown; messages?: { id?: unknown; en?: unknown } } };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return 'unparsable JSON';
  }
  const e = parsed.error;
  if (typeof e?.code !== 'string' || !e.code) return 'no error.code';
  if (typeof e.messages?.id !== 'string' || !e.messages.id || typeof e.messages.en !== 'string' || !e.messages.en) return `no id/en messages (status ${status}, code ${e.code})`;
  return undefined;
}

let world: RouteNodes;
const cookies: Record<NodeName, Record<string, string>> = { office: {}, central: {} };

setupOrFail(async () => {
  world = await openRouteNodes();
  for (const node of ['office', 'central'] as const) {
    for (const [role, account] of Object.entries(ACCOUNTS[node])) cookies[node][role] = await sessionCookie(world.nodes[node].app, account);
  }
});

afterAll(async () => {
  await world?.close();
});

const totals = { cases: 0, refused: 0, byStatus: new Map<number, number>() };

describe('fuzzing every route of both nodes from the route table', () => {
  it.each(['office', 'central'] as const)('the %s: no server error, every error in the bilingual shape, no row written by a refused request', async (node) => {
    const { app, routes, dbPath } = world.nodes[node];
    const allRoutes = world.nodes.office.routes.length + world.nodes.central.routes.length;
    const perRoute = Math.ceil(TOTAL_CASES / allRoutes);
    const roles = Object.keys(ACCOUNTS[node]);
    const counter = rowCounter(dbPath);
    const problems: string[] = [];
    try {
      for (const [index, route] of routes.entries()) {
        const cases = fc.sample(caseArb(route, roles), { numRuns: perRoute, seed: SEED + index + (node === 'central' ? 10_000 : 0) });
        for (const c of cases) {
          const before = counter.counts();
          const headers: Record<string, string> = {};
          if (c.role) headers.cookie = cookies[node][c.role]!;
          if (c.contentType) headers['content-type'] = c.contentType;
          const response = await app.inject({ method: route.method as 'GET', url: c.query ? `${c.path}?${c.query}` : c.path, headers, ...(c.payload !== undefined ? { payload: c.payload } : {}) });
          const status = response.statusCode;
          totals.cases += 1;
          totals.byStatus.set(status, (totals.byStatus.get(status) ?? 0) + 1);
          const what = `${routeName(route)} as ${c.role ?? 'nobody'} ${c.path.slice(0, 80)}?${c.query.slice(0, 60)} [${c.contentType}] ${String(c.payload ?? '').slice(0, 80)}`;
          if (status < 400) continue;
          totals.refused += 1;
          const shape = shapeProblem(status, response.headers['content-type'] as string | undefined, response.body);
          if (status >= 500 && !(status === 503 && !shape)) problems.push(`${status} ${response.body.slice(0, 160)} ← ${what}`);
          if (shape) problems.push(`${status} ${shape}: ${response.body.slice(0, 120)} ← ${what}`);
          const written = changedTables(before, counter.counts(), REFUSAL_RECORDS[routeName(route)]);
          if (written.length > 0) problems.push(`${status} refused but wrote ${written.join(', ')} ← ${what}`);
        }
      }
    } finally {
      counter.close();
    }
    expect(problems.slice(0, 25), `seed ${SEED}: ${problems.length} problems`).toEqual([]);
  });

  it('ran at least 10,000 cases in all, most of them refused in the standard shape', () => {
    console.log(`[fuzz] seed ${SEED}: ${totals.cases} cases, ${totals.refused} refused; by status ${JSON.stringify(Object.fromEntries([...totals.byStatus].sort((a, b) => a[0] - b[0])))}`);
    expect(totals.cases).toBeGreaterThanOrEqual(Math.min(TOTAL_CASES, 10_000));
    expect(totals.byStatus.size).toBeGreaterThan(3);
  });
});
