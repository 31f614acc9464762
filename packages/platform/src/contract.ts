import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ZodType } from 'zod';
import { declaredAccess, type DeclaredAccess } from './access.ts';

export interface ContractOptions {
  title: string;
  description: string;
  version?: string;
}

/** A route as registered, with the schema it declared: what a contract test walks. */
export interface ContractRoute {
  method: string;
  url: string;
  schema?: { body?: unknown; querystring?: unknown; params?: unknown; response?: Record<string, unknown>; tags?: string[]; summary?: string };
  /** Who may call it, as its requireRole hook declares. */
  access: DeclaredAccess;
}

const ROUTES = new WeakMap<FastifyInstance, ContractRoute[]>();

/** Every route registered on `app` (and its plugins) after installContract. */
export const contractRoutes = (app: FastifyInstance): readonly ContractRoute[] => ROUTES.get(app) ?? [];

/**
 * Routes declare their request and response schemas (from `@tangguh/protocol`) in Fastify's `schema`
 * option; this validates requests with them, serializes responses through them (a field not in the
 * contract never leaves the server), and publishes the same schemas as OpenAPI at /api/docs.
 *
 * Validation throws the ZodError itself (not Fastify's AJV-shaped error) so the one error handler turns it
 * into field issues written for people.
 */
export async function installContract(app: FastifyInstance, options: ContractOptions): Promise<void> {
  const routes: ContractRoute[] = [];
  ROUTES.set(app, routes);
  app.addHook('onRoute', (route) => {
    const access = declaredAccess(route);
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, schema: route.schema as ContractRoute['schema'], access });
  });
  app.setValidatorCompiler<ZodType>(({ schema }) => (data) => {
    const result = schema.safeParse(data);
    return result.success ? { value: result.data } : { error: result.error };
  });
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: options.title, description: options.description, version: options.version ?? '1' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'tangguh_session' },
          // With the session, a browser sends this on every state-changing request (GET /api/auth/csrf; cross-site.ts).
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token', description: 'From GET /api/auth/csrf; required of browsers on POST/PUT/PATCH/DELETE with a session' },
          // Institutions' keys for the verification API (the office issues them; see /api/api-keys).
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
    // Schemas named with .meta({ id }) (Error, Suket, Document …) become components, referenced by $ref.
    transformObject: jsonSchemaTransformObject,
    // Only the documented API; the web app's pages and static files are not part of the contract.
    hideUntagged: false,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
}

/** A Fastify instance whose route handlers are typed from their zod schemas. */
export const typed = (app: FastifyInstance) => app.withTypeProvider<ZodTypeProvider>();
