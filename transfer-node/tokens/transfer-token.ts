/**
 * Transfer tokens in the ATM…MTA family shape (docs/node-api.md §1.3): `ATC1_<sealed>_1CTA`. The sealed
 * payload binds direction (client view, as in the spec), transfer user, expiry, and the authorized
 * node paths (download) or destination root (upload). An upload token also names its grant
 * (transfers/upload-grants.ts: the declared files, spent once used) and whether it may replace
 * existing files: the application decides that at setup, the spec the browser sends cannot widen it.
 * Opaque to clients.
 */
import { z } from 'zod';
import { ERRORS } from '../errors';
import { isWithin } from '../storage/node-path';
import { SealedBox } from './sealed-box';

const PREFIX = 'ATC1_';
const SUFFIX = '_1CTA';

// `tags` and `cookie` of the setup request ride in the token, so the transfer records the portal
// correlates by (GET /ops/transfers) cannot be relabelled by the browser that carries the spec.
// `accessKey` names the key a transfer was set up under, so `/ops/transfers` shows a key only its own
// (docs/node-api.md §6.4).
const bound = {
  user: z.string(),
  exp: z.number(),
  tags: z.unknown().optional(),
  cookie: z.string().optional(),
  accessKey: z.string().optional(),
};
const grantSchema = z.discriminatedUnion('direction', [
  z.object({ direction: z.literal('send'), destinationRoot: z.string(), grant: z.string(), replace: z.boolean(), ...bound }),
  z.object({ direction: z.literal('receive'), paths: z.array(z.string()).min(1), ...bound }),
]);

export type TransferGrant = z.infer<typeof grantSchema>;
export type Direction = TransferGrant['direction'];

export class TransferTokens {
  private readonly box: SealedBox;

  constructor(
    key: Buffer,
    private readonly transferUser: string,
  ) {
    this.box = new SealedBox(key, 'courier-transfer-token-v1');
  }

  mint(grant: TransferGrant): string {
    return PREFIX + this.box.seal(grant) + SUFFIX;
  }

  /**
   * The grant of a token this node sealed, whatever its expiry, user or direction; null for
   * anything else. Only to say which transfer a refused request was for, never to authorize it.
   */
  open(token: unknown): TransferGrant | null {
    if (typeof token !== 'string') return null;
    const bare = token.replace(/^(Bearer|Token)\s+/i, '');
    if (!bare.startsWith(PREFIX) || !bare.endsWith(SUFFIX) || bare.length > 64 * 1024) return null;
    try {
      const parsed = grantSchema.safeParse(this.box.open(bare.slice(PREFIX.length, -SUFFIX.length)));
      return parsed.success ? parsed.data : null;
    } catch {
      return null; // malformed, or sealed by another node
    }
  }

  /** Opens and checks a token for `direction`; `now` in ms. Never returns an expired grant. */
  verify(token: unknown, direction: Direction, now = Date.now()): TransferGrant {
    if (typeof token !== 'string' || token.length === 0) throw ERRORS.tokenInvalid('A transfer token is required');
    // Clients may pass the token as an Authorization value (docs/transfer-spec.md §2.2 `token`).
    const bare = token.replace(/^(Bearer|Token)\s+/i, '');
    if (!bare.startsWith(PREFIX) || !bare.endsWith(SUFFIX) || bare.length > 64 * 1024) {
      throw ERRORS.tokenInvalid('Token is not a transfer token of this node');
    }
    const parsed = grantSchema.safeParse(this.box.open(bare.slice(PREFIX.length, -SUFFIX.length)));
    if (!parsed.success) throw ERRORS.tokenInvalid('Token is invalid or has been tampered with');
    const grant = parsed.data;
    if (grant.exp * 1000 <= now) throw ERRORS.tokenInvalid('Token has expired');
    if (grant.user !== this.transferUser) throw ERRORS.tokenInvalid('Token was issued for another transfer user');
    if (grant.direction !== direction) {
      throw ERRORS.forbidden(
        direction === 'send' ? 'A download token cannot be used to upload' : 'An upload token cannot be used to download',
      );
    }
    return grant;
  }
}

/** True when a requested node path is covered by the grant (a folder grant covers its content). */
export function grantCovers(grant: TransferGrant, nodePath: string): boolean {
  if (grant.direction === 'send') return isWithin(grant.destinationRoot, nodePath);
  return grant.paths.some((p) => isWithin(p, nodePath));
}
