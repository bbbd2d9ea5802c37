import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type {
  CreatePackageFromSpaceRequest,
  CreatePackageFromSpaceResponse,
  CreatePackageRequest,
  CreatePackageResponse,
  PackageDetail,
  PackageSummary,
  packageRecipientSchema,
} from '../../../contract/packages';
import type { User } from '../../../contract/session';
import type { CreateTransferResponse, TransferClientKind } from '../../../contract/transfers';
import type { z } from 'zod';
import { ERRORS } from '../../errors';
import type { TransferRequest, TransferSpec } from '../../node-client/types';
import type { AuditLog } from '../audit/audit-log';
import { nodeFailure, type NodeClients } from '../nodes/node-clients';
import type { Notifier } from '../notifications/notifier';
import type { SpaceAccess } from '../spaces/space-access';
import { normalizeSpacePath, spaceToNodePath } from '../spaces/space-path';
import { toTransferRecord, type TransferRow } from '../transfers/transfers-repository';
import { MAX_UPLOAD_FILES } from '../../../contract/transfers';
import { baseName } from '../../../contract/space-path';
import type { NodeClient } from '../../node-client/node-client';
import type { TransfersService } from '../transfers/transfers-service';
import type { ListedPackage, PackageRow, PackagesRepository, RecipientRow } from './packages-repository';

const DAY_MS = 86_400_000;
// docs/packages.md §4: a package lives 14 days unless its sender picks a date, a year at most.
export const PACKAGE_DEFAULT_DAYS = 14;
export const PACKAGE_MAX_DAYS = 365;
// One pass expires at most this many packages; each claim lasts ten minutes, far beyond one removal.
const EXPIRY_BATCH = 100;
const EXPIRY_LEASE_MS = 600_000;
// The whole package, as a download's record names it (docs/packages.md §3).
const WHOLE = '/';

type Recipient = z.infer<typeof packageRecipientSchema>;

/** What the portal keeps of a personal link's secret (docs/packages.md §7): its SHA-256, never the secret. */
export const packageLinkHash = (secret: string) => createHash('sha256').update(secret).digest('base64url');

/**
 * Packages (docs/packages.md): files sent to named people, stored on a node under its packages
 * root, one folder per package and outside every space, so the only way to them is this service's
 * authorization. Recipients see a package only once the node reported its upload completed.
 */
