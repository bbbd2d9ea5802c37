/**
 * A file id as a request may use it (docs/node-api.md §6.3): the id must name a path inside the
 * request's root (an id of another key's storage is "not found", never "forbidden", so ids do not
 * tell what exists elsewhere), and the path must still exist.
 */
import type { Stats } from 'node:fs';
import type { NodeContext } from '../context';
import { ERRORS } from '../errors';
import { isWithin, parseNodePath, toNodePath } from '../storage/node-path';
import type { RequestScope } from './principal';

export interface ScopedFile {
  id: string;
  /** Docroot path, as file ids and permissions name it. */
  nodePath: string;
  /** Segments below the request's root. */
  segments: string[];
  abs: string;
  stats: Stats;
}

export async function fileInScope(ctx: NodeContext, scope: RequestScope, id: string): Promise<ScopedFile> {
  const nodePath = ctx.fileIds.pathOf(id);
  const root = toNodePath(scope.rootSegments);
  if (nodePath === undefined || !isWithin(root, nodePath)) throw ERRORS.notFound('No such file id');
  const segments = parseNodePath(nodePath, { allowLeadingSlash: true }).slice(scope.rootSegments.length);
  const resolved = await scope.files.docroot.resolveEntry(segments);
  if (!resolved.stats) throw ERRORS.notFound('The file of this id no longer exists');
  return { id, nodePath, segments, abs: resolved.abs, stats: resolved.stats };
}
