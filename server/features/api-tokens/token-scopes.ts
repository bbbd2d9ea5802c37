import type { TokenScope } from '../../../contract/api-tokens';

/** What a route asks of an API token: a scope, or `session` for a route no token may call. */
export type TokenNeed = TokenScope | 'session';

/**
 * The one table of what each /api route needs from a personal API token (docs/api-tokens.md §2),
 * keyed `METHOD /route/pattern` as Fastify registers it. Public routes (`config.auth: 'public'`)
 * need no caller and are not listed. A route missing here is refused to every token (`session`),
 * and server/features/api-tokens/token-scopes.test.ts fails until it is listed.
 *
 * - `read`: the GET routes a member uses. Every token has it.
 * - `transfer`: the changes a member makes in their spaces (transfers, files and folders, and a
 *   manager's member changes).
 * - `admin`: the admin routes, GET ones included; only an admin may hold it, and without it an
 *   admin's token acts as a member (no admin override of space roles).
 * - `session`: the account itself (password, sessions, tokens, logout): a leaked token must not
 *   be able to keep itself alive or mint another.
 */
export const TOKEN_NEEDS: Readonly<Record<string, TokenNeed>> = {
  'GET /api/session': 'read',
  'DELETE /api/session': 'session',

  'GET /api/spaces': 'read',
  'GET /api/spaces/:spaceId': 'read',
  'GET /api/spaces/:spaceId/members': 'read',
  'GET /api/spaces/:spaceId/member-candidates': 'read',
  'GET /api/spaces/:spaceId/files': 'read',
  'GET /api/transfers': 'read',
  'GET /api/transfers/:transferId': 'read',
  'GET /api/transfers/events': 'read',
  'GET /api/notifications': 'read',
  'GET /api/shares': 'read',
  'GET /api/shares/:shareId': 'read',
  'GET /api/requests': 'read',
  'GET /api/requests/:requestId': 'read',
  'GET /api/packages': 'read',
  'GET /api/packages/directory': 'read',
  'GET /api/packages/:packageId': 'read',

  'POST /api/transfers': 'transfer',
  'PATCH /api/transfers/:transferId': 'transfer',
  'POST /api/spaces/:spaceId/folders': 'transfer',
  'POST /api/spaces/:spaceId/rename': 'transfer',
  'POST /api/spaces/:spaceId/delete': 'transfer',
  'POST /api/spaces/:spaceId/name-conflicts': 'transfer',
  'POST /api/spaces/:spaceId/copy': 'transfer',
  'PUT /api/spaces/:spaceId/members': 'transfer',
  'DELETE /api/spaces/:spaceId/members/:principalType/:principalId': 'transfer',
  'POST /api/notifications/read': 'transfer',
  'POST /api/shares': 'transfer',
  'PATCH /api/shares/:shareId': 'transfer',
  'DELETE /api/shares/:shareId': 'transfer',
  'POST /api/requests': 'transfer',
  'PATCH /api/requests/:requestId': 'transfer',
  'DELETE /api/requests/:requestId': 'transfer',
  'POST /api/packages': 'transfer',
  'POST /api/packages/from-space': 'transfer',
  'POST /api/packages/:packageId/downloads': 'transfer',
  'PATCH /api/packages/:packageId': 'transfer',
  'PUT /api/packages/:packageId/archive': 'transfer',
  'DELETE /api/packages/:packageId': 'transfer',

  'POST /api/spaces': 'admin',
  'PATCH /api/spaces/:spaceId': 'admin',
  'DELETE /api/spaces/:spaceId': 'admin',
  'GET /api/admin/spaces': 'admin',
  'GET /api/admin/space-conflicts': 'admin',
  'GET /api/admin/nodes': 'admin',
  'GET /api/admin/audit': 'admin',
  'GET /api/admin/audit.csv': 'admin',
  'GET /api/admin/settings': 'admin',
  'PUT /api/admin/settings/:key': 'admin',
  'GET /api/admin/login-locks': 'admin',
  'DELETE /api/admin/login-locks': 'admin',
  'GET /api/nodes': 'admin',
  'POST /api/nodes': 'admin',
  'PATCH /api/nodes/:nodeId': 'admin',
  'DELETE /api/nodes/:nodeId': 'admin',
  'POST /api/nodes/:nodeId/test': 'admin',
  'GET /api/nodes/:nodeId/transfers': 'admin',
  'GET /api/users': 'admin',
  'POST /api/users': 'admin',
  'PATCH /api/users/:id': 'admin',
  'DELETE /api/users/:id': 'admin',
  'POST /api/users/:id/password': 'admin',
  'GET /api/groups': 'admin',
  'POST /api/groups': 'admin',
  'PATCH /api/groups/:groupId': 'admin',
  'DELETE /api/groups/:groupId': 'admin',
  'PUT /api/groups/:groupId/members/:userId': 'admin',
  'DELETE /api/groups/:groupId/members/:userId': 'admin',
  'GET /api/audit': 'admin',
  'GET /api/admin/mail': 'admin',
  'POST /api/admin/mail/test': 'admin',
  'POST /api/admin/mail/:mailId/retry': 'admin',

  'GET /api/profile': 'session',
  'PATCH /api/profile': 'session',
  'POST /api/profile/password': 'session',
  'GET /api/profile/sessions': 'session',
  'DELETE /api/profile/sessions': 'session',
  'DELETE /api/profile/sessions/:sessionId': 'session',
  'GET /api/profile/tokens': 'session',
  'POST /api/profile/tokens': 'session',
  'DELETE /api/profile/tokens/:tokenId': 'session',
};

/** What `method` on the route registered as `url` needs; HEAD is a GET's. Unlisted: `session`. */
export function tokenNeedOf(method: string, url: string | undefined): TokenNeed {
  const key = `${method === 'HEAD' ? 'GET' : method} ${url ?? ''}`;
  return Object.hasOwn(TOKEN_NEEDS, key) ? (TOKEN_NEEDS[key] as TokenNeed) : 'session';
}

/** Whether a token holding `scopes` may call a route that needs `need`: `read` comes with every scope. */
export function scopesGrant(scopes: readonly TokenScope[], need: TokenNeed): boolean {
  if (need === 'session') return false;
  if (need === 'read') return scopes.length > 0;
  return scopes.includes(need);
}
