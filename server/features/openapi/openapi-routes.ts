import type { FastifyPluginAsync } from 'fastify';
import { openApiDocument, type DocumentedRoute } from './openapi-document';

/** The API's own description, public like the API's existence: it holds schemas, never data. */
export const openApiRoutes: FastifyPluginAsync<{ routes: readonly DocumentedRoute[]; version: string }> = async (
  app,
  { routes, version },
) => {
  let document: string | undefined;
  app.get(
    '/api/openapi.json',
    {
      config: {
        auth: 'public',
        rawResponse: { status: 200, contentType: 'application/json', description: 'This document (OpenAPI 3.1).' },
      },
    },
    async (_request, reply) => {
      // Built once, at the first request: every route is registered by then.
      document ??= JSON.stringify(openApiDocument(routes, { version }));
      return reply.type('application/json; charset=utf-8').send(document);
    },
  );
};
