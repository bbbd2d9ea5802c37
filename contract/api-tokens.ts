import { z } from 'zod';

/**
 * What a personal API token may do (docs/api-tokens.md §2): `read` every GET a member makes,
 * `transfer` also the changes a member makes in their spaces, `admin` the admin routes (admins only).
 * Every token reads; the route-by-route table is server/features/api-tokens/token-scopes.ts.
 */
export const TOKEN_SCOPES = ['read', 'transfer', 'admin'] as const;
export const tokenScopeSchema = z.enum(TOKEN_SCOPES);
export type TokenScope = z.infer<typeof tokenScopeSchema>;

export { MAX_TOKEN_EXPIRY_DAYS, TOKEN_EXPIRY_DAYS } from './api-token-limits';
import { MAX_TOKEN_EXPIRY_DAYS } from './api-token-limits';

export const createApiTokenRequestSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(100, 'Use at most 100 characters'),
  scopes: z
    .array(tokenScopeSchema)
    .min(1, 'Choose at least one scope')
    .max(TOKEN_SCOPES.length)
    .refine((scopes) => new Set(scopes).size === scopes.length, 'List each scope once'),
  expiresInDays: z.number().int().min(1).max(MAX_TOKEN_EXPIRY_DAYS),
});
export type CreateApiTokenRequest = z.infer<typeof createApiTokenRequestSchema>;

/** A token as listed: never its secret. Times are ISO 8601. */
export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(tokenScopeSchema),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;

export const apiTokensResponseSchema = z.object({ tokens: z.array(apiTokenSchema) });

/** The answer to a create: the only time the secret (`courier_pat_…`) is ever sent. */
export const createdApiTokenResponseSchema = z.object({ token: apiTokenSchema, secret: z.string() });
export type CreatedApiToken = z.infer<typeof createdApiTokenResponseSchema>;

/** Every token starts with this, so a secret scanner (and a person) recognizes one in a leak. */
export const API_TOKEN_PREFIX = 'courier_pat_';
