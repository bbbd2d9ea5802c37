/**
 * Streams one `POST /v3/upload` multipart body to disk (docs/http-gateway.md §3.1): `x-aspera-spec`
 * first, then `Content-Length` + `file` pairs, the k-th file belonging to `paths[k]`. Each file is
 * written to a partial name; all are renamed to their final names only when the whole body has
 * arrived and every file has its announced size, so an aborted request leaves nothing behind.
 * The token's grant (transfers/upload-grants.ts) is held for the request: every file must have been
 * declared at setup, within its declared size, and a completed upload spends the token.
 */
import busboy from 'busboy';
import type { WriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { NodeContext } from '../context';
import { asNodeError, ERRORS, NodeError } from '../errors';
import { parseNodePath, toNodePath } from '../storage/node-path';
import type { UploadBatch } from '../storage/upload-writer';
import type { LiveTransfer } from '../transfers/transfer-store';
import type { Manifest } from '../transfers/upload-grants';
import { MAX_FILES_PER_RECORD, nowUsec } from '../transfers/transfer-record';
import { watchUpload } from './upload-watch';
import { authorizeUpload, MAX_SPEC_PATHS, parseSpec, recordRefusal, type GatewaySpec, type UploadAuthorization } from './gateway-spec';

// The spec part holds every path of the upload; 4 MiB is ample for MAX_SPEC_PATHS entries.
const MAX_SPEC_BYTES = 4 * 1024 * 1024;
// Renames in flight at once when an upload completes: twice libuv's default four threads.
const COMMIT_CONCURRENCY = 8;

export interface Staged {
  partial: string;
  segments: string[];
  stream?: WriteStream;
}

export interface UploadResult {
  transferId: string;
  files: string[];
}

/**
 * What one v3 body may carry: the spec, then a `Content-Length` field and a file per path. Busboy
 * skips the file or field past its limit, but emits partsLimit on *reaching* its limit: a body of
 * MAX_SPEC_PATHS files is 2n + 1 parts, so the limit is one more, the first part refused.
 */
export const MULTIPART_LIMITS = {
  fieldSize: MAX_SPEC_BYTES,
  fields: MAX_SPEC_PATHS + 1,
  files: MAX_SPEC_PATHS,
  parts: 2 * MAX_SPEC_PATHS + 2,
} as const;

export function receiveUpload(ctx: NodeContext, req: IncomingMessage, clientIp: string): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // Folder paths in filenames are kept (§3.1) and names are UTF-8 bytes as-is, not latin1.
        preservePath: true,
        defParamCharset: 'utf8',
        // 1 MiB buffers instead of 16-64 KiB: fewer write syscalls, ~1.5x faster, ~3 MiB per upload.
        highWaterMark: 1024 * 1024,
        fileHwm: 1024 * 1024,
        limits: MULTIPART_LIMITS,
      });
    } catch {
      reject(new NodeError(415, 'Expected a multipart/form-data body', 'unsupported_media_type'));
      return;
    }
    let spec: GatewaySpec | null = null;
    let auth: UploadAuthorization | null = null;
    let batch: UploadBatch | null = null;
    let live: LiveTransfer | null = null;
    let claimed: { grant: string; manifest: Manifest } | null = null;
    let announced: number | null = null;
    let failure: NodeError | null = null;
    let fileIndex = 0;
    let current: Staged | null = null;
    const staged: Staged[] = [];
    const watch = watchUpload(req, { authorizeMs: ctx.limits.uploadAuthorizeTimeoutMs, idleMs: ctx.limits.uploadIdleTimeoutMs }, fail);
    let chain: Promise<void> = Promise.resolve();
    const run = (step: () => Promise<void> | void, onSkip?: () => void) => {
      chain = chain
        .then(async () => {
          if (failure) onSkip?.();
          else await step();
        })
        .catch(fail);
    };

    function fail(err: unknown): void {
      if (failure) return;
      const error = asNodeError(err);
      failure = error;
      req.unpipe(parser);
      // Let the rest of the body drain so the browser can read the error (§3.2).
      req.resume();
      const toRemove = [...staged, ...(current ? [current] : [])];
      if (claimed) ctx.grants.release(claimed.grant);
      void Promise.all(toRemove.map((s) => closeThenDiscard(ctx, s))).finally(() => {
        if (live)
          ctx.transfers.finish(live, live.abort.signal.aborted ? 'canceled' : 'failed', { code: error.status, message: error.message });
        else recordRefusal(ctx, { spec, authorization: req.headers.authorization, clientIp }, error);
        reject(error);
      });
    }

    parser.on('field', (name, value, info) => {
      run(() => {
        if (info.valueTruncated) throw ERRORS.badRequest(`Part "${name}" is too large`);
        if (!spec && name !== 'x-aspera-spec') throw ERRORS.badRequest('The first part must be x-aspera-spec');
        if (name === 'x-aspera-spec') {
          if (spec) throw ERRORS.badRequest('Only one x-aspera-spec part is allowed');
          spec = parseSpec(parseJson(value));
          auth = authorizeUpload(ctx, spec, req.headers.authorization);
          if (auth.grant.direction === 'send') claimed = { grant: auth.grant.grant, manifest: ctx.grants.claim(auth.grant.grant) };
          watch.authorized();
          const manifest = claimed?.manifest;
          // The token may replace; a file its grant keeps (docs/node-api.md §1.4) still may not.
          const mayReplace = (segments: readonly string[]) =>
            auth?.overwrite === true && (manifest?.mayReplace(toNodePath(segments)) ?? true);
          batch = ctx.uploads.batch(mayReplace, auth.grantRootSegments);
          live = beginRecord(ctx, spec, auth, clientIp);
          live.abort.signal.addEventListener('abort', () => fail(new NodeError(499, 'The transfer was canceled')));
        } else if (name === 'Content-Length') {
          if (!/^\d{1,16}$/.test(value)) throw ERRORS.badRequest('Content-Length part must be a decimal byte count');
          announced = Number(value);
        } else {
          throw ERRORS.badRequest(`Unexpected part "${name}"`);
        }
      });
    });

    parser.on('file', (name, stream, info) => {
      // Errors of this stream surface through pipeline(); a skipped one is drained, never left paused.
      stream.on('error', () => undefined);
      run(
        async () => {
          if (!spec || !auth || !batch || !live) throw ERRORS.badRequest('The first part must be x-aspera-spec');
          if (name !== 'file') throw ERRORS.badRequest(`Unexpected file part "${name}"`);
          if (announced === null) throw ERRORS.badRequest('Each file part must follow a Content-Length part');
          const size = announced;
          announced = null;
          const path = spec.paths[fileIndex];
          // §3.1: filename is paths[k].source with only %22, %0D, %0A escaped by the browser.
          const relative = path?.destination ?? path?.source ?? decodeFilename(info.filename ?? '');
          const segments = [...auth.rootSegments, ...parseNodePath(relative, { allowLeadingSlash: false })];
          if (segments.length === auth.rootSegments.length) throw ERRORS.badRequest('A file part has no name');
          claimed?.manifest.check(toNodePath(segments), size);
          fileIndex += 1;
          await batch.checkTarget(segments);
          const file = {
            path: toNodePath(segments),
            size,
            bytesWritten: 0,
            status: 'transferring' as const,
            startUsec: nowUsec(),
            endUsec: 0,
          };
          const record = live.record;
          if (record.files.length < MAX_FILES_PER_RECORD) record.files.push(file);
          record.bytesExpected += size;
          if (failure) {
            stream.resume();
            return;
          }
          const target = ctx.uploads.stage();
          const mine: Staged = { partial: target.partial, segments, stream: target.stream };
          current = mine;
          let written = 0;
          const counter = new Transform({
            transform(chunk: Buffer, _enc, done) {
              written += chunk.length;
              if (written > size) return done(ERRORS.badRequest(`File ${file.path} is larger than its Content-Length`));
              file.bytesWritten = written;
              record.bytesTransferred += chunk.length;
              done(null, chunk);
            },
          });
          try {
            await pipeline(stream, counter, target.stream);
            if ((stream as { truncated?: boolean }).truncated || written !== size) {
              throw ERRORS.badRequest(`File ${file.path} has ${written} bytes, not the announced ${size}`);
            }
            // fail() may have run while this file was written: it could not see this partial.
            if (failure) throw failure;
            staged.push(mine);
          } catch (err) {
            await closeThenDiscard(ctx, mine);
            throw err;
          } finally {
            if (current === mine) current = null;
          }
        },
        () => stream.resume(),
      );
    });

    parser.on('close', () => {
      run(async () => {
        if (!spec || !batch || !live) throw ERRORS.badRequest('The body has no x-aspera-spec part');
        if (staged.length === 0) throw ERRORS.badRequest('The body has no file part');
        if (announced !== null) throw ERRORS.badRequest('A Content-Length part has no file');
        const files = await commitAll(batch, staged);
        staged.length = 0;
        if (claimed) ctx.grants.consume(claimed.grant);
        claimed = null;
        live.record.filesCompleted = files.length;
        live.record.filesExpected = files.length;
        ctx.transfers.finish(live, 'completed');
        resolve({ transferId: live.record.id, files });
      });
    });

    // Busboy stops emitting parts past a limit and the body would otherwise complete without them.
    parser.on('filesLimit', () => fail(ERRORS.tooLarge(`One upload carries at most ${MAX_SPEC_PATHS} files`)));
    parser.on('fieldsLimit', () => fail(ERRORS.tooLarge(`One upload carries at most ${MAX_SPEC_PATHS} files`)));
    parser.on('partsLimit', () => fail(ERRORS.tooLarge(`One upload carries at most ${MAX_SPEC_PATHS} files`)));
    parser.on('error', (err) =>
      fail(err instanceof NodeError ? err : ERRORS.badRequest(`Malformed multipart body: ${(err as Error).message}`)),
    );
    // A client that disconnects mid-body (§3.2 cancellation) ends here: clean up and record it.
    req.on('aborted', () => fail(new NodeError(499, 'The client closed the connection before the upload completed')));
    req.on('error', () => fail(new NodeError(499, 'The client closed the connection before the upload completed')));
    req.pipe(parser);
  });
}

