/**
 * /permissions (docs/node-api.md §6.2): an access key (or an admin-scope bearer token of it) sets
 * access levels on its files for user and group ids; a user-scope bearer token sees only the
 * permissions given to it or its groups, and cannot change any. The node user has no key, so no
 * permissions.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { fileInScope } from '../access/file-in-scope';
import { ACCESS_LEVELS, type Permission } from '../access/permissions';
import { scopeOf, type Principal } from '../access/principal';
import type { NodeContext } from '../context';
import { ERRORS } from '../errors';
import { isWithin } from '../storage/node-path';
import { parseBody } from './parse-body';

const MAX_PER_PAGE = 1000;
const fileId = z.string().regex(/^\d{1,15}$/, 'is not a file id');
const createBody = z
  .object({
    file_id: fileId,
    access_type: z.enum(['user', 'group']),
    access_id: z.string().min(1).max(256),
    access_levels: z.array(z.enum(ACCESS_LEVELS)).min(1).max(ACCESS_LEVELS.length),
  })
  .loose();
const listQuery = z
  .object({
    file_id: fileId.optional(),
    inherited: z.enum(['true', 'false']).optional(),
    access_type: z.enum(['user', 'group']).optional(),
    access_id: z.string().max(256).optional(),
    page: z.coerce.number().int().min(1).default(1),
    per_page: z.coerce.number().int().min(1).max(MAX_PER_PAGE).default(MAX_PER_PAGE),
  })
  .loose();
const idParams = z.object({ id: z.string().regex(/^\d{1,15}$/, 'is not a permission id') });

export async function permissionRoutes(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  const any = { config: { access: 'any' as const } };

  const keyOf = (principal: Principal) => {
    if (principal.kind === 'node') throw ERRORS.badRequest('Permissions belong to an access key: authenticate with one');
    return principal.key;
  };
  const mayManage = (principal: Principal) => principal.kind === 'access_key' || (principal.kind === 'bearer' && principal.claims.admin);
  /** A user-scope bearer token sees the permissions given to it or its groups. */
  const sees = (principal: Principal, p: Permission) =>
    mayManage(principal) ||
    (principal.kind === 'bearer' &&
      (p.access_type === 'user' ? p.access_id === principal.claims.userId : principal.claims.groupIds.includes(p.access_id)));
  const view = (p: Permission) => ({
    id: p.id,
    file_id: p.file_id,
    access_type: p.access_type,
    access_id: p.access_id,
    access_levels: p.access_levels,
    created_by_id: p.created_by_id,
    created_at: p.created_at,
    last_updated_at: p.last_updated_at,
  });
  const visiblePermission = (request: FastifyRequest) => {
    const key = keyOf(request.principal);
    const permission = ctx.permissions.get(key.id, parseBody(idParams, request.params).id);
    if (!permission || !sees(request.principal, permission)) throw ERRORS.notFound('No such permission');
    return permission;
  };

  app.get('/permissions', any, async (request, reply) => {
    const key = keyOf(request.principal);
    const query = parseBody(listQuery, request.query);
    let found = ctx.permissions.list(key.id).filter((p) => sees(request.principal, p));
    if (query.file_id !== undefined) {
      const target = ctx.fileIds.pathOf(query.file_id);
      // `inherited=true`: also the permissions set on the folders above, which apply to this file.
      found = found.filter((p) => {
        if (p.file_id === query.file_id) return true;
        const path = ctx.fileIds.pathOf(p.file_id);
        return query.inherited === 'true' && target !== undefined && path !== undefined && isWithin(path, target);
      });
    }
    if (query.access_type !== undefined) found = found.filter((p) => p.access_type === query.access_type);
    if (query.access_id !== undefined) found = found.filter((p) => p.access_id === query.access_id);
    reply.header('X-Total-Count', String(found.length));
    reply.header('Access-Control-Expose-Headers', 'X-Total-Count');
    const skip = (query.page - 1) * query.per_page;
    return found.slice(skip, skip + query.per_page).map(view);
  });

  app.post('/permissions', any, async (request) => {
    const key = keyOf(request.principal);
    if (!mayManage(request.principal)) throw ERRORS.forbidden('Only the access key or an admin-scope token may set permissions');
    const body = parseBody(createBody, request.body);
    // The file must be the key's own (any file of another key's storage is "not found").
    await fileInScope(ctx, await scopeOf(ctx, request.principal), body.file_id);
    const principal = request.principal;
    const permission = await ctx.permissions.create(key.id, {
      fileId: body.file_id,
      accessType: body.access_type,
      accessId: body.access_id,
      accessLevels: body.access_levels,
      createdById: principal.kind === 'bearer' ? principal.claims.userId : key.id,
    });
    return view(permission);
  });

  app.get('/permissions/:id', any, async (request) => view(visiblePermission(request)));

  app.delete('/permissions/:id', any, async (request, reply) => {
    const key = keyOf(request.principal);
    const permission = visiblePermission(request);
    if (!mayManage(request.principal)) throw ERRORS.forbidden('Only the access key or an admin-scope token may delete permissions');
    await ctx.permissions.delete(key.id, permission.id);
    return reply.code(200).send();
  });
}
