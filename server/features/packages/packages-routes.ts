import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  archivePackageRequestSchema,
  createPackageFromSpaceRequestSchema,
  createPackageFromSpaceResponseSchema,
  createPackageRequestSchema,
  createPackageResponseSchema,
  directoryQuerySchema,
  directoryResponseSchema,
  listPackagesQuerySchema,
  packageDetailSchema,
  packageDownloadRequestSchema,
  PACKAGE_LINK_PATTERN,
  packageResponseSchema,
  packagesResponseSchema,
  publicPackageCodeResponseSchema,
  publicPackageDownloadRequestSchema,
  publicPackageDownloadResponseSchema,
  publicPackageResponseSchema,
  unlockPackageRequestSchema,
  updatePackageRequestSchema,
} from '../../../contract/packages';
import { SHARE_ACCESS_SECONDS } from '../shares/share-access-cookie';
import { createTransferResponseSchema } from '../../../contract/transfers';
import type { ZodTypeProvider } from '../../lib/zod-type-provider';
import { requireSession } from '../auth/auth-plugin';
import type { PackagesService } from './packages-service';
import type { PackageVisitor, PublicPackagesService } from './public-packages-service';

export interface PackagesRoutesOptions {
  packages: PackagesService;
  publicPackages: PublicPackagesService;
  secureCookies: boolean;
}

/** The cookie a personal link's one-time code answers with (docs/packages.md §7). */
export const PACKAGE_ACCESS_COOKIE = 'courier_package_access';
const linkParams = z.object({ link: z.string().regex(PACKAGE_LINK_PATTERN, 'is not a package link') });
const PUBLIC = { auth: 'public' } as const;
// Nothing a personal link answers is kept by a browser or a proxy.
const noStore = async (_request: FastifyRequest, reply: FastifyReply) => {
  reply.header('cache-control', 'no-store');
};

// Package ids are UUIDs; anything else goes no further than the schema.
const idParams = z.object({ packageId: z.uuid() });

/** Sending, the boxes, one package, its downloads and its lifecycle: docs/packages.md §2. */
export const packagesRoutes: FastifyPluginAsync<PackagesRoutesOptions> = async (fastify, { packages, publicPackages, secureCookies }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/api/packages',
    { schema: { body: createPackageRequestSchema, response: { 201: createPackageResponseSchema } } },
    async (request, reply) => reply.status(201).send(await packages.create(requireSession(request).user, request.body)),
  );
  // "Send" on a Files selection: stored files, copied node to node (docs/packages.md §8).
  app.post(
    '/api/packages/from-space',
    { schema: { body: createPackageFromSpaceRequestSchema, response: { 201: createPackageFromSpaceResponseSchema } } },
    async (request, reply) => reply.status(201).send(await packages.createFromSpace(requireSession(request).user, request.body)),
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

  // An external recipient's personal link, without a session (docs/packages.md §7).
  const visitor = (request: FastifyRequest): PackageVisitor => ({
    ip: request.ip,
    userAgent: request.headers['user-agent'],
    accessCookie: request.cookies[PACKAGE_ACCESS_COOKIE],
  });
  app.get(
    '/api/public/packages/:link',
    { config: PUBLIC, preHandler: noStore, schema: { params: linkParams, response: { 200: publicPackageResponseSchema } } },
    async (request) => ({ package: await publicPackages.open(request.params.link, visitor(request)) }),
  );
  app.post(
    '/api/public/packages/:link/code',
    { config: PUBLIC, preHandler: noStore, schema: { params: linkParams, response: { 202: publicPackageCodeResponseSchema } } },
    async (request, reply) => reply.status(202).send(await publicPackages.sendCode(request.params.link, visitor(request))),
  );
  app.post(
    '/api/public/packages/:link/unlock',
    { config: PUBLIC, preHandler: noStore, schema: { params: linkParams, body: unlockPackageRequestSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      const value = await publicPackages.unlock(request.params.link, request.body.code, visitor(request));
      // Scoped to this link's routes: it opens no other package and is never sent elsewhere.
      reply.setCookie(PACKAGE_ACCESS_COOKIE, value, {
        path: `/api/public/packages/${request.params.link}`,
        httpOnly: true,
        sameSite: 'strict',
        secure: secureCookies,
        maxAge: SHARE_ACCESS_SECONDS,
      });
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/public/packages/:link/downloads',
    {
      config: PUBLIC,
      preHandler: noStore,
      schema: { params: linkParams, body: publicPackageDownloadRequestSchema, response: { 201: publicPackageDownloadResponseSchema } },
    },
    async (request, reply) => reply.status(201).send(await publicPackages.download(request.params.link, request.body, visitor(request))),
  );
};
