/**
 * Shapes of the Node API as Courier reads them (docs/node-api.md). Response schemas are
 * lenient on purpose: real HSTS versions disagree with the OpenAPI file on types and presence
 * (docs/node-api.md §9), so we accept every variant the reference lists, keep unknown fields, and fail
 * (`bad_response`) only when a field the portal relies on is missing or of an unusable type.
 */
import { z } from 'zod';

/** How the portal reaches one node. Credentials travel only in the Authorization header. */
export interface NodeConnection {
  /** Node API base URL, e.g. `https://hsts.example.com:9092` (docs/node-api.md §0); may carry a path prefix. */
  url: string;
  /** Basic (node user or access key), or an A3 bearer token of an access key (docs/node-api.md §1.2). */
  auth: { type: 'basic'; username: string; password: string } | { type: 'bearer'; accessKey: string; token: string };
  /** Off only for nodes with a self-signed certificate the operator chose to trust. */
  verifyTls: boolean;
  timeoutMs?: number;
}

// §9.8: numbers sometimes arrive as strings (target_rate_kbps, error_code); accept both.
const looseNumber = z.union([
  z.number(),
  z
    .string()
    .regex(/^\s*-?\d+(\.\d+)?\s*$/)
    .transform(Number),
]);
const looseBoolean = z.union([z.boolean(), z.enum(['true', 'false', 'yes', 'no']).transform((v) => v === 'true' || v === 'yes')]);

/** GET /info (docs/node-api.md §2). `capabilities[].value` is a string in the OAS, a boolean in ascli (§9.8). */
export const nodeInfoSchema = z.looseObject({
  application: z.string().optional(),
  version: z.string().optional(),
  current_time: z.string().optional(),
  os: z.string().optional(),
  transfer_user: z.string().optional(),
  docroot: z.string().optional(),
  node_id: z.string().optional(),
  cluster_id: z.string().optional(),
  license_expiration_date: z.string().optional(),
  capabilities: z.array(z.looseObject({ name: z.string(), value: z.unknown() })).nullish(),
  settings: z.array(z.looseObject({ name: z.string(), value: z.unknown() })).nullish(),
});
export type NodeInfo = z.infer<typeof nodeInfoSchema>;

/** `accessKeyGETMetadata` as `GET /access_keys/self` answers it (docs/node-api.md §6.1); only what the portal reads. */
export const accessKeySchema = z.looseObject({
  id: z.string(),
  root_file_id: z.union([z.string(), z.number()]).optional(),
  storage: z.looseObject({ type: z.string().optional(), path: z.string().optional() }).nullish(),
  token_verification_key: z.string().nullish(),
});
export type AccessKeyInfo = z.infer<typeof accessKeySchema>;

/** An entry of the file-id API (`files-id-get-200`, docs/node-api.md §6.3); `path` is absent for a user-scope token. */
export const fileIdEntrySchema = z
  .looseObject({
    id: z.union([z.string(), z.number()]).transform(String),
    name: z.string(),
    path: z.string().optional(),
    type: z.string(),
    size: looseNumber.nullish(),
    modified_time: z.string().nullish(),
  })
  .transform((e) => ({
    id: e.id,
    name: e.name,
    path: e.path ?? null,
    type: e.type,
    size: e.size ?? 0,
    modifiedTime: e.modified_time ?? null,
  }));
export type FileIdEntry = z.output<typeof fileIdEntrySchema>;

/** A node permission (docs/node-api.md §6.2): access levels on a file id for a user or group id. */
export const permissionSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  file_id: z.union([z.string(), z.number()]).transform(String),
  access_type: z.string(),
  access_id: z.string(),
  access_levels: z.array(z.string()),
});
export type NodePermission = z.output<typeof permissionSchema>;

