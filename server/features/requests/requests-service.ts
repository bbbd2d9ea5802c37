import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  MAX_REQUEST_DAYS,
  type CreateRequest,
  type FileRequest,
  type PublicRequest,
  type Submission,
  type SubmitRequest,
  type SubmitResponse,
  type UpdateRequest,
} from '../../../contract/requests';
import { roleAllows } from '../../../contract/roles';
import type { User } from '../../../contract/session';
import { ERRORS } from '../../errors';
import { NodeApiError } from '../../node-client/node-api-error';
import type { TransferRequest } from '../../node-client/types';
import type { AuditLog } from '../audit/audit-log';
import { hashPassword, verifyPassword } from '../auth/password';
import type { LoginThrottleRepository } from '../auth/login-throttle-repository';
import type { UsersRepository } from '../auth/users-repository';
import { nodeFailure, type NodeClients } from '../nodes/node-clients';
import type { Notifier } from '../notifications/notifier';
import type { SpaceAccess } from '../spaces/space-access';
import { normalizeSpacePath, spaceToNodePath, validateName } from '../spaces/space-path';
import type { TransferRow, TransfersRepository } from '../transfers/transfers-repository';
import type { FileRequestRow, RequestsRepository, SubmissionWithStatus } from './requests-repository';

const DAY_MS = 86_400_000;
/** How long an unlock lasts: long enough to pick files and upload, short enough to be re-asked. */
export const UNLOCK_SECONDS = 2 * 3600;
// Password attempts (docs/file-requests.md §3): per source on one link, per link from anywhere
// (guessing spread over many addresses), per source over all links, in a 15-minute window.
const ATTEMPT_WINDOW_MS = 15 * 60_000;
export const MAX_ATTEMPTS_PER_SOURCE = 5;
const MAX_ATTEMPTS_PER_LINK = 50;
const MAX_ATTEMPTS_PER_ADDRESS = 30;
/** Subfolders tried for one submission before giving up: `name`, `name (2)`, … */
const MAX_FOLDER_TRIES = 100;
const MAX_RECORDED_NAMES = 100;

export type RequestUnlock = { value: string; maxAgeSeconds: number };

/**
 * File requests: upload links for people without an account (docs/file-requests.md). The portal
 * decides everything a guest may do from the request (its state, password, limits and the
 * requester's current rights), and the node's token carries the same decision: destination is the
 * submission's own new subfolder, expiry no later than the deadline, and on the embedded node the
 * declared files and their sizes with overwrite never (docs/node-api.md §1.4).
 */
