import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  createRequestSchema,
  fileRequestDetailSchema,
  fileRequestResponseSchema,
  fileRequestsResponseSchema,
  listRequestsQuerySchema,
  publicRequestSchema,
  submitRequestSchema,
  submitResponseSchema,
  unlockRequestSchema,
  updateRequestSchema,
} from '../../../contract/requests';
import type { ZodTypeProvider } from '../../lib/zod-type-provider';
import { requireSession } from '../auth/auth-plugin';
import type { RequestsService, RequestUnlock } from './requests-service';

/** The unlock cookie's name; its path is the request's own public routes, so each request has its own. */
export const UNLOCK_COOKIE = 'courier_request_unlock';
const unlockPath = (id: string) => `/api/public/requests/${id}`;

export interface RequestsRoutesOptions {
  requests: RequestsService;
  secureCookies: boolean;
}

/**
 * File requests (docs/file-requests.md): the requester's routes behind the session, and the
 * guest's under /api/public/requests, which never read a session (`auth: 'public'`).
 */
export const requestsRoutes: FastifyPluginAsync<RequestsRoutesOptions> = async (fastify, { requests, secureCookies }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  // Any string up to 64 characters: a malformed id is "not found", like a guessed one.
  const idParams = z.object({ requestId: z.string().min(1).max(64) });
  const ok = z.object({ ok: z.literal(true) });

  app.post(
    '/api/requests',
    { schema: { body: createRequestSchema, response: { 201: fileRequestResponseSchema } } },
    async (request, reply) => reply.status(201).send({ request: await requests.create(requireSession(request).user, request.body) }),
  );
  app.get(
    '/api/requests',
    { schema: { querystring: listRequestsQuerySchema, response: { 200: fileRequestsResponseSchema } } },
    async (request) => ({
      requests: await requests.list(requireSession(request).user, request.query),
    }),
  );
  app.get('/api/requests/:requestId', { schema: { params: idParams, response: { 200: fileRequestDetailSchema } } }, async (request) =>
    requests.get(requireSession(request).user, request.params.requestId),
  );
  app.patch(
    '/api/requests/:requestId',
    { schema: { params: idParams, body: updateRequestSchema, response: { 200: fileRequestResponseSchema } } },
    async (request) => ({ request: await requests.update(requireSession(request).user, request.params.requestId, request.body) }),
  );
  app.delete(
    '/api/requests/:requestId',
    { schema: { params: idParams, response: { 200: fileRequestResponseSchema } } },
    async (request) => ({
      request: await requests.close(requireSession(request).user, request.params.requestId),
    }),
  );

  const setUnlock = (reply: FastifyReply, id: string, unlock: RequestUnlock) =>
    reply.setCookie(UNLOCK_COOKIE, unlock.value, {
      path: unlockPath(id),
      httpOnly: true,
      sameSite: 'strict',
      secure: secureCookies,
      maxAge: unlock.maxAgeSeconds,
    });

  app.get(
    '/api/public/requests/:requestId',
    { config: { auth: 'public' }, schema: { params: idParams, response: { 200: publicRequestSchema } } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return requests.publicView(request.params.requestId, request.cookies[UNLOCK_COOKIE], request.ip);
    },
  );
  app.post(
    '/api/public/requests/:requestId/unlock',
    { config: { auth: 'public' }, schema: { params: idParams, body: unlockRequestSchema, response: { 200: ok } } },
    async (request, reply) => {
      const unlock = await requests.unlock(request.params.requestId, request.body.password, request.ip);
      setUnlock(reply, request.params.requestId, unlock);
      return { ok: true as const };
    },
  );
  app.post(
    '/api/public/requests/:requestId/submissions',
    { config: { auth: 'public' }, schema: { params: idParams, body: submitRequestSchema, response: { 201: submitResponseSchema } } },
    async (request, reply) =>
      reply
        .status(201)
        .header('cache-control', 'no-store')
        .send(await requests.submit(request.params.requestId, request.cookies[UNLOCK_COOKIE], request.ip, request.body)),
  );
};
