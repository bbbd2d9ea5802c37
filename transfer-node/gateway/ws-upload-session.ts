/**
 * One WebSocket upload of the gateway's v1/v2 protocol (docs/http-gateway.md §9), as IBM's CLI and
 * SDK speak it: a `{"transfer_spec"}` text frame, then per file `{"slice_upload"}` headers and the
 * bytes (v2: binary frames between a first and a last header; v1: base64 `data` inside each
 * header). Every message is acknowledged (`end upload`, or `end_slice_upload` for a v2 header)
 * once handled; an error is sent as `{"message"}` and ends the session.
 *
 * The v3 guarantees hold (docs/http-gateway.md §3): the token is verified on the spec, every file
 * must have been declared at setup within its size, bytes go to partial files that reach their
 * final names only when every file of the spec has arrived, and the transfer is recorded the same
 * way. The last acknowledgement is sent after that commit, so a client that has it finds the files.
 */
import type { NodeContext } from '../context';
import { asNodeError, ERRORS, NodeError } from '../errors';
import { parseNodePath, toNodePath } from '../storage/node-path';
import type { UploadBatch } from '../storage/upload-writer';
import type { LiveTransfer } from '../transfers/transfer-store';
import type { Manifest } from '../transfers/upload-grants';
import { MAX_FILES_PER_RECORD, nowUsec, type TransferFile } from '../transfers/transfer-record';
import { authorizeUpload, parseSpec, recordRefusal, type GatewaySpec, type UploadAuthorization } from './gateway-spec';
import { beginRecord, closeThenDiscard, commitAll, type Staged } from './receive-upload';

export type WsApiVersion = 'v1' | 'v2';
export const DATA_ACK = 'end upload';
export const SLICE_ACK = 'end_slice_upload';

interface OpenFile {
  index: number;
  size: number;
  written: number;
  staged: Staged;
  record: TransferFile;
}

export interface WsPeer {
  send(text: string): void;
  /** Ends the connection after an error (its message was sent just before). */
  close(error: NodeError): void;
}

export class WsUploadSession {
  private spec: GatewaySpec | null = null;
  private auth: UploadAuthorization | null = null;
  private batch: UploadBatch | null = null;
  private live: LiveTransfer | null = null;
  private claimed: { grant: string; manifest: Manifest } | null = null;
  private current: OpenFile | null = null;
  private readonly staged: Staged[] = [];
  private readonly received = new Set<number>();
  private failure: NodeError | null = null;
  private completed = false;
  private completing = false;

  constructor(
    private readonly ctx: NodeContext,
    private readonly version: WsApiVersion,
    private readonly peer: WsPeer,
    private readonly request: { authorization: string | undefined; clientIp: string },
  ) {}

  get done(): boolean {
    return this.completed || this.failure !== null;
  }

  get authorized(): boolean {
    return this.live !== null;
  }

  /** Handles one frame; the caller hands them over one at a time, in order. */
  async handle(data: Buffer, isBinary: boolean): Promise<void> {
    if (this.done) return;
    try {
      if (isBinary) {
        await this.binary(data);
        this.peer.send(DATA_ACK);
      } else {
        this.peer.send(await this.text(data.toString('utf8')));
      }
    } catch (err) {
      await this.fail(err);
    }
  }

  /** The connection ended (closed by the client, cut, or timed out): what has not completed fails. */
  async fail(err: unknown): Promise<void> {
    if (this.done) return;
    const error = asNodeError(err);
    this.failure = error;
    if (error.status >= 400) this.peer.send(JSON.stringify({ message: error.message, code: error.status }));
    this.peer.close(error);
    const toRemove = [...this.staged, ...(this.current ? [this.current.staged] : [])];
    if (this.claimed) this.ctx.grants.release(this.claimed.grant);
    await Promise.all(toRemove.map((s) => closeThenDiscard(this.ctx, s)));
    if (this.live) {
      const status = this.live.abort.signal.aborted ? 'canceled' : 'failed';
      this.ctx.transfers.finish(this.live, status, { code: error.status, message: error.message });
    } else {
      recordRefusal(this.ctx, { spec: this.spec, ...this.request }, error);
    }
  }