export function createRequestsService(deps: {
  requests: RequestsRepository;
  users: UsersRepository;
  access: SpaceAccess;
  clients: NodeClients;
  transfers: TransfersRepository;
  audit: AuditLog;
  notifier: Notifier;
  throttle: LoginThrottleRepository;
  /** `<public URL>` origin the links start with. */
  publicOrigin: string;
  /** Signs unlock cookies (HMAC-SHA-256); derived from the portal's secret key. */
  unlockKey: Buffer;
  tokenLifeSeconds: () => number;
  onChange: () => void;
  now?: () => number;
}) {
  const { requests, users, access, clients, transfers, audit, notifier, throttle } = deps;
  const now = deps.now ?? Date.now;

  const statusOf = (row: FileRequestRow, at = now()): FileRequest['status'] =>
    row.closed_at !== null ? 'closed' : row.deadline <= at ? 'expired' : 'open';

  function toFileRequest(row: FileRequestRow, requesterName: string, received = { count: 0, bytes: 0 }): FileRequest {
    return {
      id: row.id,
      url: `${deps.publicOrigin}/r/${row.id}`,
      userId: row.user_id,
      requesterName,
      spaceId: row.space_id,
      folder: row.folder,
      title: row.title,
      message: row.message,
      deadline: new Date(Number(row.deadline)).toISOString(),
      hasPassword: row.password_hash !== null,
      maxBytes: row.max_bytes === null ? null : Number(row.max_bytes),
      maxFiles: row.max_files,
      requireIdentity: row.require_identity === 1,
      status: statusOf(row),
      closedAt: row.closed_at === null ? null : new Date(Number(row.closed_at)).toISOString(),
      createdAt: new Date(Number(row.created_at)).toISOString(),
      submissionCount: received.count,
      bytesReceived: received.bytes,
    };
  }

  function deadlineOf(iso: string): number {
    const at = Date.parse(iso);
    if (at <= now()) throw ERRORS.Validation('The deadline must be in the future.');
    if (at > now() + MAX_REQUEST_DAYS * DAY_MS) throw ERRORS.Validation(`The deadline may be at most ${MAX_REQUEST_DAYS} days away.`);
    return at;
  }

  /** The request if `user` may manage it: its requester, a manager of its space, or an admin. */
  async function manageable(user: User, id: string): Promise<FileRequestRow> {
    const row = await requests.find(id);
    if (row && (row.user_id === user.id || user.isAdmin)) return row;
    if (row && (await access.roleIn(user, row.space_id))?.role === 'manager') return row;
    throw ERRORS.NotFound('This file request');
  }

  /** Rows from `list` carry the requester's name already; others are looked up. */
  async function withReceived(rows: Array<FileRequestRow & { requester_name?: string | null }>): Promise<FileRequest[]> {
    const received = await requests.received(rows.map((r) => r.id));
    const names = await requests.displayNames(rows.filter((r) => r.requester_name === undefined).map((r) => r.user_id));
    return rows.map((r) =>
      toFileRequest(r, (r.requester_name === undefined ? names.get(r.user_id) : r.requester_name) ?? '', received.get(r.id)),
    );
  }

  /** The request a guest addresses, refused with 410 (which) when it takes nothing any more. */
  async function openRequest(id: string, ip: string, action: string): Promise<FileRequestRow> {
    const row = await requests.find(id);
    if (!row) {
      await audit.record({
        userId: null,
        action,
        target: `request ${id.slice(0, 64)} from ${ip}`,
        decision: 'deny',
        reason: 'no such request',
      });
      throw ERRORS.NotFound('This file request');
    }
    const status = statusOf(row);
    if (status !== 'open') {
      await audit.record({
        userId: null,
        action,
        spaceId: row.space_id,
        target: `request ${id} from ${ip}`,
        decision: 'deny',
        reason: status,
      });
      throw status === 'closed' ? ERRORS.RequestClosed() : ERRORS.RequestExpired(new Date(Number(row.deadline)).toISOString());
    }
    return row;
  }

  // The unlock cookie: expiry and an HMAC over the request id, that expiry and the password hash,
  // so a new password (or none) ends every unlock given before it.
  const sign = (row: FileRequestRow, exp: number) =>
    createHmac('sha256', deps.unlockKey)
      .update(`${row.id}|${exp}|${row.password_hash ?? ''}`)
      .digest('base64url');
  function isUnlocked(row: FileRequestRow, cookie: string | undefined): boolean {
    if (row.password_hash === null) return true;
    const [expText, mac] = (cookie ?? '').split('.');
    const exp = Number(expText);
    if (!mac || !Number.isSafeInteger(exp) || exp <= now()) return false;
    const expected = Buffer.from(sign(row, exp));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** The requester, if they still have an account that may upload to the request's folder. */
  async function requesterMayUpload(row: FileRequestRow): Promise<User | null> {
    const owner = await users.findById(row.user_id);
    if (!owner || owner.disabled === 1) return null;
    const user: User = { id: owner.id, username: owner.username, displayName: owner.display_name, isAdmin: owner.is_admin === 1 };
    const grant = await access.roleIn(user, row.space_id);
    return grant && roleAllows(grant.role, 'upload') ? user : null;
  }

  return {
    async create(user: User, body: CreateRequest): Promise<FileRequest> {
      const folder = await access.confine(user, body.spaceId, 'upload', body.folder);
      // The requester must be able to upload there themselves: a guest gets no more than they have.
      await access.authorize(user, body.spaceId, 'upload', folder);
      const deadline = deadlineOf(body.deadline);
      const at = now();
      const row: FileRequestRow = {
        // 144 bits from the CSPRNG (docs/file-requests.md §3).
        id: randomBytes(18).toString('base64url'),
        user_id: user.id,
        space_id: body.spaceId,
        folder,
        title: body.title,
        message: body.message,
        deadline,
        password_hash: body.password === null ? null : await hashPassword(body.password),
        max_bytes: body.maxBytes,
        max_files: body.maxFiles,
        require_identity: body.requireIdentity ? 1 : 0,
        closed_at: null,
        created_at: at,
        updated_at: at,
      };
      await requests.insert(row);
      await audit.record({
        userId: user.id,
        action: 'request.create',
        spaceId: row.space_id,
        target: `request ${row.id} ${folder}`,
        decision: 'allow',
      });
      return toFileRequest(row, user.displayName);
    },

    async list(user: User, query: { spaceId?: string; all?: 'true' | 'false'; q?: string }): Promise<FileRequest[]> {
      const search = query.q || undefined;
      if (query.all === 'true') {
        if (!user.isAdmin) throw ERRORS.Forbidden("see other people's file requests");
        return withReceived(await requests.list({ spaceId: query.spaceId, search, limit: 500 }));
      }
      if (query.spaceId) {
        const grant = await access.roleIn(user, query.spaceId);
        if (!grant) throw ERRORS.SpaceNotFound();
        // A manager sees the space's requests; anyone else only their own there.
        const mine = grant.role === 'manager' ? undefined : user.id;
        return withReceived(await requests.list({ spaceId: query.spaceId, userId: mine, search, limit: 500 }));
      }
      return withReceived(await requests.list({ userId: user.id, search, limit: 500 }));
    },

    async get(user: User, id: string): Promise<{ request: FileRequest; submissions: Submission[] }> {
      const row = await manageable(user, id);
      const [request] = await withReceived([row]);
      const submissions = (await requests.submissions(id)).map(toSubmission);
      return { request: request as FileRequest, submissions };
    },

    async update(user: User, id: string, patch: UpdateRequest): Promise<FileRequest> {
      const row = await manageable(user, id);
      if (row.closed_at !== null) throw ERRORS.RequestClosed();
      const changes: Partial<FileRequestRow> = {};
      if (patch.title !== undefined) changes.title = patch.title;
      if (patch.message !== undefined) changes.message = patch.message;
      if (patch.deadline !== undefined) changes.deadline = deadlineOf(patch.deadline);
      if (patch.password !== undefined) changes.password_hash = patch.password === null ? null : await hashPassword(patch.password);
      if (patch.maxBytes !== undefined) changes.max_bytes = patch.maxBytes;
      if (patch.maxFiles !== undefined) changes.max_files = patch.maxFiles;
      if (patch.requireIdentity !== undefined) changes.require_identity = patch.requireIdentity ? 1 : 0;
      await requests.update(id, changes);
      await audit.record({
        userId: user.id,
        action: 'request.edit',
        spaceId: row.space_id,
        target: `request ${id}`,
        decision: 'allow',
        reason: `changed ${Object.keys(patch).join(', ')}`,
      });
      const [updated] = await withReceived([{ ...row, ...changes }]);
      return updated as FileRequest;
    },

    async close(user: User, id: string): Promise<FileRequest> {
      const row = await manageable(user, id);
      const closed = { ...row, closed_at: row.closed_at ?? now() };
      if (row.closed_at === null) await requests.update(id, { closed_at: closed.closed_at });
      await audit.record({ userId: user.id, action: 'request.close', spaceId: row.space_id, target: `request ${id}`, decision: 'allow' });
      const [out] = await withReceived([closed]);
      return out as FileRequest;
    },

    /** What the guest page shows: the request alone, never its folder or anyone's uploads. */
    async publicView(id: string, unlockCookie: string | undefined, ip: string): Promise<PublicRequest> {
      const row = await openRequest(id, ip, 'request.open');
      const unlocked = isUnlocked(row, unlockCookie);
      const owner = await users.findById(row.user_id);
      await audit.record({
        userId: null,
        action: 'request.open',
        spaceId: row.space_id,
        target: `request ${id} from ${ip}`,
        decision: 'allow',
      });
      return {
        id: row.id,
        title: row.title,
        message: unlocked ? row.message : null,
        deadline: new Date(Number(row.deadline)).toISOString(),
        maxBytes: row.max_bytes === null ? null : Number(row.max_bytes),
        maxFiles: row.max_files,
        requireIdentity: row.require_identity === 1,
        passwordRequired: row.password_hash !== null,
        unlocked,
        requester: owner?.display_name ?? 'Someone',
      };
    },

    /** Checks a guest's password, throttled per link and source; the cookie value on success. */
    async unlock(id: string, password: string, ip: string): Promise<RequestUnlock> {
      const row = await openRequest(id, ip, 'request.unlock');
      if (row.password_hash === null) return issue(row);
      const keys = [
        { key: `request-source:${id}|${ip}`, max: MAX_ATTEMPTS_PER_SOURCE },
        { key: `request-link:${id}`, max: MAX_ATTEMPTS_PER_LINK },
        { key: `request-ip:${ip}`, max: MAX_ATTEMPTS_PER_ADDRESS },
      ];
      // Reserved before the hash is checked, so concurrent guesses cannot all pass one count.
      const held: Array<{ key: string; window: number }> = [];
      for (const { key, max } of keys) {
        const taken = await throttle.reserve(key, max, ATTEMPT_WINDOW_MS, 0, now());
        if (!taken) {
          for (const h of held) await throttle.release(h.key, h.window);
          const existing = await throttle.find(key);
          const wait = Math.max(1, Math.ceil(((existing?.window_started_at ?? now()) + ATTEMPT_WINDOW_MS - now()) / 1000));
          await audit.record({
            userId: null,
            action: 'request.unlock',
            spaceId: row.space_id,
            target: `request ${id} from ${ip}`,
            decision: 'deny',
            reason: `throttled (${key.split(':')[0]})`,
          });
          throw ERRORS.TooManyPasswordAttempts(wait);
        }
        held.push({ key, window: taken.window_started_at });
      }
      const ok = await verifyPassword(password, row.password_hash);
      await audit.record({
        userId: null,
        action: 'request.unlock',
        spaceId: row.space_id,
        target: `request ${id} from ${ip}`,
        decision: ok ? 'allow' : 'deny',
        reason: ok ? null : 'wrong password',
      });
      if (!ok) throw ERRORS.WrongRequestPassword();
      await throttle.delete(keys[0]?.key ?? '');
      for (const h of held.slice(1)) await throttle.release(h.key, h.window);
      return issue(row);
    },

    /**
     * A guest's submission: checks the request, the requester's rights, identity and limits, makes
     * the submission's own subfolder on the node, and answers the node's upload spec for it.
     */
    async submit(id: string, unlockCookie: string | undefined, ip: string, body: SubmitRequest): Promise<SubmitResponse> {
      const row = await openRequest(id, ip, 'request.submit');
      const deny = async (reason: string, error: Error) => {
        await audit.record({
          userId: null,
          action: 'request.submit',
          spaceId: row.space_id,
          target: `request ${id} from ${ip}`,
          decision: 'deny',
          reason,
        });
        return error;
      };
      if (!isUnlocked(row, unlockCookie)) throw await deny('locked', ERRORS.PasswordRequired());
      const requester = await requesterMayUpload(row);
      // The link stops with the requester's rights (docs/file-requests.md §3).
      if (!requester) throw await deny('the requester may no longer upload there', ERRORS.RequestClosed());
      const name = body.name?.trim() || null;
      const email = body.email ?? null;
      if (row.require_identity === 1 && (!name || !email))
        throw await deny('no name or email', ERRORS.Validation('This request asks for your name and email address.'));

      const files: Array<{ path: string; size: number }> = [];
      for (const f of body.files) {
        let path: string;
        try {
          path = normalizeSpacePath(f.path).slice(1);
        } catch (error) {
          throw await deny(`path ${f.path.slice(0, 200)}`, error as Error);
        }
        if (path === '') throw await deny('empty path', ERRORS.InvalidPath(f.path, 'is not a file name'));
        files.push({ path, size: f.size });
      }
      if (new Set(files.map((f) => f.path)).size !== files.length)
        throw await deny('a path twice', ERRORS.Validation('A file is listed twice.'));
      // A dropped tree's empty folders (docs/file-requests.md §4): the same path rules as files, and
      // never a file's own path (the folder would take the file's place).
      const emptyFolders = new Set<string>();
      for (const raw of body.emptyFolders ?? []) {
        let path: string;
        try {
          path = normalizeSpacePath(raw).slice(1);
        } catch (error) {
          throw await deny(`path ${raw.slice(0, 200)}`, error as Error);
        }
        if (path === '') throw await deny('empty path', ERRORS.InvalidPath(raw, 'is not a folder name'));
        emptyFolders.add(path);
      }
      if (files.some((f) => emptyFolders.has(f.path)))
        throw await deny('a path twice', ERRORS.Validation('A path is listed both as a file and as a folder.'));
      const bytes = files.reduce((sum, f) => sum + f.size, 0);
      const used = await requests.usage(id);
      if (row.max_files !== null && used.files + files.length > row.max_files)
        throw await deny(
          'file limit',
          ERRORS.LimitExceeded(`This request takes ${Math.max(0, row.max_files - used.files)} more file(s); you sent ${files.length}.`),
        );
      if (row.max_bytes !== null && used.bytes + bytes > Number(row.max_bytes))
        throw await deny(
          'size limit',
          ERRORS.LimitExceeded(`This request takes ${Math.max(0, Number(row.max_bytes) - used.bytes)} more bytes; you sent ${bytes}.`),
        );

      const grant = await access.roleIn(requester, row.space_id);
      if (!grant) throw await deny('space gone', ERRORS.RequestClosed());
      const { space } = grant;
      const target = await clients.forNode(space.node_id);
      const parent = spaceToNodePath(space.root_path, row.folder);
      await clients.ensureFolders(space.node_id, [parent]);
      const folderName = await makeSubfolder(target, parent, submissionFolderName(new Date(now()), name ?? email));
      const folder = `${row.folder === '/' ? '' : row.folder}/${folderName}`;
      const destination = spaceToNodePath(space.root_path, folder);
      for (const f of files) spaceToNodePath(destination, `/${f.path}`);
      const emptyNodePaths = [...emptyFolders].map((p) => spaceToNodePath(destination, `/${p}`));

      const transferId = randomUUID();
      // The token may not outlive the deadline (docs/node-api.md §4 `token_life_seconds`).
      const life = Math.max(1, Math.min(deps.tokenLifeSeconds(), Math.floor((Number(row.deadline) - now()) / 1000)));
      const setupRequest: TransferRequest =
        target.node.kind === 'embedded'
          ? // The embedded node binds the token to these files, their sizes and overwrite never (docs/node-api.md §1.4).
            {
              destination_root: destination,
              paths: files.map((f) => ({ source: f.path, destination: f.path, size: f.size })),
              overwrite: 'never',
            }
          : // A real HSTS binds its token to the destination folder (docs/node-api.md §1.4).
            { paths: [{ destination }] };
      let results;
      try {
        results = await target.client.uploadSetup([
          { ...setupRequest, token_life_seconds: life, tags: { courier: { transfer_id: transferId } } },
        ]);
      } catch (error) {
        throw nodeFailure(target.node.name, error);
      }
      const [result] = results;
      if (!result) throw ERRORS.NodeUnavailable(target.node.name);
      if (!result.ok) throw ERRORS.NodeRefused(target.node.name, result.error.message);
      const gatewayUrl = target.node.gatewayUrl ?? gatewayTagUrl(result.transferSpec.tags);
      if (!gatewayUrl) throw ERRORS.NodeRefused(target.node.name, 'it has no HTTP Gateway for a browser upload');
      // Empty folders carry no bytes, and the gateway pairs every spec path with a file part
      // (docs/http-gateway.md §3.1): they are made now, inside the submission's own new subfolder.
      if (emptyNodePaths.length > 0) await clients.ensureFolders(space.node_id, emptyNodePaths);

      const names = [...new Set([...files.map((f) => f.path), ...emptyFolders].map((p) => p.split('/')[0] as string))];
      const at = now();
      const who = name ?? email ?? 'a guest';
      const transfer: TransferRow = {
        id: transferId,
        user_id: requester.id,
        space_id: row.space_id,
        node_id: target.node.id,
        direction: 'upload',
        title: `${folderName} (from ${who})`.slice(0, 300),
        folder,
        paths_json: JSON.stringify(names.slice(0, MAX_RECORDED_NAMES)),
        file_count: files.length,
        bytes_expected: bytes,
        bytes_transferred: 0,
        client: 'http-gateway',
        status: 'authorized',
        node_transfer_id: null,
        error: null,
        created_at: at,
        updated_at: at,
        started_at: null,
        ended_at: null,
        request_id: row.id,
      };
      await transfers.insert(transfer);
      const submissionId = randomUUID();
      await requests.insertSubmission({
        id: submissionId,
        request_id: row.id,
        transfer_id: transferId,
        folder,
        uploader_name: name,
        uploader_email: email,
        file_count: files.length,
        bytes,
        names_json: JSON.stringify(names.slice(0, MAX_RECORDED_NAMES)),
        source_ip: ip,
        created_at: at,
        completed_at: null,
      });
      await audit.record({
        userId: null,
        action: 'request.submit',
        spaceId: row.space_id,
        target: `request ${id} ${folder} from ${ip}`,
        decision: 'allow',
        reason: `${files.length} file(s)${emptyFolders.size > 0 ? ` and ${emptyFolders.size} empty folder(s)` : ''}, ${bytes} bytes, by ${who}`,
      });
      deps.onChange();
      const transferSpec = {
        ...result.transferSpec,
        paths: files.map((f) => ({ source: f.path, destination: f.path })),
        title: `${row.title}: ${folderName}`,
        overwrite: 'never',
      };
      return {
        submission: { id: submissionId, folderName, fileCount: files.length, bytes },
        transferSpec,
        gatewayUrl,
        tokenLifeSeconds: life,
      };
    },

    /** The tracker saw a transfer complete: a submission's is announced to its requester once. */
    async transferCompleted(row: TransferRow): Promise<void> {
      if (!row.request_id) return;
      const submission = await requests.completeByTransfer(row.id, now());
      if (!submission) return;
      const request = await requests.find(row.request_id);
      if (!request) return;
      const owner = await users.findById(request.user_id);
      const who = submission.uploader_name ?? submission.uploader_email ?? 'Someone';
      const what = (JSON.parse(submission.names_json) as string[]).slice(0, 10).join(', ');
      const size = formatBytes(Number(submission.bytes));
      await audit.record({
        userId: null,
        action: 'request.received',
        spaceId: request.space_id,
        target: `request ${request.id} ${submission.folder}`,
        decision: 'allow',
        reason: `${submission.file_count} file(s), ${submission.bytes} bytes, by ${who}`,
      });
      await notifier.notify({
        userId: request.user_id,
        email: owner?.email ?? null,
        kind: 'request.submitted',
        subject: `${who} sent ${submission.file_count} file${submission.file_count === 1 ? '' : 's'} (${size}) for "${request.title}"`,
        text: [
          `${who}${submission.uploader_email && submission.uploader_name ? ` <${submission.uploader_email}>` : ''} answered your file request "${request.title}".`,
          `Received: ${what}${submission.file_count > 0 ? ` (${submission.file_count} file${submission.file_count === 1 ? '' : 's'}, ${size})` : ''}.`,
          `They are in ${submission.folder}.`,
        ].join('\n'),
        link: `/requests/${request.id}`,
      });
    },
  };

  function issue(row: FileRequestRow): RequestUnlock {
    const exp = Math.min(now() + UNLOCK_SECONDS * 1000, Number(row.deadline));
    return { value: `${exp}.${sign(row, exp)}`, maxAgeSeconds: Math.max(1, Math.floor((exp - now()) / 1000)) };
  }

  /** Creates a new folder under `parent`, never an existing one: the node's create is the test (409 = taken). */
  async function makeSubfolder(target: Awaited<ReturnType<NodeClients['forNode']>>, parent: string, base: string): Promise<string> {
    for (let i = 1; i <= MAX_FOLDER_TRIES; i++) {
      const name = i === 1 ? base : `${base} (${i})`;
      const path = `${parent === '/' ? '' : parent}/${name}`;
      let taken = false;
      try {
        const [result] = await target.client.createFolders([path]);
        if (result && !result.ok) {
          if (result.error.status !== 409) throw ERRORS.NodeRefused(target.node.name, result.error.message);
          taken = true;
        }
      } catch (error) {
        if (error instanceof NodeApiError && error.kind === 'conflict') taken = true;
        else throw nodeFailure(target.node.name, error);
      }
      if (!taken) return name;
    }
    throw ERRORS.Conflict('Too many submissions at once; try again in a minute.');
  }
}

export type RequestsService = ReturnType<typeof createRequestsService>;

function toSubmission(row: SubmissionWithStatus): Submission {
  return {
    id: row.id,
    folder: row.folder,
    uploaderName: row.uploader_name,
    uploaderEmail: row.uploader_email,
    fileCount: row.file_count,
    bytes: Number(row.bytes),
    names: JSON.parse(row.names_json) as string[],
    status: row.status,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    completedAt: row.completed_at === null ? null : new Date(Number(row.completed_at)).toISOString(),
  };
}

/**
 * `YYYY-MM-DD HHmm <name>` (UTC): the submission's folder, the uploader's name made a safe single
 * folder name (separators, control and look-alike characters replaced), `guest` when none is left.
 */
export function submissionFolderName(at: Date, who: string | null): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())} ${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}`;
  const cleaned = (who ?? '')
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f/\\:*?"<>|]/g, '_')
    .replace(/\s+/g, ' ')
    // One segment either way; no "..", so no name even looks like a way up.
    .replace(/\.{2,}/g, '.')
    .replace(/^[\s.]+|[\s.]+$/g, '')
    .slice(0, 60);
  let name = 'guest';
  if (cleaned !== '') {
    try {
      name = validateName(cleaned);
    } catch {
      name = 'guest';
    }
  }
  return `${stamp} ${name}`;
}

function gatewayTagUrl(tags: unknown): string | null {
  const url = (tags as { aspera?: { 'http-gateway'?: { url?: unknown } } } | null | undefined)?.aspera?.['http-gateway']?.url;
  return typeof url === 'string' && url !== '' ? url : null;
}

function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
