/**
 * Gateway transfers a fault test can stop midway: the client moves `holdAt` bytes and then holds
 * until released, so the node is caught in the middle of a transfer however fast loopback is, and
 * the test decides when the rest (or the failure) comes.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { request } from 'node:http';
import { fetch } from 'undici';

export interface HeldTransfer<T> {
  /** Resolves once `holdAt` bytes have gone through the client. */
  held: Promise<void>;
  /** Lets the client go on; resolves with how the transfer ended for it. */
  release: () => Promise<T>;
}

export type UploadEnd = { status: number; body: string } | { error: string };

function hold() {
  let markHeld = () => {};
  let release = () => {};
  const held = new Promise<void>((resolve) => (markHeld = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  return { held, markHeld, released, release };
}

/** One file through `POST /v3/upload`, multipart as the SDK sends it (docs/http-gateway.md §3.1), streamed from disk. */
export function heldUpload(gatewayUrl: string, spec: Record<string, unknown>, file: string, name: string, size: number, holdAt: number): HeldTransfer<UploadEnd> {
  const boundary = `----CourierFaultBoundary${Math.random().toString(16).slice(2)}`;
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="x-aspera-spec"\r\n\r\n${JSON.stringify({ ...spec, paths: [{ source: name, destination: name }] })}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="Content-Length"\r\n\r\n${size}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const url = new URL(`${gatewayUrl}/v3/upload`);
  const req = request({
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': Buffer.byteLength(head) + size + tail.length },
  });
  const ended = new Promise<UploadEnd>((resolve) => {
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', (err) => resolve({ error: err.message }));
    });
    req.on('error', (err) => resolve({ error: err.message }));
  });
  const { held, markHeld, released, release } = hold();

  async function send(start: number, end: number): Promise<void> {
    if (start >= end || req.destroyed) return;
    const part = createReadStream(file, { start, end: end - 1, highWaterMark: 1024 * 1024 });
    part.pipe(req, { end: false });
    req.once('close', () => part.destroy());
    await once(part, 'close');
  }

  req.write(head);
  const first = Math.min(holdAt, size);
  void send(0, first)
    .then(async () => {
      markHeld();
      await released;
      await send(first, size);
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

export interface DownloadEnd {
  status: number;
  /** The length the node announced, or null when it announced none. */
  contentLength: number | null;
  bytes: number;
  sha256: string;
  /** What the client's read failed with, if it did. */
  error: string | null;
}

/** `GET /v3/download` with the spec in its header (docs/http-gateway.md §4.1), saved to `saveTo` as a browser saves it. */
export function heldDownload(gatewayUrl: string, spec: Record<string, unknown>, saveTo: string, holdAt = Infinity): HeldTransfer<DownloadEnd> {
  const { held, markHeld, released, release } = hold();
  let holding = true;
  const ended = receive(gatewayUrl, spec, saveTo, async (bytes) => {
    if (!holding || bytes < holdAt) return;
    holding = false;
    markHeld();
    await released;
  }).finally(markHeld);
  return {
    held,
    release: () => {
      release();
      return ended;
    },
  };
}

async function receive(gatewayUrl: string, spec: Record<string, unknown>, saveTo: string, onBytes: (bytes: number) => Promise<void>): Promise<DownloadEnd> {
  const res = await fetch(`${gatewayUrl}/v3/download`, { headers: { 'x-aspera-spec': Buffer.from(JSON.stringify(spec), 'utf8').toString('base64') } });
  const length = res.headers.get('content-length');
  const hash = createHash('sha256');
  const out = createWriteStream(saveTo);
  let bytes = 0;
  let error: string | null = null;
  try {
    for await (const chunk of res.body ?? []) {
      hash.update(chunk);
      bytes += chunk.length;
      if (!out.write(chunk)) await once(out, 'drain');
      await onBytes(bytes);
    }
  } catch (err) {
    error = (err as Error).message;
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { status: res.status, contentLength: length === null ? null : Number(length), bytes, sha256: hash.digest('hex'), error };
}
