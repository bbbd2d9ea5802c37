/**
 * `GET /events` and `GET /events/{id}` (docs/node-api.md §5.2): the node's transfer events, oldest
 * first from an iteration token with a `Link: <…>; rel="next"` header, as `/ops/transfers` pages.
 * An access key sees the events of its own transfers only; bearer-token users are refused, as on
 * `/ops/transfers` (docs/node-api.md §6.4).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { accessKeyOf } from '../access/principal';
import type { NodeContext } from '../context';
import { ERRORS } from '../errors';
import { isoSeconds } from '../storage/file-service';
import { globToRegExp } from '../storage/file-search';
import { toTransferObject, type TransferRecord } from '../transfers/transfer-record';
import { parseBody } from './parse-body';

// The events this node records; the OAS's file.* and permission.* types are valid filters that match none.
const EVENT_TYPES = ['upload.started', 'upload.ended', 'download.started', 'download.ended'] as const;
const DEFAULT_COUNT = 100;
const MAX_COUNT = 1000;
const OWN_EVENTS = { config: { access: 'basic' as const } };

const typeText = z
  .string()
  .max(64)
  .regex(/^[a-z_*]+(\.[a-z_*]+)?$/, 'must be an event type such as upload.started, or a glob such as upload.*');
const listSchema = z.object({
  iteration_token: z
    .string()
    .regex(/^\d{1,15}$/, 'must be a token returned in a Link header')
    .optional(),
  after_time: z
    .string()
    .max(64)
    .refine((t) => !Number.isNaN(Date.parse(t)), 'must be an ISO time such as 2015-09-11T23:53:40Z')
    .optional(),
  count: z.coerce.number().int().min(1).max(MAX_COUNT).default(DEFAULT_COUNT),
  type: typeText.optional(),
  'type_glob[]': typeText.optional(),
});

export async function eventRoutes(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  const render = (e: { seq: number; timeUsec: number; type: string; record: TransferRecord }) => ({
    id: String(e.seq),
    time: isoSeconds(new Date(e.timeUsec / 1000)),
    user_id: e.record.accessKey ?? ctx.settings.nodeUser,
    // docs/node-api.md §5.2: an array and an object, as the OAS's own descriptions say (its schema says strings).
    types: [e.type],
    data: toTransferObject(e.record, ctx.settings.remoteHost),
  });

  app.get('/events', OWN_EVENTS, async (request, reply) => {
    const query = parseBody(listSchema, request.query);
    const { events, lastSeq } = ctx.transfers.events({
      afterSeq: Number(query.iteration_token ?? 0),
      ...(query.after_time === undefined ? {} : { afterUsec: Date.parse(query.after_time) * 1000 }),
      count: query.count,
      types: selectedTypes(query.type, query['type_glob[]']),
      ...(accessKeyOf(request.principal) ? { accessKey: accessKeyOf(request.principal)?.id } : {}),
    });
    if (events.length > 0) {
      const next = new URL('/events', ctx.settings.publicUrl);
      for (const [key, value] of Object.entries(query))
        if (value !== undefined && key !== 'iteration_token') next.searchParams.set(key, String(value));
      next.searchParams.set('iteration_token', String(lastSeq));
      reply.header('Link', `<${next.href}>; rel="next"`);
    }
    return events.map(render);
  });

  app.get('/events/:id', OWN_EVENTS, async (request) => {
    const { id } = request.params as { id: string };
    if (!/^\d{1,15}$/.test(id)) throw ERRORS.notFound('Event not found');
    const key = accessKeyOf(request.principal);
    const { events } = ctx.transfers.events({
      afterSeq: Number(id) - 1,
      count: 1,
      types: EVENT_TYPES,
      ...(key ? { accessKey: key.id } : {}),
    });
    const event = events[0];
    // Another key's event is unknown to this one (404, never 403).
    if (!event || event.seq !== Number(id)) throw ERRORS.notFound('Event not found');
    return render(event);
  });
}

/** `type` is one type (`transfer.started` stands for both directions, the OAS says); `type_glob[]` one glob. */
function selectedTypes(type: string | undefined, glob: string | undefined): string[] {
  let types: string[] = [...EVENT_TYPES];
  if (type !== undefined) {
    const [kind, phase] = type.split('.');
    types = types.filter((t) => t === type || (kind === 'transfer' && t.endsWith(`.${phase ?? ''}`)));
  }
  if (glob !== undefined) {
    const re = globToRegExp(glob, '');
    types = types.filter((t) => re.test(t) || re.test(t.replace(/^(upload|download)\./, 'transfer.')));
  }
  return types;
}