/** `filesBrowseMeta` (docs/node-api.md §3); `permissions` flattened from `[{name}]` to names. */
export const browseEntrySchema = z
  .looseObject({
    path: z.string(),
    basename: z.string().optional(),
    // `file`, `directory`, `symbolic_link`, and `container` on Shares; anything else is kept as is.
    type: z.string(),
    size: looseNumber.nullish(),
    mtime: z.string().nullish(),
    permissions: z.array(z.object({ name: z.string() }).loose()).nullish(),
    target: z.looseObject({ path: z.string(), type: z.string().optional() }).nullish(),
  })
  .transform((e) => ({
    path: e.path,
    basename: e.basename ?? e.path.split('/').filter(Boolean).pop() ?? '/',
    type: e.type as BrowseEntryType,
    // Directories report 0 on HSTS; a missing size is the same answer.
    size: e.size ?? 0,
    mtime: e.mtime ?? null,
    permissions: (e.permissions ?? []).map((p) => p.name),
    // For symbolic links only: where the link points, docroot-relative like `path`.
    target: e.target ? { path: e.target.path, type: e.target.type ?? null } : null,
  }));
export type BrowseEntryType = 'file' | 'directory' | 'symbolic_link' | 'container' | (string & {});
export type BrowseEntry = z.output<typeof browseEntrySchema>;

// §3 and §9.3: `item_count`/`total_count` are used by ascli but absent from the OAS schema.
export const browseResponseSchema = z.looseObject({
  self: browseEntrySchema.nullish(),
  items: z.array(browseEntrySchema).nullish(),
  item_count: looseNumber.nullish(),
  total_count: looseNumber.nullish(),
});

export interface BrowseResult {
  self: BrowseEntry | null;
  items: BrowseEntry[];
  /** Null when the node does not say (docs/node-api.md §9.3): page until a short page instead. */
  totalCount: number | null;
}

export type BrowseSort = 'path' | 'type' | 'size_a' | 'size_d' | 'mtime_a' | 'mtime_d';

/** The `{code, reason, user_message}` body reduced to what the portal shows. */
export interface ItemError {
  /** The node's code (an HTTP status) when it gave one. */
  status: number | null;
  message: string;
}

/** One answer per requested path of create/delete, in request order (docs/node-api.md §3). */
export type PathResult = { path: string; ok: true } | { path: string; ok: false; error: ItemError };
export type RenameResult =
  | { parent: string; source: string; destination: string; ok: true }
  | { parent: string; source: string; destination: string; ok: false; error: ItemError };

/** One path of a transfer spec or transfer request (docs/transfer-spec.md §1). */
export interface TransferPath {
  source?: string;
  destination?: string;
  /** Embedded node only: the most bytes this file may have (docs/node-api.md §1.4). */
  size?: number;
  /** Embedded node only: this file may never replace one, whatever the token allows (docs/node-api.md §1.4). */
  overwrite?: 'never';
}

/** `transfer_request` of `/files/*_setup` (docs/node-api.md §4). Extra fields pass through to the node. */
export interface TransferRequest {
  paths: TransferPath[];
  source_root?: string;
  destination_root?: string;
  token_life_seconds?: number;
  remote_host?: string;
  cipher_allowed?: string;
  content_protection?: string;
  cookie?: string;
  tags?: Record<string, unknown>;
  fasp_port?: number;
  ssh_port?: number;
  http_fallback?: boolean;
  http_fallback_port?: number;
  https_fallback_port?: number;
  rate_policy?: string;
  rate_policy_allowed?: string;
  target_rate_kbps?: number;
  target_rate_cap_kbps?: number;
  [field: string]: unknown;
}

/**
 * A transfer spec (docs/transfer-spec.md §2) as returned by `*_setup`. Unknown fields are preserved
 * because the spec is handed on to a transfer client that may understand them.
 */
export const transferSpecSchema = z.looseObject({
  direction: z.enum(['send', 'receive']),
  token: z.string().optional(),
  remote_host: z.string().optional(),
  remote_user: z.string().optional(),
  paths: z.array(z.looseObject({ source: z.string().optional(), destination: z.string().optional() })).nullish(),
  source_root: z.string().nullish(),
  destination_root: z.string().nullish(),
  ssh_port: looseNumber.optional(),
  fasp_port: looseNumber.optional(),
  wss_enabled: looseBoolean.optional(),
  wss_port: looseNumber.optional(),
  sshfp: z.string().nullish(),
  // docs/transfer-spec.md §5.2: boolean in the OAS, also "force" in ascli.
  http_fallback: z.union([z.boolean(), z.string()]).optional(),
  http_fallback_port: looseNumber.optional(),
  https_fallback_port: looseNumber.optional(),
  cipher: z.string().optional(),
  cipher_allowed: z.string().optional(),
  rate_policy: z.string().optional(),
  rate_policy_allowed: z.string().optional(),
  target_rate_kbps: looseNumber.optional(),
  target_rate_cap_kbps: looseNumber.optional(),
  min_rate_kbps: looseNumber.optional(),
  create_dir: z.boolean().optional(),
  cookie: z.string().nullish(),
  // docs/node-api.md §4: HSTS answers `"tags": null` when the request had none.
  tags: z.record(z.string(), z.unknown()).nullish(),
  title: z.string().optional(),
});
export type TransferSpec = z.output<typeof transferSpecSchema>;

