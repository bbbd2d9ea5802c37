import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  createShareRequestSchema,
  listSharesQuerySchema,
  publicDownloadRequestSchema,
  publicDownloadResponseSchema,
  publicFolderQuerySchema,
  publicFolderResponseSchema,
  publicShareResponseSchema,
  shareDetailResponseSchema,
  shareResponseSchema,
  sharesResponseSchema,
  unlockShareRequestSchema,
  updateShareRequestSchema,
} from '../../../contract/shares';
import type { ZodTypeProvider } from '../../lib/zod-type-provider';
import { requireSession } from '../auth/auth-plugin';
import type { PublicSharesService, Visitor } from './public-shares-service';
import { SHARE_ACCESS_COOKIE, SHARE_ACCESS_SECONDS } from './share-access-cookie';
import type { SharesService } from './shares-service';

export interface SharesRoutesOptions {
  shares: SharesService;
  publicShares: PublicSharesService;
  secureCookies: boolean;
}

// Link ids are base64url; anything else is not a link and goes no further than the schema.
const idParams = z.object({ shareId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'is not a link id') });
const PUBLIC = { auth: 'public' } as const;
// Nothing a link answers is kept by a browser or a proxy: it may be revoked the next minute.
const noStore = async (_request: FastifyRequest, reply: FastifyReply) => {
  reply.header('cache-control', 'no-store');
};

/** The sharer's routes (a session) and the recipient's (`/api/public/shares/…`, none): docs/sharing.md §2. */
export const sharesRoutes: FastifyPluginAsync<SharesRoutesOptions> = async (fastify, { shares, publicShares, secureCookies }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post('/api/shares', { schema: { body: createShareRequestSchema, response: { 201: shareResponseSchema } } }, async (request, reply) =>
    reply.status(201).send({ share: await shares.create(requireSession(request).user, request.body) }),
  );
  app.get('/api/shares', { schema: { querystring: listSharesQuerySchema, response: { 200: sharesResponseSchema } } }, async (request) => ({
    shares: await shares.list(requireSession(request).user, request.query),
  }));
  app.get('/api/shares/:shareId', { schema: { params: idParams, response: { 200: shareDetailResponseSchema } } }, async (request) =>
    shares.get(requireSession(request).user, request.params.shareId),
  );
  app.patch(
    '/api/shares/:shareId',
    { schema: { params: idParams, body: updateShareRequestSchema, response: { 200: shareResponseSchema } } },
    async (request) => ({ share: await shares.update(requireSession(request).user, request.params.shareId, request.body) }),
  );
  app.delete('/api/shares/:shareId', { schema: { params: idParams, response: { 200: shareResponseSchema } } }, async (request) => ({
    share: await shares.revoke(requireSession(request).user, request.params.shareId),
  }));

  const visitor = (request: FastifyRequest): Visitor => ({
    ip: request.ip,
    userAgent: request.headers['user-agent'],
    accessCookie: request.cookies[SHARE_ACCESS_COOKIE],
  });

  app.get(
    '/api/public/shares/:shareId',
    { config: PUBLIC, preHandler: noStore, schema: { params: idParams, response: { 200: publicShareResponseSchema } } },
    async (request) => ({ share: await publicShares.open(request.params.shareId, visitor(request)) }),
  );
  app.post(
    '/api/public/shares/:shareId/unlock',
    { config: PUBLIC, preHandler: noStore, schema: { params: idParams, body: unlockShareRequestSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      const value = await publicShares.unlock(request.params.shareId, request.body.password, visitor(request));
      // Scoped to this link's public routes: it opens no other link and is never sent elsewhere.
      reply.setCookie(SHARE_ACCESS_COOKIE, value, {
        path: `/api/public/shares/${request.params.shareId}`,
        httpOnly: true,
        sameSite: 'strict',
        secure: secureCookies,
        maxAge: SHARE_ACCESS_SECONDS,
      });
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/public/shares/:shareId/files',
    {
      config: PUBLIC,
      preHandler: noStore,
      schema: { params: idParams, querystring: publicFolderQuerySchema, response: { 200: publicFolderResponseSchema } },
    },
    async (request) => publicShares.browse(request.params.shareId, request.query, visitor(request)),
  );
  app.post(
    '/api/public/shares/:shareId/downloads',
    {
      config: PUBLIC,
      preHandler: noStore,
      schema: { params: idParams, body: publicDownloadRequestSchema, response: { 201: publicDownloadResponseSchema } },
    },
    async (request, reply) => reply.status(201).send(await publicShares.download(request.params.shareId, request.body, visitor(request))),
  );
};
