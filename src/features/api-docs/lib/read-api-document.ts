/** The parts of an OpenAPI 3.1 document (the portal's /api/openapi.json) the reference page reads. */
export type JsonSchema = { [key: string]: unknown };
interface OpenApiOperation {
  summary?: string;
  security?: unknown[];
  'x-courier-token-scope'?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: JsonSchema }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
}
export interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, OpenApiOperation>>;
}

export interface ApiParameter {
  name: string;
  where: string;
  required: boolean;
  type: string;
}
export interface ApiResponse {
  status: string;
  description: string;
  contentType: string | null;
  /** The JSON body's shape as a type, or null when the answer has none (or is not JSON). */
  type: string | null;
}
export interface ApiOperation {
  /** `GET /api/spaces/{spaceId}`: unique, and the anchor's seed. */
  id: string;
  method: string;
  path: string;
  summary: string;
  /** `public` (no caller), else the API token scope it needs (`session`: no token may call it). */
  access: string;
  parameters: ApiParameter[];
  body: string | null;
  responses: ApiResponse[];
}
export interface ApiGroup {
  name: string;
  operations: ApiOperation[];
}

const METHOD_ORDER = ['get', 'post', 'put', 'patch', 'delete'];
// Deep enough for every body the portal has; deeper levels print as "object" rather than run away.
const MAX_DEPTH = 6;

/** A JSON Schema said as a TypeScript-like type: `{ name: string; scopes?: ("read" | "transfer")[] }`. */
export function typeOf(schema: JsonSchema | undefined, depth = 0): string {
  if (!schema || Object.keys(schema).length === 0) return 'any';
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').pop() ?? 'any';
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const union = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(union)) return union.map((s) => typeOf(s, depth)).join(' | ');
  if (Array.isArray(schema.type)) return schema.type.map((t) => typeOf({ ...schema, type: t as string }, depth)).join(' | ');
  switch (schema.type) {
    case 'array': {
      const item = typeOf(schema.items as JsonSchema | undefined, depth);
      return item.includes(' | ') ? `(${item})[]` : `${item}[]`;
    }
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const names = Object.keys(properties);
      if (names.length === 0) return 'object';
      if (depth >= MAX_DEPTH) return 'object';
      const required = new Set((schema.required ?? []) as string[]);
      const pad = '  '.repeat(depth + 1);
      const lines = names.map((name) => `${pad}${name}${required.has(name) ? '' : '?'}: ${typeOf(properties[name], depth + 1)};`);
      return `{\n${lines.join('\n')}\n${'  '.repeat(depth)}}`;
    }
    case 'string':
      return typeof schema.format === 'string' ? `string (${schema.format})` : 'string';
    case 'integer':
    case 'number':
    case 'boolean':
    case 'null':
      return schema.type;
    default:
      return 'any';
  }
}

const jsonSchemaOf = (content: Record<string, { schema?: JsonSchema }> | undefined) => content?.['application/json']?.schema;

/**
 * The document as the page lists it: operations grouped by the first part of their path after
 * /api (spaces, transfers, admin…), groups and operations in path order, methods GET first.
 */
export function readApiDocument(document: OpenApiDocument): ApiGroup[] {
  const groups = new Map<string, ApiOperation[]>();
  for (const path of Object.keys(document.paths).sort()) {
    const byMethod = document.paths[path] ?? {};
    const methods = Object.keys(byMethod).sort((a, b) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b));
    for (const method of methods) {
      const operation = byMethod[method] as OpenApiOperation;
      const group = path.split('/')[2] ?? 'api';
      const requestSchema = jsonSchemaOf(operation.requestBody?.content);
      (groups.get(group) ?? groups.set(group, []).get(group))?.push({
        id: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        summary: operation.summary ?? '',
        access: operation.security?.length === 0 ? 'public' : (operation['x-courier-token-scope'] ?? 'session'),
        parameters: (operation.parameters ?? []).map((p) => ({
          name: p.name,
          where: p.in,
          required: p.required === true,
          type: typeOf(p.schema),
        })),
        body: requestSchema ? typeOf(requestSchema) : null,
        responses: Object.entries(operation.responses ?? {}).map(([status, response]) => {
          const contentType = Object.keys(response.content ?? {})[0] ?? null;
          const schema = jsonSchemaOf(response.content);
          return { status, description: response.description ?? '', contentType, type: schema ? typeOf(schema) : null };
        }),
      });
    }
  }
  return [...groups].map(([name, operations]) => ({ name, operations }));
}

/** The groups with only the operations whose method, path or summary holds every word of `query`. */
export function filterApiGroups(groups: ApiGroup[], query: string): ApiGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return groups;
  return groups
    .map((g) => ({
      ...g,
      operations: g.operations.filter((o) => {
        const text = `${o.method} ${o.path} ${o.summary} ${o.access}`.toLowerCase();
        return words.every((w) => text.includes(w));
      }),
    }))
    .filter((g) => g.operations.length > 0);
}
