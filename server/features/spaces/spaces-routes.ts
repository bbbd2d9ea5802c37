import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import {
  adminSpacesPageSchema,
  adminSpacesQuerySchema,
  createSpaceRequestSchema,
  deleteSpaceQuerySchema,
  memberCandidateSchema,
  memberCandidatesQuerySchema,
  updateSpaceRequestSchema,
  principalTypeSchema,
  putSpaceMemberRequestSchema,
  spaceMemberSchema,
  spaceRootConflictSchema,
  spaceSchema,
} from '../../../contract/spaces';
import type { ZodTypeProvider } from '../../lib/zod-type-provider';
import { requireSession } from '../auth/auth-plugin';
import type { SpacesService } from './spaces-service';

const spaceParams = z.object({ spaceId: z.string().min(1).max(64) });

export const spacesRoutes: FastifyPluginAsync<{ spaces: SpacesService }> = async (fastify, { spaces }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const user = (request: Parameters<typeof requireSession>[0]) => requireSession(request).user;

  app.get('/api/spaces', { schema: { response: { 200: z.object({ spaces: z.array(spaceSchema) }) } } }, async (request) => ({
    spaces: await spaces.list(user(request)),
  }));

  app.post('/api/spaces', { schema: { body: createSpaceRequestSchema, response: { 201: spaceSchema } } }, async (request, reply) =>
    reply.status(201).send(await spaces.create(user(request), request.body)),
  );

  app.get(
    '/api/admin/space-conflicts',
    { schema: { response: { 200: z.object({ conflicts: z.array(spaceRootConflictSchema) }) } } },
    async (request) => ({
      conflicts: await spaces.listRootConflicts(user(request)),
    }),
  );

  app.get('/api/spaces/:spaceId', { schema: { params: spaceParams, response: { 200: spaceSchema } } }, async (request) =>
    spaces.get(user(request), request.params.spaceId),
  );

  app.get(
    '/api/admin/spaces',
    { schema: { querystring: adminSpacesQuerySchema, response: { 200: adminSpacesPageSchema } } },
    async (request) => spaces.adminList(user(request), request.query),
  );

  app.patch(
    '/api/spaces/:spaceId',
    { schema: { params: spaceParams, body: updateSpaceRequestSchema, response: { 200: spaceSchema } } },
    async (request) => spaces.rename(user(request), request.params.spaceId, request.body.name),
  );

  app.delete(
    '/api/spaces/:spaceId',
    { schema: { params: spaceParams, querystring: deleteSpaceQuerySchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await spaces.remove(user(request), request.params.spaceId, request.query);
      return reply.status(204).send(null);
    },
  );

  const membersResponse = { 200: z.object({ members: z.array(spaceMemberSchema) }) };
  app.get('/api/spaces/:spaceId/members', { schema: { params: spaceParams, response: membersResponse } }, async (request) => ({
    members: await spaces.members(user(request), request.params.spaceId),
  }));

  app.get(
    '/api/spaces/:spaceId/member-candidates',
    {
      schema: {
        params: spaceParams,
        querystring: memberCandidatesQuerySchema,
        response: { 200: z.object({ candidates: z.array(memberCandidateSchema) }) },
      },
    },
    async (request) => ({ candidates: await spaces.memberCandidates(user(request), request.params.spaceId, request.query.q) }),
  );

  app.put(
    '/api/spaces/:spaceId/members',
    { schema: { params: spaceParams, body: putSpaceMemberRequestSchema, response: membersResponse } },
    async (request) => ({
      members: await spaces.putMember(user(request), request.params.spaceId, request.body),
    }),
  );

  app.delete(
    '/api/spaces/:spaceId/members/:principalType/:principalId',
    {
      schema: {
        params: spaceParams.extend({ principalType: principalTypeSchema, principalId: z.string().min(1) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await spaces.removeMember(user(request), request.params.spaceId, request.params.principalType, request.params.principalId);
      return reply.status(204).send(null);
    },
  );
};
