/**
 * HTTP Gateway v3 under `/aspera/http-gwy` (docs/http-gateway.md §2–§6), authorized by transfer
 * tokens. Errors are `{ message, code }` with the HTTP status as `code` (§6).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { NodeContext } from '../context';
import { asNodeError, ERRORS, NodeError } from '../errors';
import { grantCovers } from '../tokens/transfer-token';
import { registerCors } from './cors';
import { authorizeDownloadOrRecord, checkItemsGranted, parseSpec, resolveItems } from './gateway-spec';
import { receiveUpload } from './receive-upload';
import { sendDownload } from './send-download';
import { UPLOAD_SESSIONS_INFO, uploadSessionRoutes } from './upload-session-routes';

export const GATEWAY_PREFIX = '/aspera/http-gwy';
// §5.3: short-lived, but long enough for a browser to resume an interrupted large download.
const PRESIGN_LIFE_SECONDS = 3600;
// §4.1: the spec travels base64 in a header (index.ts raises Node's 16 KiB header limit to 256 KiB).
const MAX_SPEC_HEADER_CHARS = 192 * 1024;
// The signed URL carries its sealed grant; index.ts allows 64 KiB path parameters.
const MAX_SIGNED_CHARS = 60 * 1024;

const presignSchema = z.object({ transfer_spec: z.unknown(), method: z.string().optional() }).loose();
const signedSchema = z.object({
  paths: z.array(z.string()).min(1),
  zip: z.boolean(),
  name: z.string().optional(),
  user: z.string(),
  exp: z.number(),
  tags: z.unknown().optional(),
  cookie: z.string().optional(),
  accessKey: z.string().optional(),
});

export async function gatewayRoutes(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  registerCors(app, ctx.settings.corsOrigins);
  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
  app.setErrorHandler((err, request, reply) => {
    const error = asNodeError(normalizeFastifyError(err));
    if (error.status >= 500) request.log.error({ err }, 'gateway request failed');
    // A canceled or timed-out transfer ends the connection: draining the rest of its body would
    // defeat the cancel, or wait on a client that does not send.
    if ((error.status === 499 || error.status === 408) && !request.raw.complete) reply.header('Connection', 'close');
    reply.headers(error.headers);
    return reply.code(error.status).send({ message: error.message, code: error.status });
  });
  // The upload body is parsed as a stream by receive-upload.ts, never buffered by Fastify.
  app.addContentTypeParser('multipart/form-data', (_request, _payload, done) => done(null, undefined));

  app.get('/info', async () => ({
    version: '3.0.0',
    name: 'Courier embedded HTTP Gateway',
    upload_endpoint: [],
    download_endpoint: [],
    endpoints: [],
    // §11.1: Courier's chunked, resumable uploads; a gateway without this key has only /v3/upload.
    courier_upload_sessions: UPLOAD_SESSIONS_INFO,
  }));

  await uploadSessionRoutes(app, ctx);

  app.post('/v3/upload', async (request) => {
    const result = await receiveUpload(ctx, request.raw, request.ip);
    return { transfer_id: result.transferId, files: result.files };
  });

  // No HEAD variants: a HEAD would be recorded as a transfer that never moves a byte.
  app.get('/v3/download', { exposeHeadRoute: false }, async (request, reply) => {
    const header = request.headers['x-aspera-spec'];
    if (typeof header !== 'string' || header.length === 0) throw ERRORS.badRequest('X-Aspera-Spec header is required');
    if (header.length > MAX_SPEC_HEADER_CHARS || !/^[A-Za-z0-9+/]+={0,2}$/.test(header))
      throw ERRORS.badRequest('X-Aspera-Spec must be standard base64');
    const spec = parseSpec(parseJson(Buffer.from(header, 'base64').toString('utf8')));
    const { grant, items } = await authorizeDownloadOrRecord(ctx, spec, request.headers.authorization, request.ip);
    return sendDownload(ctx, request, reply, {
      items,
      zipRequired: spec.zip_required ?? false,
      downloadName: spec.download_name,
      user: grant.user,
      tags: grant.tags ?? spec.tags,
      cookie: grant.cookie ?? spec.cookie ?? null,
      ...(grant.accessKey === undefined ? {} : { accessKey: grant.accessKey }),
      extendedFileName: false,
      handOff: false,
    });
  });

  app.post('/v3/presign', async (request) => {
    const body = presignSchema.safeParse(request.body);
    if (!body.success) throw ERRORS.badRequest('Body must be {"transfer_spec": {...}}');
    if (body.data.method && body.data.method.toUpperCase() !== 'GET') throw ERRORS.badRequest('Only GET URLs can be presigned');
    const sealed = await sealDownload(ctx, body.data.transfer_spec, request.headers.authorization, request.ip);
    // The configured public gateway URL, not the body's `headers.host`: a client must not be able
    // to make this node mint URLs pointing at another host.
    return { signed_url: `${ctx.settings.gatewayUrl}/v3/signed/${sealed}` };
  });

  app.get('/v3/signed/:sealed', { exposeHeadRoute: false }, async (request, reply) =>
    sendSealed(ctx, request, reply, (request.params as { sealed: string }).sealed),
  );

  // §9: the v1/v2 protocol IBM's CLI and SDK speak. Versions from 3 on mean v3 to the SDK, which
  // then refuses its v2 client; `endpoints` tells the CLI whether to upload with v2 or v1.
  app.get('/v1/info', async () => ({
    version: '2.0.0',
    name: 'Courier embedded HTTP Gateway',
    endpoints: ['v1/info', 'v1/upload', 'v2/upload', 'v1/download'].map((e) => `${GATEWAY_PREFIX}/${e}`),
  }));

  // §9.3: the CLI reads the id as the last segment of `url`, the SDK reads `transfer_spec_id`.
  app.post('/v1/download', async (request) => {
    const body = presignSchema.safeParse(request.body);
    if (!body.success) throw ERRORS.badRequest('Body must be {"transfer_spec": {...}}');
    const sealed = await sealDownload(ctx, body.data.transfer_spec, request.headers.authorization, request.ip);
    return { url: `${ctx.settings.gatewayUrl}/v1/download/${sealed}`, transfer_spec_id: sealed };
  });

  app.get('/v1/download/:id', { exposeHeadRoute: false }, async (request, reply) =>
    sendSealed(ctx, request, reply, (request.params as { id: string }).id),
  );
}

/** A download authorized now, sealed into an id that carries the grant (§5.3, §9.3). */
async function sealDownload(ctx: NodeContext, input: unknown, authorization: string | undefined, clientIp: string): Promise<string> {
  const spec = parseSpec(input);
  const { grant, items } = await authorizeDownloadOrRecord(ctx, spec, authorization, clientIp);
  const exp = Math.min(Math.floor(Date.now() / 1000) + PRESIGN_LIFE_SECONDS, grant.exp);
  const sealed = ctx.presign.seal({
    paths: items.map((i) => i.nodePath),
    zip: spec.zip_required ?? false,
    name: spec.download_name,
    user: grant.user,
    exp,
    tags: grant.tags ?? spec.tags,
    cookie: grant.cookie ?? spec.cookie,
    accessKey: grant.accessKey,
  });
  if (sealed.length > MAX_SIGNED_CHARS) throw ERRORS.badRequest('Too many paths for one signed URL: download their folder instead');
  return sealed;
}

