import { describe, expect, it } from 'vitest';
import { filterApiGroups, readApiDocument, typeOf, type OpenApiDocument } from './read-api-document';

describe('typeOf', () => {
  it('says objects, optional fields, arrays of unions, formats, nullables and refs as a type', () => {
    expect(
      typeOf({
        type: 'object',
        properties: {
          name: { type: 'string' },
          scopes: { type: 'array', items: { enum: ['read', 'transfer'] } },
          expiresAt: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
          error: { $ref: '#/components/schemas/Error' },
        },
        required: ['name', 'scopes'],
      }),
    ).toBe('{\n  name: string;\n  scopes: ("read" | "transfer")[];\n  expiresAt?: string (date-time) | null;\n  error?: Error;\n}');
    expect(typeOf({})).toBe('any');
    expect(typeOf({ type: ['integer', 'null'] })).toBe('integer | null');
  });

  it('stops at a depth rather than running away', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 10; i++) deep = { type: 'object', properties: { inner: deep } };
    expect(typeOf(deep).match(/inner/g)).toHaveLength(6);
  });
});

describe('readApiDocument', () => {
  const document: OpenApiDocument = {
    info: { title: 'Courier portal API', version: '1' },
    paths: {
      '/api/spaces/{spaceId}': {
        delete: { summary: 'Delete a space', 'x-courier-token-scope': 'admin', responses: { '204': { description: 'No content' } } },
        get: {
          summary: 'One space',
          'x-courier-token-scope': 'read',
          parameters: [{ name: 'spaceId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'Success', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
      '/api/health': { get: { summary: 'Health', security: [], responses: {} } },
      '/api/spaces': {
        post: {
          summary: 'Create a space',
          requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } } } } } },
        },
      },
    },
  };

  it('groups operations by their first path part, GET first, with access, parameters, body and responses', () => {
    const groups = readApiDocument(document);
    expect(groups.map((g) => [g.name, g.operations.map((o) => o.id)])).toEqual([
      ['health', ['GET /api/health']],
      ['spaces', ['POST /api/spaces', 'GET /api/spaces/{spaceId}', 'DELETE /api/spaces/{spaceId}']],
    ]);
    const [health, spaces] = groups;
    expect(health?.operations[0]?.access).toBe('public');
    expect(spaces?.operations[0]).toMatchObject({ access: 'session', body: '{\n  name?: string;\n}' });
    expect(spaces?.operations[1]).toMatchObject({
      access: 'read',
      parameters: [{ name: 'spaceId', where: 'path', required: true, type: 'string' }],
      responses: [{ status: '200', description: 'Success', contentType: 'application/json', type: 'object' }],
    });
    expect(spaces?.operations[2]?.responses).toEqual([{ status: '204', description: 'No content', contentType: null, type: null }]);
  });

  it('filters by every word typed, over method, path and summary', () => {
    const groups = readApiDocument(document);
    expect(filterApiGroups(groups, 'delete SPACE').flatMap((g) => g.operations.map((o) => o.id))).toEqual(['DELETE /api/spaces/{spaceId}']);
    expect(filterApiGroups(groups, 'nothing-like-this')).toEqual([]);
    expect(filterApiGroups(groups, '  ')).toBe(groups);
  });
});
