import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../contract/error-codes';
import { TOKEN_NEEDS } from '../api-tokens/token-scopes';
import { routesOf } from '../../test/route-tree';
import { createTestApp, type TestApp } from '../../test/test-app';
import { isDocumented } from './openapi-document';
import { ROUTE_SUMMARIES } from './route-summaries';

// The OpenAPI 3.1 document is generated from the routes' zod schemas: a route that declares none
// (or no described raw response) fails here, so the document never silently misses one.
describe('GET /api/openapi.json', () => {
  let t: TestApp;
  let document: {
    openapi: string;
    paths: Record<
      string,
      Record<
        string,
        {
          requestBody?: unknown;
          responses: Record<string, unknown>;
          parameters: Array<{ name: string; in: string }>;
          'x-courier-token-scope'?: string;
        }
      >
    >;
    components: { schemas: { Error: { properties: { code: { enum: string[] } } } } };
  };
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    document = response.json();
  });
  afterAll(() => t?.close());

  const operation = (route: string) => {
    const [method, url] = route.split(' ') as [string, string];
    return document.paths[url.replace(/:([A-Za-z_]+)/g, '{$1}')]?.[method.toLowerCase()];
  };

  it('describes every /api route of the route tree, each with its token scope', () => {
    expect(document.openapi).toBe('3.1.0');
    const routes = routesOf(t.app.printRoutes({ commonPrefix: false })).filter((r) => r.includes(' /api/'));
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((r) => !operation(r))).toEqual([]);
    for (const route of routes.filter((r) => Object.hasOwn(TOKEN_NEEDS, r)))
      expect(operation(route)?.['x-courier-token-scope'], route).toBe(TOKEN_NEEDS[route]);
  });

  it('gives every route a one-line summary, and has none for a route that is gone', () => {
    const routes = routesOf(t.app.printRoutes({ commonPrefix: false })).filter((r) => r.includes(' /api/'));
    expect(routes.filter((r) => typeof (operation(r) as { summary?: unknown } | undefined)?.summary !== 'string')).toEqual([]);
    // The OIDC routes exist only with a provider configured; the rest must all be in this app.
    expect(Object.keys(ROUTE_SUMMARIES).filter((r) => !routes.includes(r) && !r.includes('/api/auth/oidc/'))).toEqual([]);
  });

  it('has a declared response for every route: none answers undescribed', () => {
    const undocumented = routesOf(t.app.printRoutes({ commonPrefix: false }))
      .filter((r) => r.includes(' /api/'))
      .filter((r) => Object.keys(operation(r)?.responses ?? {}).filter((status) => status !== 'default').length === 0);
    expect(undocumented).toEqual([]);
  });

  it('describes bodies, path parameters and the error codes', () => {
    const create = operation('POST /api/profile/tokens');
    expect(create?.requestBody).toMatchObject({
      content: { 'application/json': { schema: { properties: { scopes: { type: 'array' } } } } },
    });
    expect(create?.responses['201']).toMatchObject({
      content: { 'application/json': { schema: { properties: { secret: { type: 'string' } } } } },
    });
    expect(operation('GET /api/spaces/:spaceId/files')?.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'spaceId', in: 'path' }),
        expect.objectContaining({ name: 'path', in: 'query' }),
      ]),
    );
    // A request header a route reads is a parameter too (docs/api.md §8).
    expect(operation('POST /api/transfers')?.parameters).toEqual([
      expect.objectContaining({
        name: 'idempotency-key',
        in: 'header',
        required: false,
        schema: expect.objectContaining({ type: 'string' }),
      }),
    ]);
    expect(document.components.schemas.Error.properties.code.enum).toEqual([...ERROR_CODES]);
  });

  it('isDocumented refuses a route without a response schema', () => {
    expect(isDocumented({ method: 'GET', url: '/api/x', schema: { querystring: {} }, config: {} })).toBe(false);
    expect(
      isDocumented({
        method: 'GET',
        url: '/api/x',
        schema: undefined,
        config: { rawResponse: { status: 200, contentType: 'text/csv', description: 'CSV' } },
      }),
    ).toBe(true);
  });
});
