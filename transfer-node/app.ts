/**
 * The transfer node as a Fastify plugin: `/ping` open, the Node API behind Basic auth with the
 * Node API error shape, and the HTTP Gateway v3 under its own prefix with its own error shape and CORS.
 */
import type { FastifyInstance } from 'fastify';
import type { NodeContext } from './context';
import { asNodeError, toNodeErrorBody } from './errors';
import { applyCorsHeaders } from './gateway/cors';
import { GATEWAY_PREFIX, gatewayRoutes, normalizeFastifyError } from './gateway/gateway-routes';
import { enforceRequestDeadline } from './request-deadline';
import { accessKeyRoutes } from './node-api/access-key-routes';
import { authenticationHook } from './node-api/basic-auth';
import { eventRoutes } from './node-api/event-routes';
import { fileIdRoutes } from './node-api/file-id-routes';
import { permissionRoutes } from './node-api/permission-routes';
import { filesRoutes } from './node-api/files-routes';
import { opsRoutes } from './node-api/ops-routes';
import { licenseRoutes, rootRoutes, serviceRoutes } from './node-api/service-routes';
import { setupRoutes } from './node-api/setup-routes';
import { storageRoutes } from './node-api/storage-routes';

export async function transferNodeApp(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  // Every answer, both APIs and errors included: a browser must never sniff a download or an
  // error body into something it would render or run.
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
  });

  enforceRequestDeadline(app, ctx.limits.requestBodyTimeoutMs);

  // docs/node-api.md §2: /ping answers unauthenticated with an empty 200 (ascli's product detection).
  app.get('/ping', async (_request, reply) => reply.code(200).send(''));

  await app.register(async (nodeApi) => {
    nodeApi.decorateRequest('principal', null as never);
    nodeApi.addHook(
      'onRequest',
      authenticationHook({
        user: ctx.settings.nodeUser,
        password: ctx.settings.nodePassword,
        throttle: ctx.authThrottle,
        accessKeys: ctx.accessKeys,
      }),
    );
    nodeApi.setErrorHandler((err, request, reply) => {
      const error = asNodeError(normalizeFastifyError(err));
      if (error.status >= 500) request.log.error({ err }, 'node api request failed');
      if (error.status === 401) reply.header('WWW-Authenticate', 'Basic realm="Aspera Node API"');
      reply.headers(error.headers);
      return reply.code(error.status).send({ error: toNodeErrorBody(error) });
    });
    // GET / lists the Node API's routes as they are registered (docs/node-api.md §2).
    const endpoints: string[] = [];
    nodeApi.addHook('onRoute', (route) => {
      for (const method of [route.method].flat())
        if (method !== 'HEAD') endpoints.push(`${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    });
    await nodeApi.register(rootRoutes, { endpoints });
    await nodeApi.register(serviceRoutes, ctx);
    await nodeApi.register(licenseRoutes);
    await nodeApi.register(filesRoutes, ctx);
    await nodeApi.register(storageRoutes, ctx);
    await nodeApi.register(setupRoutes, ctx);
    await nodeApi.register(opsRoutes, ctx);
    await nodeApi.register(eventRoutes, ctx);
    await nodeApi.register(accessKeyRoutes, ctx);
    await nodeApi.register(permissionRoutes, ctx);
    await nodeApi.register(fileIdRoutes, ctx);
  });

  await app.register(gatewayRoutes, { ...ctx, prefix: GATEWAY_PREFIX });

  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith(GATEWAY_PREFIX + '/')) {
      applyCorsHeaders(request, reply, ctx.settings.corsOrigins);
      return reply.code(404).header('X-Request-Id', request.id).send({ message: 'Not found', code: 404 });
    }
    return reply.code(404).send({ error: { code: 404, reason: 'Not Found', user_message: 'No such endpoint' } });
  });
}
