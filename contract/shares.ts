import { z } from 'zod';
import { spacePathSchema } from './files';

/** When the sharer hears of downloads: never, on the first completed one, or on every one. */
export const SHARE_NOTIFY = ['never', 'first', 'every'] as const;
export const shareNotifySchema = z.enum(SHARE_NOTIFY);
export type ShareNotify = z.infer<typeof shareNotifySchema>;

/** A link's state for its sharer; a link that is not `active` answers 410 on its public routes. */
export const SHARE_STATUSES = ['active', 'expired', 'revoked', 'used-up'] as const;
export type ShareStatus = (typeof SHARE_STATUSES)[number];

export { MAX_SHARE_NOTE_CHARS, MAX_SHARE_PATHS, MAX_SHARE_RECIPIENTS, MIN_SHARE_PASSWORD_CHARS } from './share-limits';
import { MAX_SHARE_NOTE_CHARS, MAX_SHARE_PATHS, MAX_SHARE_RECIPIENTS, MIN_SHARE_PASSWORD_CHARS } from './share-limits';

const sharePasswordSchema = z.string().min(MIN_SHARE_PASSWORD_CHARS).max(256);
const isoTimeSchema = z.iso.datetime({ offset: true });

export const createShareRequestSchema = z.object({
  spaceId: z.string().min(1).max(64),
  /** Space paths of the files and folders to share; their names must differ. */
  paths: z.array(spacePathSchema).min(1, 'Choose at least one file or folder').max(MAX_SHARE_PATHS),
  /** Absent: the default expiry; null: never (only where an admin allows it). */
  expiresAt: isoTimeSchema.nullable().optional(),
  password: sharePasswordSchema.optional(),
  /** Completed downloads allowed; absent or null: no limit. */
  maxDownloads: z.number().int().min(1).max(1_000_000).nullable().optional(),
  note: z.string().max(MAX_SHARE_NOTE_CHARS).default(''),
  notify: shareNotifySchema.default('never'),
  /** Addresses sent the link by mail (with the expiry and the note, never the password). */
  recipients: z
    .array(z.string().trim().email('Enter email addresses like name@example.com').max(320))
    .max(MAX_SHARE_RECIPIENTS, `Send the link to at most ${MAX_SHARE_RECIPIENTS} addresses at once`)
    .default([]),
});
export type CreateShareRequest = z.infer<typeof createShareRequestSchema>;

/** Each field absent: unchanged. `password: null` clears it; `maxDownloads: null` lifts the limit. */
export const updateShareRequestSchema = z.object({
  expiresAt: isoTimeSchema.nullable().optional(),
  maxDownloads: z.number().int().min(1).max(1_000_000).nullable().optional(),
  password: sharePasswordSchema.nullable().optional(),
  note: z.string().max(MAX_SHARE_NOTE_CHARS).optional(),
  notify: shareNotifySchema.optional(),
});
export type UpdateShareRequest = z.infer<typeof updateShareRequestSchema>;

export const shareSchema = z.object({
  id: z.string(),
  /** The public address to hand out: `<public URL>/s/<id>`. */
  url: z.string(),
  spaceId: z.string(),
  spaceName: z.string(),
  ownerId: z.string(),
  ownerName: z.string(),
  paths: z.array(z.string()),
  note: z.string(),
  notify: shareNotifySchema,
  hasPassword: z.boolean(),
  maxDownloads: z.number().nullable(),
  /** Completed downloads (visits and unfinished downloads never count). */
  downloads: z.number(),
  status: z.enum(SHARE_STATUSES),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type Share = z.infer<typeof shareSchema>;

export const shareResponseSchema = z.object({ share: shareSchema });
export const sharesResponseSchema = z.object({ shares: z.array(shareSchema) });

export const listSharesQuerySchema = z.object({
  /** A space's links: its managers and admins only. */
  spaceId: z.string().max(64).optional(),
  /** Everyone's links: admins only. */
  all: z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
    .transform((v) => v === true || v === 'true' || v === '1')
    .default(false),
});

export const RECEIPT_OUTCOMES = ['in-progress', 'complete', 'partial', 'failed'] as const;
export const shareReceiptSchema = z.object({
  transferId: z.string(),
  at: z.string(),
  /** Share paths (`/<shared item>/…`) the recipient asked for. */
  paths: z.array(z.string()),
  outcome: z.enum(RECEIPT_OUTCOMES),
  bytesTransferred: z.number(),
  client: z.string().nullable(),
  userAgent: z.string().nullable(),
  sourceAddress: z.string(),
});
export type ShareReceipt = z.infer<typeof shareReceiptSchema>;
export const shareDetailResponseSchema = z.object({ share: shareSchema, receipts: z.array(shareReceiptSchema) });
export type ShareDetail = z.infer<typeof shareDetailResponseSchema>;

/** What a recipient sees: never space paths, ids or the owner's account, only the shared items. */
export const publicShareItemSchema = z.object({
  name: z.string(),
  /** Share path: `/<name>` for a shared item, `/<name>/…` inside a shared folder. */
  path: z.string(),
  type: z.enum(['file', 'folder', 'link']),
  size: z.number(),
  modifiedAt: z.string().nullable(),
});
export type PublicShareItem = z.infer<typeof publicShareItemSchema>;

export const publicShareSchema = z.object({
  id: z.string(),
  senderName: z.string(),
  note: z.string(),
  expiresAt: z.string().nullable(),
  items: z.array(publicShareItemSchema),
  /** Shared items that are files (a folder's contents are counted when it is opened). */
  fileCount: z.number(),
  folderCount: z.number(),
  /** Bytes of the shared files (folders not included). */
  fileBytes: z.number(),
});
export type PublicShare = z.infer<typeof publicShareSchema>;
export const publicShareResponseSchema = z.object({ share: publicShareSchema });

export const unlockShareRequestSchema = z.object({ password: z.string().min(1).max(256) });

export const publicFolderQuerySchema = z.object({
  path: spacePathSchema,
  skip: z.coerce.number().int().min(0).default(0),
  count: z.coerce.number().int().min(1).max(1000).default(200),
});
export const publicFolderResponseSchema = z.object({
  path: z.string(),
  items: z.array(publicShareItemSchema),
  skip: z.number(),
  totalCount: z.number(),
});
export type PublicFolder = z.infer<typeof publicFolderResponseSchema>;

export const publicDownloadRequestSchema = z.object({
  /** Share paths; a shared item's name alone (`/report.pdf`) or a path inside a shared folder. */
  paths: z.array(spacePathSchema).min(1).max(1000),
  client: z.enum(['http-gateway', 'desktop']).optional(),
});
export const publicDownloadResponseSchema = z.object({
  transferId: z.string(),
  transferSpec: z.record(z.string(), z.unknown()),
  clients: z.array(z.object({ type: z.enum(['http-gateway', 'desktop']), url: z.string().optional() })),
  tokenLifeSeconds: z.number().int(),
});
export type PublicDownload = z.infer<typeof publicDownloadResponseSchema>;
