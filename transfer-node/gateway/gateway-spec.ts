/**
 * The transfer spec as the gateway receives it (docs/http-gateway.md §3.1, §4.1) and its
 * authorization against the transfer token. The spec is client input: only the token is trusted,
 * and every path must be covered by it.
 */
import type { Stats } from 'node:fs';
import { z } from 'zod';
import { MAX_TRANSFER_FILES } from '../../contract/transfer-limits';
import type { NodeContext } from '../context';
import { ERRORS, NodeError } from '../errors';
import { isInside } from '../storage/docroot';
import { parseNodePath, toNodePath } from '../storage/node-path';
import { grantCovers, type TransferGrant } from '../tokens/transfer-token';
import { bearerGrant } from './bearer-spec';
import { MAX_FILES_PER_RECORD } from '../transfers/transfer-record';

// Bounds on one request's work; the SDK sends one path per picked file. The portal authorizes no more.
export const MAX_SPEC_PATHS = MAX_TRANSFER_FILES;

export const gatewaySpecSchema = z
  .object({
    direction: z.enum(['send', 'receive']).optional(),
    token: z
      .string()
      .max(64 * 1024)
      .optional(),
    remote_host: z.string().optional(),
    paths: z
      .array(z.object({ source: z.string().optional(), destination: z.string().optional() }).loose())
      .max(MAX_SPEC_PATHS)
      .default([]),
    source_root: z.string().optional(),
    destination_root: z.string().optional(),
    zip_required: z.boolean().optional(),
    download_name: z.string().max(200).optional(),
    overwrite: z.enum(['never', 'always', 'diff', 'older', 'diff+older', 'none']).optional(),
    tags: z.unknown().optional(),
    cookie: z.string().max(8192).optional(),
  })
  .loose();

export type GatewaySpec = z.infer<typeof gatewaySpecSchema>;

export function parseSpec(input: unknown): GatewaySpec {
  const parsed = gatewaySpecSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw ERRORS.badRequest(`Invalid transfer spec${issue ? ` (${issue.path.join('.') || 'spec'}: ${issue.message})` : ''}`);
  }
  return parsed.data;
}

/** The token travels in the spec; the SDK may also send it as `Authorization: Bearer` (§3.1). */
function tokenOf(spec: GatewaySpec, authorization: string | undefined): string | undefined {
  return spec.token ?? (authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] || undefined);
}

/**
 * A gateway request refused for its token (401) or for what the token allows (403) is recorded as a
 * failed transfer with the reason, under the tags sealed in the token, when the token is one this
 * node issued (docs/node-api.md §5): whoever follows `/ops/transfers` then learns that the transfer
 * it authorized was refused, and why, instead of waiting for it. A token the node did not seal says
 * nothing trustworthy and leaves no record.
 */
export function recordRefusal(
  ctx: NodeContext,
  request: { spec: GatewaySpec | null; authorization: string | undefined; clientIp: string },
  error: { status: number; message: string },
): void {
  if ((error.status !== 401 && error.status !== 403) || !request.spec) return;
  const grant = ctx.tokens.open(tokenOf(request.spec, request.authorization));
  if (!grant?.tags) return;
  const live = ctx.transfers.begin({
    direction: grant.direction,
    remoteHost: ctx.settings.remoteHost,
    remoteUser: grant.user,
    clientIp: request.clientIp,
    sourcePaths: request.spec.paths.slice(0, MAX_FILES_PER_RECORD).map((p) => p.source ?? ''),
    destinationPath: '',
    tags: grant.tags,
    cookie: grant.cookie ?? null,
    ...(grant.accessKey === undefined ? {} : { accessKey: grant.accessKey }),
    bytesExpected: 0,
    filesExpected: request.spec.paths.length,
  });
  ctx.transfers.finish(live, 'failed', { code: error.status, message: error.message });
}

export interface UploadAuthorization {
  grant: TransferGrant;
  rootSegments: string[];
  /** The token's destination root: links must not lead out of it. */
  grantRootSegments: string[];
  /**
   * docs/transfer-spec.md §2.3: `diff` is the default and replaces a different file; `never`/`none` keep
   * it. The token's policy bounds the spec's: a spec can ask for `never`, never for more.
   */
  overwrite: boolean;
}

