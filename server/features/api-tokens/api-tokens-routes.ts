import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { apiTokensResponseSchema, createApiTokenRequestSchema, createdApiTokenResponseSchema } from '../../../contract/api-tokens';
import type { ZodTypeProvider } from '../../lib/zod-type-provider';
import { requireSession } from '../auth/auth-plugin';
import type { ApiTokensService } from './api-tokens-service';

/** The caller's own API tokens; a token itself may not call these (token-scopes.ts: `session`). */
export const apiTokensRoutes: FastifyPluginAsync<{ tokens: ApiTokensService }> = async (fastify, { tokens }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get('/api/profile/tokens', { schema: { response: { 200: apiTokensResponseSchema } } }, async (request) => ({
    tokens: await tokens.list(requireSession(request).user),
  }));

  app.post(
    '/api/profile/tokens',
    { schema: { body: createApiTokenRequestSchema, response: { 201: createdApiTokenResponseSchema } } },
    async (request, reply) => {
      // Never cached anywhere on the way: the answer holds the secret.
      reply.header('cache-control', 'no-store');
      return reply.status(201).send(await tokens.create(requireSession(request).user, request.body));
    },
  );

  app.delete(
    '/api/profile/tokens/:tokenId',
    { schema: { params: z.object({ tokenId: z.string().min(1).max(64) }), response: { 204: z.null() } } },
    async (request, reply) => {
      await tokens.revoke(requireSession(request).user, request.params.tokenId);
      return reply.status(204).send(null);
    },
  );
};
