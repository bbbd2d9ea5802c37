/**
 * Sends an authorized download (docs/http-gateway.md §4.2, §5.3): one file as itself with an exact
 * `Content-Length` and `Range` support (so a browser can resume a signed URL), or several items /
 * a folder as one stored (uncompressed) zip whose exact length yazl computes up front; yazl switches
 * to zip64 records by itself beyond 4 GiB or 65,535 entries.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream, type Stats } from 'node:fs';
import type { OutgoingHttpHeaders } from 'node:http';
import { basename } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { ZipFile } from 'yazl';
import type { NodeContext } from '../context';
import { ERRORS, NodeError } from '../errors';
import { MAX_FILES_PER_RECORD, nowUsec } from '../transfers/transfer-record';
import { accelRedirectUri } from './accel-redirect';
import type { DownloadItem } from './gateway-spec';
import { pumpFile } from '../storage/file-pump';
import { collectZipEntries, hardLinkRefused } from './zip-entries';

// yazl looks for its next entry from the start of its list for every entry (quadratic): 20,000
// entries cost ~3 s of CPU, 100,000 about a minute with the event loop mostly blocked.
export const MAX_ZIP_ENTRIES = 20_000;
/** How many items a zip left out; they are listed, with the reason, in the zip itself. */
export const SKIPPED_HEADER = 'X-Courier-Skipped-Files';

export interface DownloadPlan {
  items: DownloadItem[];
  zipRequired: boolean;
  downloadName: string | undefined;
  user: string;
  tags: unknown;
  cookie: string | null;
  /** The access key the download was set up under (docs/node-api.md §6.4). */
  accessKey?: string;
  /**
   * The browser's download manager reads this answer (a signed URL, §5.3): it may also carry the
   * exact name as RFC 6266 `filename*`. A script-read answer (`/v3/download`) keeps the one form
   * the SDK parses (docs/http-gateway.md §4.2).
   */
  extendedFileName: boolean;
  /**
   * A signed URL's download, which nginx may send when the node runs behind it
   * (docs/http-gateway.md §5.4). `/v3/download` is read by a script across origins: its CORS
   * headers are the node's, so the node sends it.
   */
  handOff: boolean;
}

