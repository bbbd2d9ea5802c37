import { z } from 'zod';
import { spacePathSchema } from './files';
import { publicDownloadResponseSchema } from './shares';
import { createTransferResponseSchema, MAX_UPLOAD_FILES, queryFlagSchema, transferClientSchema, transferRecordSchema } from './transfers';

// How many people one package may name, each kind: a package is for people, not a mailing list.
export const MAX_PACKAGE_RECIPIENTS = 100;

export const createPackageRequestSchema = z.object({
  recipients: z
    .object({
      userIds: z.array(z.string().min(1).max(64)).max(MAX_PACKAGE_RECIPIENTS).default([]),
      groupIds: z.array(z.string().min(1).max(64)).max(MAX_PACKAGE_RECIPIENTS).default([]),
      /** People without an account; only where an admin allows it (`packageExternalRecipients`). */
      emails: z.array(z.email().max(320)).max(MAX_PACKAGE_RECIPIENTS).default([]),
    })
    .refine((r) => r.userIds.length + r.groupIds.length + r.emails.length > 0, { message: 'Name at least one recipient' }),
  subject: z.string().trim().min(1, 'Give the package a subject').max(200),
  message: z.string().max(10_000).default(''),
  /** Files relative to the package (folders of a dropped tree in their paths), with sizes. */
  files: z
    .array(z.object({ path: spacePathSchema, size: z.number().int().min(0) }))
    .min(1, 'Choose at least one file')
    .max(MAX_UPLOAD_FILES),
  /** ISO time; absent: the default life (docs/packages.md §4). */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  notifyOnDownload: z.boolean().default(false),
  /** Recipients do not see each other. */
  privateRecipients: z.boolean().default(false),
  /** External recipients give a one-time code, sent to their address, before downloading (docs/packages.md §7). */
  requireCode: z.boolean().default(false),
  client: transferClientSchema.optional(),
});
export type CreatePackageRequest = z.infer<typeof createPackageRequestSchema>;

export const PACKAGE_STATUSES = ['uploading', 'ready', 'failed', 'expired', 'deleted'] as const;
export const RECEIPT_STATES = ['not-opened', 'opened', 'partly-downloaded', 'downloaded'] as const;

export const packageSummarySchema = z.object({
  id: z.string(),
  subject: z.string(),
  message: z.string(),
  sender: z.object({ id: z.string(), name: z.string() }),
  status: z.enum(PACKAGE_STATUSES),
  fileCount: z.number().int(),
  bytes: z.number(),
  createdAt: z.string(),
  readyAt: z.string().nullable(),
  expiresAt: z.string(),
  notifyOnDownload: z.boolean(),
  privateRecipients: z.boolean(),
  requireCode: z.boolean(),
  /** For the person asking: a recipient who has not opened it yet. */
  unread: z.boolean(),
  /** For the person asking: archived out of their inbox (or sent box). */
  archived: z.boolean(),
  /** In the sent box only: each recipient's receipt (docs/packages.md §3). */
  receipts: z.array(z.object({ name: z.string(), receipt: z.enum(RECEIPT_STATES) })).optional(),
});
export type PackageSummary = z.infer<typeof packageSummarySchema>;

export const packageRecipientSchema = z.object({
  id: z.string(),
  kind: z.enum(['user', 'external']),
  /** A user's display name, or the external address. */
  name: z.string(),
  receipt: z.enum(RECEIPT_STATES),
  openedAt: z.string().nullable(),
  /** When the last download (full or partial) ended. */
  downloadedAt: z.string().nullable(),
});

export const packageDetailSchema = z.object({
  package: packageSummarySchema,
  files: z.array(z.object({ path: z.string(), size: z.number() })),
  /** The sender and admins see everyone; a recipient of a private package sees only themselves. */
  recipients: z.array(packageRecipientSchema),
});
export type PackageDetail = z.infer<typeof packageDetailSchema>;

export const listPackagesQuerySchema = z.object({
  box: z.enum(['inbox', 'sent']).default('inbox'),
  /** Admins only: every package. */
  all: queryFlagSchema.default(false),
  /** Search by sender or subject. */
  q: z.string().trim().max(200).optional(),
  archived: queryFlagSchema.default(false),
});

