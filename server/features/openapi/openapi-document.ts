import type { FastifyInstance, RouteOptions } from 'fastify';
import { z } from 'zod';
import { ERROR_CODES } from '../../../contract/error-codes';
import { tokenNeedOf } from '../api-tokens/token-scopes';
import { ROUTE_SUMMARIES } from './route-summaries';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A response that is not JSON (a CSV file, an event stream, a redirect), described for the API document. */
    rawResponse?: { status: number; contentType: string | null; description: string };
  }
}

/** What the API document needs of a route, kept as Fastify registers it. */
export interface DocumentedRoute {
  method: string;
  url: string;
  schema: RouteOptions['schema'];
  config: RouteOptions['config'];
}

/** Collects every /api route as it is registered; call before any route is. */
export function collectApiRoutes(app: FastifyInstance): DocumentedRoute[] {
  const routes: DocumentedRoute[] = [];
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      routes.push({ method, url: route.url, schema: route.schema, config: route.config });
    }
  });
  return routes;
}

type Json = Record<string, unknown>;

const isZod = (value: unknown): value is z.ZodType => value instanceof z.ZodType;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  // Transforms and refinements have no JSON Schema: the shape before (input) or after (output) them is described.
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

/** The route's parameters of one kind (`path`, `query`, `header`) from its zod object schema. */
function parameters(schema: unknown, where: 'path' | 'query' | 'header'): Json[] {
  if (!isZod(schema)) return [];
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

/** Whether a route describes what it answers: a zod schema per status, or a described raw response. */
export function isDocumented(route: DocumentedRoute): boolean {
  const response = (route.schema as { response?: Record<string, unknown> } | undefined)?.response;
  return (
    Boolean(route.config?.rawResponse) ||
    (response !== undefined && Object.values(response).length > 0 && Object.values(response).every(isZod))
  );
}

/**
 * The OpenAPI 3.1 document of the portal API, generated from the routes' own zod schemas
 * (docs/api-tokens.md §2 for the `x-courier-token-scope` of each operation).
 */
export function openApiDocument(routes: readonly DocumentedRoute[], info: { version: string }): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const schema = (route.schema ?? {}) as {
      params?: unknown;
      querystring?: unknown;
      headers?: unknown;
      body?: unknown;
      response?: Record<string, unknown>;
    };
    const path = route.url.replace(/:([A-Za-z_]+)/g, '{$1}');
    const isPublic = route.config?.auth === 'public';
    const responses: Record<string, Json> = {};
    for (const [status, response] of Object.entries(schema.response ?? {})) {
      if (!isZod(response)) continue;
      const body = jsonSchema(response, 'output');
      responses[status] =
        body.type === 'null'
          ? { description: 'No content' }
          : { description: 'Success', content: { 'application/json': { schema: body } } };
    }
    const raw = route.config?.rawResponse;
    if (raw)
      responses[String(raw.status)] = { description: raw.description, ...(raw.contentType ? { content: { [raw.contentType]: {} } } : {}) };
    responses.default = { description: 'An error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    (paths[path] ??= {})[route.method.toLowerCase()] = {
      operationId: `${route.method} ${route.url}`,
      ...(ROUTE_SUMMARIES[`${route.method} ${route.url}`] ? { summary: ROUTE_SUMMARIES[`${route.method} ${route.url}`] } : {}),
      security: isPublic ? [] : [{ sessionCookie: [] }, { apiToken: [] }],
      ...(isPublic ? {} : { 'x-courier-token-scope': tokenNeedOf(route.method, route.url) }),
      parameters: [
        ...parameters(schema.params, 'path'),
        ...parameters(schema.querystring, 'query'),
        ...parameters(schema.headers, 'header'),
      ],
      ...(isZod(schema.body)
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(schema.body, 'input') } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Courier portal API',
      version: info.version,
      description:
        'Sign in with the session cookie (and its x-csrf-token header on changes), or send a personal API token as Authorization: Bearer courier_pat_… within its scopes (x-courier-token-scope; docs/api-tokens.md).',
    },
    paths,
    components: {
      schemas: {
        Error: {
          type: 'object',
          properties: { code: { type: 'string', enum: [...ERROR_CODES] }, message: { type: 'string' } },
          required: ['code', 'message'],
        },
      },
      securitySchemes: {
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'courier_session' },
        apiToken: { type: 'http', scheme: 'bearer', description: 'A personal API token (courier_pat_…).' },
      },
    },
  };
}
