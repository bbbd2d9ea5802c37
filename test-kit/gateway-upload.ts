/**
 * HTTP Gateway v3 uploads as a browser client sends them (docs/http-gateway.md §3.1): one multipart
 * body with `x-aspera-spec` (the spec, its `paths` one `{source, destination}` per file, as
 * src/transfer-clients/http-gateway/upload-form.ts sends them), then per file `Content-Length` and
 * `file`. Whole uploads go through fetch; partial and held ones through a raw request, so a test
 * can stop in the middle of the bytes.
 */
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { request, type ClientRequest } from 'node:http';

export interface UploadFile {
  /** Path relative to the spec's destination root, as the client names it. */
  path: string;
  data: Blob | Buffer | string;
}

/** How an upload ended for the client: the node's answer, or status 0 and the error when the connection failed. */
export type UploadEnd = { status: number; body: string } | { status: 0; body: ''; error: string };

/** The `x-aspera-spec` field: the spec with one `{source, destination}` per file. */
export function uploadSpecField(spec: object, paths: readonly string[]): string {
  return JSON.stringify({ ...spec, paths: paths.map((p) => ({ source: p, destination: p })) });
}

export function uploadForm(spec: object, files: readonly UploadFile[]): FormData {
  const form = new FormData();
  form.append(
    'x-aspera-spec',
    uploadSpecField(
      spec,
      files.map((f) => f.path),
    ),
  );
  for (const file of files) {
    const blob = file.data instanceof Blob ? file.data : new Blob([typeof file.data === 'string' ? file.data : new Uint8Array(file.data)]);
    form.append('Content-Length', String(blob.size));
    form.append('file', blob, file.path);
  }
  return form;
}

/** `POST /v3/upload` of whole files. */
export function gatewayUpload(
  gatewayUrl: string,
  spec: object,
  files: readonly UploadFile[],
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${gatewayUrl}/v3/upload`, { method: 'POST', body: uploadForm(spec, files), headers });
}

/** One file's upload over a raw request: the head is written, the caller sends `size` bytes and then `tail`. */
function openUpload(gatewayUrl: string, spec: object, file: { path: string; size: number }) {
  const boundary = `----CourierTest${Math.random().toString(16).slice(2)}`;
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="x-aspera-spec"\r\n\r\n${uploadSpecField(spec, [file.path])}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="Content-Length"\r\n\r\n${file.size}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.path}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const url = new URL(`${gatewayUrl}/v3/upload`);
  const req: ClientRequest = request({
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    method: 'POST',
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': Buffer.byteLength(head) + file.size + tail.length,
    },
  });
  const ended = new Promise<UploadEnd>((resolve) => {
    const failed = (err: Error) => resolve({ status: 0, body: '', error: err.message });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', failed);
    });
    req.on('error', failed);
  });
  req.write(head);
  return { req, tail, ended };
}

/**
 * An upload of `file.size` bytes (all 0x01) that sends the first `sentBytes` and holds the request
 * open, so a test can look at the node mid-transfer; `finish()` sends the rest, `abort()` drops the
 * connection. `response` settles when the node answers or the connection fails.
 */
export function partialUpload(gatewayUrl: string, spec: object, file: { path: string; size: number }, sentBytes: number) {
  const { req, tail, ended } = openUpload(gatewayUrl, spec, file);
  req.write(Buffer.alloc(sentBytes, 1));
  return {
    response: ended,
    finish: () => void req.end(Buffer.concat([Buffer.alloc(file.size - sentBytes, 1), Buffer.from(tail)])),
    abort: () => void req.destroy(),
  };
}

export interface HeldTransfer<T> {
  /** Resolves once `holdAt` bytes have gone through the client. */
  held: Promise<void>;
  /** Lets the client go on; resolves with how the transfer ended for it. */
  release: () => Promise<T>;
}

export function hold() {
  let markHeld = () => {};
  let release = () => {};
  const held = new Promise<void>((resolve) => (markHeld = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  return { held, markHeld, released, release };
}

/**
 * One file streamed from disk (`file.from`) that stops after `holdAt` bytes until released, so the
 * node is caught in the middle of a transfer however fast loopback is.
 */
export function heldUpload(
  gatewayUrl: string,
  spec: object,
  file: { path: string; size: number; from: string },
  holdAt: number,
): HeldTransfer<UploadEnd> {
  const { req, tail, ended } = openUpload(gatewayUrl, spec, file);
  const { held, markHeld, released, release } = hold();

  async function send(start: number, end: number): Promise<void> {
    if (start >= end || req.destroyed) return;
    const part = createReadStream(file.from, { start, end: end - 1, highWaterMark: 1024 * 1024 });
    part.pipe(req, { end: false });
    req.once('close', () => part.destroy());
    await once(part, 'close');
  }

  const first = Math.min(holdAt, file.size);
  void send(0, first)
    .then(async () => {
      markHeld();
      await released;
      await send(first, file.size);
      if (!req.destroyed) req.end(tail);
    })
    // A file that cannot be read ends the request with that error, and never leaves `held` waiting.
    .catch((err: Error) => req.destroy(err))
    .finally(markHeld);
  return {
    held,
    release: () => {
      release();
      return ended;
    },
  };
}
