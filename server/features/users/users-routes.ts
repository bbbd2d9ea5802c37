import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  auditEntrySchema,
  createGroupRequestSchema,
  createUserRequestSchema,
  groupSchema,
  usersResponseSchema,
} from '../../../contract/admin';
import { userSchema } from '../../../contract/session';
import { ERRORS } from '../../errors';
import type { ZodTypeProvider } from '../../lib/zod-type-provider';
import type { AuditLog } from '../audit/audit-log';
import { requireSession } from '../auth/auth-plugin';
import { hashPassword } from '../auth/password';
import type { UserRow, UsersRepository } from '../auth/users-repository';
import type { GroupsRepository } from './groups-repository';

const toUser = (row: UserRow) => ({ id: row.id, username: row.username, displayName: row.display_name, isAdmin: row.is_admin === 1 });

/** Administration of people: users, groups and the audit log. Admins only. */
export const usersRoutes: FastifyPluginAsync<{ users: UsersRepository; groups: GroupsRepository; audit: AuditLog }> = async (
  fastify,
  { users, groups, audit },
) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const requireAdmin = (request: FastifyRequest) => {
    const { user } = requireSession(request);
    if (!user.isAdmin) throw ERRORS.Forbidden('administer users and groups');
    return user;
  };
  const requireGroup = async (id: string) => {
    const group = await groups.find(id);
    if (!group) throw ERRORS.NotFound('This group');
    return group;
  };

  app.get('/api/users', { schema: { response: { 200: usersResponseSchema } } }, async (request) => {
    requireAdmin(request);
    return { users: (await users.list()).map(toUser) };
  });

  app.post('/api/users', { schema: { body: createUserRequestSchema, response: { 201: userSchema } } }, async (request, reply) => {
    requireAdmin(request);
    const { username, displayName, password, isAdmin } = request.body;
    if (await users.findByUsername(username)) throw ERRORS.Conflict(`The username "${username}" is taken.`);
    const row = await users.create({ username, displayName, isAdmin, passwordHash: await hashPassword(password) });
    return reply.status(201).send(toUser(row));
  });

  app.get('/api/groups', { schema: { response: { 200: z.object({ groups: z.array(groupSchema) }) } } }, async (request) => {
    requireAdmin(request);
    return { groups: await groups.list() };
  });

  app.post('/api/groups', { schema: { body: createGroupRequestSchema, response: { 201: groupSchema } } }, async (request, reply) => {
    requireAdmin(request);
    if (await groups.existsNamed(request.body.name)) throw ERRORS.Conflict(`A group named "${request.body.name}" exists.`);
    return reply.status(201).send(await groups.create(request.body.name));
  });

  const memberParams = z.object({ groupId: z.string().min(1), userId: z.string().min(1) });
  app.put('/api/groups/:groupId/members/:userId', { schema: { params: memberParams, response: { 200: groupSchema } } }, async (request) => {
    requireAdmin(request);
    const { groupId, userId } = request.params;
    await requireGroup(groupId);
    if (!(await users.findById(userId))) throw ERRORS.NotFound('This user');
    await groups.addMember(groupId, userId);
    return requireGroup(groupId);
  });

  app.delete(
    '/api/groups/:groupId/members/:userId',
    { schema: { params: memberParams, response: { 200: groupSchema } } },
    async (request) => {
      requireAdmin(request);
      await requireGroup(request.params.groupId);
      await groups.removeMember(request.params.groupId, request.params.userId);
      return requireGroup(request.params.groupId);
    },
  );

  const auditQuery = z.object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    before: z.coerce.number().int().optional(),
    userId: z.string().optional(),
    decision: z.enum(['allow', 'deny']).optional(),
  });
  app.get(
    '/api/audit',
    { schema: { querystring: auditQuery, response: { 200: z.object({ entries: z.array(auditEntrySchema) }) } } },
    async (request) => {
      requireAdmin(request);
      const rows = await audit.list(request.query);
      return {
        entries: rows.map((r) => ({
          id: r.id,
          at: new Date(r.at).toISOString(),
          userId: r.user_id,
          action: r.action,
          spaceId: r.space_id,
          target: r.target,
          decision: r.decision,
          reason: r.reason,
        })),
      };
    },
  );
};
