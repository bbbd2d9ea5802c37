import { randomBytes, randomUUID } from 'node:crypto';
import { API_TOKEN_PREFIX, type ApiToken, type CreateApiTokenRequest, type CreatedApiToken } from '../../../contract/api-tokens';
import type { User } from '../../../contract/session';
import { ERRORS } from '../../errors';
import type { AuditLog } from '../audit/audit-log';
import { hashTokenSecret, parseTokenScopes, type AuthService } from '../auth/auth-service';
import type { ApiTokenRow, ApiTokensRepository } from './api-tokens-repository';

// A person's scripts need a handful; the bound keeps the list one page and a runaway script finite.
export const MAX_TOKENS_PER_USER = 50;
const DAY_MS = 86_400_000;

/** Creating, listing and revoking one's own personal API tokens (docs/api-tokens.md §1). */
export function createApiTokensService(deps: { tokens: ApiTokensRepository; audit: AuditLog; auth: Pick<AuthService, 'tokenRevoked'> }) {
  const { tokens, audit } = deps;
  return {
    async create(user: User, input: CreateApiTokenRequest, now = Date.now()): Promise<CreatedApiToken> {
      if (input.scopes.includes('admin') && !user.isAdmin) {
        await audit.record({ userId: user.id, action: 'api-token-create', decision: 'deny', reason: 'admin scope for a non-admin' });
        throw ERRORS.Forbidden('give a token the admin scope');
      }
      if ((await tokens.countForUser(user.id)) >= MAX_TOKENS_PER_USER)
        throw ERRORS.Conflict(`You have ${MAX_TOKENS_PER_USER} API tokens, the most one person may hold. Revoke one first.`);
      // 256 random bits: the stored SHA-256 cannot be searched back to the secret.
      const secret = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      const row: ApiTokenRow = {
        id: randomUUID(),
        user_id: user.id,
        name: input.name,
        secret_hash: hashTokenSecret(secret),
        scopes: [...input.scopes].sort().join(','),
        created_at: now,
        expires_at: now + input.expiresInDays * DAY_MS,
        last_used_at: null,
      };
      await tokens.insert(row);
      await audit.record({
        userId: user.id,
        action: 'api-token-create',
        target: row.id,
        decision: 'allow',
        reason: `${JSON.stringify(row.name)} (${row.scopes}) until ${new Date(row.expires_at).toISOString()}`,
      });
      return { token: toApiToken(row), secret };
    },

    async list(user: User): Promise<ApiToken[]> {
      return (await tokens.listForUser(user.id)).map(toApiToken);
    },

    async revoke(user: User, id: string): Promise<void> {
      const row = await tokens.findById(id);
      if (!row || row.user_id !== user.id || !(await tokens.delete(user.id, id))) throw ERRORS.NotFound('This API token');
      deps.auth.tokenRevoked(id);
      await audit.record({ userId: user.id, action: 'api-token-revoke', target: id, decision: 'allow', reason: JSON.stringify(row.name) });
    },
  };
}

export type ApiTokensService = ReturnType<typeof createApiTokensService>;

function toApiToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    scopes: parseTokenScopes(row.scopes),
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
  };
}