/**
 * Renames every staged file to its final name, several at a time: each rename waits on the thread
 * pool, so one after another leaves it idle. A name given twice keeps the order of the body.
 */
export async function commitAll(batch: UploadBatch, staged: readonly Pick<Staged, 'partial' | 'segments'>[]): Promise<string[]> {
  const files = staged.map((item) => toNodePath(item.segments));
  const lanes = new Set(files).size === files.length ? COMMIT_CONCURRENCY : 1;
  let next = 0;
  let refused = false;
  const lane = async () => {
    // After a refusal the other lanes stop taking files; the request fails with that refusal.
    for (let i = next++; i < staged.length && !refused; i = next++) {
      const item = staged[i] as Pick<Staged, 'partial' | 'segments'>;
      await batch.commit(item.partial, item.segments).catch((err: unknown) => {
        refused = true;
        throw err;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, staged.length) }, lane));
  return files;
}

export function beginRecord(ctx: NodeContext, spec: GatewaySpec, auth: UploadAuthorization, clientIp: string): LiveTransfer {
  return ctx.transfers.begin({
    direction: 'send',
    remoteHost: ctx.settings.remoteHost,
    remoteUser: auth.grant.user,
    clientIp,
    sourcePaths: spec.paths.slice(0, MAX_FILES_PER_RECORD).map((p) => p.source ?? ''),
    destinationPath: toNodePath(auth.rootSegments),
    tags: auth.grant.tags ?? spec.tags ?? null,
    cookie: auth.grant.cookie ?? spec.cookie ?? null,
    ...(auth.grant.accessKey === undefined ? {} : { accessKey: auth.grant.accessKey }),
    bytesExpected: 0,
    filesExpected: spec.paths.length,
  });
}

/** The write stream may still be opening: wait for it to close so no partial outlives the request. */
export async function closeThenDiscard(ctx: NodeContext, staged: Staged): Promise<void> {
  const stream = staged.stream;
  if (stream && !stream.closed) {
    await new Promise<void>((resolve) => {
      stream.once('close', () => resolve());
      stream.destroy();
    });
  }
  await ctx.uploads.discard(staged.partial);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw ERRORS.badRequest('x-aspera-spec is not valid JSON');
  }
}

function decodeFilename(name: string): string {
  return name.replace(/%22/g, '"').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n');
}
