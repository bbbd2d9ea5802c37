import { z } from 'zod';

export const nodeAuthTypeSchema = z.enum(['node_user', 'access_key']);
export type NodeAuthType = z.infer<typeof nodeAuthTypeSchema>;

/** A transfer node as admins see it. Its password or access-key secret never leaves the server. */
export const nodeSchema = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  username: z.string(),
  gatewayUrl: z.string().nullable(),
  verifyTls: z.boolean(),
  kind: z.enum(['embedded', 'hsts']),
  /** How the portal signs in to the node: its node user, or an access key (jailed to the key's storage root). */
  authType: nodeAuthTypeSchema,
  /**
   * A3: spaces on this access-key node are used with per-user bearer tokens the portal signs, and
   * the node itself holds each user to the permissions the portal mirrors from space roles.
   */
  bearerTokens: z.boolean(),
  isDefault: z.boolean(),
  /** Where this node keeps packages (docs/packages.md §1); null: none, except the embedded node's `/packages`. */
  packagesRoot: z.string().nullable(),
});
export type TransferNode = z.infer<typeof nodeSchema>;

// Basic auth (RFC 7617) splits at the first colon, and a control character would break the header:
// neither can be part of a node user or an access key id.
const basicUserId = z
  .string()
  .min(1)
  .max(256)
  .refine((id) => !/[:\p{Cc}]/u.test(id), 'must not contain a colon or control characters');

const httpUrl = z.url().refine((u) => /^https?:\/\//.test(u), 'must be an http:// or https:// URL');

export const createNodeRequestSchema = z.object({
  name: z.string().trim().min(1).max(100),
  url: httpUrl,
  /** Node API user, or access key id. */
  username: basicUserId,
  /** Node API password, or access key secret. */
  secret: z.string().min(1).max(1024),
  gatewayUrl: httpUrl.nullable().optional(),
  verifyTls: z.boolean().default(true),
  kind: z.enum(['embedded', 'hsts']).default('hsts'),
  /** `access_key`: `username` is the key's id and `secret` its secret. */
  authType: nodeAuthTypeSchema.default('node_user'),
  /** A3 (only with `access_key`): the portal makes a signing key and sets its public half on the key. */
  bearerTokens: z.boolean().default(false),
  isDefault: z.boolean().default(false),
});

export const nodeTestResultSchema = z.object({
  ok: z.boolean(),
  message: z.string().optional(),
  info: z
    .object({
      version: z.string().nullable(),
      transferUser: z.string().nullable(),
      currentTime: z.string().nullable(),
    })
    .optional(),
});

/** A node in the admin console: as `nodeSchema`, with what its `/info` said just now. */
export const adminNodeSchema = nodeSchema.extend({
  reachable: z.boolean(),
  /** The node's version from `/info`; null when unreachable or not said. */
  version: z.string().nullable(),
  /** Why the node is unreachable, in the node's own words where it gave some; null when reachable. */
  problem: z.string().nullable(),
  /** The spaces on this node (a node with spaces cannot be removed). */
  spaceCount: z.number().int(),
});
export type AdminNode = z.infer<typeof adminNodeSchema>;

/**
 * New connection settings for a node, tested against the node before they are saved. The secret is
 * write-only: absent or blank keeps the stored one.
 */
/** A node's packages folder: an absolute node path, without `.` or `..` parts. */
export const packagesRootSchema = z
  .string()
  .trim()
  .max(4096)
  .refine((p) => p.startsWith('/'), 'must be an absolute path on the node, starting with /')
  .refine((p) => !p.split('/').some((part) => part === '.' || part === '..'), 'must not contain . or .. parts')
  .refine((p) => !/\p{Cc}/u.test(p), 'must not contain control characters');

export const updateNodeRequestSchema = z.object({
  /** Null clears it: the node keeps no packages (the embedded node then uses /packages). */
  packagesRoot: packagesRootSchema.nullable().optional(),
  url: httpUrl.optional(),
  username: basicUserId.optional(),
  secret: z.string().max(1024).optional(),
  authType: nodeAuthTypeSchema.optional(),
  /** A3 on or off (only with `access_key`). */
  bearerTokens: z.boolean().optional(),
  gatewayUrl: httpUrl.nullable().optional(),
  verifyTls: z.boolean().optional(),
});

/** One of a node's transfers, as its `GET /ops/transfers` tells it. */
export const nodeTransferRowSchema = z.object({
  id: z.string(),
  status: z.string(),
  direction: z.string().nullable(),
  /** The transfer's paths (sources of a download, destination of an upload), as the node gives them. */
  paths: z.array(z.string()),
  bytesTransferred: z.number(),
  /** Null while the node has not counted them yet. */
  bytesExpected: z.number().nullable(),
  filesCompleted: z.number(),
  filesExpected: z.number().nullable(),
  startedAt: z.number().nullable(),
});
export type NodeTransferRow = z.infer<typeof nodeTransferRowSchema>;
