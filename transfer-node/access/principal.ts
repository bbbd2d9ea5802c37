/**
 * Who a Node API request acts for (docs/node-api.md §1): the node user over the whole docroot, an
 * access key over its storage root, or a bearer-token user of an access key, further held to their
 * permissions (an admin-scope token acts as the key). Set by the authentication hook.
 */
import type { NodeContext } from '../context';
import { ERRORS } from '../errors';
import type { FileService } from '../storage/file-service';
import { FileService as Files } from '../storage/file-service';
import { parseNodePath, toNodePath } from '../storage/node-path';
import type { AccessKey } from './access-keys';
import type { BearerClaims } from './bearer-token';
import type { AccessLevel } from './permissions';

export type Principal =
  { kind: 'node' } | { kind: 'access_key'; key: AccessKey } | { kind: 'bearer'; key: AccessKey; claims: BearerClaims; token: string };

/** Which credentials a route takes (`config.access`); the default is `basic`. */
export type RouteAccess = 'node-user' | 'basic' | 'any';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

/** What a request sees: files jailed to its root, and that root as docroot segments. */
export interface RequestScope {
  principal: Principal;
  files: FileService;
  rootSegments: string[];
  /** The docroot path of a path given relative to this scope's root. */
  docrootPath(segments: readonly string[]): string;
}

export async function scopeOf(ctx: NodeContext, principal: Principal): Promise<RequestScope> {
  if (principal.kind === 'node') return { principal, files: ctx.files, rootSegments: [], docrootPath: (s) => toNodePath(s) };
  const rootSegments = parseNodePath(principal.key.storage_path, { allowLeadingSlash: true });
  const files = new Files(await ctx.files.docroot.jail(rootSegments), ctx.files.listings, ctx.files.changes);
  return { principal, files, rootSegments, docrootPath: (s) => toNodePath([...rootSegments, ...s]) };
}

/** True unless a bearer-token user with user scope lacks `level` at the docroot path `nodePath`. */
export function mayAt(ctx: NodeContext, principal: Principal, level: AccessLevel, nodePath: string): boolean {
  if (principal.kind !== 'bearer' || principal.claims.admin) return true;
  return ctx.permissions.levelsAt(principal.key.id, principal.claims, nodePath, (id) => ctx.fileIds.pathOf(id)).has(level);
}

export function requireAt(ctx: NodeContext, principal: Principal, level: AccessLevel, nodePath: string): void {
  if (!mayAt(ctx, principal, level, nodePath)) throw ERRORS.forbidden(`No "${level}" permission on this file`);
}

/** The access key a request acts within; the node user has none. */
export function accessKeyOf(principal: Principal): AccessKey | null {
  return principal.kind === 'node' ? null : principal.key;
}