async function sendSealed(ctx: NodeContext, request: FastifyRequest, reply: FastifyReply, sealed: string) {
  const parsed = signedSchema.safeParse(ctx.presign.open(sealed));
  if (!parsed.success) throw ERRORS.tokenInvalid('Signed URL is invalid');
  const signed = parsed.data;
  if (signed.exp * 1000 <= Date.now()) throw ERRORS.tokenInvalid('Signed URL has expired');
  const grant = { direction: 'receive' as const, user: signed.user, exp: signed.exp, paths: signed.paths };
  if (!signed.paths.every((p) => grantCovers(grant, p))) throw ERRORS.forbidden('Signed URL does not cover its paths');
  const items = await resolveItems(ctx, signed.paths);
  await checkItemsGranted(ctx, signed.paths, items);
  return sendDownload(ctx, request, reply, {
    items,
    zipRequired: signed.zip,
    downloadName: signed.name,
    user: signed.user,
    tags: signed.tags ?? null,
    cookie: signed.cookie ?? null,
    ...(signed.accessKey === undefined ? {} : { accessKey: signed.accessKey }),
    extendedFileName: true,
    handOff: true,
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw ERRORS.badRequest('The transfer spec is not valid JSON');
  }
}

/** Fastify's own errors (bad JSON, body too large, 415) carry a statusCode worth keeping. */
export function normalizeFastifyError(err: unknown): unknown {
  const status = (err as { statusCode?: number }).statusCode;
  if (!(err instanceof NodeError) && typeof status === 'number' && status >= 400 && status < 500) {
    return new NodeError(status, (err as Error).message, 'http');
  }
  return err;
}
