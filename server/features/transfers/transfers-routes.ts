import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import {
  createTransferHeadersSchema,
  createTransferRequestSchema,
  createTransferResponseSchema,
  listTransfersQuerySchema,
  queryFlagSchema,
  transferRecordSchema,
  transfersResponseSchema,
  updateTransferRequestSchema,
} from '../../../contract/transfers';
import { ERRORS } from '../../errors';
import type { ZodTypeProvider } from '../../lib/zod-type-provider';
import { requireSession } from '../auth/auth-plugin';
import type { AuthService } from '../auth/auth-service';
import type { TransferFeed } from './transfer-feed';
import type { TransfersService } from './transfers-service';

// A comment line every 15 s keeps proxies from closing an idle event stream.
const HEARTBEAT_MS = 15_000;

export interface TransfersRoutesOptions {
  transfers: TransfersService;
  feed: TransferFeed;
  /** Ends an event stream when its session ends (logout, idle or absolute expiry). */
  sessions: Pick<AuthService, 'watch'>;
}

export const transfersRoutes: FastifyPluginAsync<TransfersRoutesOptions> = async (fastify, { transfers, feed, sessions }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const idParams = z.object({ transferId: z.string().min(1).max(64) });
  // Open event streams, ended before the server closes so shutdown does not wait on them.
  const streams = new Set<() => void>();
  fastify.addHook('preClose', async () => {
    for (const end of streams) end();
  });

  app.post(
    '/api/transfers',
    {
      schema: { headers: createTransferHeadersSchema, body: createTransferRequestSchema, response: { 201: createTransferResponseSchema } },
    },
    async (request, reply) =>
      reply.status(201).send(await transfers.create(requireSession(request).user, request.body, request.headers['idempotency-key'])),
  );

  app.get(
    '/api/transfers',
    { schema: { querystring: listTransfersQuerySchema, response: { 200: transfersResponseSchema } } },
    async (request) => ({
      transfers: await transfers.list(requireSession(request).user, request.query),
    }),
  );

  app.get(
    '/api/transfers/events',
    {
      schema: { querystring: z.object({ all: queryFlagSchema.default(false) }) },
      config: {
        rawResponse: {
          status: 200,
          contentType: 'text/event-stream',
          description: 'Server-sent `transfer` events, each a transfer record.',
        },
      },
    },
    async (request, reply) => {
      const { user, row } = requireSession(request);
      if (request.query.all && !user.isAdmin) throw ERRORS.Forbidden("see other people's transfers");
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
      });
      res.write('retry: 3000\n\n');
      const unsubscribe = feed.subscribe({ userId: user.id, all: request.query.all }, (record) => {
        res.write(`event: transfer\nid: ${record.id}\ndata: ${JSON.stringify(transferRecordSchema.parse(record))}\n\n`);
      });
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      // The stream was authorized once, when it opened; it must not outlive the session that opened it.
      const unwatch = sessions.watch(row, () => end());
      const end = () => {
        clearInterval(heartbeat);
        unsubscribe();
        unwatch();
        streams.delete(end);
        res.end();
      };
      streams.add(end);
      request.raw.on('close', end);
    },
  );

  app.get('/api/transfers/:transferId', { schema: { params: idParams, response: { 200: transferRecordSchema } } }, async (request) =>
    transfers.get(requireSession(request).user, request.params.transferId),
  );

  app.patch(
    '/api/transfers/:transferId',
    { schema: { params: idParams, body: updateTransferRequestSchema, response: { 200: transferRecordSchema } } },
    async (request) => transfers.reportFromClient(requireSession(request).user, request.params.transferId, request.body),
  );
};
