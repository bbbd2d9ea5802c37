import type { CreateTransferRequest } from '../../../contract/transfers';
import type { PublicDownload, PublicFolder, PublicShare, PublicShareItem } from '../../../contract/shares';
import { roleAllows } from '../../../contract/roles';
import type { User } from '../../../contract/session';
import { ERRORS } from '../../errors';
import type { ConcurrencyLimiter } from '../../lib/concurrency-limiter';
import type { AuditLog } from '../audit/audit-log';
import { verifyPassword } from '../auth/password';
import type { UsersRepository } from '../auth/users-repository';
import type { FilesService } from '../files/files-service';
import { nodeFailure, type NodeClients } from '../nodes/node-clients';
import type { Notifier } from '../notifications/notifier';
import type { SpaceAccess, SpaceGrant } from '../spaces/space-access';
import { spaceToNodePath } from '../spaces/space-path';
import type { TransferRow } from '../transfers/transfers-repository';
import type { TransfersService } from '../transfers/transfers-service';
import type { ShareAccessCookies } from './share-access-cookie';
import type { SharePasswordThrottle } from './share-password-throttle';
import { sharedItems, toSharePath, toSpacePath } from './share-paths';
import { shareStatus } from './share-view';
import type { ListedShare, SharesRepository } from './shares-repository';

/** Who is asking, as far as a public route knows: an address, a browser, the link's access cookie. */
export interface Visitor {
  ip: string;
  userAgent: string | undefined;
  accessCookie: string | undefined;
}

interface Usable {
  share: ListedShare;
  sharer: User;
  grant: SpaceGrant;
  items: Map<string, string>;
}

const GONE = { revoked: ERRORS.ShareRevoked, expired: ERRORS.ShareExpired, 'used-up': ERRORS.ShareUsedUp } as const;

/**
 * What a share link's recipient may do without an account (docs/sharing.md §3–§8). Every request
 * is decided again from the link and from the sharer's rights of now; a download ends in the same
 * token-authorized spec the sharer would get, scoped to the asked paths inside the link.
 */
