import { z } from 'zod';
import { userSchema } from './session';

export const USERNAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$/;

export const createUserRequestSchema = z.object({
  username: z.string().trim().regex(USERNAME_PATTERN, 'Use 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit'),
  displayName: z.string().trim().min(1).max(200),
  password: z.string().min(8, 'Use at least 8 characters').max(1024),
  isAdmin: z.boolean().default(false),
  email: z.string().trim().email('Enter an email address like name@example.com').max(320).optional(),
});

/** A user as the admin console sees them: never their password hash. */
export const adminUserSchema = userSchema.extend({
  email: z.string().nullable(),
  disabled: z.boolean(),
});
export type AdminUser = z.infer<typeof adminUserSchema>;

/** `GET /api/users`: one page, by username, of the users matching `search`. */
export const usersQuerySchema = z.object({
  search: z.string().max(200).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const usersResponseSchema = z.object({ users: z.array(adminUserSchema), total: z.number().int() });
export type UsersPage = z.infer<typeof usersResponseSchema>;

/** `PATCH /api/users/:id`: only the fields sent change. An empty email removes it. */
export const updateUserRequestSchema = z
  .object({
    displayName: z.string().trim().min(1).max(200),
    email: z.union([z.literal(''), z.string().trim().email('Enter an email address like name@example.com').max(320)]),
    isAdmin: z.boolean(),
    disabled: z.boolean(),
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'Send at least one of displayName, email, isAdmin, disabled');
export type UpdateUserRequest = z.infer<typeof updateUserRequestSchema>;

/**
 * `DELETE /api/users/:id?personalSpace=`: what becomes of the user's personal space, asked, never
 * assumed: `keep` makes it a shared space admins manage (files stay), `delete` removes it and its files.
 * Their transfer records go with them.
 */
/**
 * `DELETE /api/users/:id`: what becomes of their personal space and of their transfer history
 * (`keep`: the records stay, naming them; `delete`: the records go with them), both asked.
 */
export const deleteUserQuerySchema = z.object({ personalSpace: z.enum(['keep', 'delete']), transfers: z.enum(['keep', 'delete']) });
export type DeleteUserQuery = z.infer<typeof deleteUserQuerySchema>;

/** `POST /api/users/:id/password`: a new one-time password, shown once to the admin. */
export const passwordResetResponseSchema = z.object({ password: z.string() });

export const groupSchema = z.object({ id: z.string(), name: z.string(), memberIds: z.array(z.string()) });
export type Group = z.infer<typeof groupSchema>;
export const createGroupRequestSchema = z.object({ name: z.string().trim().min(1).max(200) });
export const renameGroupRequestSchema = createGroupRequestSchema;

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  userId: z.string().nullable(),
  action: z.string(),
  spaceId: z.string().nullable(),
  target: z.string().nullable(),
  decision: z.enum(['allow', 'deny']),
  reason: z.string().nullable(),
});

/** A login counter at its limit: `account-ip` locks one address out of one account, `ip` one address out of all, `account` one account for everyone. */
export const loginLockSchema = z.object({
  key: z.string(),
  kind: z.enum(['account-ip', 'ip', 'account']),
  account: z.string().nullable(),
  ip: z.string().nullable(),
  failures: z.number().int(),
  lockedUntil: z.string(),
});
export type LoginLock = z.infer<typeof loginLockSchema>;
export const loginLocksResponseSchema = z.object({ locks: z.array(loginLockSchema) });