  private async text(text: string): Promise<string> {
    const message = parseMessage(text);
    if ('transfer_spec' in message) {
      this.start(message.transfer_spec);
      if (this.remaining().length === 0) await this.complete();
      return DATA_ACK;
    }
    if (!('slice_upload' in message)) throw ERRORS.badRequest('Expected a transfer_spec or slice_upload message');
    if (!this.live) throw ERRORS.badRequest('The first message must be the transfer_spec');
    const slice = parseSlice(message.slice_upload);
    if (this.version === 'v1') {
      if (typeof slice.data !== 'string') throw ERRORS.badRequest('A v1 slice_upload carries its bytes base64 in "data"');
      if (!this.current) await this.open(slice);
      else if (this.current.index !== slice.fileIndex) throw ERRORS.badRequest(`File ${this.current.index} is not complete`);
      await this.write(decodeBase64(slice.data));
      if (this.current && this.current.written === this.current.size) await this.closeFile();
      return DATA_ACK;
    }
    if (slice.data !== undefined) throw ERRORS.badRequest('A v2 slice_upload carries no data: the bytes follow as binary frames');
    if (!this.current) await this.open(slice);
    else if (this.current.index !== slice.fileIndex) throw ERRORS.badRequest(`File ${this.current.index} is not complete`);
    // The second header of a file closes it (a one-slice file sends the same header twice).
    else await this.closeFile();
    return SLICE_ACK;
  }

  private async binary(data: Buffer): Promise<void> {
    if (this.version === 'v1') throw ERRORS.badRequest('The v1 upload sends its bytes base64 in JSON, not as binary frames');
    if (!this.current) throw ERRORS.badRequest('Binary data must follow a slice_upload header');
    await this.write(data);
  }

  private start(input: unknown): void {
    if (this.spec) throw ERRORS.badRequest('Only one transfer_spec is allowed');
    const spec = parseSpec(input);
    this.spec = spec;
    if (spec.paths.length === 0) throw ERRORS.badRequest('The spec lists no paths');
    const auth = authorizeUpload(this.ctx, spec, this.request.authorization);
    this.auth = auth;
    if (auth.grant.direction === 'send') this.claimed = { grant: auth.grant.grant, manifest: this.ctx.grants.claim(auth.grant.grant) };
    const manifest = this.claimed?.manifest;
    const mayReplace = (segments: readonly string[]) => auth.overwrite && (manifest?.mayReplace(toNodePath(segments)) ?? true);
    this.batch = this.ctx.uploads.batch(mayReplace, auth.grantRootSegments);
    this.live = beginRecord(this.ctx, spec, auth, this.request.clientIp);
    this.live.abort.signal.addEventListener('abort', () => void this.fail(new NodeError(499, 'The transfer was canceled')));
  }

  private async open(slice: SliceHeader): Promise<void> {
    const spec = this.spec as GatewaySpec;
    const auth = this.auth as UploadAuthorization;
    const live = this.live as LiveTransfer;
    const path = spec.paths[slice.fileIndex];
    if (!path) throw ERRORS.badRequest(`fileIndex ${slice.fileIndex} is not in the spec's paths`);
    if (this.received.has(slice.fileIndex)) throw ERRORS.badRequest(`File ${slice.fileIndex} was already sent`);
    // As for v3 (docs/http-gateway.md §3.1): the spec's path names the file; the header's name is the client's.
    const relative = path.destination ?? path.source ?? slice.name;
    const segments = [...auth.rootSegments, ...parseNodePath(relative, { allowLeadingSlash: false })];
    if (segments.length === auth.rootSegments.length) throw ERRORS.badRequest('A file has no name');
    this.claimed?.manifest.check(toNodePath(segments), slice.size);
    await (this.batch as UploadBatch).checkTarget(segments);
    const record: TransferFile = {
      path: toNodePath(segments),
      size: slice.size,
      bytesWritten: 0,
      status: 'transferring',
      startUsec: nowUsec(),
      endUsec: 0,
    };
    if (live.record.files.length < MAX_FILES_PER_RECORD) live.record.files.push(record);
    live.record.bytesExpected += slice.size;
    const target = this.ctx.uploads.stage();
    this.current = {
      index: slice.fileIndex,
      size: slice.size,
      written: 0,
      staged: { partial: target.partial, segments, stream: target.stream },
      record,
    };
  }