export async function sendDownload(ctx: NodeContext, request: FastifyRequest, reply: FastifyReply, plan: DownloadPlan) {
  const single = plan.items.length === 1 ? plan.items[0] : undefined;
  const asZip = plan.zipRequired || !single || !single.stats.isFile();
  if (!asZip && single && !single.stats.isFile()) throw ERRORS.badRequest('Only files and folders can be downloaded');
  // A single file goes through pumpFile's reused buffers; a zip is yazl's stream.
  let source: Readable | { abs: string; start: number };
  let length: number;
  let fileName: string;
  let files: { path: string; size: number }[];
  // docs/http-gateway.md §4.2: every `/v3/download` has one URL and the spec in a header, so a
  // cached answer (heuristically fresh from Last-Modified) would be handed out for another spec.
  reply.header('Cache-Control', 'no-store');
  if (!asZip && single) {
    if (single.stats.nlink > 1) throw hardLinkRefused(single.nodePath);
    const accel = plan.handOff && ctx.settings.accelRedirect;
    const uri = accel ? accelRedirectUri(accel, ctx.files.docroot.root, single.abs) : null;
    if (uri) return handOffDownload(ctx, request, reply, plan, single, uri, basename(single.abs));
    // RFC 9110 §13.1.5: a browser resuming sends If-Range with the validator it saw; a file that
    // changed since gets the whole new file, never the rest of it spliced onto the old bytes.
    const etag = entityTag(single.stats);
    const lastModified = single.stats.mtime.toUTCString();
    reply.header('ETag', etag).header('Last-Modified', lastModified);
    const ifRange = request.headers['if-range'];
    // A date has one-second resolution: it vouches for the bytes only once the file is older than that.
    const dateHolds = ifRange === lastModified && Date.now() - single.stats.mtimeMs > 1000;
    const current = typeof ifRange !== 'string' || ifRange === etag || dateHolds;
    const range = current ? parseRange(request.headers.range, single.stats.size) : null;
    if (range === 'unsatisfiable') {
      reply.header('Content-Range', `bytes */${single.stats.size}`);
      throw new NodeError(416, 'Requested range not satisfiable');
    }
    fileName = basename(single.abs);
    files = [{ path: single.nodePath, size: single.stats.size }];
    reply.header('Accept-Ranges', 'bytes');
    if (range) {
      reply.code(206).header('Content-Range', `bytes ${range.start}-${range.end}/${single.stats.size}`);
      length = range.end - range.start + 1;
      source = { abs: single.abs, start: range.start };
    } else {
      // Bounded by the size announced in Content-Length, even if the file grows meanwhile.
      length = single.stats.size;
      source = { abs: single.abs, start: 0 };
    }
    reply.header('Content-Type', 'application/octet-stream');
  } else {
    const { entries, skipped } = await collectZipEntries(ctx.files.docroot, plan.items, MAX_ZIP_ENTRIES);
    if (skipped.length > 0) reply.header(SKIPPED_HEADER, String(skipped.length));
    const zip = new ZipFile();
    for (const entry of entries) {
      const options = { mtime: entry.mtime, mode: entry.mode, compress: false, size: entry.size };
      if (entry.content) zip.addBuffer(entry.content, entry.name, { mtime: entry.mtime, mode: entry.mode, compress: false });
      else if (entry.abs === null) zip.addEmptyDirectory(entry.name, { mtime: entry.mtime, mode: entry.mode });
      // Empty files need no file descriptor: a folder of 100,000 of them would otherwise open each.
      else if (entry.size === 0) zip.addBuffer(Buffer.alloc(0), entry.name, { mtime: entry.mtime, mode: entry.mode, compress: false });
      else zip.addReadStreamLazy(entry.name, options, (cb) => cb(null, createReadStream(entry.abs as string)));
    }
    // forceZip64Format: yazl 3.3.1 predicts the zip64 end records once the central directory
    // passes 64 KiB (~1,000 entries) but only writes them past 4 GiB, so its Content-Length would
    // be 76 bytes too long. Forcing the zip64 end records makes prediction and output agree.
    length = await new Promise<number>((resolve) =>
      zip.end({ forceZip64Format: true, comment: '' }, ((size: number) => resolve(size)) as () => void),
    );
    if (length < 0) throw new Error('zip size could not be computed');
    source = zip.outputStream as Readable;
    fileName = `${zipBaseName(plan.downloadName)}.zip`;
    files = entries.filter((e) => e.abs !== null || e.content).map((e) => ({ path: e.name, size: e.size }));
    reply.header('Content-Type', 'application/zip');
  }
  const live = ctx.transfers.begin({
    direction: 'receive',
    remoteHost: ctx.settings.remoteHost,
    remoteUser: plan.user,
    clientIp: request.ip,
    sourcePaths: plan.items.map((i) => i.nodePath),
    destinationPath: '',
    tags: plan.tags ?? null,
    cookie: plan.cookie,
    ...(plan.accessKey === undefined ? {} : { accessKey: plan.accessKey }),
    bytesExpected: length,
    filesExpected: files.length,
  });
  const start = nowUsec();
  live.record.files = files
    .slice(0, MAX_FILES_PER_RECORD)
    .map((f) => ({ ...f, bytesWritten: 0, status: 'transferring', startUsec: start, endUsec: 0 }));
  const oneFile = live.record.files.length === 1 ? live.record.files[0] : undefined;
  const count = (bytes: number) => {
    live.record.bytesTransferred += bytes;
    if (oneFile) oneFile.bytesWritten += bytes;
  };
  reply.raw.on('close', () => {
    const done = reply.raw.writableFinished && live.record.bytesTransferred === length;
    if (done) {
      live.record.filesCompleted = files.length;
      for (const f of live.record.files) f.bytesWritten = f.size;
    }
    ctx.transfers.finish(live, done ? 'completed' : 'failed', done ? undefined : { code: 499, message: 'The download did not complete' });
  });
  reply
    .header('Content-Length', String(length))
    .header('Content-Disposition', contentDisposition(fileName, plan.extendedFileName))
    .header('X-Transfer-Id', live.record.id);
  if (source instanceof Readable) {
    const zip = source;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        count(chunk.length);
        done(null, chunk);
      },
    });
    zip.on('error', (err) => counter.destroy(err));
    live.abort.signal.addEventListener('abort', () => {
      zip.destroy();
      counter.destroy();
      reply.raw.destroy();
    });
    zip.pipe(counter);
    return reply.send(counter);
  }
  // The file's bytes are written to the socket here, past Fastify's send (and its onSend hooks,
  // whose one header is added here), so that each buffer is reused once the socket has taken it.
  const file = source;
  live.abort.signal.addEventListener('abort', () => reply.raw.destroy());
  reply.hijack();
  const headers = Object.fromEntries(Object.entries(reply.getHeaders()).filter((entry) => entry[1] !== undefined));
  reply.raw.writeHead(reply.statusCode, { ...headers, 'X-Request-Id': request.id } as OutgoingHttpHeaders);
  pumpFile(file.abs, file.start, length, reply.raw, count).catch((err: unknown) => {
    request.log.error({ err }, 'download failed while reading the file');
    reply.raw.destroy();
  });
  return reply;
}

