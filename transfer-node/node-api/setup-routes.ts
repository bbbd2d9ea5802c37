/**
 * POST /files/upload_setup and /files/download_setup (docs/node-api.md §4, docs/transfer-spec.md §1): one
 * transfer spec per transfer request, in order, HTTP 200 even when an item fails; a failed item is
 * `{ error: {code, reason, user_message} }` (the first of the two placements in docs/node-api.md §9.2).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireAt, scopeOf, type RequestScope } from '../access/principal';
import type { NodeContext } from '../context';
import { asNodeError, ERRORS, toNodeErrorBody } from '../errors';
import { parseNodePath, toNodePath } from '../storage/node-path';
import type { TransferGrant } from '../tokens/transfer-token';
import { parseBody } from './parse-body';
import { MAX_TRANSFER_FILES } from '../../contract/transfer-limits';
import type { DeclaredPath } from '../transfers/upload-grants';

// A bound on per-call work and on the size of a download token (it carries every path). An upload
// declares each file it will carry, as many as the gateway takes in one request.
const MAX_REQUESTS = 100;
const MAX_DOWNLOAD_PATHS = 1000;
const MAX_TOKEN_LIFE_SECONDS = 365 * 86400;
// Tags travel inside the token, and a download token travels in a request header.
const MAX_BOUND_TAGS_CHARS = 4096;

// `size` is Courier's extension of an upload path: the most bytes that file may have; `overwrite`
// on a path (also Courier's) can only narrow the request's: `never` keeps that one file from
// replacing anything even when the token may replace (docs/node-api.md §1.4).
const pathSchema = z
  .object({
    source: z.string().optional(),
    destination: z.string().optional(),
    size: z.number().int().min(0).optional(),
    overwrite: z.enum(['never', 'none']).optional(),
  })
  .loose();
const requestSchema = z
  .object({
    paths: z.array(pathSchema).max(MAX_TRANSFER_FILES).default([]),
    source_root: z.string().optional(),
    destination_root: z.string().optional(),
    token_life_seconds: z.number().int().min(1).max(MAX_TOKEN_LIFE_SECONDS).optional(),
    remote_host: z.string().min(1).max(255).optional(),
    cookie: z.string().max(4096).optional(),
    tags: z.record(z.string(), z.unknown()).nullable().optional(),
    // docs/transfer-spec.md §2.3; `never`/`none` here is sealed in the token and binds the upload.
    overwrite: z.enum(['never', 'always', 'diff', 'older', 'diff+older', 'none']).optional(),
  })
  .loose();
const setupSchema = z.object({
  transfer_requests: z
    .array(z.object({ transfer_request: z.unknown() }).loose())
    .min(1)
    .max(MAX_REQUESTS),
});

type TransferRequest = z.infer<typeof requestSchema>;

export async function setupRoutes(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  for (const direction of ['send', 'receive'] as const) {
    const route = direction === 'send' ? '/files/upload_setup' : '/files/download_setup';
    // docs/node-api.md §6.4: also under an access key (jailed) or a bearer token (held to its permissions).
    app.post(route, { config: { access: 'any' } }, async (request) => {
      const body = parseBody(setupSchema, request.body);
      const scope = await scopeOf(ctx, request.principal);
      const transfer_specs = [];
      for (const item of body.transfer_requests) {
        try {
          const transferRequest = parseBody(requestSchema, item.transfer_request);
          const spec =
            direction === 'send' ? await uploadSpec(ctx, scope, transferRequest) : await downloadSpec(ctx, scope, transferRequest);
          transfer_specs.push({ transfer_spec: spec });
        } catch (err) {
          transfer_specs.push({ error: toNodeErrorBody(asNodeError(err)) });
        }
      }
      return { transfer_specs };
    });
  }
}

async function uploadSpec(ctx: NodeContext, scope: RequestScope, req: TransferRequest) {
  const root = parseNodePath(req.destination_root ?? '/', { allowLeadingSlash: true });
  const destinations = req.paths.map((p) => p.destination).filter((d): d is string => typeof d === 'string');
  // docs/node-api.md §4: a single requested destination (a folder, no source) must end up in
  // destination_root, since clients replace `paths` with their sources and keep destination_root.
  // With a source it names the target file (docs/transfer-spec.md §1), so it is not folded.
  // A size says the destination is a file, and `*` is the root itself.
  const only = req.paths.length === 1 ? req.paths[0] : undefined;
  const single = destinations.length === 1 && only?.source === undefined && only?.size === undefined;
  const segments = single && destinations[0] !== '*' ? [...root, ...parseNodePath(destinations[0], { allowLeadingSlash: true })] : root;
  // Tokens and the gateway speak docroot paths: a jailed scope's paths get its root in front.
  const declared = single ? [] : declaredPaths([...scope.rootSegments, ...segments], req);
  const resolved = await scope.files.docroot.resolve(segments);
  if (resolved.stats && !resolved.stats.isDirectory()) throw ERRORS.notAFolder();
  const destinationRoot = scope.docrootPath(segments);
  requireAt(ctx, scope.principal, 'write', destinationRoot);
  const exp = expiry(ctx, req);
  const replace = req.overwrite !== 'never' && req.overwrite !== 'none';
  const bound = boundMetadata(req);
  const token =
    a3Token(scope) ??
    ctx.tokens.mint({
      direction: 'send',
      user: ctx.settings.transferUser,
      exp,
      destinationRoot,
      grant: ctx.grants.create(exp, declared),
      replace,
      ...bound,
      ...keyOf(scope),
    });
  return baseSpec(ctx, req, 'send', token, {
    paths: single || req.paths.length === 0 ? [{}] : req.paths.map(({ size: _size, overwrite: _overwrite, ...path }) => path),
    source_root: '',
    destination_root: destinationRoot,
    tags: gatewayTags(ctx, scope, req, {}),
    ...(replace ? {} : { overwrite: 'never' }),
  });
}

/**
 * The files an upload may carry: each `destination` under the root, with its `size` as a ceiling
 * when given; one without a size is a folder the upload may fill. `*` (docs/node-api.md §4) allows all.
 */
