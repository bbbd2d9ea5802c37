import { z } from 'zod';
import { spacePathSchema } from './files';
import { MAX_TRANSFER_FILES } from './transfer-limits';

/** The longest a file request may stay open: a year, so no upload link lives forever. */
export const MAX_REQUEST_DAYS = 365;
/** Characters of a request id: 24 base64url characters carry 144 random bits. */
export const REQUEST_ID_LENGTH = 24;
export const requestIdSchema = z
  .string()
  .length(REQUEST_ID_LENGTH)
  .regex(/^[A-Za-z0-9_-]+$/, 'is not a request id');

const isoTime = z.iso.datetime({ offset: true });

export const createRequestSchema = z.object({
  spaceId: z.string().min(1).max(64),
  /** Space folder the submissions land in, each in a subfolder of its own. */
  folder: spacePathSchema,
  title: z.string().trim().min(1, 'Enter a title').max(200),
  message: z.string().trim().max(4000).default(''),
  /** ISO time after which nothing more is accepted. */
  deadline: isoTime,
  /** Optional; the guest must give it before the request shows its message or takes files. */
  password: z.string().min(8, 'A password needs at least 8 characters').max(1024).nullable().default(null),
  /** Total bytes all submissions together may carry; null: no limit beyond the node's. */
  maxBytes: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).nullable().default(null),
  /** Total files all submissions together may carry. */
  maxFiles: z.number().int().min(1).max(1_000_000).nullable().default(null),
  /** The guest must give a name and an email address. */
  requireIdentity: z.boolean().default(false),
});
export type CreateRequest = z.infer<typeof createRequestSchema>;

/** An edit: any field of the creation but the place; `password: null` removes it. */
export const updateRequestSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    message: z.string().trim().max(4000),
    deadline: isoTime,
    password: z.string().min(8, 'A password needs at least 8 characters').max(1024).nullable(),
    maxBytes: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).nullable(),
    maxFiles: z.number().int().min(1).max(1_000_000).nullable(),
    requireIdentity: z.boolean(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'Change at least one field' });
export type UpdateRequest = z.infer<typeof updateRequestSchema>;

export const REQUEST_STATUSES = ['open', 'closed', 'expired'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const submissionSchema = z.object({
  id: z.string(),
  /** Space path of the submission's own subfolder. */
  folder: z.string(),
  uploaderName: z.string().nullable(),
  uploaderEmail: z.string().nullable(),
  fileCount: z.number().int(),
  bytes: z.number().int(),
  /** Top-level names of what was sent (bounded). */
  names: z.array(z.string()),
  status: z.enum(['authorized', 'running', 'completed', 'failed', 'cancelled']),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
});
export type Submission = z.infer<typeof submissionSchema>;

export const fileRequestSchema = z.object({
  id: z.string(),
  /** `<public URL>/r/<id>`: what the requester hands out. */
  url: z.string(),
  userId: z.string(),
  /** The requester's display name (a deleted account's requests go with it). */
  requesterName: z.string(),
  spaceId: z.string(),
  folder: z.string(),
  title: z.string(),
  message: z.string(),
  deadline: z.string(),
  hasPassword: z.boolean(),
  maxBytes: z.number().int().nullable(),
  maxFiles: z.number().int().nullable(),
  requireIdentity: z.boolean(),
  status: z.enum(REQUEST_STATUSES),
  closedAt: z.string().nullable(),
  createdAt: z.string(),
  /** Completed submissions and what they carried. */
  submissionCount: z.number().int(),
  bytesReceived: z.number().int(),
});
export type FileRequest = z.infer<typeof fileRequestSchema>;

export const fileRequestResponseSchema = z.object({ request: fileRequestSchema });
export const fileRequestDetailSchema = z.object({ request: fileRequestSchema, submissions: z.array(submissionSchema) });
export type FileRequestDetail = z.infer<typeof fileRequestDetailSchema>;
export const fileRequestsResponseSchema = z.object({ requests: z.array(fileRequestSchema) });
export const listRequestsQuerySchema = z.object({
  /** Admins: every request; managers: a space's (with spaceId). Default: the caller's own. */
  spaceId: z.string().max(64).optional(),
  all: z.enum(['true', 'false']).optional(),
  /** Words found in the title or the requester's display name, any case. */
  q: z.string().trim().max(200).optional(),
});

/** What a guest sees: the request, never the folder or anyone's uploads. */
export const publicRequestSchema = z.object({
  id: z.string(),
  title: z.string(),
  /** Null until a password-protected request is unlocked. */
  message: z.string().nullable(),
  deadline: z.string(),
  maxBytes: z.number().int().nullable(),
  maxFiles: z.number().int().nullable(),
  requireIdentity: z.boolean(),
  passwordRequired: z.boolean(),
  /** The browser holds this request's unlock cookie (or there is no password). */
  unlocked: z.boolean(),
  /** Who asked, by display name. */
  requester: z.string(),
});
export type PublicRequest = z.infer<typeof publicRequestSchema>;

export const unlockRequestSchema = z.object({ password: z.string().min(1, 'Enter the password').max(1024) });

export const submitRequestSchema = z.object({
  name: z.string().trim().max(100).optional(),
  email: z.email().max(254).optional(),
  /** Files relative to the submission's folder (a dropped tree keeps its folders), with sizes. */
  files: z
    .array(z.object({ path: spacePathSchema, size: z.number().int().min(0) }))
    .min(1, 'Choose at least one file')
    .max(MAX_TRANSFER_FILES),
  /** Folders of a dropped tree with nothing in them, relative to the submission's folder: created too. */
  emptyFolders: z.array(spacePathSchema).max(MAX_TRANSFER_FILES).optional(),
});
export type SubmitRequest = z.infer<typeof submitRequestSchema>;

export const submitResponseSchema = z.object({
  submission: z.object({ id: z.string(), folderName: z.string(), fileCount: z.number().int(), bytes: z.number().int() }),
  transferSpec: z.record(z.string(), z.unknown()),
  /** The HTTP Gateway that carries the upload. */
  gatewayUrl: z.string(),
  tokenLifeSeconds: z.number().int(),
});
export type SubmitResponse = z.infer<typeof submitResponseSchema>;
