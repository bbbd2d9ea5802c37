import { randomBytes } from 'node:crypto';
import type { User } from '../../../contract/session';
import type { CreateShareRequest, Share, ShareDetail, UpdateShareRequest } from '../../../contract/shares';
import { ERRORS } from '../../errors';
import type { ConcurrencyLimiter } from '../../lib/concurrency-limiter';
import { nodeFailure, type NodeClients } from '../nodes/node-clients';
import type { AuditLog } from '../audit/audit-log';
import type { Notifier } from '../notifications/notifier';
import { hashPassword } from '../auth/password';
import type { SpaceAccess } from '../spaces/space-access';
import { spaceToNodePath } from '../spaces/space-path';
import { sharedItems } from './share-paths';
import { toReceipt, toShare } from './share-view';
import type { ListedShare, ShareRow, SharesRepository } from './shares-repository';

const DAY_MS = 86_400_000;
// 18 random bytes: 144 bits from the CSPRNG, above the 128 a link id must carry (docs/sharing.md §1).
const LINK_ID_BYTES = 18;

export interface ShareSettings {
  defaultExpiryDays: () => number;
  maxExpiryDays: () => number;
  neverExpires: () => boolean;
}

/**
 * Share links as their sharer, a space's managers and admins see them (docs/sharing.md §2): made
 * from what the sharer may download now, edited and revoked, each step in the audit log.
 */
export function createSharesService(deps: {
  shares: SharesRepository;
  access: SpaceAccess;
  clients: NodeClients;
  audit: AuditLog;
  hashing: ConcurrencyLimiter;
  settings: ShareSettings;
  publicOrigin: string;
  notifier: Notifier;
}) {
  const { shares, access, clients, audit, hashing, settings, publicOrigin, notifier } = deps;

  /** An expiry the settings allow: absent, the default; null, never (if allowed); else within the maximum. */
  function expiryOf(requested: string | null | undefined, now: number): number | null {
    if (requested === undefined) return now + settings.defaultExpiryDays() * DAY_MS;
    if (requested === null) {
      if (!settings.neverExpires()) throw ERRORS.BadRequest('Links must expire here; choose an expiry date.');
      return null;
    }
    const at = Date.parse(requested);
    if (at <= now) throw ERRORS.BadRequest('The expiry must be in the future.');
    const max = settings.maxExpiryDays();
    if (at > now + max * DAY_MS) throw ERRORS.BadRequest(`A link may last at most ${max} days.`);
    return at;
  }

  async function hash(password: string): Promise<string> {
    const running = hashing.tryRun(() => hashPassword(password));
    if (!running) throw ERRORS.ServerBusy();
    return running;
  }

  /** Whether `user` may see and change this link: its sharer, an admin, or a manager of its space. */
  async function mayManage(user: User, row: ListedShare): Promise<boolean> {
    if (row.owner_user_id === user.id || user.isAdmin) return true;
    return (await access.roleIn(user, row.space_id))?.role === 'manager';
  }

  async function managed(user: User, id: string): Promise<ListedShare> {
    const row = await shares.find(id);
    // Another person's link answers as a missing one: ids are not probed through this route.
    if (!row || !(await mayManage(user, row))) throw ERRORS.NotFound('This link');
    return row;
  }

  const found = async (id: string): Promise<ListedShare> => {
    const row = await shares.find(id);
    if (!row) throw ERRORS.NotFound('This link');
    return row;
  };

  return {
    async create(user: User, request: CreateShareRequest): Promise<Share> {
      const paths: string[] = [];
      for (const raw of request.paths) paths.push(await access.confine(user, request.spaceId, 'download', raw));
      sharedItems(paths);
      const { space } = await access.authorize(user, request.spaceId, 'download', paths.join('\n'));
      const { node, client } = await clients.forNode(space.node_id);
      let folders = 0;
      for (const path of paths) {
        const found = await client.browse({ path: spaceToNodePath(space.root_path, path), count: 1 }).catch((error: unknown) => {
          throw nodeFailure(node.name, error, { notFound: () => ERRORS.PathNotFound(path) });
        });
        if (found.self?.type === 'directory') folders += 1;
      }
      // An address typed twice (in any case) is mailed once, as first typed.
      const recipients = request.recipients.filter((r, i, all) => all.findIndex((o) => o.toLowerCase() === r.toLowerCase()) === i);
      const now = Date.now();
      const row: ShareRow = {
        id: randomBytes(LINK_ID_BYTES).toString('base64url'),
        owner_user_id: user.id,
        space_id: space.id,
        paths_json: JSON.stringify(paths),
        note: request.note.trim(),
        notify: request.notify,
        password_hash: request.password === undefined ? null : await hash(request.password),
        max_downloads: request.maxDownloads ?? null,
        downloads: 0,
        created_at: now,
        updated_at: now,
        expires_at: expiryOf(request.expiresAt, now),
        revoked_at: null,
      };
      await shares.insert(row);
      await audit.record({
        userId: user.id,
        action: 'share-create',
        spaceId: space.id,
        target: `share ${row.id}: ${paths.join(', ')}`,
        decision: 'allow',
        reason: `${describe(row)}${recipients.length > 0 ? `, sent by mail to ${recipients.length} address${recipients.length === 1 ? '' : 'es'}` : ''}`,
      });
      const share = toShare(await found(row.id), publicOrigin);
      // Mail only (docs/notifications.md §1): queued, never waited for; the password is never in it.
      for (const email of recipients)
        await notifier.notify({
          email,
          kind: 'share.sent',
          ...sharedWithYou(user.displayName, share, paths.length - folders, folders),
          link: share.url,
        });
      return share;
    },

    async list(user: User, query: { spaceId?: string | undefined; all: boolean }): Promise<Share[]> {
      if (query.all && !user.isAdmin) throw ERRORS.Forbidden("see everyone's links");
      if (query.spaceId !== undefined && !user.isAdmin) {
        const grant = await access.roleIn(user, query.spaceId);
        if (!grant) throw ERRORS.SpaceNotFound();
        if (grant.role !== 'manager') throw ERRORS.Forbidden("see this space's links");
      }
      const rows = await shares.list(query.spaceId !== undefined ? { spaceId: query.spaceId } : query.all ? {} : { ownerId: user.id });
      return rows.map((row) => toShare(row, publicOrigin));
    },

    async get(user: User, id: string): Promise<ShareDetail> {
      const row = await managed(user, id);
      return { share: toShare(row, publicOrigin), receipts: (await shares.receipts(id)).map(toReceipt) };
    },

    async update(user: User, id: string, patch: UpdateShareRequest): Promise<Share> {
      const row = await managed(user, id);
      if (row.revoked_at !== null) throw ERRORS.Conflict('This link was revoked; make a new one instead.');
      const now = Date.now();
      const changes: Partial<ShareRow> = {};
      if (patch.expiresAt !== undefined) changes.expires_at = expiryOf(patch.expiresAt, now);
      if (patch.maxDownloads !== undefined) changes.max_downloads = patch.maxDownloads;
      if (patch.note !== undefined) changes.note = patch.note.trim();
      if (patch.notify !== undefined) changes.notify = patch.notify;
      if (patch.password !== undefined) changes.password_hash = patch.password === null ? null : await hash(patch.password);
      await shares.update(id, changes);
      const fields = Object.keys(changes).map((k) =>
        k === 'password_hash' ? (patch.password === null ? 'password cleared' : 'password set') : k,
      );
      await audit.record({
        userId: user.id,
        action: 'share-edit',
        spaceId: row.space_id,
        target: `share ${id}`,
        decision: 'allow',
        reason: fields.length > 0 ? `changed: ${fields.join(', ')}; now ${describe({ ...row, ...changes })}` : 'nothing changed',
      });
      return toShare(await found(id), publicOrigin);
    },

    async revoke(user: User, id: string): Promise<Share> {
      const row = await managed(user, id);
      if (row.revoked_at === null) {
        await shares.update(id, { revoked_at: Date.now() });
        await audit.record({ userId: user.id, action: 'share-revoke', spaceId: row.space_id, target: `share ${id}`, decision: 'allow' });
      }
      return toShare(await found(id), publicOrigin);
    },
  };
}

