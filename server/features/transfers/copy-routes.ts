import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { copyRequestSchema, copyResponseSchema } from '../../../contract/transfers';
import type { ZodTypeProvider } from '../../lib/zod-type-provider';
import { requireSession } from '../auth/auth-plugin';
import type { CopyService } from './copy-service';

/** `POST /api/spaces/:spaceId/copy`: Copy or Move items of a space into a folder of another (docs/node-api.md §5.1). */
export const copyRoutes: FastifyPluginAsync<{ copies: CopyService }> = async (fastify, { copies }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/api/spaces/:spaceId/copy',
    {
      schema: {
        params: z.object({ spaceId: z.string().min(1).max(64) }),
        body: copyRequestSchema,
        response: { 201: copyResponseSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send({ transfer: await copies.copy(requireSession(request).user, request.params.spaceId, request.body) }),
  );
};