/**
 * Records the download as handed off and answers with the redirect. nginx's log is not the node's:
 * the record counts the bytes handed off (the file's size, or the Range's length), completed at the
 * hand-off, even if the client then stops reading.
 */
function handOffDownload(
  ctx: NodeContext,
  request: FastifyRequest,
  reply: FastifyReply,
  plan: DownloadPlan,
  single: DownloadItem,
  uri: string,
  fileName: string,
) {
  const size = single.stats.size;
  const range = parseRange(request.headers.range, size);
  if (range === 'unsatisfiable') {
    reply.header('Content-Range', `bytes */${size}`);
    throw new NodeError(416, 'Requested range not satisfiable');
  }
  const length = range ? range.end - range.start + 1 : size;
  const live = ctx.transfers.begin({
    direction: 'receive',
    remoteHost: ctx.settings.remoteHost,
    remoteUser: plan.user,
    clientIp: request.ip,
    sourcePaths: [single.nodePath],
    destinationPath: '',
    tags: plan.tags ?? null,
    cookie: plan.cookie,
    ...(plan.accessKey === undefined ? {} : { accessKey: plan.accessKey }),
    bytesExpected: length,
    filesExpected: 1,
  });
  const now = nowUsec();
  live.record.files = [{ path: single.nodePath, size, bytesWritten: size, status: 'transferring', startUsec: now, endUsec: 0 }];
  live.record.bytesTransferred = length;
  live.record.filesCompleted = 1;
  ctx.transfers.finish(live, 'completed');
  // nginx keeps Content-Type, Content-Disposition and Cache-Control of this answer, and sets its
  // own Content-Length, ETag and Last-Modified from the file it opens (the validators a resume sends).
  return reply
    .code(200)
    .header('Content-Type', 'application/octet-stream')
    .header('Content-Disposition', contentDisposition(fileName, plan.extendedFileName))
    .header('X-Transfer-Id', live.record.id)
    .header('X-Accel-Buffering', 'no')
    .header('X-Accel-Redirect', uri)
    .send();
}

/**
 * A validator of the file's current bytes as the file system knows them: its inode, size and
 * modification time (microseconds). A file replaced or written since gets another.
 */
export function entityTag(stats: Stats): string {
  return `"${stats.ino.toString(16)}-${stats.size.toString(16)}-${Math.round(stats.mtimeMs * 1000).toString(16)}"`;
}

/** `download_name` is a name, never a path; empty or only dots falls back to the protocol's default (§4.2). */
function zipBaseName(downloadName: string | undefined): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const name = (downloadName ?? '').replace(/[\u0000-\u001f\u007f/\\]+/g, '_').trim();
  return name.replace(/\.+$/, '') ? name : 'download';
}

/**
 * `attachment; filename="<ASCII>"`, and for the browser's download manager also RFC 6266
 * `filename*=UTF-8''…` with the exact name (Unicode and punctuation kept), which browsers prefer.
 */
export function contentDisposition(fileName: string, extended: boolean): string {
  const plain = `attachment; filename="${asciiFileName(fileName)}"`;
  if (!extended) return plain;
  // RFC 8187 attr-chars only: encodeURIComponent leaves ' ( ) * ! unescaped, which must be escaped here.
  const encoded = encodeURIComponent(fileName).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${plain}; filename*=UTF-8''${encoded}`;
}

/** §4.2: the SDK strips exactly `attachment; filename="` and reads the name as Latin-1: keep it ASCII. */
export function asciiFileName(name: string): string {
  const safe = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._()[\]+,=@' -]/g, '_')
    .slice(0, 200);
  return /[A-Za-z0-9]/.test(safe) ? safe : 'download';
}

/** One `bytes=` range (RFC 9110 §14.1.2); several ranges are answered with the whole file. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, from, to] = match;
  if (from === '' && to === '') return null;
  let start: number;
  let end: number;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}
