import { z } from 'zod';
import { userSchema } from './session';

export const USERNAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$/;

export const createUserRequestSchema = z.object({
  username: z.string().trim().regex(USERNAME_PATTERN, 'Use 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit'),
  displayName: z.string().trim().min(1).max(200),
  password: z.string().min(8, 'Use at least 8 characters').max(1024),
  isAdmin: z.boolean().default(false),
});

export const usersResponseSchema = z.object({ users: z.array(userSchema) });

export const groupSchema = z.object({ id: z.string(), name: z.string(), memberIds: z.array(z.string()) });
export type Group = z.infer<typeof groupSchema>;
export const createGroupRequestSchema = z.object({ name: z.string().trim().min(1).max(200) });

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
