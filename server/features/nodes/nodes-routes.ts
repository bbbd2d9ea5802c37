import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import {
  adminNodeSchema,
  createNodeRequestSchema,
  nodeSchema,
  nodeTestResultSchema,
  nodeTransferRowSchema,
  updateNodeRequestSchema,
} from '../../../contract/nodes';
import type { ZodTypeProvider } from '../../lib/zod-type-provider';
import { requireSession } from '../auth/auth-plugin';
import type { NodesService } from './nodes-service';

const nodeParams = z.object({ nodeId: z.string().min(1).max(64) });

/** Admin-only. Responses go through `nodeSchema`, which has no secret field: it cannot leak. */
export const nodesRoutes: FastifyPluginAsync<{ nodes: NodesService }> = async (fastify, { nodes }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get('/api/nodes', { schema: { response: { 200: z.object({ nodes: z.array(nodeSchema) }) } } }, async (request) => ({
    nodes: await nodes.list(requireSession(request).user),
  }));

  app.post('/api/nodes', { schema: { body: createNodeRequestSchema, response: { 201: nodeSchema } } }, async (request, reply) => {
    const { gatewayUrl, ...node } = request.body;
    return reply.status(201).send(await nodes.add(requireSession(request).user, { ...node, gatewayUrl: gatewayUrl ?? null }));
  });

  app.get('/api/admin/nodes', { schema: { response: { 200: z.object({ nodes: z.array(adminNodeSchema) }) } } }, async (request) => ({
    nodes: await nodes.adminList(requireSession(request).user),
  }));

  app.patch(
    '/api/nodes/:nodeId',
    { schema: { params: nodeParams, body: updateNodeRequestSchema, response: { 200: nodeSchema } } },
    async (request) => nodes.update(requireSession(request).user, request.params.nodeId, request.body),
  );

  app.get(
    '/api/nodes/:nodeId/transfers',
    { schema: { params: nodeParams, response: { 200: z.object({ transfers: z.array(nodeTransferRowSchema) }) } } },
    async (request) => ({ transfers: await nodes.transfers(requireSession(request).user, request.params.nodeId) }),
  );

  app.post('/api/nodes/:nodeId/test', { schema: { params: nodeParams, response: { 200: nodeTestResultSchema } } }, async (request) =>
    nodes.test(requireSession(request).user, request.params.nodeId),
  );

  app.delete('/api/nodes/:nodeId', { schema: { params: nodeParams, response: { 204: z.null() } } }, async (request, reply) => {
    await nodes.remove(requireSession(request).user, request.params.nodeId);
    return reply.status(204).send(null);
  });
};