export const packagesResponseSchema = z.object({
  packages: z.array(packageSummarySchema),
  /** Unread packages in the person's inbox (not archived). */
  unread: z.number().int(),
});

export const createPackageResponseSchema = createTransferResponseSchema.extend({ package: packageSummarySchema });
export type CreatePackageResponse = z.infer<typeof createPackageResponseSchema>;

export const packageDownloadRequestSchema = z.object({
  /** Package paths (files or folders of it); empty: the whole package. */
  paths: z.array(spacePathSchema).max(1000).default([]),
  client: transferClientSchema.optional(),
});

export const updatePackageRequestSchema = z.object({
  /** Extend (or shorten) its life: the sender or an admin. */
  expiresAt: z.iso.datetime({ offset: true }),
});

export const archivePackageRequestSchema = z.object({ archived: z.boolean() });

export const directoryQuerySchema = z.object({ q: z.string().trim().min(1).max(100) });
/** People and groups a package may name, found by name: at most 20 of each. */
export const directoryResponseSchema = z.object({
  users: z.array(z.object({ id: z.string(), name: z.string(), username: z.string() })),
  groups: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type Directory = z.infer<typeof directoryResponseSchema>;

export const packageResponseSchema = z.object({ package: packageSummarySchema });

// An external recipient's personal link (docs/packages.md §7): its secret is 32 bytes, base64url.
export const PACKAGE_LINK_PATTERN = /^[A-Za-z0-9_-]{43}$/;
// The one-time code: six digits, for ten minutes, five tries; a new one at most once a minute.
export const PACKAGE_CODE_DIGITS = 6;
export const PACKAGE_CODE_SECONDS = 600;
export const PACKAGE_CODE_TRIES = 5;
export const PACKAGE_CODE_RESEND_SECONDS = 60;
// Codes a link may ask for in a day. Each new code brings five fresh tries: with only the one-minute
// wait, someone holding a leaked link could try 7,200 codes a day (1 in 140 of guessing it). Ten a
// day is 50 tries, 1 in 20,000, and still a code every hour of a working day for the recipient.
export const PACKAGE_CODES_PER_DAY = 10;

/** What the personal link shows. The files are listed once the code is given (or when none is asked). */
export const publicPackageSchema = z.object({
  subject: z.string(),
  message: z.string(),
  senderName: z.string(),
  /** The address the link was sent to. */
  recipient: z.string(),
  status: z.enum(['ready', 'expired']),
  expiresAt: z.string(),
  fileCount: z.number().int(),
  bytes: z.number(),
  codeRequired: z.boolean(),
  /** Whether this browser may download: no code is asked, or it was given. */
  unlocked: z.boolean(),
  files: z.array(z.object({ path: z.string(), size: z.number() })),
});
export type PublicPackage = z.infer<typeof publicPackageSchema>;
export const publicPackageResponseSchema = z.object({ package: publicPackageSchema });

export const publicPackageCodeResponseSchema = z.object({
  /** The address, partly hidden: `g***@example.org`. */
  sentTo: z.string(),
  expiresInSeconds: z.number().int(),
});
export const unlockPackageRequestSchema = z.object({ code: z.string().trim().min(1, 'Type the code').max(20) });

export const publicPackageDownloadRequestSchema = packageDownloadRequestSchema.pick({ paths: true });
export const publicPackageDownloadResponseSchema = publicDownloadResponseSchema;

/**
 * "Send" on a Files selection (docs/packages.md §8): files already stored go into the package's
 * folder node to node, never through the browser; the package shows once that copy completed.
 */
export const createPackageFromSpaceRequestSchema = createPackageRequestSchema.omit({ files: true, client: true }).extend({
  from: z.object({
    spaceId: z.string().min(1).max(64),
    /** Files and folders of the space; a folder brings its whole tree. */
    paths: z.array(spacePathSchema).min(1, 'Choose at least one file').max(1000),
  }),
});
export type CreatePackageFromSpaceRequest = z.infer<typeof createPackageFromSpaceRequestSchema>;
export const createPackageFromSpaceResponseSchema = z.object({ package: packageSummarySchema, transfer: transferRecordSchema });
export type CreatePackageFromSpaceResponse = z.infer<typeof createPackageFromSpaceResponseSchema>;
