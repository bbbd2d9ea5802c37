/**
 * The file-id API (docs/node-api.md §6.3): `GET/PUT/DELETE /files/{id}`, `GET/POST /files/{id}/files`,
 * for an access key over its storage and for bearer-token users held to their permissions.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { fileInScope, type ScopedFile } from '../access/file-in-scope';
import { ACCESS_LEVELS, type AccessLevel } from '../access/permissions';
import { mayAt, requireAt, scopeOf, type Principal, type RequestScope } from '../access/principal';
import type { NodeContext } from '../context';
import { ERRORS } from '../errors';
import { isoSeconds, type BrowseEntry } from '../storage/file-service';
import { parseNodePath, toNodePath } from '../storage/node-path';
import { parseBody } from './parse-body';

// docs/node-api.md §6.3: pages of at most 1,000 entries, as /files/browse.
const MAX_PER_PAGE = 1000;
const DEFAULT_PER_PAGE = 1000;
// A folder listed for a user who may list only some of it is read whole to be filtered.
const MAX_FILTERED_ENTRIES = 100_000;

const idParams = z.object({ id: z.string().regex(/^\d{1,15}$/, 'is not a file id') });
const listQuery = z
  .object({
    page: z.coerce.number().int().min(1).default(1),
    per_page: z.coerce.number().int().min(1).max(MAX_PER_PAGE).default(DEFAULT_PER_PAGE),
    include: z.string().max(200).optional(),
  })
  .loose();
const getQuery = z.object({ include: z.string().max(200).optional() }).loose();
const createBody = z.object({ name: z.string(), type: z.enum(['file', 'link', 'folder']) }).loose();
const updateBody = z
  .object({
    name: z.string().optional(),
    parent_file_id: z
      .string()
      .regex(/^\d{1,15}$/)
      .optional(),
  })
  .loose();

type EntryType = 'file' | 'link' | 'folder';
const TYPES: Record<BrowseEntry['type'], EntryType> = { file: 'file', directory: 'folder', symbolic_link: 'link' };

export async function fileIdRoutes(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  const any = { config: { access: 'any' as const } };

  const levelsOf = (principal: Principal, nodePath: string): AccessLevel[] =>
    ACCESS_LEVELS.filter((level) => mayAt(ctx, principal, level, nodePath));

  /** A bearer user sees a path they may list, or one on the way to a path they hold a permission on. */
  const visible = (principal: Principal, nodePath: string): boolean =>
    mayAt(ctx, principal, 'list', nodePath) ||
    (principal.kind === 'bearer' && ctx.permissions.anyBelow(principal.key.id, principal.claims, nodePath, (id) => ctx.fileIds.pathOf(id)));

  const entryView = (
    scope: RequestScope,
    file: { id: string; nodePath: string; segments: string[] },
    e: Omit<BrowseEntry, 'path'>,
    include?: string,
  ) => {
    const principal = scope.principal;
    // The OAS: a user-scope bearer token does not see paths, only names and ids.
    const seesPaths = principal.kind !== 'bearer' || principal.claims.admin;
    return {
      id: file.id,
      name: e.basename,
      ...(seesPaths ? { path: toNodePath(file.segments) } : {}),
      type: TYPES[e.type],
      size: e.size,
      modified_time: e.mtime,
      ...(include?.split(',').includes('access_levels') ? { access_levels: levelsOf(principal, file.nodePath) } : {}),
    };
  };

  const scoped = async (request: FastifyRequest) => {
    const scope = await scopeOf(ctx, request.principal);
    const file = await fileInScope(ctx, scope, parseBody(idParams, request.params).id);
    return { scope, file };
  };

  const ownEntry = (file: ScopedFile): Omit<BrowseEntry, 'path'> => ({
    basename: file.segments.at(-1) ?? '',
    type: file.stats.isDirectory() ? 'directory' : file.stats.isSymbolicLink() ? 'symbolic_link' : 'file',
    size: file.stats.isFile() ? file.stats.size : 0,
    mtime: isoSeconds(file.stats.mtime),
    permissions: [],
  });

  app.get('/files/:id', any, async (request) => {
    const { scope, file } = await scoped(request);
    if (!visible(scope.principal, file.nodePath)) throw ERRORS.forbidden('No "list" permission on this file');
    return entryView(scope, file, ownEntry(file), parseBody(getQuery, request.query).include);
  });

  app.get('/files/:id/files', any, async (request, reply) => {
    const { scope, file } = await scoped(request);
    const query = parseBody(listQuery, request.query);
    if (!file.stats.isDirectory()) throw ERRORS.notAFolder();
    const principal = scope.principal;
    if (!visible(principal, file.nodePath)) throw ERRORS.forbidden('No "list" permission on this folder');
    const skip = (query.page - 1) * query.per_page;
    let entries: BrowseEntry[];
    let total: number;
    if (mayAt(ctx, principal, 'list', file.nodePath)) {
      const page = await scope.files.browse(toNodePath(file.segments), skip, query.per_page, 'path', false);
      entries = page.items;
      total = page.total_count;
    } else {
      // Only the entries on the way to what the user holds: read the folder whole, then page.
      const all = await scope.files.browse(toNodePath(file.segments), 0, MAX_FILTERED_ENTRIES, 'path', false);
      const shown = all.items.filter((e) => visible(principal, scope.docrootPath(parseNodePath(e.path, { allowLeadingSlash: true }))));
      entries = shown.slice(skip, skip + query.per_page);
      total = shown.length;
    }
    // A name that is not UTF-8 cannot be named by an id's path (README, "Odd file names").
    entries = entries.filter((e) => !e.name_not_utf8);
    const segmentsOf = entries.map((e) => parseNodePath(e.path, { allowLeadingSlash: true }));
    const ids = await ctx.fileIds.idsOf(segmentsOf.map((s) => scope.docrootPath(s)));
    reply.header('X-Total-Count', String(total));
    reply.header('Access-Control-Expose-Headers', 'X-Total-Count');
    return entries.map((e, i) =>
      entryView(
        scope,
        { id: ids[i] as string, nodePath: scope.docrootPath(segmentsOf[i] as string[]), segments: segmentsOf[i] as string[] },
        e,
        query.include,
      ),
    );
  });

  app.post('/files/:id/files', any, async (request) => {
    const { scope, file } = await scoped(request);
    const body = parseBody(createBody, request.body);
    // Files come through transfers on this node; links are not created through the API.
    if (body.type !== 'folder') throw ERRORS.badRequest('Only type "folder" can be created on this node');
    const name = parseNodePath(body.name, { allowLeadingSlash: false });
    if (name.length !== 1) throw ERRORS.badRequest('name must be a single file name');
    if (!file.stats.isDirectory()) throw ERRORS.notAFolder();
    requireAt(ctx, scope.principal, 'mkdir', file.nodePath);
    const segments = [...file.segments, ...name];
    await scope.files.createFolder(toNodePath(segments));
    const nodePath = scope.docrootPath(segments);
    const id = await ctx.fileIds.idOf(nodePath);
    const created = await fileInScope(ctx, scope, id);
    return { id, name: name[0], type: 'folder', size: 0, modified_time: isoSeconds(created.stats.mtime) };
  });

  app.put('/files/:id', any, async (request, reply) => {
    const { scope, file } = await scoped(request);
    const body = parseBody(updateBody, request.body);
    if (file.segments.length === 0) throw ERRORS.forbidden("The access key's root cannot be renamed or moved");
    requireAt(ctx, scope.principal, 'rename', file.nodePath);
    const name = body.name === undefined ? file.segments.slice(-1) : parseNodePath(body.name, { allowLeadingSlash: false });
    if (name.length !== 1) throw ERRORS.badRequest('name must be a single file name');
    let parent = file.segments.slice(0, -1);
    if (body.parent_file_id !== undefined) {
      const target = await fileInScope(ctx, scope, body.parent_file_id);
      if (!target.stats.isDirectory()) throw ERRORS.notAFolder();
      // Moving in is writing there.
      requireAt(ctx, scope.principal, 'write', target.nodePath);
      parent = target.segments;
    }
    await scope.files.rename('/', file.segments.join('/'), [...parent, ...name].join('/'));
    return noContent(reply);
  });

  app.delete('/files/:id', any, async (request, reply) => {
    const { scope, file } = await scoped(request);
    if (file.segments.length === 0) throw ERRORS.forbidden("The access key's root cannot be deleted");
    requireAt(ctx, scope.principal, 'delete', file.nodePath);
    await scope.files.delete(toNodePath(file.segments), true);
    return noContent(reply);
  });
}

function noContent(reply: FastifyReply) {
  return reply.code(204).send();
}
