/**
 * Routes of the chunked, resumable upload (docs/http-gateway.md §11) beside the v3 ones, with the
 * same error body and CORS; upload-sessions.ts holds the rules.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { NodeContext } from '../context';
import { ERRORS } from '../errors';
import { MAX_SPEC_PATHS, parseSpec } from './gateway-spec';
import { MAX_PART_BYTES } from './upload-session-part';
import { UploadSessions } from './upload-sessions';

export const UPLOAD_SESSIONS_PATH = '/v3/upload-sessions';

/** What `GET {base}/info` says so a client uses sessions only where they exist (§11.1). */
export const UPLOAD_SESSIONS_INFO = { version: 1, path: UPLOAD_SESSIONS_PATH, part_size_max: MAX_PART_BYTES };

const size = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const createSchema = z.object({
  transfer_spec: z.unknown(),
  files: z.array(z.object({ size }).loose()).max(MAX_SPEC_PATHS),
});
const completeSchema = z
  .object({
    files: z
      .array(
        z
          .object({
            size: size.optional(),
            sha256: z
              .string()
              .regex(/^[0-9a-fA-F]{64}$/)
              .optional(),
          })
          .loose(),
      )
      .max(MAX_SPEC_PATHS)
      .default([]),
  })
  .default({ files: [] });
const sessionParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });
const partParams = sessionParams.extend({
  index: z
    .string()
    .regex(/^\d{1,5}$/)
    .transform(Number),
});

function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw issue?.path[0] === 'id'
    ? ERRORS.notFound('No such upload session')
    : ERRORS.badRequest(`Invalid ${what}${issue ? ` (${issue.path.join('.') || what}: ${issue.message})` : ''}`);
}

export async function uploadSessionRoutes(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  const sessions = new UploadSessions(ctx);
  await sessions.restore();
  app.addHook('onClose', async () => sessions.closeAll());
  // Parts are streamed to disk by upload-sessions.ts, never buffered by Fastify (tus's media type).
  app.addContentTypeParser(['application/offset+octet-stream', 'application/octet-stream'], (_request, _payload, done) =>
    done(null, undefined),
  );

  app.post(UPLOAD_SESSIONS_PATH, async (request, reply) => {
    const body = parse(createSchema, request.body, 'body: expected {"transfer_spec": {...}, "files": [{"size": n}]}');
    const spec = parseSpec(body.transfer_spec);
    const status = await sessions.create(
      spec,
      body.files.map((f) => f.size),
      request.headers.authorization,
      request.ip,
    );
    return reply.code(201).header('Location', `${ctx.settings.gatewayUrl}${UPLOAD_SESSIONS_PATH}/${status.session_id}`).send(status);
  });

  app.get(`${UPLOAD_SESSIONS_PATH}/:id`, { exposeHeadRoute: false }, async (request) => {
    const { id } = parse(sessionParams, request.params, 'session');
    return sessions.status(id);
  });

  app.patch(`${UPLOAD_SESSIONS_PATH}/:id/files/:index`, async (request, reply) => {
    const { id, index } = parse(partParams, request.params, 'part');
    const next = await sessions.receivePart(id, index, request.headers['upload-offset'], request.headers['content-length'], request.raw);
    return reply.code(204).header('Upload-Offset', String(next)).send();
  });

  app.post(`${UPLOAD_SESSIONS_PATH}/:id/complete`, async (request) => {
    const { id } = parse(sessionParams, request.params, 'session');
    const body = parse(completeSchema, request.body ?? undefined, 'body');
    const result = await sessions.complete(id, body.files);
    return { transfer_id: result.transferId, files: result.files };
  });

  app.delete(`${UPLOAD_SESSIONS_PATH}/:id`, async (request, reply) => {
    const { id } = parse(sessionParams, request.params, 'session');
    await sessions.cancel(id);
    return reply.code(204).send();
  });
}
