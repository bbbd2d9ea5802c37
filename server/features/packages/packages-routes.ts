import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import {
  archivePackageRequestSchema,
  createPackageRequestSchema,
  createPackageResponseSchema,
  directoryQuerySchema,
  directoryResponseSchema,
  listPackagesQuerySchema,
  packageDetailSchema,
  packageDownloadRequestSchema,
  packageResponseSchema,
  packagesResponseSchema,
  updatePackageRequestSchema,
} from '../../../contract/packages';
import { createTransferResponseSchema } from '../../../contract/transfers';
import type { ZodTypeProvider } from '../../lib/zod-type-provider';
import { requireSession } from '../auth/auth-plugin';
import type { PackagesService } from './packages-service';

export interface PackagesRoutesOptions {
  packages: PackagesService;
}

// Package ids are UUIDs; anything else goes no further than the schema.
const idParams = z.object({ packageId: z.uuid() });

/** Sending, the boxes, one package, its downloads and its lifecycle: docs/packages.md §2. */
export const packagesRoutes: FastifyPluginAsync<PackagesRoutesOptions> = async (fastify, { packages }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/api/packages',
    { schema: { body: createPackageRequestSchema, response: { 201: createPackageResponseSchema } } },
    async (request, reply) => reply.status(201).send(await packages.create(requireSession(request).user, request.body)),
  );
  app.get(
    '/api/packages',
    { schema: { querystring: listPackagesQuerySchema, response: { 200: packagesResponseSchema } } },
    async (request) => packages.list(requireSession(request).user, request.query),
  );
  // Any signed-in person: whom a package may name (docs/packages.md §2).
  app.get(
    '/api/packages/directory',
    { schema: { querystring: directoryQuerySchema, response: { 200: directoryResponseSchema } } },
    async (request) => {
      requireSession(request);
      return packages.directory(request.query.q);
    },
  );
  app.get('/api/packages/:packageId', { schema: { params: idParams, response: { 200: packageDetailSchema } } }, async (request) =>
    packages.get(requireSession(request).user, request.params.packageId),
  );
  app.post(
    '/api/packages/:packageId/downloads',
    { schema: { params: idParams, body: packageDownloadRequestSchema, response: { 201: createTransferResponseSchema } } },
    async (request, reply) =>
      reply.status(201).send(await packages.download(requireSession(request).user, request.params.packageId, request.body)),
  );
  app.patch(
    '/api/packages/:packageId',
    { schema: { params: idParams, body: updatePackageRequestSchema, response: { 200: packageResponseSchema } } },
    async (request) => ({ package: await packages.extend(requireSession(request).user, request.params.packageId, request.body.expiresAt) }),
  );
  app.put(
    '/api/packages/:packageId/archive',
    { schema: { params: idParams, body: archivePackageRequestSchema, response: { 200: packageResponseSchema } } },
    async (request) => ({ package: await packages.archive(requireSession(request).user, request.params.packageId, request.body.archived) }),
  );
  app.delete('/api/packages/:packageId', { schema: { params: idParams, response: { 204: z.null() } } }, async (request, reply) => {
    await packages.recall(requireSession(request).user, request.params.packageId);
    return reply.status(204).send(null);
  });
};
