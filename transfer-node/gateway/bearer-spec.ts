/**
 * A transfer spec that carries an A3 bearer token instead of one of this node's transfer tokens
 * (docs/node-api.md §6.4): `token: "Bearer <token>"` and `tags.aspera.node.access_key`, as ascli
 * builds gen4 specs. The token is verified with the access key's public key, every path must lie
 * in the key's storage, and the user must hold `write` on the upload's destination or `read` on
 * each download source. What it allows is then expressed as the grant a transfer token would carry,
 * so the gateway's checks (links, declared files, spent uploads) apply unchanged.
 */
import type { NodeContext } from '../context';
import { verifyBearerToken } from '../access/bearer-token';
import { requireAt, type Principal } from '../access/principal';
import { ERRORS } from '../errors';
import { isWithin, parseNodePath, toNodePath } from '../storage/node-path';
import type { Direction, TransferGrant } from '../tokens/transfer-token';
import type { GatewaySpec } from './gateway-spec';

// This node's own transfer tokens (docs/node-api.md §1.3); base64 never holds `_`, so no bearer token starts so.
const OWN_TOKEN = /^(?:(?:Bearer|Token)\s+)?ATC1_/i;

/** The grant of an A3 spec, or null when the spec carries no bearer token (a transfer token, or none). */
export function bearerGrant(ctx: NodeContext, spec: GatewaySpec, token: string | undefined, direction: Direction): TransferGrant | null {
  const keyId = accessKeyTag(spec.tags);
  if (token === undefined || OWN_TOKEN.test(token) || keyId === undefined) return null;
  const key = ctx.accessKeys.get(keyId);
  if (!key) throw ERRORS.tokenInvalid('Unknown access key');
  const bare = token.replace(/^Bearer\s+/i, '');
  const claims = verifyBearerToken(bare, key);
  const principal: Principal = { kind: 'bearer', key, claims, token: bare };
  const exp = Math.floor(claims.expiresAtMs / 1000);
  const user = ctx.settings.transferUser;
  const inStorage = (nodePath: string) => {
    if (!isWithin(key.storage_path, nodePath)) throw ERRORS.forbidden(`${nodePath} is outside the access key's storage`);
    return nodePath;
  };
  if (direction === 'send') {
    const root = inStorage(toNodePath(parseNodePath(spec.destination_root ?? key.storage_path, { allowLeadingSlash: true })));
    requireAt(ctx, principal, 'write', root);
    // Any file under the root (the permission covers the folder), one upload per request.
    return { direction, user, exp, destinationRoot: root, grant: ctx.grants.create(exp, []), replace: true, accessKey: key.id };
  }
  const root = parseNodePath(spec.source_root ?? '', { allowLeadingSlash: true });
  if (spec.paths.length === 0) throw ERRORS.badRequest('The spec lists no paths');
  const paths = spec.paths.map((p) => {
    if (typeof p.source !== 'string') throw ERRORS.badRequest('Each path needs a source');
    const nodePath = inStorage(toNodePath([...root, ...parseNodePath(p.source, { allowLeadingSlash: true })]));
    requireAt(ctx, principal, 'read', nodePath);
    return nodePath;
  });
  return { direction, user, exp, paths, accessKey: key.id };
}

function accessKeyTag(tags: unknown): string | undefined {
  const node = (tags as { aspera?: { node?: { access_key?: unknown } } } | undefined)?.aspera?.node;
  return typeof node?.access_key === 'string' ? node.access_key : undefined;
}
