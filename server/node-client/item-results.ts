/**
 * Per-item answers of 200 responses (docs/node-api.md §3, §4): one item per request item, in order,
 * each either a result or an `error`. A node that answers a different number of items, or items
 * of the wrong shape, gave a `bad_response`: guessing which item failed would be worse.
 */
import { z } from 'zod';
import { NodeApiError, readNodeError } from './node-api-error';
import { type ItemError, type SetupResult, transferSpecSchema } from './types';

const pathsResponseSchema = z.looseObject({ paths: z.array(z.looseObject({ error: z.unknown().optional() })) });
const setupResponseSchema = z.looseObject({
  transfer_specs: z.array(z.looseObject({ error: z.unknown().optional(), transfer_spec: z.unknown().optional() })),
});

/** The error of each item of a `{paths: [...]}` answer (create, delete, rename), or null for success. */
export function readPathErrors(body: unknown, expected: number, operation: string): (ItemError | null)[] {
  const parsed = pathsResponseSchema.safeParse(body);
  if (!parsed.success) throw shapeError(operation, 'a "paths" array');
  if (parsed.data.paths.length !== expected) throw countError(operation, expected, parsed.data.paths.length);
  return parsed.data.paths.map((item) => withDefaultMessage(readNodeError(item.error)));
}

/**
 * `transfer_specs` of upload_setup/download_setup. The error of an item sits at `item.error` or at
 * `item.transfer_spec.error` depending on the HSTS version (docs/node-api.md §9.2); both are read, and
 * an error at either place wins over any spec fields next to it.
 */
export function readSetupResults(body: unknown, expected: number, operation: string): SetupResult[] {
  const parsed = setupResponseSchema.safeParse(body);
  if (!parsed.success) throw shapeError(operation, 'a "transfer_specs" array');
  const items = parsed.data.transfer_specs;
  if (items.length !== expected) throw countError(operation, expected, items.length);
  return items.map((item, index): SetupResult => {
    const nested =
      item.transfer_spec !== null && typeof item.transfer_spec === 'object' ? (item.transfer_spec as { error?: unknown }).error : undefined;
    const error = withDefaultMessage(readNodeError(item.error) ?? readNodeError(nested));
    if (error) return { ok: false, error };
    const spec = transferSpecSchema.safeParse(item.transfer_spec);
    if (!spec.success) throw shapeError(operation, `a transfer spec with a direction at item ${index}`);
    return { ok: true, transferSpec: spec.data };
  });
}

// A bare `{"error": ""}` (OAS files-id-put-404) still means failure; give the portal words to show.
function withDefaultMessage(error: ItemError | null): ItemError | null {
  if (!error) return null;
  return error.message
    ? error
    : { ...error, message: error.status ? `The node refused this item (${error.status})` : 'The node refused this item' };
}

function shapeError(operation: string, wanted: string): NodeApiError {
  return new NodeApiError('bad_response', `Node answer to ${operation} is not ${wanted}`);
}

function countError(operation: string, expected: number, got: number): NodeApiError {
  return new NodeApiError('bad_response', `Node answered ${got} items to ${operation} for ${expected} requested`);
}