  private async write(data: Buffer): Promise<void> {
    const file = this.current as OpenFile;
    if (file.written + data.length > file.size)
      throw ERRORS.badRequest(`File ${file.index} is larger than its announced size ${file.size}`);
    const stream = file.staged.stream;
    if (!stream) throw new Error('staged file has no stream');
    file.written += data.length;
    file.record.bytesWritten = file.written;
    (this.live as LiveTransfer).record.bytesTransferred += data.length;
    // One frame at a time (ws-upload.ts pauses the socket meanwhile): disk backpressure reaches the client.
    await new Promise<void>((resolve, reject) => stream.write(data, (err) => (err ? reject(err) : resolve())));
  }

  private async closeFile(): Promise<void> {
    const file = this.current as OpenFile;
    if (file.written !== file.size) throw ERRORS.badRequest(`File ${file.index} has ${file.written} bytes, not the announced ${file.size}`);
    const stream = file.staged.stream;
    if (stream) await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    file.record.status = 'completed';
    file.record.endUsec = nowUsec();
    this.staged.push(file.staged);
    this.received.add(file.index);
    this.current = null;
    if (this.remaining().length === 0) await this.complete();
  }

  /**
   * Paths still to come. No client sends anything for an empty file (docs/http-gateway.md §9.2), so
   * a path whose spec says `file_size: 0` (as ascli's does) is not waited for: it is created empty.
   */
  private remaining(): number[] {
    const paths = (this.spec as GatewaySpec).paths;
    return paths.flatMap((p, i) => (this.received.has(i) || p.file_size === 0 ? [] : [i]));
  }

  private async addEmptyFiles(): Promise<void> {
    const paths = (this.spec as GatewaySpec).paths;
    for (const [index, path] of paths.entries()) {
      if (this.received.has(index) || path.file_size !== 0) continue;
      await this.open({ name: '', size: 0, fileIndex: index });
      await this.closeFile();
    }
  }

  private async complete(): Promise<void> {
    const live = this.live as LiveTransfer;
    if (this.completing) return;
    // A cancel (fail() runs outside the frame order) may have removed the partials meanwhile.
    if (this.failure) throw this.failure;
    this.completing = true;
    await this.addEmptyFiles();
    const files = await commitAll(this.batch as UploadBatch, this.staged);
    this.staged.length = 0;
    if (this.claimed) this.ctx.grants.consume(this.claimed.grant);
    this.claimed = null;
    live.record.filesCompleted = files.length;
    live.record.filesExpected = files.length;
    this.completed = true;
    this.ctx.transfers.finish(live, 'completed');
  }
}

interface SliceHeader {
  name: string;
  size: number;
  fileIndex: number;
  data?: unknown;
}

function parseMessage(text: string): { transfer_spec: unknown } | { slice_upload: unknown } | Record<string, unknown> {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    throw ERRORS.badRequest('A text message must be JSON');
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) throw ERRORS.badRequest('A message must be a JSON object');
  return message as Record<string, unknown>;
}

function parseSlice(input: unknown): SliceHeader {
  const slice = input as Partial<Record<keyof SliceHeader, unknown>> | null;
  if (typeof slice !== 'object' || slice === null) throw ERRORS.badRequest('slice_upload must be an object');
  const { size, fileIndex, name } = slice;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
    throw ERRORS.badRequest('slice_upload.size must be a byte count');
  if (typeof fileIndex !== 'number' || !Number.isSafeInteger(fileIndex) || fileIndex < 0)
    throw ERRORS.badRequest('slice_upload.fileIndex must be the index of a path of the spec');
  return { size, fileIndex, name: typeof name === 'string' ? name : '', data: slice.data };
}

function decodeBase64(data: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0) throw ERRORS.badRequest('slice_upload.data must be standard base64');
  return Buffer.from(data, 'base64');
}
