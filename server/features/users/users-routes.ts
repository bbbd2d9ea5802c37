import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { randomBytes } from 'node:crypto';
import {
  adminUserSchema,
  auditEntrySchema,
  createGroupRequestSchema,
  createUserRequestSchema,
  deleteUserQuerySchema,
  groupSchema,
  passwordResetResponseSchema,
  renameGroupRequestSchema,
  updateUserRequestSchema,
  usersQuerySchema,
  usersResponseSchema,
} from '../../../contract/admin';
import type { Db } from '../../db/database';
import { ERRORS } from '../../errors';
import type { ZodTypeProvider } from '../../lib/zod-type-provider';
import type { AuditLog } from '../audit/audit-log';
import { requireSession } from '../auth/auth-plugin';
import type { AuthService } from '../auth/auth-service';
import { hashPassword } from '../auth/password';
import type { UserRow, UsersRepository } from '../auth/users-repository';
import type { NodeClients } from '../nodes/node-clients';
import type { GroupsRepository } from './groups-repository';
import { settlePersonalSpace } from './personal-space-on-delete';

const toUser = (row: UserRow) => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  isAdmin: row.is_admin === 1,
  email: row.email,
  disabled: row.disabled === 1,
});

/** A one-time password an admin reads out or pastes: 16 characters, no look-alikes (0/O, 1/l/I). */
function oneTimePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return [...randomBytes(16)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** Administration of people: users, groups and the audit log. Admins only. */
export const usersRoutes: FastifyPluginAsync<{
  users: UsersRepository;
  groups: GroupsRepository;
  audit: AuditLog;
  auth: AuthService;
  db: Db;
  clients: NodeClients;
}> = async (fastify, { users, groups, audit, auth, db, clients }) => {
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

  const requireUser = async (id: string) => {
    const user = await users.findById(id);
    if (!user) throw ERRORS.NotFound('This user');
    return user;
  };
  const idParams = z.object({ id: z.string().min(1).max(100) });

  app.get('/api/users', { schema: { querystring: usersQuerySchema, response: { 200: usersResponseSchema } } }, async (request) => {
    requireAdmin(request);
    const { rows, total } = await users.page(request.query);
    return { users: rows.map(toUser), total };
  });

  app.post('/api/users', { schema: { body: createUserRequestSchema, response: { 201: adminUserSchema } } }, async (request, reply) => {
    const admin = requireAdmin(request);
    const { username, displayName, password, isAdmin, email } = request.body;
    if (await users.findByUsername(username)) throw ERRORS.Conflict(`The username "${username}" is taken.`);
    const row = await users.create({ username, displayName, isAdmin, email, passwordHash: await hashPassword(password) });
    await audit.record({ userId: admin.id, action: 'user-create', target: row.id, decision: 'allow', reason: username });
    return reply.status(201).send(toUser(row));
  });

  app.patch(
    '/api/users/:id',
    { schema: { params: idParams, body: updateUserRequestSchema, response: { 200: adminUserSchema } } },
    async (request) => {
      const admin = requireAdmin(request);
      const user = await requireUser(request.params.id);
      const { displayName, email, isAdmin, disabled } = request.body;
      const self = user.id === admin.id;
      const losesAdmin = user.is_admin === 1 && user.disabled === 0 && (isAdmin === false || disabled === true);
      const refuse = async (reason: string) => {
        await audit.record({ userId: admin.id, action: 'user-update', target: user.id, decision: 'deny', reason });
        return ERRORS.Forbidden(reason);
      };
      if (self && isAdmin === false) throw await refuse('take away your own admin role');
      if (self && disabled === true) throw await refuse('disable your own account');
      if (losesAdmin && (await users.countActiveAdmins()) <= 1) throw await refuse('take away the last admin');
      await users.update(user.id, {
        ...(displayName !== undefined && { display_name: displayName }),
        ...(email !== undefined && { email: email === '' ? null : email }),
        ...(isAdmin !== undefined && { is_admin: isAdmin ? 1 : 0 }),
        ...(disabled !== undefined && { disabled: disabled ? 1 : 0 }),
      });
      // Disabled means out now: every session and open event stream ends, not at its next expiry.
      if (disabled === true) await auth.endSessionsOf(user.id);
      const changed = Object.keys(request.body).sort().join(',');
      await audit.record({ userId: admin.id, action: 'user-update', target: user.id, decision: 'allow', reason: changed });
      return toUser(await requireUser(user.id));
    },
  );

  app.post('/api/users/:id/password', { schema: { params: idParams, response: { 200: passwordResetResponseSchema } } }, async (request) => {
    const admin = requireAdmin(request);
    const user = await requireUser(request.params.id);
    const password = oneTimePassword();
    // One-time: the user must choose their own before doing anything else.
    await users.update(user.id, { password_hash: await hashPassword(password), must_change_password: 1 });
    // Whoever held the old password is logged out with it.
    await auth.endSessionsOf(user.id);
    await audit.record({ userId: admin.id, action: 'user-password-reset', target: user.id, decision: 'allow' });
    return { password };
  });

  app.delete(
    '/api/users/:id',
    { schema: { params: idParams, querystring: deleteUserQuerySchema, response: { 204: z.null() } } },
    async (request, reply) => {
      const admin = requireAdmin(request);
      const user = await requireUser(request.params.id);
      if (user.id === admin.id) {
        await audit.record({ userId: admin.id, action: 'user-delete', target: user.id, decision: 'deny', reason: 'self' });
        throw ERRORS.Forbidden('delete your own account');
      }
      if (user.is_admin === 1 && user.disabled === 0 && (await users.countActiveAdmins()) <= 1)
        throw ERRORS.Forbidden('delete the last admin');
      await auth.endSessionsOf(user.id);
      const settled = await settlePersonalSpace({ db, clients }, user, request.query.personalSpace);
      // Kept records keep the row they point to; deleted records go with it (foreign key).
      if (request.query.transfers === 'keep') await users.retire(user.id);
      else await users.delete(user.id);
      await audit.record({
        userId: admin.id,
        action: 'user-delete',
        target: user.id,
        spaceId: settled?.spaceId ?? null,
        decision: 'allow',
        reason: `${user.username}; personal space ${settled?.outcome ?? 'none'}; transfer records ${request.query.transfers === 'keep' ? 'kept' : 'deleted'}`,
      });
      return reply.status(204).send(null);
    },
  );

  app.get('/api/groups', { schema: { response: { 200: z.object({ groups: z.array(groupSchema) }) } } }, async (request) => {
    requireAdmin(request);
    return { groups: await groups.list() };
  });

  app.post('/api/groups', { schema: { body: createGroupRequestSchema, response: { 201: groupSchema } } }, async (request, reply) => {
    const admin = requireAdmin(request);
    if (await groups.existsNamed(request.body.name)) throw ERRORS.Conflict(`A group named "${request.body.name}" exists.`);
    const group = await groups.create(request.body.name);
    await audit.record({ userId: admin.id, action: 'group-create', target: group.id, decision: 'allow', reason: group.name });
    return reply.status(201).send(group);
  });

  const groupParams = z.object({ groupId: z.string().min(1).max(100) });
  app.patch(
    '/api/groups/:groupId',
    { schema: { params: groupParams, body: renameGroupRequestSchema, response: { 200: groupSchema } } },
    async (request) => {
      const admin = requireAdmin(request);
      const group = await requireGroup(request.params.groupId);
      const { name } = request.body;
      if (await groups.existsNamed(name, group.id)) throw ERRORS.Conflict(`A group named "${name}" exists.`);
      await groups.rename(group.id, name);
      await audit.record({
        userId: admin.id,
        action: 'group-rename',
        target: group.id,
        decision: 'allow',
        reason: `${group.name} → ${name}`,
      });
      return requireGroup(group.id);
    },
  );

  app.delete('/api/groups/:groupId', { schema: { params: groupParams, response: { 204: z.null() } } }, async (request, reply) => {
    const admin = requireAdmin(request);
    const group = await requireGroup(request.params.groupId);
    await groups.delete(group.id);
    await audit.record({ userId: admin.id, action: 'group-delete', target: group.id, decision: 'allow', reason: group.name });
    return reply.status(204).send(null);
  });

  const memberParams = z.object({ groupId: z.string().min(1), userId: z.string().min(1) });
  app.put('/api/groups/:groupId/members/:userId', { schema: { params: memberParams, response: { 200: groupSchema } } }, async (request) => {
    requireAdmin(request);
    const { groupId, userId } = request.params;
    await requireGroup(groupId);
    if (!(await users.findById(userId))) throw ERRORS.NotFound('This user');
    await groups.addMember(groupId, userId);
    await audit.record({
      userId: requireSession(request).user.id,
      action: 'group-member-add',
      target: `${groupId}:${userId}`,
      decision: 'allow',
    });
    return requireGroup(groupId);
  });

  app.delete(
    '/api/groups/:groupId/members/:userId',
    { schema: { params: memberParams, response: { 200: groupSchema } } },
    async (request) => {
      requireAdmin(request);
      await requireGroup(request.params.groupId);
      await groups.removeMember(request.params.groupId, request.params.userId);
      await audit.record({
        userId: requireSession(request).user.id,
        action: 'group-member-remove',
        target: `${request.params.groupId}:${request.params.userId}`,
        decision: 'allow',
      });
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
