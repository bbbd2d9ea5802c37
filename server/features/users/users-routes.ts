import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { auditEntrySchema, createGroupRequestSchema, createUserRequestSchema, groupSchema, usersResponseSchema } from '../../../contract/admin';
import { userSchema } from '../../../contract/session';
import type { Db } from '../../db/database';
import { ERRORS } from '../../errors';
import type { ZodTypeProvider } from '../../lib/zod-type-provider';
import type { AuditLog } from '../audit/audit-log';
import { requireSession } from '../auth/auth-plugin';
import { hashPassword } from '../auth/password';
import { usernameKey, type UsersRepository } from '../auth/users-repository';

/** Administration of people: users, groups and the audit log. Admins only. */
export const usersRoutes: FastifyPluginAsync<{ db: Db; users: UsersRepository; audit: AuditLog }> = async (fastify, { db, users, audit }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const requireAdmin = (request: FastifyRequest) => {
    const { user } = requireSession(request);
    if (!user.isAdmin) throw ERRORS.Forbidden('administer users and groups');
    return user;
  };
  const toUser = (row: { id: string; username: string; display_name: string; is_admin: number }) => ({ id: row.id, username: row.username, displayName: row.display_name, isAdmin: row.is_admin === 1 });

  app.get('/api/users', { schema: { response: { 200: usersResponseSchema } } }, async (request) => {
    requireAdmin(request);
    return { users: (await db.selectFrom('users').selectAll().orderBy('username_key').execute()).map(toUser) };
  });

  app.post('/api/users', { schema: { body: createUserRequestSchema, response: { 201: userSchema } } }, async (request, reply) => {
    requireAdmin(request);
    const { username, displayName, password, isAdmin } = request.body;
    if (await users.findByUsername(username)) throw ERRORS.Conflict(`The username "${username}" is taken.`);
    const row = await users.create({ username, displayName, isAdmin, passwordHash: await hashPassword(password) });
    return reply.status(201).send(toUser(row));
  });

  const groupWithMembers = async (id: string) => {
    const group = await db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
    if (!group) throw ERRORS.NotFound('This group');
    const members = await db.selectFrom('group_members').select('user_id').where('group_id', '=', id).execute();
    return { id: group.id, name: group.name, memberIds: members.map((m) => m.user_id) };
  };

  app.get('/api/groups', { schema: { response: { 200: z.object({ groups: z.array(groupSchema) }) } } }, async (request) => {
    requireAdmin(request);
    const groups = await db.selectFrom('groups').select('id').orderBy('name_key').execute();
    return { groups: await Promise.all(groups.map((g) => groupWithMembers(g.id))) };
  });

  app.post('/api/groups', { schema: { body: createGroupRequestSchema, response: { 201: groupSchema } } }, async (request, reply) => {
    requireAdmin(request);
    const key = usernameKey(request.body.name);
    if (await db.selectFrom('groups').select('id').where('name_key', '=', key).executeTakeFirst()) throw ERRORS.Conflict(`A group named "${request.body.name}" exists.`);
    const id = randomUUID();
    await db.insertInto('groups').values({ id, name: request.body.name, name_key: key, created_at: Date.now() }).execute();
    return reply.status(201).send(await groupWithMembers(id));
  });

  const memberParams = z.object({ groupId: z.string().min(1), userId: z.string().min(1) });
  app.put('/api/groups/:groupId/members/:userId', { schema: { params: memberParams, response: { 200: groupSchema } } }, async (request) => {
    requireAdmin(request);
    const { groupId, userId } = request.params;
    await groupWithMembers(groupId);
    if (!(await users.findById(userId))) throw ERRORS.NotFound('This user');
    await db.insertInto('group_members').values({ group_id: groupId, user_id: userId }).onConflict((oc) => oc.doNothing()).execute();
    return groupWithMembers(groupId);
  });

  app.delete('/api/groups/:groupId/members/:userId', { schema: { params: memberParams, response: { 200: groupSchema } } }, async (request) => {
    requireAdmin(request);
    await db.deleteFrom('group_members').where('group_id', '=', request.params.groupId).where('user_id', '=', request.params.userId).execute();
    return groupWithMembers(request.params.groupId);
  });

  const auditQuery = z.object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    before: z.coerce.number().int().optional(),
    userId: z.string().optional(),
    decision: z.enum(['allow', 'deny']).optional(),
  });
  app.get('/api/audit', { schema: { querystring: auditQuery, response: { 200: z.object({ entries: z.array(auditEntrySchema) }) } } }, async (request) => {
    requireAdmin(request);
    const rows = await audit.list(request.query);
    return {
      entries: rows.map((r) => ({ id: r.id, at: new Date(r.at).toISOString(), userId: r.user_id, action: r.action, spaceId: r.space_id, target: r.target, decision: r.decision, reason: r.reason })),
    };
  });
};
