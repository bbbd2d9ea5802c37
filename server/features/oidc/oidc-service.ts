import { randomUUID } from 'node:crypto';
import * as client from 'openid-client';
import { USERNAME_PATTERN } from '../../../contract/admin';
import type { Db } from '../../db/database';
import type { SecretBox } from '../../lib/secret-box';
import type { AuditLog } from '../audit/audit-log';
import type { AuthService } from '../auth/auth-service';
import { usernameKey, type UserRow, type UsersRepository } from '../auth/users-repository';

/** Why a sign-in through the identity provider did not end in a session (the login page says it). */
export type OidcFailure = 'unavailable' | 'failed' | 'denied' | 'disabled';

export class OidcError extends Error {
  override name = 'OidcError';
  constructor(
    readonly reason: OidcFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface OidcSettings {
  /** In the provider's paths and its flow; `default` for the COURIER_OIDC_ISSUER provider (docs/oidc.md §6). */
  id: string;
  /** On its button: "Sign in with <name>". */
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  groupsClaim: string;
  adminGroup: string | undefined;
}

/** What the portal keeps between /start and /callback, sealed in a short-lived cookie (docs/oidc.md §1). */
interface Flow {
  /** The provider the flow was started with: a callback at another provider's path is refused (mix-up). */
  provider: string;
  /** Where the browser goes after the sign-in: a path on this origin, checked at the start. */
  returnTo: string;
  state: string;
  nonce: string;
  verifier: string;
  /** Epoch ms: a flow is good for 10 minutes. */
  expiresAt: number;
}

export const OIDC_FLOW_TTL_SECONDS = 600;
// A provider's answer is a code, a state and an issuer: far under this. Longer is refused unread.
const MAX_CALLBACK_QUERY = 4096;
// Discovery is a request to the identity provider: a down provider answers the login page within this.
const DISCOVERY_TIMEOUT_SECONDS = 5;

/**
 * OpenID Connect sign-in (docs/oidc.md): the authorization code flow with PKCE, state and nonce,
 * users matched by (issuer, sub), groups and the admin role following the provider's claims.
 */
export function createOidcService(deps: {
  settings: OidcSettings;
  /** Where the provider sends the browser back: `<public origin>/api/auth/oidc/<id>/callback`. */
  redirectUri: string;
  /** The run-time setting oidcMatchEmail (docs/oidc.md §2), read at each first sign-in. */
  matchEmail: () => boolean;
  db: Db;
  users: UsersRepository;
  audit: AuditLog;
  auth: Pick<AuthService, 'startSession'>;
  box: SecretBox;
}) {
  const { settings, db, users, audit, box } = deps;
  // http is accepted for a provider on loopback only (config.ts): a developer's or a test's.
  const insecure = settings.issuer.startsWith('http:');
  let discovered: Promise<client.Configuration> | undefined;

  /**
   * The provider's configuration. Read afresh at every start, so that a provider that is down is
   * noticed before the browser is sent to it (a sign-in is rare: one request more); the callback
   * uses the one read at the start.
   */
  function configuration(fresh = false): Promise<client.Configuration> {
    if (fresh) discovered = undefined;
    discovered ??= client
      .discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, {
        timeout: DISCOVERY_TIMEOUT_SECONDS,
        ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        discovered = undefined;
        throw new OidcError('unavailable', `The identity provider could not be reached: ${(error as Error).message}`);
      });
    return discovered;
  }

  async function linkedUser(sub: string, claims: client.IDToken): Promise<UserRow> {
    const identity = await db
      .selectFrom('oidc_identities')
      .selectAll()
      .where('issuer', '=', settings.issuer)
      .where('sub', '=', sub)
      .executeTakeFirst();
    const now = Date.now();
    if (identity) {
      const user = await users.findById(identity.user_id);
      if (user) {
        await db
          .updateTable('oidc_identities')
          .set({ last_sign_in_at: now })
          .where('issuer', '=', settings.issuer)
          .where('sub', '=', sub)
          .execute();
        return user;
      }
    }
    const email = typeof claims.email === 'string' ? claims.email : undefined;
    let user: UserRow | undefined;
    if (deps.matchEmail() && email && claims.email_verified === true) {
      user = await db
        .selectFrom('users')
        .selectAll()
        .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
        .executeTakeFirst();
    }
    user ??= await createUser(sub, claims, email);
    await db
      .insertInto('oidc_identities')
      .values({ issuer: settings.issuer, sub, user_id: user.id, created_at: now, last_sign_in_at: now })
      .execute();
    await audit.record({ userId: user.id, action: 'oidc-link', target: `${settings.issuer} ${sub}`, decision: 'allow' });
    return user;
  }

  async function createUser(sub: string, claims: client.IDToken, email: string | undefined): Promise<UserRow> {
    const wanted = [claims.preferred_username, email?.split('@')[0], `user-${sub}`]
      .filter((v): v is string => typeof v === 'string')
      .map((v) =>
        v
          .replace(/[^a-zA-Z0-9._-]/g, '-')
          .replace(/^[^a-zA-Z0-9]+/, '')
          .slice(0, 56),
      )
      .find((v) => USERNAME_PATTERN.test(v));
    const base = wanted ?? `user-${randomUUID().slice(0, 8)}`;
    let username = base;
    for (let n = 2; await users.findByUsername(username); n += 1) username = `${base}-${n}`;
    const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : username;
    // No password: "!" is no scrypt hash, so the local form never accepts one for this user.
    const created = await users.create({
      username,
      displayName: name,
      passwordHash: '!',
      isAdmin: false,
      email: email?.slice(0, 320) ?? null,
    });
    await audit.record({
      userId: created.id,
      action: 'user-create',
      target: username,
      decision: 'allow',
      reason: 'first OpenID Connect sign-in',
    });
    return created;
  }

  /** Memberships of the groups Courier knows follow the claim; the admin role follows the admin group. */
  async function followClaims(user: UserRow, claims: client.IDToken): Promise<UserRow> {
    const raw = claims[settings.groupsClaim];
    const named = Array.isArray(raw) ? raw.filter((g): g is string => typeof g === 'string') : typeof raw === 'string' ? [raw] : [];
    const keys = new Set(named.map((g) => usernameKey(g)));
    const known = await db.selectFrom('groups').select(['id', 'name_key']).execute();
    const current = new Set(
      (await db.selectFrom('group_members').select('group_id').where('user_id', '=', user.id).execute()).map((r) => r.group_id),
    );
    for (const group of known) {
      const wanted = keys.has(group.name_key);
      if (wanted && !current.has(group.id)) await db.insertInto('group_members').values({ group_id: group.id, user_id: user.id }).execute();
      if (!wanted && current.has(group.id))
        await db.deleteFrom('group_members').where('group_id', '=', group.id).where('user_id', '=', user.id).execute();
    }
    if (settings.adminGroup !== undefined) {
      const admin = named.includes(settings.adminGroup) ? 1 : 0;
      if (admin !== user.is_admin) {
        await users.update(user.id, { is_admin: admin });
        await audit.record({
          userId: user.id,
          action: admin ? 'user-admin-grant' : 'user-admin-revoke',
          target: user.username,
          decision: 'allow',
          reason: 'OpenID Connect groups claim',
        });
      }
    }
    return (await users.findById(user.id)) as UserRow;
  }

  return {
    /**
     * Where to send the browser to sign out at the provider too (RP-initiated logout, docs/oidc.md §3),
     * or undefined when the provider has no end_session_endpoint. With client_id rather than an
     * id_token_hint: Courier does not keep ID tokens.
     */
    async endSessionUrl(postLogoutRedirectUri: string): Promise<string | undefined> {
      const config = await configuration(true);
      if (!config.serverMetadata().end_session_endpoint) return undefined;
      return client.buildEndSessionUrl(config, { client_id: settings.clientId, post_logout_redirect_uri: postLogoutRedirectUri }).href;
    },

    /** The provider's sign-in URL and the sealed flow to keep in a cookie until the callback. */
    async start(returnTo: string, now = Date.now()): Promise<{ url: string; flow: string }> {
      const config = await configuration(true);
      const flow: Flow = {
        provider: settings.id,
        returnTo,
        state: client.randomState(),
        nonce: client.randomNonce(),
        verifier: client.randomPKCECodeVerifier(),
        expiresAt: now + OIDC_FLOW_TTL_SECONDS * 1000,
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: deps.redirectUri,
        scope: 'openid profile email',
        code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
        code_challenge_method: 'S256',
        state: flow.state,
        nonce: flow.nonce,
      });
      return { url: url.href, flow: box.seal(JSON.stringify(flow)) };
    },

    /**
     * Ends the flow the provider sent the browser back with: checks state, PKCE and nonce, matches
     * or creates the user, follows the claims, and starts a session.
     */
    async finish(callbackQuery: string, sealedFlow: string | undefined, request: { ip: string; userAgent: string | undefined }) {
      if (callbackQuery.length > MAX_CALLBACK_QUERY) throw new OidcError('failed', 'The answer from the identity provider is too long.');
      const flow = openFlow(box, sealedFlow);
      if (flow.provider !== settings.id)
        throw new OidcError('failed', `The sign-in was started with another identity provider (${flow.provider}).`);
      const params = new URLSearchParams(callbackQuery);
      if (params.get('error')) throw new OidcError('denied', `The identity provider refused the sign-in: ${params.get('error')}`);
      const config = await configuration();
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(config, new URL(`${deps.redirectUri}?${callbackQuery}`), {
          pkceCodeVerifier: flow.verifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        if (error instanceof TypeError || (error as { code?: string }).code === 'OAUTH_TIMEOUT')
          throw new OidcError('unavailable', `The identity provider could not be reached: ${(error as Error).message}`);
        throw new OidcError('failed', `The sign-in could not be checked: ${(error as Error).message}`);
      }
      const claims = tokens.claims();
      if (!claims) throw new OidcError('failed', 'The identity provider sent no ID token.');
      const user = await followClaims(await linkedUser(claims.sub, claims), claims);
      if (user.disabled === 1) {
        await audit.record({ userId: user.id, action: 'oidc-sign-in', decision: 'deny', reason: 'account disabled' });
        throw new OidcError('disabled', 'This account is disabled.');
      }
      await audit.record({ userId: user.id, action: 'oidc-sign-in', target: settings.issuer, decision: 'allow' });
      return { ...(await deps.auth.startSession(user, request)), returnTo: flow.returnTo };
    },
  };
}

export type OidcService = ReturnType<typeof createOidcService>;

function openFlow(box: SecretBox, sealed: string | undefined, now = Date.now()): Flow {
  if (!sealed) throw new OidcError('failed', 'The sign-in was not started here, or took too long. Try again.');
  let flow: Flow;
  try {
    flow = JSON.parse(box.open(sealed)) as Flow;
  } catch {
    throw new OidcError('failed', 'The sign-in was not started here. Try again.');
  }
  if (now >= flow.expiresAt) throw new OidcError('failed', 'The sign-in took too long. Try again.');
  return flow;
}
