import { z } from 'zod';

export const loginRequestSchema = z.object({
  username: z.string().trim().min(1, 'Enter your username').max(128),
  password: z.string().min(1, 'Enter your password').max(1024),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  isAdmin: z.boolean(),
});
export type User = z.infer<typeof userSchema>;

/** What `POST /api/session` and `GET /api/session` return. */
export const sessionSchema = z.object({
  user: userSchema,
  /** Send back in the CSRF_HEADER (session-header.ts) on POST/PUT/PATCH/DELETE. */
  csrfToken: z.string(),
  /** ISO time after which the session ends even if used (absolute expiry). */
  expiresAt: z.string(),
  /** A session unused this long ends (COURIER_SESSION_IDLE_TIMEOUT_SECONDS). */
  idleTimeoutSeconds: z.number().int().positive(),
  /** The password was set by an admin (a one-time password): nothing but changing it is allowed. */
  passwordChangeRequired: z.boolean(),
});
export type Session = z.infer<typeof sessionSchema>;