/** Result of one transfer request of `*_setup`, in request order. */
export type SetupResult = { ok: true; transferSpec: TransferSpec } | { ok: false; error: ItemError };

// §5: statuses the node documents; ascli also tolerates `unknown`. Others are kept as strings.
export type NodeTransferStatus =
  'waiting' | 'running' | 'completed' | 'failed' | 'partially_completed' | 'canceled' | 'paused' | 'unknown' | (string & {});

// §9.8: `error_code` is a string for transfers in the OAS and an int elsewhere; "" means none.
const errorCode = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((v) =>
    v === null || v === undefined || v === '' ? 0 : typeof v === 'number' ? v : /^\s*-?\d+\s*$/.test(v) ? Number(v) : null,
  );

const usec = looseNumber.nullish();

export const transferFileSchema = z.looseObject({
  path: z.string(),
  status: z.string().optional(),
  size: looseNumber.nullish(),
  bytes_written: looseNumber.nullish(),
  start_time_usec: usec,
  end_time_usec: usec,
  error_code: errorCode,
  error_desc: z.string().nullish(),
});

/** An `/ops/transfers` object (docs/node-api.md §5). With `view=id` only `id` is present. */
export const nodeTransferSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string().optional(),
  start_spec: z
    .looseObject({
      direction: z.string().optional(),
      remote_host: z.string().optional(),
      remote_user: z.string().optional(),
      source_paths: z.array(z.string()).nullish(),
      destination_path: z.string().nullish(),
      tags: z.record(z.string(), z.unknown()).nullish(),
      cookie: z.string().nullish(),
    })
    .optional(),
  bytes_transferred: looseNumber.nullish(),
  bytes_written: looseNumber.nullish(),
  files_completed: looseNumber.nullish(),
  files_skipped: looseNumber.nullish(),
  start_time_usec: usec,
  end_time_usec: usec,
  elapsed_usec: usec,
  error_code: errorCode,
  error_desc: z.string().nullish(),
  precalc: z
    .looseObject({
      status: z.string().optional(),
      bytes_expected: looseNumber.nullish(),
      files_expected: looseNumber.nullish(),
    })
    .nullish(),
  files: z.array(transferFileSchema).nullish(),
});
export type NodeTransfer = z.output<typeof nodeTransferSchema> & { status?: NodeTransferStatus };

/**
 * The progress denominator: `precalc.bytes_expected` once precalc is `ready` (ascli's recipe,
 * docs/node-api.md §5); null while unknown, so a UI shows an indeterminate bar rather than a wrong one.
 */
export function bytesExpected(transfer: NodeTransfer): number | null {
  const precalc = transfer.precalc;
  if (!precalc || typeof precalc.bytes_expected !== 'number') return null;
  return precalc.status === undefined || precalc.status === 'ready' ? precalc.bytes_expected : null;
}

export type TransferView = 'id' | 'short_summary' | 'summary';

export interface ListTransfersOptions {
  iterationToken?: string | null;
  /** true: waiting/running only; false: finished only; absent: all (docs/node-api.md §5). */
  activeOnly?: boolean;
  count?: number;
  view?: TransferView;
  /** `key.path` or `key.path=value`: only transfers whose tags match (docs/node-api.md §5). */
  tag?: string;
}

export interface TransferPage {
  transfers: NodeTransfer[];
  /** From `Link: <…>; rel="next"`; null when the node gave no next page. */
  nextIterationToken: string | null;
}