export function createPublicSharesService(deps: {
  shares: SharesRepository;
  users: UsersRepository;
  access: SpaceAccess;
  clients: NodeClients;
  files: FilesService;
  transfers: TransfersService;
  audit: AuditLog;
  notifier: Notifier;
  throttle: SharePasswordThrottle;
  hashing: ConcurrencyLimiter;
  cookies: ShareAccessCookies;
}) {
  const { shares, users, access, clients, files, transfers, audit, notifier, throttle, hashing, cookies } = deps;

  const record = (share: ListedShare, action: string, decision: 'allow' | 'deny', visitor: Visitor, reason: string, target?: string) =>
    audit.record({
      userId: null,
      action,
      spaceId: share.space_id,
      target: `share ${share.id}${target ? `: ${target}` : ''}`,
      decision,
      reason: `${reason}; from ${visitor.ip}`,
    });

  /** The link if it may be used now (live, sharer still allowed); `unlocked` also asks for its password. */
  async function usable(id: string, visitor: Visitor, action: string, unlocked = true): Promise<Usable> {
    const share = await shares.find(id);
    // Unknown ids are not audited: guessing would only fill the log (the answer is all it learns).
    if (!share) throw ERRORS.NotFound('This link');
    const status = shareStatus(share);
    if (status !== 'active') {
      await record(share, action, 'deny', visitor, `link ${status}`);
      throw GONE[status]();
    }
    // docs/sharing.md §6: the link lends the sharer's rights of now, never those they had.
    const owner = await users.findById(share.owner_user_id);
    const sharer = owner && owner.disabled !== 1 ? toUser(owner) : null;
    const grant = sharer ? await access.roleIn(sharer, share.space_id) : null;
    if (!sharer || !grant || !roleAllows(grant.role, 'download')) {
      await record(share, action, 'deny', visitor, 'the sharer no longer may download from the space');
      throw ERRORS.ShareUnavailable();
    }
    if (unlocked && share.password_hash !== null && !cookies.valid(visitor.accessCookie, share.id, share.password_hash))
      throw ERRORS.SharePasswordRequired();
    return { share, sharer, grant, items: sharedItems(JSON.parse(share.paths_json) as string[]) };
  }

  return {
    async open(id: string, visitor: Visitor): Promise<PublicShare> {
      const { share, grant, items } = await usable(id, visitor, 'share-open');
      const { space } = grant;
      const { node, client } = await clients.forNode(space.node_id);
      const listed: PublicShareItem[] = [];
      for (const [name, spacePath] of items) {
        const result = await client.browse({ path: spaceToNodePath(space.root_path, spacePath), count: 1 }).catch((error: unknown) => {
          // A shared item deleted since is left out; the rest is still shared.
          const failure = nodeFailure(node.name, error, { notFound: () => ERRORS.PathNotFound(spacePath) });
          if ((failure as { code?: string }).code === 'PATH_NOT_FOUND') return null;
          throw failure;
        });
        const self = result?.self;
        if (!self) continue;
        const type = self.type === 'directory' ? 'folder' : self.type === 'symbolic_link' ? 'link' : 'file';
        listed.push({ name, path: `/${name}`, type, size: type === 'folder' ? 0 : self.size, modifiedAt: self.mtime });
      }
      await record(share, 'share-open', 'allow', visitor, 'opened');
      const fileItems = listed.filter((i) => i.type !== 'folder');
      return {
        id: share.id,
        senderName: share.owner_name,
        note: share.note,
        expiresAt: share.expires_at === null ? null : new Date(share.expires_at).toISOString(),
        items: listed,
        fileCount: fileItems.length,
        folderCount: listed.length - fileItems.length,
        fileBytes: fileItems.reduce((sum, i) => sum + i.size, 0),
      };
    },

    /** Checks the password (throttled) and answers the access cookie's value for this link. */
    async unlock(id: string, password: string, visitor: Visitor): Promise<string> {
      const { share } = await usable(id, visitor, 'share-unlock', false);
      if (share.password_hash === null) throw ERRORS.BadRequest('This link has no password.');
      const reserved = await throttle.reserve(share.id, visitor.ip);
      if ('retryAfterSeconds' in reserved) {
        await record(share, 'share-unlock', 'deny', visitor, 'too many wrong passwords');
        throw ERRORS.SharePasswordAttempts(reserved.retryAfterSeconds);
      }
      const hash = share.password_hash;
      const check = hashing.tryRun(() => verifyPassword(password, hash));
      if (!check) {
        await reserved.cancel();
        throw ERRORS.ServerBusy();
      }
      if (!(await check)) {
        await reserved.failed();
        await record(share, 'share-unlock', 'deny', visitor, 'wrong password');
        throw ERRORS.SharePasswordWrong();
      }
      await reserved.succeeded();
      await record(share, 'share-unlock', 'allow', visitor, 'password given');
      return cookies.issue(share.id, hash);
    },

    async browse(id: string, query: { path: string; skip: number; count: number }, visitor: Visitor): Promise<PublicFolder> {
      const { share, sharer, items } = await usable(id, visitor, 'share-browse');
      const spacePath = toSpacePath(items, query.path);
      const page = await files.listFolder(sharer, share.space_id, { path: spacePath, skip: query.skip, count: query.count, sort: 'name' });
      return {
        path: toSharePath(items, page.path) ?? '/',
        items: page.items.flatMap((item) => {
          const path = toSharePath(items, item.path);
          return path === null ? [] : [{ ...item, path }];
        }),
        skip: page.skip,
        totalCount: page.totalCount,
      };
    },

    /**
     * A download's spec, authorized as the sharer downloading the same paths now (docs/sharing.md
     * §5), with a receipt. Nothing is counted here: only the node's report of completion counts.
     */
    async download(
      id: string,
      request: { paths: string[]; client?: 'http-gateway' | 'desktop' | undefined },
      visitor: Visitor,
    ): Promise<PublicDownload> {
      const { share, sharer, items } = await usable(id, visitor, 'share-download');
      const spacePaths = request.paths.map((raw) => toSpacePath(items, raw));
      const downloadRequest: Extract<CreateTransferRequest, { direction: 'download' }> = {
        spaceId: share.space_id,
        direction: 'download',
        paths: [...new Set(spacePaths)],
        except: [],
        ...(request.client ? { client: request.client } : {}),
      };
      const created = await transfers.downloadForShare(sharer, downloadRequest, share.id);
      const sharePaths = spacePaths.map((p) => toSharePath(items, p) ?? p);
      await shares.insertDownload({
        transfer_id: created.transfer.id,
        share_id: share.id,
        paths_json: JSON.stringify(sharePaths.slice(0, 100)),
        source_address: visitor.ip,
        user_agent: visitor.userAgent?.slice(0, 500) ?? null,
        created_at: Date.now(),
        counted_at: null,
      });
      await record(share, 'share-download', 'allow', visitor, `download ${created.transfer.id} authorized`, sharePaths.join(', '));
      return {
        transferId: created.transfer.id,
        transferSpec: created.transferSpec,
        clients: created.clients,
        tokenLifeSeconds: created.tokenLifeSeconds,
      };
    },

    /** The tracker's report of a transfer's end: a link's completed download counts, once, and is told. */
    async transferEnded(row: TransferRow): Promise<void> {
      if (!row.share_id || row.status !== 'completed') return;
      const count = await shares.countCompleted(row.id, row.share_id);
      if (count === null) return;
      const share = await shares.find(row.share_id);
      if (!share) return;
      const receipt = await shares.findDownload(row.id);
      const paths = receipt ? (JSON.parse(receipt.paths_json) as string[]) : [];
      await audit.record({
        userId: null,
        action: 'share-download-complete',
        spaceId: share.space_id,
        target: `share ${share.id}: ${paths.join(', ')}`,
        decision: 'allow',
        reason: `download ${count}${share.max_downloads === null ? '' : ` of ${share.max_downloads}`}; from ${receipt?.source_address ?? 'unknown'}`,
      });
      if (share.notify === 'never' || (share.notify === 'first' && count !== 1)) return;
      const owner = await users.findById(share.owner_user_id);
      const what = paths.length === 1 ? (paths[0] ?? '').replace(/^\//, '') : `${paths.length} items`;
      await notifier.notify({
        userId: share.owner_user_id,
        email: owner?.email ?? null,
        kind: 'share.downloaded',
        subject: `Someone downloaded ${what} through your link`,
        text: [
          `${what} was downloaded through your share link (download ${count}${share.max_downloads === null ? '' : ` of ${share.max_downloads}`}).`,
          `From: ${receipt?.source_address ?? 'unknown address'}`,
          `When: ${new Date(row.ended_at ?? Date.now()).toISOString()}`,
        ].join('\n'),
        link: '/links',
      });
    },
  };
}

export type PublicSharesService = ReturnType<typeof createPublicSharesService>;

function toUser(row: { id: string; username: string; display_name: string; is_admin: number }): User {
  return { id: row.id, username: row.username, displayName: row.display_name, isAdmin: row.is_admin === 1 };
}