export type SharesService = ReturnType<typeof createSharesService>;

/** The message to a recipient, in their words: who shared what, the note, until when; never the password. */
function sharedWithYou(sender: string, share: Share, files: number, folders: number): { subject: string; text: string } {
  const counted = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  const what = [files > 0 ? counted(files, 'file') : '', folders > 0 ? counted(folders, 'folder') : ''].filter(Boolean).join(' and ');
  const names = share.paths.map((p) => p.slice(p.lastIndexOf('/') + 1));
  const lines = [`${sender} shared ${what} with you: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}.`];
  if (share.note) lines.push('', `Note from ${sender}:`, share.note, '');
  lines.push(share.expiresAt === null ? 'The link does not expire.' : `The link works until ${new Date(share.expiresAt).toUTCString()}.`);
  if (share.hasPassword) lines.push(`It is protected by a password, which ${sender} gives you separately.`);
  return { subject: `${sender} shared ${what} with you`, text: lines.join('\n') };
}

/** The link's terms in words for the audit log; never its password. */
function describe(row: Pick<ShareRow, 'expires_at' | 'max_downloads' | 'password_hash' | 'notify'>): string {
  const expiry = row.expires_at === null ? 'never expires' : `expires ${new Date(row.expires_at).toISOString()}`;
  const limit = row.max_downloads === null ? 'no download limit' : `at most ${row.max_downloads} downloads`;
  return `${expiry}, ${limit}, ${row.password_hash === null ? 'no password' : 'password'}, notify ${row.notify}`;
}
