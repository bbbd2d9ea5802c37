import { z } from 'zod';

export const NOTIFICATIONS_PAGE_SIZE_MAX = 100;
/** Ids one "mark read" may name; the bell's panel shows far fewer. */
export const MARK_READ_IDS_MAX = 200;

/** One in-app notification, as the bell's panel shows it. */
export const notificationSchema = z.object({
  id: z.string(),
  kind: z.string(),
  subject: z.string(),
  text: z.string(),
  /** A path in the SPA (`/files/…`) or an absolute URL; null: nothing to open. */
  link: z.string().nullable(),
  createdAt: z.string(),
  read: z.boolean(),
});
export type Notification = z.infer<typeof notificationSchema>;

export const notificationsQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(NOTIFICATIONS_PAGE_SIZE_MAX).default(20),
});

/** The caller's notifications, newest first, a page at a time, with how many are unread in all. */
export const notificationsPageSchema = z.object({
  notifications: z.array(notificationSchema),
  total: z.number().int(),
  unread: z.number().int(),
});
export type NotificationsPage = z.infer<typeof notificationsPageSchema>;

/** Marks some of the caller's notifications read (`ids`), or all of them (`all: true`). */
export const markReadRequestSchema = z.union([
  z.object({ ids: z.array(z.string().min(1).max(100)).min(1).max(MARK_READ_IDS_MAX) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);
export type MarkReadRequest = z.infer<typeof markReadRequestSchema>;

export const markReadResponseSchema = z.object({ unread: z.number().int() });

export const MAIL_STATUSES = ['queued', 'sending', 'sent', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/** Where mail goes: an SMTP server (never its password) or the outbox folder of `.eml` files. */
export const mailDestinationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('smtp'), host: z.string(), port: z.number().int(), secure: z.boolean(), username: z.string().nullable() }),
  z.object({ kind: z.literal('outbox'), folder: z.string() }),
]);
export type MailDestination = z.infer<typeof mailDestinationSchema>;

export const mailMessageSchema = z.object({
  id: z.string(),
  to: z.string(),
  subject: z.string(),
  status: z.enum(MAIL_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
});
export type MailMessage = z.infer<typeof mailMessageSchema>;

/** The admin's view of the mail queue: where it goes, how many in each state, what waits or failed. */
export const mailStatusSchema = z.object({
  destination: mailDestinationSchema,
  from: z.string(),
  maxAttempts: z.number().int(),
  counts: z.object({ queued: z.number().int(), sending: z.number().int(), sent: z.number().int(), failed: z.number().int() }),
  /** Failed, queued and sending messages, newest first (at most 100). */
  messages: z.array(mailMessageSchema),
});
export type MailStatusResponse = z.infer<typeof mailStatusSchema>;

/** A test notice to the admin who asks: in the bell, and by mail to `email` (default: their own address). */
export const mailTestRequestSchema = z.object({ email: z.email().max(320).optional() }).strict();
export const mailTestResponseSchema = z.object({ email: z.string().nullable() });