function declaredPaths(root: readonly string[], req: TransferRequest): DeclaredPath[] {
  const declared: DeclaredPath[] = [];
  for (const path of req.paths) {
    if (path.destination === undefined) continue;
    if (path.destination === '*') return [];
    const nodePath = toNodePath([...root, ...parseNodePath(path.destination, { allowLeadingSlash: true })]);
    declared.push(path.overwrite ? [nodePath, path.size ?? null, 'keep'] : [nodePath, path.size ?? null]);
  }
  return declared;
}

async function downloadSpec(ctx: NodeContext, scope: RequestScope, req: TransferRequest) {
  if (req.paths.length === 0) throw ERRORS.badRequest('paths must list at least one source');
  if (req.paths.length > MAX_DOWNLOAD_PATHS)
    throw ERRORS.badRequest(`A download may name at most ${MAX_DOWNLOAD_PATHS} paths; download their folder instead`);
  const root = parseNodePath(req.source_root ?? '', { allowLeadingSlash: true });
  const authorized: string[] = [];
  let expectedSize = 0;
  for (const path of req.paths) {
    if (typeof path.source !== 'string') throw ERRORS.badRequest('Each path needs a source');
    const segments = [...root, ...parseNodePath(path.source, { allowLeadingSlash: true })];
    const nodePath = scope.docrootPath(segments);
    requireAt(ctx, scope.principal, 'read', nodePath);
    const resolved = await scope.files.docroot.resolve(segments);
    if (!resolved.stats) throw ERRORS.notFound(`Path does not exist: ${toNodePath(segments)}`);
    expectedSize += await ctx.files.totalSize(resolved.abs, resolved.stats);
    authorized.push(nodePath);
  }
  const grant: TransferGrant = {
    direction: 'receive',
    user: ctx.settings.transferUser,
    exp: expiry(ctx, req),
    paths: authorized,
    ...boundMetadata(req),
    ...keyOf(scope),
  };
  return baseSpec(ctx, req, 'receive', a3Token(scope) ?? ctx.tokens.mint(grant), {
    paths: req.paths.map((p) => ({ source: p.source })),
    source_root: scope.rootSegments.length === 0 ? (req.source_root ?? '') : scope.docrootPath(root),
    destination_root: '',
    // docs/http-gateway.md §4: the SDK picks in-browser download by this size.
    tags: gatewayTags(ctx, scope, req, { expected_size: expectedSize }),
  });
}

/** The access key a jailed scope acts within, sealed so its transfer records are its own (docs/node-api.md §6.4). */
function keyOf(scope: RequestScope): { accessKey?: string } {
  return scope.principal.kind === 'node' ? {} : { accessKey: scope.principal.key.id };
}

/** The request's own tags and cookie, sealed into the token for the transfer records. */
function boundMetadata(req: TransferRequest): { tags?: unknown; cookie?: string } {
  if (req.tags && JSON.stringify(req.tags).length > MAX_BOUND_TAGS_CHARS)
    throw ERRORS.badRequest(`tags must stay under ${MAX_BOUND_TAGS_CHARS} characters of JSON`);
  return { ...(req.tags ? { tags: req.tags } : {}), ...(req.cookie !== undefined ? { cookie: req.cookie } : {}) };
}

function expiry(ctx: NodeContext, req: TransferRequest): number {
  return Math.floor(Date.now() / 1000) + (req.token_life_seconds ?? ctx.settings.tokenLifeSeconds);
}

/**
 * The A3 scenario (docs/node-api.md §6.4): a spec set up under a bearer token carries that token,
 * which the gateway verifies and checks against the permissions again for every path.
 */
function a3Token(scope: RequestScope): string | null {
  return scope.principal.kind === 'bearer' ? `Bearer ${scope.principal.token}` : null;
}

function gatewayTags(ctx: NodeContext, scope: RequestScope, req: TransferRequest, extra: Record<string, unknown>) {
  const tags = { ...(req.tags ?? {}) } as Record<string, unknown>;
  const aspera = { ...((tags.aspera as Record<string, unknown> | undefined) ?? {}) };
  // As ascli's gen4 specs: the gateway learns which key's public key verifies the token.
  if (scope.principal.kind === 'bearer') aspera.node = { access_key: scope.principal.key.id };
  aspera['http-gateway'] = { ...((aspera['http-gateway'] as object | undefined) ?? {}), url: ctx.settings.gatewayUrl, ...extra };
  tags.aspera = aspera;
  return tags;
}

function baseSpec(ctx: NodeContext, req: TransferRequest, direction: 'send' | 'receive', token: string, fields: Record<string, unknown>) {
  return {
    ...fields,
    token,
    direction,
    remote_host: req.remote_host ?? ctx.settings.remoteHost,
    remote_user: ctx.settings.transferUser,
    // Ports and policy fields keep the HSTS shape (docs/node-api.md §4 example); this node moves bytes
    // only over its HTTP Gateway, so FASP clients cannot use them.
    ssh_port: 33001,
    fasp_port: 33001,
    cipher: 'aes-128',
    rate_policy: 'fair',
    rate_policy_allowed: 'fair',
    target_rate_kbps: 0,
    min_rate_kbps: 0,
    http_fallback: true,
    create_dir: true,
    ...(req.cookie !== undefined ? { cookie: req.cookie } : {}),
  };
}