export function authorizeUpload(ctx: NodeContext, spec: GatewaySpec, authorization: string | undefined): UploadAuthorization {
  if (spec.direction && spec.direction !== 'send') throw ERRORS.badRequest('An upload spec must have direction "send"');
  const token = tokenOf(spec, authorization);
  const grant = bearerGrant(ctx, spec, token, 'send') ?? ctx.tokens.verify(token, 'send');
  const rootSegments = parseNodePath(spec.destination_root ?? (grant.direction === 'send' ? grant.destinationRoot : '/'), {
    allowLeadingSlash: true,
  });
  if (!grantCovers(grant, toNodePath(rootSegments))) throw ERRORS.forbidden('The token does not cover this destination');
  const mayReplace = grant.direction === 'send' && grant.replace;
  const overwrite = mayReplace && spec.overwrite !== 'never' && spec.overwrite !== 'none';
  const grantRootSegments = parseNodePath(grant.direction === 'send' ? grant.destinationRoot : '/', { allowLeadingSlash: true });
  return { grant, rootSegments, grantRootSegments, overwrite };
}

export interface DownloadItem {
  nodePath: string;
  abs: string;
  stats: Stats;
}

/** Resolves the spec's sources (source_root + source), each of which the token must cover. */
/** authorizeDownload, and a refusal recorded for whoever follows `/ops/transfers` (recordRefusal). */
export async function authorizeDownloadOrRecord(ctx: NodeContext, spec: GatewaySpec, authorization: string | undefined, clientIp: string) {
  try {
    return await authorizeDownload(ctx, spec, authorization);
  } catch (error) {
    if (error instanceof NodeError) recordRefusal(ctx, { spec, authorization, clientIp }, error);
    throw error;
  }
}

export async function authorizeDownload(ctx: NodeContext, spec: GatewaySpec, authorization: string | undefined) {
  if (spec.direction && spec.direction !== 'receive') throw ERRORS.badRequest('A download spec must have direction "receive"');
  const token = tokenOf(spec, authorization);
  const grant = bearerGrant(ctx, spec, token, 'receive') ?? ctx.tokens.verify(token, 'receive');
  if (spec.paths.length === 0) throw ERRORS.badRequest('The spec lists no paths');
  const root = parseNodePath(spec.source_root ?? '', { allowLeadingSlash: true });
  const nodePaths = spec.paths.map((p) => {
    if (typeof p.source !== 'string') throw ERRORS.badRequest('Each path needs a source');
    const nodePath = toNodePath([...root, ...parseNodePath(p.source, { allowLeadingSlash: true })]);
    if (!grantCovers(grant, nodePath)) throw ERRORS.forbidden(`The token does not cover ${nodePath}`);
    return nodePath;
  });
  const items = await resolveItems(ctx, nodePaths);
  await checkItemsGranted(ctx, grant.direction === 'receive' ? grant.paths : [], items);
  return { grant, items };
}

/** A link inside the docroot could lead from a granted folder to one the token does not cover. */
export async function checkItemsGranted(ctx: NodeContext, grantedPaths: readonly string[], items: readonly DownloadItem[]): Promise<void> {
  const roots = await Promise.all(
    grantedPaths.map(async (p) => (await ctx.files.docroot.resolve(parseNodePath(p, { allowLeadingSlash: true }))).abs),
  );
  for (const item of items) {
    if (!roots.some((root) => isInside(root, item.abs)))
      throw ERRORS.forbidden(`A link leads outside what the token covers: ${item.nodePath}`);
  }
}

export async function resolveItems(ctx: NodeContext, nodePaths: readonly string[]): Promise<DownloadItem[]> {
  const items: DownloadItem[] = [];
  for (const nodePath of nodePaths) {
    const resolved = await ctx.files.docroot.resolve(parseNodePath(nodePath, { allowLeadingSlash: true }));
    if (!resolved.stats) throw ERRORS.notFound(`Path does not exist: ${nodePath}`);
    items.push({ nodePath, abs: resolved.abs, stats: resolved.stats });
  }
  return items;
}
