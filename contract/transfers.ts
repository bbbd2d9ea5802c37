import { z } from 'zod';
import { spacePathSchema } from './files';
import { MAX_TRANSFER_FILES } from './transfer-limits';

export const TRANSFER_STATUSES = ['authorized', 'running', 'completed', 'failed', 'cancelled'] as const;
export const transferStatusSchema = z.enum(TRANSFER_STATUSES);
/** Where the portal's record of a transfer stands (a client's live status is `TransferClientStatus`). */
export type TransferRecordStatus = z.infer<typeof transferStatusSchema>;

export const TRANSFER_CLIENTS = ['http-gateway', 'desktop'] as const;
export const transferClientSchema = z.enum(TRANSFER_CLIENTS);
/** Which kind of client carried a transfer, as the record names it. */
export type TransferClientKind = z.infer<typeof transferClientSchema>;

// The node's limit too (transfer-limits.ts): what the portal authorizes, the gateway accepts.
export const MAX_UPLOAD_FILES = MAX_TRANSFER_FILES;

export const uploadRequestSchema = z.object({
  spaceId: z.string().min(1),
  direction: z.literal('upload'),
  /** Space folder the files go into. */
  folder: spacePathSchema,
  /** Files relative to `folder` (folders of a dropped tree included in their paths), with sizes. */
  files: z
    .array(z.object({ path: spacePathSchema, size: z.number().int().min(0) }))
    .min(1, 'Choose at least one file')
    .max(MAX_UPLOAD_FILES),
  /** Empty folders of a dropped tree, relative to `folder`. */
  emptyFolders: z.array(spacePathSchema).max(MAX_UPLOAD_FILES).default([]),
  /**
   * Top-level names of the upload (relative to `folder`) that the person chose to replace where
   * they exist; only a role that may delete may ask. Every other top-level name must be free: the
   * portal answers 409 NAME_TAKEN otherwise, and the node never replaces for them.
   */
  replace: z.array(spacePathSchema).max(MAX_UPLOAD_FILES).default([]),
  client: transferClientSchema.optional(),
});

export const downloadRequestSchema = z
  .object({
    spaceId: z.string().min(1),
    direction: z.literal('download'),
    /** Space paths of the files and folders to download. */
    paths: z.array(spacePathSchema).max(1000).default([]),
    /** Instead of `paths`: every entry of this folder, as the portal reads it from the node. */
    allOf: spacePathSchema.optional(),
    /** With `allOf`: entries of that folder left out (unticked after "select all"). */
    except: z.array(spacePathSchema).max(1000).default([]),
    client: transferClientSchema.optional(),
  })
  .refine((r) => r.paths.length > 0 !== (r.allOf !== undefined) && (r.except.length === 0 || r.allOf !== undefined), {
    message: 'Choose at least one file or folder (paths), or a whole folder (allOf), not both; `except` only with allOf',
    path: ['paths'],
  });

export const createTransferRequestSchema = z.discriminatedUnion('direction', [uploadRequestSchema, downloadRequestSchema]);
export type CreateTransferRequest = z.infer<typeof createTransferRequestSchema>;

/**
 * `POST /api/transfers` may carry an `Idempotency-Key` (docs/api.md §8): an opaque string the client
 * chooses, 1 to 255 visible ASCII characters, optionally in the draft's quoted form (`"…"`). A repeat
 * with the same key answers the same transfer instead of authorizing a second one.
 */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const idempotencyKeySchema = z
  .string()
  .regex(
    /^(?:[\x21-\x7e]{1,255}|"[\x21\x23-\x5b\x5d-\x7e]{1,255}")$/,
    'An Idempotency-Key is 1 to 255 visible ASCII characters (no spaces or control characters), e.g. a UUID.',
  )
  .transform((key) => (key.length > 1 && key.startsWith('"') && key.endsWith('"') ? key.slice(1, -1) : key));
/** The request headers `POST /api/transfers` reads; every other header passes through untouched. */
export const createTransferHeadersSchema = z.looseObject({ 'idempotency-key': idempotencyKeySchema.optional() });

