/**
 * This node as a client of a remote HTTP Gateway v3 (docs/http-gateway.md §3, §4): one streamed
 * multipart upload of local files, or one streamed download per remote file. Bytes go from disk to
 * socket and back through streams, never whole in memory (1 MiB reads, as the gateway's own buffers).
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { request as httpRequest, type Agent, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NodeError } from '../errors';
import type { LocalFile } from './local-sources';

const CHUNK_BYTES = 1024 * 1024;
// The remote's answer is a small JSON body (docs/http-gateway.md §3.2, §6); more is not read.
const MAX_ANSWER_BYTES = 64 * 1024;

export interface Progress {
  /** `bytes` more of file `index` went through. */
  bytes(index: number, bytes: number): void;
  fileDone(index: number): void;
}

/** Chromium's escaping of a multipart filename, which the gateway decodes (docs/http-gateway.md §3.1). */
function filenameOf(path: string): string {
  return path.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export async function uploadOverGateway(
  gatewayUrl: string,
  spec: Record<string, unknown>,
  files: readonly LocalFile[],
  progress: Progress,
  signal: AbortSignal,
): Promise<void> {
  const boundary = `----CourierNode${randomBytes(12).toString('hex')}`;
  const specField = JSON.stringify({
    ...spec,
    source_root: '',
    paths: files.map((f) => ({ source: f.destination, destination: f.destination })),
  });
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="x-aspera-spec"\r\n\r\n${specField}\r\n`);
  const fileHeads = files.map((f) =>
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="Content-Length"\r\n\r\n${f.size}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filenameOf(f.destination)}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
  );
  const crlf = Buffer.from('\r\n');
  const tail = Buffer.from(`--${boundary}--\r\n`);
  const length = head.length + tail.length + files.reduce((sum, f, i) => sum + (fileHeads[i] as Buffer).length + f.size + crlf.length, 0);

  async function* body(): AsyncGenerator<Buffer> {
    yield head;
    for (const [index, file] of files.entries()) {
      yield fileHeads[index] as Buffer;
      let sent = 0;
      if (file.size > 0) {
        for await (const chunk of createReadStream(file.abs, { start: 0, end: file.size - 1, highWaterMark: CHUNK_BYTES })) {
          sent += (chunk as Buffer).length;
          progress.bytes(index, (chunk as Buffer).length);
          yield chunk as Buffer;
        }
      }
      // A file that shrank while it was read would shift every later part: the remote must not take it.
      if (sent !== file.size) throw new NodeError(409, `${file.nodePath} changed while it was sent`, 'changed');
      yield crlf;
      progress.fileDone(index);
    }
    yield tail;
  }

  const answer = await exchange(
    `${gatewayUrl}/v3/upload`,
    { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(length) } },
    signal,
    (req) => writeAll(body(), req),
  );
  const text = await readSmall(answer);
  if ((answer.statusCode ?? 0) >= 400) throw remoteError(answer.statusCode ?? 502, text);
}

/**
 * One remote file or folder into `target`: answers `folder` when the gateway sent the folder as a
 * zip (docs/http-gateway.md §4), which the caller unpacks. A zip the remote left files out of
 * (`X-Courier-Skipped-Files`) is refused: the copy would be silently incomplete.
 */
export async function downloadOverGateway(
  gatewayUrl: string,
  spec: Record<string, unknown>,
  source: string,
  target: Writable,
  onBytes: (bytes: number) => void,
  signal: AbortSignal,
): Promise<'file' | 'folder'> {
  const header = Buffer.from(JSON.stringify({ ...spec, paths: [{ source }], zip_required: false }), 'utf8').toString('base64');
  const answer = await exchange(
    `${gatewayUrl}/v3/download`,
    { method: 'GET', headers: { 'x-aspera-spec': header } },
    signal,
    async (req) => {
      req.end();
    },
  );
  if ((answer.statusCode ?? 0) >= 400) throw remoteError(answer.statusCode ?? 502, await readSmall(answer));
  const folder = String(answer.headers['content-type']).startsWith('application/zip') && !source.toLowerCase().endsWith('.zip');
  const skipped = Number(answer.headers['x-courier-skipped-files'] ?? 0);
  if (folder && skipped > 0) {
    answer.destroy();
    throw new NodeError(
      422,
      `The remote left ${skipped} item(s) of ${source} out of its zip (links, hard links or names a zip cannot carry): nothing was written`,
    );
  }
  answer.on('data', (chunk: Buffer) => onBytes(chunk.length));
  await pipeline(answer, target, { signal });
  return folder ? 'folder' : 'file';
}

export async function exchange(
  url: string,
  options: { method: string; headers: Record<string, string>; agent?: Agent },
  signal: AbortSignal,
  send: (req: ClientRequest) => Promise<void>,
): Promise<IncomingMessage> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const req = request(target, { ...options, signal });
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });
  // The remote may answer (an error) before the body is sent; that answer is what counts.
  const sent = send(req).catch((err: unknown) => err);
  try {
    const answer = await answered;
    void sent;
    return answer;
  } catch (err) {
    const bodyError = await Promise.race([sent, Promise.resolve(undefined)]);
    if (bodyError instanceof NodeError) throw bodyError;
    if (signal.aborted) throw new NodeError(499, 'The transfer was canceled');
    throw new NodeError(502, `The remote HTTP Gateway could not be reached: ${(err as Error).message}`, 'remote');
  }
}

/** The body into the request with backpressure, chunk by chunk (no object-mode stream in between). */
async function writeAll(chunks: AsyncGenerator<Buffer>, req: ClientRequest): Promise<void> {
  for await (const chunk of chunks) {
    if (req.destroyed) throw new NodeError(499, 'The connection to the remote gateway closed');
    if (!req.write(chunk)) await once(req, 'drain');
  }
  req.end();
}

export async function readSmall(answer: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of answer) {
    if (text.length < MAX_ANSWER_BYTES) text += (chunk as Buffer).toString('utf8');
  }
  return text;
}

/**
 * The remote's `{message, code}` (docs/http-gateway.md §6) as this node's error, its status kept,
 * and its `Retry-After` for a caller that waits before trying again (ops/part-retry.ts).
 */
export function remoteError(status: number, text: string, retryAfter?: string): NodeError {
  let message = text.slice(0, 500);
  try {
    const parsed = JSON.parse(text) as { message?: unknown; description?: unknown };
    if (typeof parsed.message === 'string') message = parsed.message;
    else if (typeof parsed.description === 'string') message = parsed.description;
  } catch {
    // not JSON: the text itself, cut
  }
  return new NodeError(
    status,
    `The remote HTTP Gateway refused the transfer (${status}): ${message}`,
    'remote',
    retryAfter ? { 'Retry-After': retryAfter } : {},
  );
}
