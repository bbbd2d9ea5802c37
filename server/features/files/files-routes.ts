import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import {
  createFolderRequestSchema,
  deleteRequestSchema,
  folderPageSchema,
  listFolderQuerySchema,
  nameConflictsRequestSchema,
  nameConflictsResponseSchema,
  pathResultsSchema,
  renameRequestSchema,
} from '../../../contract/files';
import type { ZodTypeProvider } from '../../lib/zod-type-provider';
import { requireSession } from '../auth/auth-plugin';
import type { FilesService } from './files-service';

const spaceParams = z.object({ spaceId: z.string().min(1).max(64) });
const pathResponse = z.object({ path: z.string() });

export const filesRoutes: FastifyPluginAsync<{ files: FilesService }> = async (fastify, { files }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/spaces/:spaceId/files',
    { schema: { params: spaceParams, querystring: listFolderQuerySchema, response: { 200: folderPageSchema } } },
    async (request) => files.listFolder(requireSession(request).user, request.params.spaceId, request.query),
  );

  app.post(
    '/api/spaces/:spaceId/folders',
    { schema: { params: spaceParams, body: createFolderRequestSchema, response: { 201: pathResponse } } },
    async (request, reply) =>
      reply.status(201).send(await files.createFolder(requireSession(request).user, request.params.spaceId, request.body.path)),
  );

  app.post(
    '/api/spaces/:spaceId/rename',
    { schema: { params: spaceParams, body: renameRequestSchema, response: { 200: pathResponse } } },
    async (request) => files.rename(requireSession(request).user, request.params.spaceId, request.body.path, request.body.newName),
  );

  // POST rather than DELETE with a body: several paths at once, with a result for each.
  app.post(
    '/api/spaces/:spaceId/delete',
    { schema: { params: spaceParams, body: deleteRequestSchema, response: { 200: pathResultsSchema } } },
    async (request) => ({
      results: await files.deletePaths(requireSession(request).user, request.params.spaceId, request.body),
    }),
  );

  // Asked before an upload starts, so the person decides each conflict (replace, keep both, skip).
  app.post(
    '/api/spaces/:spaceId/name-conflicts',
    { schema: { params: spaceParams, body: nameConflictsRequestSchema, response: { 200: nameConflictsResponseSchema } } },
    async (request) => ({
      conflicts: await files.nameConflicts(requireSession(request).user, request.params.spaceId, request.body.folder, request.body.names),
    }),
  );
};
