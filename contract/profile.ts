import { z } from 'zod';

/** `PATCH /api/profile`: only the fields sent change. An empty email removes it. */
export const updateProfileRequestSchema = z
  .object({
    displayName: z.string().trim().min(1, 'Enter a display name').max(200),
    email: z.union([z.literal(''), z.string().trim().email('Enter an email address like name@example.com').max(320)]),
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'Send displayName, email or both');
export type UpdateProfileRequest = z.infer<typeof updateProfileRequestSchema>;

/** `GET /api/profile`: what the person may change about themselves (their email is where notices go). */
export const profileSchema = z.object({ displayName: z.string(), email: z.string().nullable() });
export type Profile = z.infer<typeof profileSchema>;

export const changePasswordRequestSchema = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(8, 'Use at least 8 characters').max(1024),
});

/** One of the caller's sessions. `id` is a reference derived from the stored hash, never the cookie's token. */
export const profileSessionSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export type ProfileSession = z.infer<typeof profileSessionSchema>;
export const profileSessionsResponseSchema = z.object({ sessions: z.array(profileSessionSchema) });
export const endedSessionsResponseSchema = z.object({ ended: z.number().int() });