export function createPackagesService(deps: {
  packages: PackagesRepository;
  transfers: TransfersService;
  clients: NodeClients;
  audit: AuditLog;
  notifier: Notifier;
  /** Whether packages may go to addresses without an account (an admin setting, docs/packages.md §5). */
  externalRecipientsAllowed: () => boolean;
  publicOrigin: string;
  /** For "Send" on a Files selection (docs/packages.md §8): the space's rules, and the copy's record. */
  access: SpaceAccess;
  insertTransfer: (row: TransferRow) => Promise<void>;
  tokenLifeSeconds: () => number;
  onTransferChange: () => void;
}) {
  const { packages, transfers, clients, audit, notifier, externalRecipientsAllowed, publicOrigin, access } = deps;

  function expiryOf(requested: string | undefined, now: number): number {
    if (requested === undefined) return now + PACKAGE_DEFAULT_DAYS * DAY_MS;
    const at = Date.parse(requested);
    if (at <= now) throw ERRORS.BadRequest('The expiry must be in the future.');
    if (at > now + PACKAGE_MAX_DAYS * DAY_MS) throw ERRORS.BadRequest(`A package may last at most ${PACKAGE_MAX_DAYS} days.`);
    return at;
  }

  /** The recipients' rows: named users, the members of named groups, external addresses. */
  async function resolveRecipients(user: User, request: CreatePackageRequest, packageId: string): Promise<RecipientRow[]> {
    const { userIds, groupIds, emails } = request.recipients;
    if (emails.length > 0 && !externalRecipientsAllowed()) throw ERRORS.Forbidden('send packages to addresses without an account here');
    const { groups, members } = await packages.groupMembers([...new Set(groupIds)]);
    const missingGroup = groupIds.find((id) => !groups.includes(id));
    if (missingGroup) throw ERRORS.BadRequest(`No group has the id ${missingGroup}.`);
    const via = new Map<string, string | null>();
    for (const m of members) if (!via.has(m.user_id)) via.set(m.user_id, m.group_id);
    // Named directly wins over named through a group.
    for (const id of userIds) via.set(id, null);
    const active = await packages.activeUsers([...via.keys()]);
    const activeIds = new Set(active.map((u) => u.id));
    const missingUser = userIds.find((id) => !activeIds.has(id));
    if (missingUser) throw ERRORS.BadRequest(`No active user has the id ${missingUser}.`);
    const rows: RecipientRow[] = [];
    const blank = { package_id: packageId, opened_at: null, archived_at: null, notified_at: null };
    for (const u of active)
      if (u.id !== user.id || userIds.includes(u.id))
        rows.push({ ...blank, id: randomUUID(), user_id: u.id, email: null, via_group_id: via.get(u.id) ?? null });
    for (const email of [...new Set(emails.map((e) => e.trim().toLowerCase()))])
      rows.push({ ...blank, id: randomUUID(), user_id: null, email, via_group_id: null });
    if (rows.length === 0) throw ERRORS.BadRequest('The named groups have no members: name at least one recipient.');
    return rows;
  }

  /** The declared files, normalized as package paths (relative, no `..`), each named once. */
  function declaredFiles(files: CreatePackageRequest['files']): Array<{ path: string; size: number }> {
    const seen = new Set<string>();
    return files.map((f) => {
      const path = normalizeSpacePath(f.path).slice(1);
      if (path === '') throw ERRORS.InvalidPath(f.path, 'is not a file name');
      if (seen.has(path)) throw ERRORS.BadRequest(`${path} is named twice.`);
      seen.add(path);
      return { path, size: f.size };
    });
  }

  /** The node and folder for a new package, refusing a packages root that a space could reach. */
  async function placement(id: string): Promise<{ nodeId: string; nodePath: string }> {
    const node = await packages.packagesNode();
    if (!node) throw ERRORS.Conflict('No transfer node keeps packages; an admin must set a packages root on a node.');
    const root = node.root.replace(/\/+$/, '') || '/';
    const within = (inner: string, outer: string) => outer === '/' || inner === outer || inner.startsWith(`${outer}/`);
    for (const spaceRoot of await packages.spaceRoots(node.id)) {
      const space = spaceRoot.replace(/\/+$/, '') || '/';
      if (within(root, space) || within(space, root))
        throw ERRORS.Conflict(
          `The packages folder ${root} overlaps a space's folder on its node; an admin must give packages a folder of their own.`,
        );
    }
    return { nodeId: node.id, nodePath: `${root === '/' ? '' : root}/${id}` };
  }

  /** The package as `viewer` may see it, or 404 as for a package that does not exist. */
  async function visible(
    user: User,
    id: string,
  ): Promise<{ row: ListedPackage; recipient: RecipientRow | undefined; role: 'sender' | 'recipient' | 'admin' }> {
    const row = await packages.find(id);
    if (!row || row.status === 'deleted') throw ERRORS.NotFound('This package');
    if (row.sender_user_id === user.id) return { row, recipient: await packages.recipientOf(id, user.id), role: 'sender' };
    const recipient = await packages.recipientOf(id, user.id);
    // Never half-uploaded: a recipient sees nothing until the node reported the upload completed.
    if (recipient && (row.status === 'ready' || row.status === 'expired')) return { row, recipient, role: 'recipient' };
    if (user.isAdmin) return { row, recipient, role: 'admin' };
    throw ERRORS.NotFound('This package');
  }

  function summary(
    row: ListedPackage,
    viewer: { openedAt: number | null; archivedAt: number | null; isRecipient: boolean },
  ): PackageSummary {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      id: row.id,
      subject: row.subject,
      message: row.message,
      sender: { id: row.sender_user_id, name: row.sender_name },
      status: row.status,
      fileCount: row.file_count,
      bytes: row.bytes,
      createdAt: new Date(row.created_at).toISOString(),
      readyAt: iso(row.ready_at),
      expiresAt: new Date(row.expires_at).toISOString(),
      notifyOnDownload: row.notify_on_download === 1,
      privateRecipients: row.private_recipients === 1,
      requireCode: row.require_code === 1,
      unread: viewer.isRecipient && viewer.openedAt === null,
      archived: viewer.archivedAt !== null,
    };
  }

  async function receipts(row: ListedPackage, only?: string): Promise<Recipient[]> {
    const downloads = await packages.downloads(row.id);
    const people = await packages.recipients(row.id);
    const files = JSON.parse(row.files_json) as Array<{ path: string; size: number }>;
    return people
      .filter((r) => only === undefined || r.user_id === only)
      .map((r) => {
        // An external recipient's downloads went through their personal link (docs/packages.md §7);
        // such a download is recorded as the sender's, so a user's are those through no link.
        const theirs =
          r.user_id === null
            ? downloads.filter((d) => d.recipient_id === r.id)
            : downloads.filter((d) => d.user_id === r.user_id && d.recipient_id === null);
        // Downloaded: completed downloads that together hold every file of the package (all of it
        // at once, or its one file, or each part in turn); partly: some completed, or one ended early
        // after moving bytes (docs/packages.md §3).
        const completed = theirs.filter((d) => d.status === 'completed');
        const covered = new Set<string>();
        for (const d of completed)
          for (const p of JSON.parse(d.paths_json) as string[])
            for (const f of files) if (p === WHOLE || f.path === p.slice(1) || f.path.startsWith(`${p.slice(1)}/`)) covered.add(f.path);
        const whole = files.length > 0 && covered.size === files.length;
        const part = theirs.filter((d) => (d.status === 'failed' || d.status === 'cancelled') && d.bytes_transferred > 0);
        const ended = [...completed, ...part].map((d) => d.ended_at ?? 0);
        const last = ended.length > 0 ? Math.max(...ended) : null;
        return {
          id: r.id,
          kind: r.user_id === null ? ('external' as const) : ('user' as const),
          name: r.user_id === null ? (r.email ?? '') : (r.user_name ?? ''),
          receipt: whole
            ? 'downloaded'
            : completed.length > 0 || part.length > 0
              ? 'partly-downloaded'
              : r.opened_at !== null
                ? 'opened'
                : 'not-opened',
          openedAt: r.opened_at === null ? null : new Date(r.opened_at).toISOString(),
          downloadedAt: last === null || last === 0 ? null : new Date(last).toISOString(),
        };
      });
  }

  async function managed(user: User, id: string): Promise<ListedPackage> {
    const { row, role } = await visible(user, id);
    if (role === 'recipient') throw ERRORS.Forbidden('change a package someone else sent');
    return row;
  }

  return {
    directory: (text: string) => packages.directory(text),

    async create(user: User, request: CreatePackageRequest): Promise<CreatePackageResponse> {
      const id = randomUUID();
      const files = declaredFiles(request.files);
      const recipients = await resolveRecipients(user, request, id);
      const now = Date.now();
      const expiresAt = expiryOf(request.expiresAt, now);
      const { nodeId, nodePath } = await placement(id);
      const target = await clients.forNode(nodeId);
      await clients.ensureFolders(nodeId, [nodePath]);
      const setupRequest: TransferRequest =
        target.node.kind === 'embedded'
          ? // The embedded node binds the token to these files and sizes, never replacing (docs/node-api.md §1.4).
            {
              destination_root: nodePath,
              paths: files.map((f) => ({ source: f.path, destination: f.path, size: f.size })),
              overwrite: 'never',
            }
          : // A real HSTS binds its token to the destination folder (docs/node-api.md §1.4).
            { paths: [{ destination: nodePath }] };
      const transferId = randomUUID();
      const bytes = files.reduce((sum, f) => sum + f.size, 0);
      const response = await transfers.forPackage(user, {
        packageId: id,
        nodeId,
        direction: 'upload',
        request: setupRequest,
        specExtra: { paths: files.map((f) => ({ source: f.path, destination: f.path })), overwrite: 'never' },
        title: request.subject,
        paths: [...new Set(files.map((f) => f.path.split('/')[0] as string))],
        fileCount: files.length,
        bytesExpected: bytes,
        client: request.client,
        transferId,
      });
      const row = newPackageRow({ id, user, nodeId, nodePath, request, files, bytes, transferId, now, expiresAt });
      await packages.insert(row, recipients);
      await audit.record({
        userId: user.id,
        action: 'package-send',
        target: `package ${id}: ${files.length} files, ${bytes} bytes`,
        decision: 'allow',
        reason: `to ${recipients.length} recipient(s); expires ${new Date(expiresAt).toISOString()}`,
      });
      const listed = (await packages.find(id)) as ListedPackage;
      return { ...response, package: summary(listed, { openedAt: null, archivedAt: null, isRecipient: false }) };
    },

    /**
     * A package of files already in a space (docs/packages.md §8): read on the space is authorized and
     * audited, the package node's `upload_setup` gives the spec, and the space's node carries it with
     * `POST /ops/transfers` (scenario S6, docs/node-api.md §5.1). The package is `uploading` until the
     * tracker reports that transfer completed, as for an upload from a browser.
     */
    async createFromSpace(user: User, request: CreatePackageFromSpaceRequest): Promise<CreatePackageFromSpaceResponse> {
      const { spaceId } = request.from;
      const paths: string[] = [];
      for (const raw of request.from.paths) paths.push(await access.confine(user, spaceId, 'download', raw));
      if (paths.includes('/')) throw ERRORS.BadRequest('A whole space cannot be sent; choose its files and folders.');
      const { space } = await access.authorize(user, spaceId, 'download', paths.join('\n'));
      const names = paths.map((p) => baseName(p));
      if (new Set(names).size !== names.length) throw ERRORS.BadRequest('Two of the chosen items have the same name.');
      const source = await clients.forNode(space.node_id);
      const sourceNodePaths = paths.map((p) => spaceToNodePath(space.root_path, p));
      const files: Array<{ path: string; size: number }> = [];
      for (const [i, nodePath] of sourceNodePaths.entries())
        await collectFiles(source.client, nodePath, names[i] as string, files).catch((error: unknown) => {
          throw nodeFailure(source.node.name, error, { notFound: () => ERRORS.PathNotFound(paths[i] as string) });
        });
      if (files.length === 0) throw ERRORS.BadRequest('The chosen folders hold no file to send.');

      const id = randomUUID();
      const recipients = await resolveRecipients(user, { ...request, files: [] }, id);
      const now = Date.now();
      const expiresAt = expiryOf(request.expiresAt, now);
      const { nodeId, nodePath } = await placement(id);
      await clients.ensureFolders(nodeId, [nodePath]);
      const target = await clients.forNode(nodeId);
      const transferId = randomUUID();
      const tags = { courier: { transfer_id: transferId } };
      const setup =
        target.node.kind === 'embedded'
          ? // The embedded node binds the token to these names, each anything below it (docs/node-api.md §1.4).
            { destination_root: nodePath, paths: names.map((n) => ({ source: n, destination: n })), overwrite: 'never' as const, tags }
          : // A real HSTS binds its token to the destination folder (docs/node-api.md §1.4).
            { paths: [{ destination: nodePath }], tags };
      const [result] = await target.client
        .uploadSetup([{ ...setup, token_life_seconds: deps.tokenLifeSeconds() }])
        .catch((error: unknown) => {
          throw nodeFailure(target.node.name, error);
        });
      if (!result) throw ERRORS.NodeUnavailable(target.node.name);
      if (!result.ok) throw ERRORS.NodeRefused(target.node.name, result.error.message);
      const started = await source.client
        .startTransfer({
          ...(result.transferSpec as TransferSpec),
          paths: sourceNodePaths.map((p, i) => ({ source: p, destination: names[i] as string })),
          overwrite: 'never',
        })
        .catch((error: unknown) => {
          throw nodeFailure(source.node.name, error);
        });
      const bytes = files.reduce((sum, f) => sum + f.size, 0);
      // The package first: the tracker may report the copy's end as soon as its record exists.
      await packages.insert(newPackageRow({ id, user, nodeId, nodePath, request, files, bytes, transferId, now, expiresAt }), recipients);
      const transfer: TransferRow = {
        id: transferId,
        user_id: user.id,
        space_id: null,
        node_id: space.node_id,
        direction: 'upload',
        title: request.subject,
        folder: '/',
        paths_json: JSON.stringify(names),
        file_count: files.length,
        bytes_expected: bytes,
        bytes_transferred: 0,
        client: null,
        status: 'running',
        node_transfer_id: started.id,
        error: null,
        created_at: now,
        updated_at: now,
        started_at: now,
        ended_at: null,
        operation: 'copy',
        source_space_id: space.id,
        source_removed_at: null,
        package_id: id,
      };
      await deps.insertTransfer(transfer);
      deps.onTransferChange();
      await audit.record({
        userId: user.id,
        action: 'package-send',
        spaceId: space.id,
        target: `package ${id}: ${files.length} files, ${bytes} bytes, from ${paths.join(', ')}`,
        decision: 'allow',
        reason: `to ${recipients.length} recipient(s), copied on the node; expires ${new Date(expiresAt).toISOString()}`,
      });
      const listed = (await packages.find(id)) as ListedPackage;
      return { package: summary(listed, { openedAt: null, archivedAt: null, isRecipient: false }), transfer: toTransferRecord(transfer) };
    },

    async list(user: User, query: { box: 'inbox' | 'sent'; all: boolean; q?: string | undefined; archived: boolean }) {
      if (query.all && !user.isAdmin) throw ERRORS.Forbidden("see everyone's packages");
      const unread = await packages.unreadCount(user.id);
      if (query.box === 'inbox') {
        const rows = await packages.inbox(user.id, query);
        return { unread, packages: rows.map((r) => summary(r, { openedAt: r.opened_at, archivedAt: r.archived_at, isRecipient: true })) };
      }
      const rows = await packages.sent({ ...(query.all ? {} : { senderId: user.id }), q: query.q, archived: query.archived });
      // The sent box shows each package's delivery per recipient (docs/packages.md §3).
      const withReceipts = await Promise.all(
        rows.map(async (r) => ({
          ...summary(r, { openedAt: null, archivedAt: r.sender_archived_at, isRecipient: false }),
          receipts: (await receipts(r)).map((x) => ({ name: x.name, receipt: x.receipt })),
        })),
      );
      return { unread, packages: withReceipts };
    },

    async get(user: User, id: string): Promise<PackageDetail> {
      const { row, recipient, role } = await visible(user, id);
      let openedAt = recipient?.opened_at ?? null;
      if (role === 'recipient' && recipient && openedAt === null) {
        openedAt = Date.now();
        await packages.updateRecipient(recipient.id, { opened_at: openedAt });
        await audit.record({ userId: user.id, action: 'package-open', target: `package ${id}`, decision: 'allow' });
      }
      // Private recipients do not see each other; the sender and admins see everyone.
      const only = role === 'recipient' && row.private_recipients === 1 ? user.id : undefined;
      return {
        package: summary(row, {
          openedAt,
          archivedAt: role === 'sender' ? row.sender_archived_at : (recipient?.archived_at ?? null),
          isRecipient: role === 'recipient',
        }),
        files: JSON.parse(row.files_json) as Array<{ path: string; size: number }>,
        recipients: await receipts(row, only),
      };
    },

    async download(
      user: User,
      id: string,
      request: { paths: string[]; client?: TransferClientKind | undefined },
    ): Promise<CreateTransferResponse> {
      const { row, recipient, role } = await visible(user, id);
      const { response, whole, wanted } = await authorizeDownload(user, row, request);
      if (role === 'recipient' && recipient && recipient.opened_at === null)
        await packages.updateRecipient(recipient.id, { opened_at: Date.now() });
      await audit.record({
        userId: user.id,
        action: 'package-download',
        target: `package ${id}: ${whole ? 'all files' : wanted.join(', ')}`,
        decision: 'allow',
        reason: role === 'recipient' ? null : `as its ${role}`,
      });
      return response;
    },

    authorizeDownload: (
      actor: User,
      row: ListedPackage,
      request: { paths: string[]; client?: TransferClientKind | undefined },
    ): Promise<{ response: CreateTransferResponse; whole: boolean; wanted: string[] }> => authorizeDownload(actor, row, request),

    async extend(user: User, id: string, expiresAt: string): Promise<PackageSummary> {
      const row = await managed(user, id);
      if (row.status === 'expired') throw ERRORS.Conflict('This package has expired; its files are gone.');
      const at = expiryOf(expiresAt, Date.now());
      await packages.update(id, { expires_at: at });
      await audit.record({
        userId: user.id,
        action: 'package-extend',
        target: `package ${id}`,
        decision: 'allow',
        reason: `expires ${new Date(at).toISOString()}`,
      });
      return summary({ ...row, expires_at: at }, { openedAt: null, archivedAt: row.sender_archived_at, isRecipient: false });
    },

    /** Recall: the files go from the node and the package from everyone's boxes. */
    async recall(user: User, id: string): Promise<void> {
      const row = await managed(user, id);
      await removeFiles(row);
      await packages.update(id, { status: 'deleted' });
      await audit.record({
        userId: user.id,
        action: 'package-delete',
        target: `package ${id}`,
        decision: 'allow',
        reason: row.sender_user_id === user.id ? 'recalled by its sender' : 'deleted by an admin',
      });
    },

    async archive(user: User, id: string, archived: boolean): Promise<PackageSummary> {
      const { row, recipient, role } = await visible(user, id);
      const at = archived ? Date.now() : null;
      if (role === 'sender') await packages.update(id, { sender_archived_at: at });
      else if (role === 'recipient' && recipient) await packages.updateRecipient(recipient.id, { archived_at: at });
      else throw ERRORS.NotFound('This package');
      await audit.record({
        userId: user.id,
        action: archived ? 'package-archive' : 'package-unarchive',
        target: `package ${id}`,
        decision: 'allow',
      });
      return summary(role === 'sender' ? { ...row, sender_archived_at: at } : row, {
        openedAt: recipient?.opened_at ?? null,
        archivedAt: at,
        isRecipient: role === 'recipient',
      });
    },

    /**
     * The expiry pass (docs/packages.md §4): each due package claimed by this instance has its files
     * removed from the node and is marked expired. Returns how many it expired; a node that cannot
     * answer leaves the package for a later pass, once the claim lapsed.
     */
    async expireDue(now = Date.now()): Promise<number> {
      let expired = 0;
      for (const row of await packages.due(now, EXPIRY_BATCH)) {
        if (!(await packages.claimExpiry(row.id, now, now + EXPIRY_LEASE_MS))) continue;
        await removeFiles(row);
        await packages.update(row.id, { status: 'expired', expiry_lease_until: null });
        await audit.record({
          userId: null,
          action: 'package-expire',
          target: `package ${row.id}`,
          decision: 'allow',
          reason: 'its files were removed from the node',
        });
        expired++;
      }
      return expired;
    },

    /** The tracker's report of a transfer's end (transfer-tracker.ts `onTransferEnded`). */
    async transferEnded(transfer: TransferRow): Promise<void> {
      if (!transfer.package_id) return;
      const row = await packages.find(transfer.package_id);
      if (!row) return;
      if (transfer.direction === 'upload' && transfer.id === row.upload_transfer_id) {
        if (transfer.status === 'completed') {
          if (await packages.transition(row.id, 'uploading', { status: 'ready', ready_at: Date.now() })) await arrived(row);
        } else if (transfer.status === 'failed' || transfer.status === 'cancelled') {
          await packages.transition(row.id, 'uploading', { status: 'failed' });
        }
        return;
      }
      if (transfer.direction !== 'download' || transfer.status !== 'completed' || row.notify_on_download !== 1) return;
      // A download through a personal link is recorded as the sender's; the link says who it was for.
      const external = await packages.downloadRecipient(transfer.id);
      if (external !== null || transfer.user_id !== row.sender_user_id) {
        const address = external === null ? undefined : (await packages.recipients(row.id)).find((r) => r.id === external)?.email;
        const who = (address ?? (await packages.userName(transfer.user_id))) || 'A recipient';
        const paths = JSON.parse(transfer.paths_json) as string[];
        await notifier.notify({
          userId: row.sender_user_id,
          email: (await packages.activeUsers([row.sender_user_id]))[0]?.email ?? null,
          kind: 'package.downloaded',
          subject: `${who} downloaded “${row.subject}”`,
          text: `${who} downloaded ${paths.includes(WHOLE) ? 'all files' : `${paths.length} item(s)`} of your package “${row.subject}”.`,
          link: `${publicOrigin}/packages/${row.id}`,
        });
      }
    },
  };

  /** The spec of a download of `paths` of a ready package (all of it when empty), recorded as `actor`'s. */
  async function authorizeDownload(
    actor: User,
    row: ListedPackage,
    request: { paths: string[]; client?: TransferClientKind | undefined },
  ): Promise<{ response: CreateTransferResponse; whole: boolean; wanted: string[] }> {
    if (row.status === 'expired') throw ERRORS.Conflict('This package has expired; its files are gone.');
    if (row.status !== 'ready') throw ERRORS.Conflict('This package has not finished uploading.');
    const files = JSON.parse(row.files_json) as Array<{ path: string; size: number }>;
    const wanted = [...new Set(request.paths.map((p) => normalizeSpacePath(p).slice(1)))].filter((p) => p !== '');
    // A path of the package: one of its files, or a folder above some of them. Nothing else is asked of the node.
    for (const p of wanted) if (!files.some((f) => f.path === p || f.path.startsWith(`${p}/`))) throw ERRORS.PathNotFound(`/${p}`);
    const whole = wanted.length === 0;
    const sources = whole ? [...new Set(files.map((f) => f.path.split('/')[0] as string))] : wanted;
    const singleFile = sources.length === 1 && files.some((f) => f.path === sources[0]);
    const bytes = files
      .filter((f) => whole || wanted.some((p) => f.path === p || f.path.startsWith(`${p}/`)))
      .reduce((s, f) => s + f.size, 0);
    // docs/transfer-spec.md §2.3: several paths or a folder come back as one zip only when the spec asks.
    const zipName =
      row.subject
        .replace(/[\\/:*?"<>|\p{Cc}]+/gu, '-')
        .trim()
        .slice(0, 100) || 'package';
    const title = whole
      ? row.subject
      : singleFile
        ? ((sources[0] as string).split('/').pop() as string)
        : `${sources.length} items of ${row.subject}`;
    const response = await transfers.forPackage(actor, {
      packageId: row.id,
      nodeId: row.node_id,
      direction: 'download',
      request: { source_root: row.node_path, paths: sources.map((source) => ({ source })) },
      specExtra: singleFile ? {} : { zip_required: true, download_name: zipName },
      title,
      paths: whole ? [WHOLE] : wanted.map((p) => `/${p}`),
      fileCount: whole ? files.length : sources.length,
      bytesExpected: bytes,
      client: request.client,
      transferId: randomUUID(),
    });
    return { response, whole, wanted };
  }

  /** Every file under `nodePath` (itself, if a file), as package paths under `name`; at most MAX_UPLOAD_FILES. */
  async function collectFiles(client: NodeClient, nodePath: string, name: string, out: Array<{ path: string; size: number }>) {
    const PAGE = 1000;
    const first = await client.browse({ path: nodePath, count: PAGE });
    if (first.self && first.self.type === 'file') {
      out.push({ path: name, size: Number(first.self.size ?? 0) });
      return;
    }
    let page = first;
    for (let skip = 0; ;) {
      for (const item of page.items) {
        const child = `${name}/${item.basename ?? item.path.split('/').pop()}`;
        if (item.type === 'directory') await collectFiles(client, item.path, child, out);
        else if (item.type === 'file') out.push({ path: child, size: Number(item.size ?? 0) });
        if (out.length > MAX_UPLOAD_FILES) throw ERRORS.BadRequest(`A package may hold at most ${MAX_UPLOAD_FILES} files.`);
      }
      if (page.items.length < PAGE) return;
      skip += PAGE;
      page = await client.browse({ path: nodePath, skip, count: PAGE });
    }
  }

  async function removeFiles(row: PackageRow): Promise<void> {
    const { node, client } = await clients.forNode(row.node_id);
    const [result] = await client.deletePaths([row.node_path]).catch((error: unknown) => {
      throw nodeFailure(node.name, error);
    });
    // Already gone (a failed upload never made it, or an earlier pass removed it) is what we want.
    if (result && !result.ok && result.error.status !== 404) throw ERRORS.NodeRefused(node.name, result.error.message);
  }

  /** Tells each recipient with an account that a package arrived (docs/packages.md §6). */
  async function arrived(row: ListedPackage): Promise<void> {
    const people = await packages.recipients(row.id);
    for (const person of people) {
      if (person.user_id === null) {
        if (!person.email) continue;
        // A personal link per external recipient, so the receipt names who (docs/packages.md §7).
        const secret = randomBytes(32).toString('base64url');
        await packages.updateRecipient(person.id, { link_hash: packageLinkHash(secret), notified_at: Date.now() });
        await notifier.notify({
          email: person.email,
          kind: 'package.received',
          subject: `${row.sender_name} sent you “${row.subject}”`,
          text: [
            `${row.sender_name} sent you ${row.file_count} file(s): “${row.subject}”.`,
            ...(row.message ? ['', row.message] : []),
            '',
            `The link is for you alone and works until ${new Date(row.expires_at).toISOString()}.`,
            ...(row.require_code === 1 ? ['Before downloading, the page sends a one-time code to this address.'] : []),
          ].join('\n'),
          link: `${publicOrigin}/p/${secret}`,
        });
        continue;
      }
      await notifier.notify({
        userId: person.user_id,
        email: person.user_email ?? null,
        kind: 'package.received',
        subject: `${row.sender_name} sent you “${row.subject}”`,
        text: `${row.sender_name} sent you ${row.file_count} file(s): “${row.subject}”.${row.message ? `\n\n${row.message}` : ''}`,
        link: `${publicOrigin}/packages/${row.id}`,
      });
      await packages.updateRecipient(person.id, { notified_at: Date.now() });
    }
    await audit.record({
      userId: row.sender_user_id,
      action: 'package-ready',
      target: `package ${row.id}`,
      decision: 'allow',
      reason: 'upload completed on the node',
    });
  }
}

export type PackagesService = ReturnType<typeof createPackagesService>;

/** A package's row as sending starts it: uploading (or being copied on the node) until the tracker reports the end. */
function newPackageRow(p: {
  id: string;
  user: User;
  nodeId: string;
  nodePath: string;
  request: Pick<CreatePackageRequest, 'subject' | 'message' | 'notifyOnDownload' | 'privateRecipients' | 'requireCode'>;
  files: readonly unknown[];
  bytes: number;
  transferId: string;
  now: number;
  expiresAt: PackageRow['expires_at'];
}): PackageRow {
  return {
    id: p.id,
    sender_user_id: p.user.id,
    node_id: p.nodeId,
    node_path: p.nodePath,
    subject: p.request.subject,
    message: p.request.message,
    files_json: JSON.stringify(p.files),
    file_count: p.files.length,
    bytes: p.bytes,
    notify_on_download: p.request.notifyOnDownload ? 1 : 0,
    private_recipients: p.request.privateRecipients ? 1 : 0,
    require_code: p.request.requireCode ? 1 : 0,
    status: 'uploading',
    upload_transfer_id: p.transferId,
    created_at: p.now,
    updated_at: p.now,
    ready_at: null,
    expires_at: p.expiresAt,
    sender_archived_at: null,
  };
}
