/**
 * Checks an answer against a schema of the official Node API OAS (node-api-oas-schemas.json, the
 * schemas docs/node-api.md §6 names). The OAS uses only type, properties, required, items, enum,
 * minimum/maximum and $ref in these schemas, so this small walker covers them all; it returns the
 * list of mismatches, empty when the value conforms.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
}

const { schemas } = JSON.parse(readFileSync(join(import.meta.dirname, 'node-api-oas-schemas.json'), 'utf8')) as {
  schemas: Record<string, Schema>;
};

export function oasMismatches(name: string, value: unknown): string[] {
  const schema = schemas[name];
  if (!schema) throw new Error(`No OAS schema ${name}`);
  const problems: string[] = [];
  check(schema, value, name, problems);
  return problems;
}

function check(schema: Schema, value: unknown, at: string, problems: string[]): void {
  if (schema.$ref) return check(schemas[schema.$ref.split('/').pop() as string] as Schema, value, at, problems);
  if (schema.type && !hasType(schema.type, value)) {
    problems.push(`${at}: expected ${schema.type}, got ${JSON.stringify(value)}`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${at}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${at}: above ${schema.maximum}`);
  }
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => check(schema.items as Schema, item, `${at}[${i}]`, problems));
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    for (const field of schema.required ?? []) if (!(field in object)) problems.push(`${at}.${field}: required`);
    for (const [field, sub] of Object.entries(schema.properties ?? {})) {
      if (object[field] !== undefined) check(sub, object[field], `${at}.${field}`, problems);
    }
  }
}

function hasType(type: string, value: unknown): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    default:
      return typeof value === type;
  }
}
