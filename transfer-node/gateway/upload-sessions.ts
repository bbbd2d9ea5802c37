/**
 * Chunked, resumable uploads (docs/http-gateway.md §11): a session authorized once by the spec's
 * token, exactly as a v3 upload (gateway-spec.ts), whose files arrive as parts written at their
 * offsets into staged files, in any order and several at once. Completion checks every byte is held
 * (and a SHA-256 when the client sends one), then renames into place as receive-upload.ts does: no
 * part ever sits under a final name. Sessions are kept on disk beside their staged files
 * (upload-session-store.ts): a node that restarts, even after kill -9, continues them (§11.5).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { NodeContext } from '../context';
import { asNodeError, ERRORS, NodeError } from '../errors';
import { parseNodePath, toNodePath } from '../storage/node-path';
import type { LiveTransfer } from '../transfers/transfer-store';
import { MAX_FILES_PER_RECORD, nowUsec } from '../transfers/transfer-record';
import { addRange, heldBytes, missingRanges } from './byte-ranges';
import { authorizeUpload, recordRefusal, type GatewaySpec } from './gateway-spec';
import { commitAll } from './receive-upload';
import { attempt, recount, snapshot, type Session, type SessionFile, type SessionStatus } from './upload-session-model';
import { checkPart, writePart } from './upload-session-part';
import { sessionKey, UploadSessionStore, type RestoredSession } from './upload-session-store';

// How often expired sessions are looked for; each request also checks its own session.
const SWEEP_MS = 30_000;

export class UploadSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly store: UploadSessionStore;

  constructor(private readonly ctx: NodeContext) {
    this.store = new UploadSessionStore(ctx.uploads.stagingDir);
    this.sweeper = setInterval(() => void this.sweep(), Math.min(SWEEP_MS, ctx.limits.uploadSessionIdleMs));
    this.sweeper.unref();
  }

  /**
   * Takes back the sessions a previous process left (§11.5): each holds its grant again, with the
   * ranges its staged files hold. One whose token has expired, or whose grant is gone, is removed.
   */
  async restore(): Promise<number> {
    for (const found of await this.store.restore()) {
      const session = this.revive(found);
      if (session) this.sessions.set(session.key, session);
      else await this.store.remove(found.key);
    }
    return this.sessions.size;
  }

  private revive({ key, state, created }: RestoredSession): Session | null {
    if (state.tokenExpMs <= Date.now()) return null;
    let manifest;
    try {
      manifest = this.ctx.grants.claim(state.grant);
    } catch {
      return null;
    }
    const mayReplace = (segments: readonly string[]) => state.overwrite && manifest.mayReplace(toNodePath(segments));
    const session: Session = {
      key,
      files: state.files.map((f, k) => ({
        path: f.path,
        segments: f.segments,
        size: f.size,
        partial: this.store.partial(key, k),
        created: created[k] ? Promise.resolve() : null,
        held: f.held,
        inflight: new Set(),
        record: null,
      })),
      grant: state.grant,
      overwrite: state.overwrite,
      grantRoot: state.grantRoot,
      batch: this.ctx.uploads.batch(mayReplace, state.grantRoot),
      live: null,
      recordInit: state.recordInit as Session['recordInit'],
      tokenExpMs: state.tokenExpMs,
      expiresAt: 0,
      state: 'open',
      requests: new Set(),
    };
    // The time the node was down does not count against the client; the token still bounds it.
    this.touch(session);
    return session;
  }

  async create(spec: GatewaySpec, sizes: readonly number[], authorization: string | undefined, clientIp: string): Promise<SessionStatus> {
    if (sizes.length !== spec.paths.length) throw ERRORS.badRequest('files must give one size per entry of transfer_spec.paths');
    if (sizes.length === 0) throw ERRORS.badRequest('The spec lists no paths');
    let claimed: string | null = null;
    try {
      const auth = authorizeUpload(this.ctx, spec, authorization);
      if (auth.grant.direction !== 'send') throw ERRORS.forbidden('An upload session needs an upload token');
      const manifest = this.ctx.grants.claim(auth.grant.grant);
      claimed = auth.grant.grant;
      const mayReplace = (segments: readonly string[]) => auth.overwrite && manifest.mayReplace(toNodePath(segments));
      const batch = this.ctx.uploads.batch(mayReplace, auth.grantRootSegments);
      // 256 random bits: the session id is what authorizes its parts (§11.2).
      const id = randomBytes(32).toString('base64url');
      const key = sessionKey(id);
      const files: SessionFile[] = [];
      for (const [k, path] of spec.paths.entries()) {
        const relative = path.destination ?? path.source;
        if (!relative) throw ERRORS.badRequest('Each path needs a source or a destination');
        const segments = [...auth.rootSegments, ...parseNodePath(relative, { allowLeadingSlash: false })];
        if (segments.length === auth.rootSegments.length) throw ERRORS.badRequest('A path has no name');
        const size = sizes[k] as number;
        manifest.check(toNodePath(segments), size);
        await batch.checkTarget(segments);
        const partial = this.store.partial(key, k);
        files.push({ path: toNodePath(segments), segments, size, partial, created: null, held: [], inflight: new Set(), record: null });
      }
      const session: Session = {
        key,
        files,
        grant: claimed,
        overwrite: auth.overwrite,
        grantRoot: [...auth.grantRootSegments],
        batch,
        live: null,
        recordInit: {
          direction: 'send',
          remoteHost: this.ctx.settings.remoteHost,
          remoteUser: auth.grant.user,
          clientIp,
          sourcePaths: spec.paths.slice(0, MAX_FILES_PER_RECORD).map((p) => p.source ?? ''),
          destinationPath: toNodePath(auth.rootSegments),
          tags: auth.grant.tags ?? spec.tags ?? null,
          cookie: auth.grant.cookie ?? spec.cookie ?? null,
          // docs/node-api.md §6.4: the key's /ops/transfers lists the transfers set up under it.
          ...(auth.grant.accessKey === undefined ? {} : { accessKey: auth.grant.accessKey }),
          bytesExpected: sizes.reduce((a, b) => a + b, 0),
          filesExpected: files.length,
        },
        tokenExpMs: auth.grant.exp * 1000,
        expiresAt: 0,
        state: 'open',
        requests: new Set(),
      };
      await this.store.create(key, snapshot(session));
      this.attempt(session);
      this.touch(session);
      this.sessions.set(key, session);
      return this.status(id);
    } catch (err) {
      if (claimed) this.ctx.grants.release(claimed);
      if (err instanceof NodeError) recordRefusal(this.ctx, { spec, authorization, clientIp }, err);
      throw err;
    }
  }

  status(id: string): SessionStatus {
    const session = this.open(id);
    return {
      session_id: id,
      expires_at: new Date(session.expiresAt).toISOString(),
      files: session.files.map((f) => ({ path: f.path, size: f.size, received: f.held })),
    };
  }

  /** Writes one part at `offset`; answers the offset after it. */
  async receivePart(id: string, index: number, offsetHeader: unknown, lengthHeader: unknown, req: IncomingMessage): Promise<number> {
    const session = this.open(id);
    const { file, offset, length } = checkPart(session, index, offsetHeader, lengthHeader);
    const part = { start: offset, end: offset + length, written: 0 };
    const live = this.attempt(session);
    file.inflight.add(part);
    session.requests.add(req);
    this.touch(session);
    const { written, error } = await writePart(this.ctx, file, part, live, req);
    // What reached the disk is held, even from a part cut short: a retry sends only the rest.
    if (written !== null) file.held = addRange(file.held, offset, offset + written);
    // Kept on disk before the part is answered: after a restart, status says what this one did.
    const saved = written !== null ? this.persist(session) : Promise.resolve();
    saved.catch(() => undefined);
    file.inflight.delete(part);
    session.requests.delete(req);
    recount(session, file);
    this.touch(session);
    // The connections carrying this attempt are gone: it failed, as a cut v3 upload does; the
    // session waits for the rest (§11.3), and the next part begins a new attempt.
    const cut = error !== null && (error.status === 499 || error.status === 408);
    if (cut && session.live === live && session.state === 'open' && session.files.every((f) => f.inflight.size === 0)) {
      session.live = null;
      this.ctx.transfers.finish(live, 'failed', { code: 499, message: 'The upload stopped before it completed; it can be resumed' });
    }
    if (error) throw error;
    await saved;
    return offset + length;
  }

  /** Checks sizes and checksums, then moves every file to its final name (§11.4). */
  async complete(id: string, checks: readonly { size?: number; sha256?: string }[]): Promise<{ transferId: string; files: string[] }> {
    const session = this.open(id);
    if (session.state !== 'open') throw ERRORS.exists('The session is already completing');
    if (checks.length > 0 && checks.length !== session.files.length)
      throw ERRORS.badRequest('files must give one entry per file of the session');
    for (const [k, file] of session.files.entries()) {
      const size = checks[k]?.size;
      if (size !== undefined && size !== file.size)
        throw ERRORS.badRequest(`${file.path} was announced with ${file.size} bytes, not ${size}`);
      if (file.inflight.size > 0) throw ERRORS.exists(`Parts of ${file.path} are still being received`);
      const missing = missingRanges(file.held, file.size);
      if (missing.length > 0)
        throw ERRORS.exists(`${file.path} is missing ${heldBytes(missing)} of its ${file.size} bytes (from byte ${missing[0]?.[0]})`);
    }
    session.state = 'completing';
    try {
      for (const [k, file] of session.files.entries()) {
        file.created ??= this.ctx.uploads.createPartial(file.partial);
        await file.created;
        const expected = checks[k]?.sha256?.toLowerCase();
        if (expected !== undefined && (await this.ctx.uploads.sha256(file.partial)) !== expected)
          throw new NodeError(422, `${file.path} does not have the SHA-256 the client sent: its bytes differ`, 'checksum');
      }
      const files = await commitAll(session.batch, session.files);
      this.ctx.grants.consume(session.grant);
      this.sessions.delete(session.key);
      session.state = 'ended';
      await this.store.remove(session.key);
      const live = this.attempt(session);
      const record = live.record;
      record.bytesTransferred = record.bytesExpected;
      record.filesCompleted = files.length;
      for (const file of record.files) Object.assign(file, { bytesWritten: file.size, status: 'completed', endUsec: nowUsec() });
      this.ctx.transfers.finish(live, 'completed');
      return { transferId: record.id, files };
    } catch (err) {
      await this.end(session, 'failed', asNodeError(err));
      throw err;
    }
  }

  async cancel(id: string): Promise<void> {
    await this.end(this.open(id), 'canceled', new NodeError(499, 'The client canceled the upload'));
  }

  async sweep(now = Date.now()): Promise<void> {
    const expired = [...this.sessions.values()].filter((s) => s.expiresAt <= now && s.state === 'open');
    await Promise.all(expired.map((s) => this.end(s, 'failed', new NodeError(408, 'The upload session expired', 'timeout'))));
  }

  /**
   * The node stops: each session's attempt fails, as a cut upload's does, but the session stays on
   * disk for the node's next start (§11.5).
   */
  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    for (const session of this.sessions.values()) {
      for (const req of session.requests) req.destroy();
      if (session.live)
        this.ctx.transfers.finish(session.live, 'failed', { code: 503, message: 'The node was shut down; the upload can be resumed' });
      session.live = null;
    }
    await Promise.all([...this.sessions.values()].map((s) => this.persist(s).catch(() => undefined)));
    this.sessions.clear();
  }

  private open(id: string): Session {
    const session = this.sessions.get(sessionKey(id));
    if (!session) throw ERRORS.notFound('No such upload session: it completed, was canceled or expired');
    if (session.expiresAt <= Date.now()) {
      void this.end(session, 'failed', new NodeError(408, 'The upload session expired', 'timeout'));
      throw ERRORS.notFound('No such upload session: it completed, was canceled or expired');
    }
    return session;
  }

  private persist(session: Session): Promise<void> {
    return this.store.save(session.key, () => (session.state === 'ended' ? null : snapshot(session)));
  }

  /** §11.5: a session lives while it is used, never beyond its token. */
  private touch(session: Session): void {
    session.expiresAt = Math.min(session.tokenExpMs, Date.now() + this.ctx.limits.uploadSessionIdleMs);
  }

  /** The current attempt's record; a cancel through the Node API ends the session. */
  private attempt(session: Session): LiveTransfer {
    return attempt(this.ctx, session, () => void this.end(session, 'canceled', new NodeError(499, 'The transfer was canceled')));
  }

  private async end(session: Session, status: 'failed' | 'canceled', error: NodeError): Promise<void> {
    if (session.state === 'ended') return;
    session.state = 'ended';
    this.sessions.delete(session.key);
    for (const req of session.requests) req.destroy();
    this.ctx.grants.release(session.grant);
    await Promise.all(session.files.map((f) => f.created?.catch(() => undefined)));
    await this.store.remove(session.key);
    // Canceled by the client: say so even when the last attempt had already failed.
    const live = session.live ?? (status === 'canceled' ? this.attempt(session) : null);
    if (live) this.ctx.transfers.finish(live, status, { code: error.status, message: error.message });
  }
}
