/**
 * /ops/transfers (docs/node-api.md §5): list oldest-first from an iteration token with a
 * `Link: <…>; rel="next"` header, get by id, cancel by PUT `{status: "canceled"}` or DELETE
 * (Node's HTTP parser refuses the CANCEL method HSTS documents; docs/node-api.md §5).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { NodeContext } from '../context';
import { ERRORS } from '../errors';
import { startNodeTransfer } from '../ops/node-transfers';
import { toTransferObject } from '../transfers/transfer-record';
import { parseBody } from './parse-body';
import { accessKeyOf, type Principal } from '../access/principal';
import type { TransferRecord } from '../transfers/transfer-record';

// Default page size is undocumented (docs/node-api.md §9.14); 100 matches browse's default.
const DEFAULT_COUNT = 100;
const MAX_COUNT = 1000;

const listSchema = z.object({
  iteration_token: z
    .string()
    .regex(/^\d{1,15}$/, 'must be a token returned in a Link header')
    .optional(),
  count: z.coerce.number().int().min(1).max(MAX_COUNT).default(DEFAULT_COUNT),
  active_only: z.enum(['true', 'false']).optional(),
  direction: z.enum(['send', 'receive']).optional(),
  view: z.enum(['id', 'short_summary', 'summary']).optional(),
  tag: z.string().min(1).max(1024).optional(),
});
// The node user sees every transfer; an access key (Basic) only those set up under it, whose records
// carry its id (docs/node-api.md §6.4). Bearer-token users are refused: the key's application follows
// its users' transfers.
const OWN_TRANSFERS = { config: { access: 'basic' as const } };
// Starting a transfer from this node (S6) reads its local files: the node user only (docs/node-api.md §5.1).
const NODE_USER_ONLY = { config: { access: 'node-user' as const } };
const idSchema = z.object({ id: z.string().uuid('unknown transfer id') });
const putSchema = z.object({ status: z.string().optional() }).loose();

export async function opsRoutes(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  const serverIp = () => ctx.settings.remoteHost;

  app.get('/ops/transfers', OWN_TRANSFERS, async (request, reply) => {
    const query = parseBody(listSchema, request.query);
    const { records, lastSeq } = ctx.transfers.list({
      afterSeq: Number(query.iteration_token ?? 0),
      count: query.count,
      activeOnly: query.active_only === undefined ? undefined : query.active_only === 'true',
      direction: query.direction,
      tag: query.tag === undefined ? undefined : parseTag(query.tag),
      accessKey: accessKeyOf(request.principal)?.id,
    });
    if (records.length > 0) {
      const next = new URL('/ops/transfers', ctx.settings.publicUrl);
      for (const [key, value] of Object.entries(query))
        if (value !== undefined && key !== 'iteration_token') next.searchParams.set(key, String(value));
      next.searchParams.set('iteration_token', String(lastSeq));
      reply.header('Link', `<${next.href}>; rel="next"`);
    }
    if (query.view === 'id') return records.map((r) => ({ id: r.id }));
    return records.map((r) => {
      const transfer = toTransferObject(r, serverIp());
      return query.view ? { ...transfer, files: undefined } : transfer;
    });
  });

  // docs/node-api.md §5.1: this node as the client of a transfer to another node (scenario S6).
  app.post('/ops/transfers', NODE_USER_ONLY, async (request) => {
    const record = await startNodeTransfer(ctx, request.body);
    return toTransferObject(record, serverIp());
  });

  app.get('/ops/transfers/:id', OWN_TRANSFERS, async (request) => {
    const { id } = parseIdOr404(request.params);
    const record = ownRecord(ctx, request.principal, id);
    return toTransferObject(record, serverIp());
  });

  app.put('/ops/transfers/:id', OWN_TRANSFERS, async (request) => {
    const { id } = parseIdOr404(request.params);
    const body = parseBody(putSchema, request.body);
    // docs/node-api.md §5 also lets PUT change rates and policy; this node moves bytes over HTTP and
    // applies none of them, so saying 200 would tell the caller a change happened that did not.
    const ignored = Object.keys(body).find((key) => key !== 'status');
    if (ignored !== undefined)
      throw ERRORS.badRequest(`Field "${ignored}" is not supported by this node; only "status": "canceled" is applied`);
    const record = ownRecord(ctx, request.principal, id);
    // docs/node-api.md §5: canceled/cancelled/stopped all mean cancel; other changes are not supported here.
    if (body.status && ['canceled', 'cancelled', 'stopped'].includes(body.status)) {
      ctx.transfers.cancel(id);
    } else if (body.status !== undefined) {
      throw ERRORS.badRequest(`Status "${body.status}" is not supported; use "canceled"`);
    }
    return toTransferObject(ctx.transfers.get(id) ?? record, serverIp());
  });

  app.delete('/ops/transfers/:id', OWN_TRANSFERS, async (request, reply) => {
    const { id } = parseIdOr404(request.params);
    ownRecord(ctx, request.principal, id);
    ctx.transfers.cancel(id);
    return reply.code(204).send();
  });
}

/** `portal.share_id=42` → path [portal, share_id], value "42" (docs/node-api.md §5, docs/transfer-spec.md §2.5). */
function parseTag(tag: string): { path: string[]; value?: string } {
  const eq = tag.indexOf('=');
  const key = eq < 0 ? tag : tag.slice(0, eq);
  const path = key.split('.');
  if (path.some((k) => k === '')) throw ERRORS.badRequest('Invalid tag: expected key.path or key.path=value');
  return eq < 0 ? { path } : { path, value: tag.slice(eq + 1) };
}

/** A transfer the caller may see: any for the node user, its own for an access key; else 404, never 403. */
function ownRecord(ctx: NodeContext, principal: Principal, id: string): TransferRecord {
  const record = ctx.transfers.get(id);
  const key = accessKeyOf(principal);
  if (!record || (key !== null && record.accessKey !== key.id)) throw ERRORS.notFound('Transfer not found');
  return record;
}

function parseIdOr404(params: unknown): { id: string } {
  const parsed = idSchema.safeParse(params);
  if (!parsed.success) throw ERRORS.notFound('Transfer not found');
  return parsed.data;
}
