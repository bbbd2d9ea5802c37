/**
 * One error catalogue for the node. A NodeError carries the HTTP status; the Node API renders it as
 * `{ error: { code, reason, user_message } }` (docs/node-api.md §0) and the gateway as `{ message, code }`
 * (docs/http-gateway.md §6). Per-item errors inside 200 responses reuse `toNodeErrorBody`.
 */
import { STATUS_CODES } from 'node:http';

export class NodeError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly kind: string = 'error',
    /** Headers the answer must carry (e.g. `Retry-After`), whichever API renders it. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'NodeError';
  }
}

export interface NodeErrorBody {
  code: number;
  reason: string;
  user_message: string;
}

export function toNodeErrorBody(err: NodeError): NodeErrorBody {
  return { code: err.status, reason: STATUS_CODES[err.status] ?? 'Error', user_message: err.message };
}

/** Anything thrown that is not a NodeError becomes a 500 whose details stay in the log. */
export function asNodeError(err: unknown): NodeError {
  if (err instanceof NodeError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return ERRORS.diskFull();
  if (code === 'ENOENT') return ERRORS.notFound('Path does not exist');
  if (code === 'EEXIST') return ERRORS.exists();
  if (code === 'ENOTEMPTY') return new NodeError(409, 'Directory not empty', 'not_empty');
  if (code === 'ENOTDIR') return ERRORS.notAFolder();
  if (code === 'EACCES' || code === 'EPERM') return new NodeError(403, 'Permission denied', 'permission');
  return new NodeError(500, 'Internal error', 'internal');
}

export const ERRORS = {
  badRequest: (message: string) => new NodeError(400, message, 'bad_request'),
  unauthorized: (message = 'Invalid credentials') => new NodeError(401, message, 'unauthorized'),
  forbidden: (message: string) => new NodeError(403, message, 'forbidden'),
  outsideDocroot: () => new NodeError(403, 'Path is outside the docroot', 'outside_docroot'),
  notFound: (message = 'Path does not exist') => new NodeError(404, message, 'not_found'),
  exists: (message = 'Path already exists') => new NodeError(409, message, 'exists'),
  notAFolder: () => new NodeError(409, 'Path is not a folder', 'not_a_folder'),
  tooLarge: (message: string) => new NodeError(413, message, 'too_large'),
  diskFull: () => new NodeError(507, 'Not enough space on the storage', 'disk_full'),
  linkRefused: (link: string, why: string) => new NodeError(403, `Symbolic link ${link} is not followed: ${why}`, 'link_refused'),
  tokenInvalid: (message: string) => new NodeError(401, message, 'token_invalid'),
  tooManyAttempts: (retryAfterSeconds: number) =>
    new NodeError(429, `Too many failed authentication attempts from this address; retry in ${retryAfterSeconds} s`, 'throttled', {
      'Retry-After': String(retryAfterSeconds),
    }),
};