export const transferRecordSchema = z.object({
  id: z.string(),
  userId: z.string(),
  /** The space of the transfer; null for a package's transfer, which belongs to no space. */
  spaceId: z.string().nullable(),
  /** The package this transfer sends or receives (docs/packages.md §1); null for everything else. */
  packageId: z.string().nullable().optional(),
  direction: z.enum(['upload', 'download']),
  title: z.string(),
  folder: z.string(),
  /** Uploads: the dropped items (top-level names under `folder`); downloads: the requested paths. At most 100. */
  paths: z.array(z.string()),
  fileCount: z.number(),
  bytesExpected: z.number().nullable(),
  bytesTransferred: z.number(),
  client: transferClientSchema.nullable(),
  status: transferStatusSchema,
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** In an admin's list of everyone's transfers: whose it is, "(deleted)" after a user deleted with their history kept. */
  userName: z.string().optional(),
  /**
   * A Copy or Move between spaces, carried node to node without the browser: `spaceId` and
   * `folder` are the destination, `paths` the items in `sourceSpaceId`. Absent for everything else.
   */
  operation: z.enum(['copy', 'move']).optional(),
  sourceSpaceId: z.string().optional(),
});
export type TransferRecord = z.infer<typeof transferRecordSchema>;

export const clientOptionSchema = z.object({
  type: transferClientSchema,
  /** The HTTP Gateway's base URL for `http-gateway`. */
  url: z.string().optional(),
});

export const createTransferResponseSchema = z.object({
  transfer: transferRecordSchema,
  /** The node's transfer spec, paths filled in for the direction; hand it to the transfer client as is. */
  transferSpec: z.record(z.string(), z.unknown()),
  /** Clients that may carry it, best first. */
  clients: z.array(clientOptionSchema),
  /** The life of the spec's token, as the portal asked the node for it (an admin setting, docs/node-api.md §4). */
  tokenLifeSeconds: z.number().int(),
});
export type CreateTransferResponse = z.infer<typeof createTransferResponseSchema>;

/**
 * A yes/no query parameter. Not z.coerce.boolean(): that is Boolean(value), which reads any
 * non-empty string, "false" and "0" included, as true.
 */
export const queryFlagSchema = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1');

export const listTransfersQuerySchema = z.object({
  /** Admins only: everyone's transfers. */
  all: queryFlagSchema.default(false),
  userId: z.string().optional(),
  spaceId: z.string().optional(),
  status: transferStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** ISO time: transfers created before it (paging back in history, or the end of a date range). */
  before: z.string().optional(),
  /** ISO time: transfers created at or after it (the start of a date range). */
  from: z.iso.datetime({ offset: true }).optional(),
});

export const transfersResponseSchema = z.object({ transfers: z.array(transferRecordSchema) });

/** Client-side progress the SPA reports when the server cannot see it (Desktop), and its end. */
export const updateTransferRequestSchema = z.object({
  status: z.enum(['running', 'completed', 'failed', 'cancelled']),
  client: transferClientSchema.optional(),
  error: z.string().max(2000).optional(),
  /**
   * With `failed`: the page carrying the upload was closed or reloaded. The record then says so
   * (`PAGE_CLOSED_ERROR`), even when the node has already failed it for the closed connection.
   */
  pageClosed: z.literal(true).optional(),
});

/** The most items one Copy or Move names (select their folder for more). */
export const MAX_COPY_ITEMS = 100;

/** `POST /api/spaces/:spaceId/copy`: files and folders of this space into a folder of another (or the same) space. */
export const copyRequestSchema = z.object({
  paths: z.array(spacePathSchema).min(1, 'Choose at least one file or folder').max(MAX_COPY_ITEMS),
  to: z.object({ spaceId: z.string().min(1), folder: spacePathSchema }),
  /** Move: the originals are deleted once the destination reports the copy complete. */
  move: z.boolean().default(false),
});
export type CopyRequest = z.infer<typeof copyRequestSchema>;

export const copyResponseSchema = z.object({ transfer: transferRecordSchema });
