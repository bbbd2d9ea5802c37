/** HTTP Gateway v3 downloads as a browser client makes them (docs/http-gateway.md §4.1): the spec travels base64 in a header. */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { fetch as undiciFetch } from 'undici';
import { hold, type HeldTransfer } from './gateway-upload';

export function specHeader(spec: object): string {
  return Buffer.from(JSON.stringify(spec), 'utf8').toString('base64');
}

/** `GET /v3/download` with the spec in its header. */
export function gatewayDownload(gatewayUrl: string, spec: object, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${gatewayUrl}/v3/download`, { headers: { 'x-aspera-spec': specHeader(spec), ...headers } });
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

/** A download saved to `saveTo` as a browser saves it, that stops after `holdAt` bytes until released. */
export function heldDownload(gatewayUrl: string, spec: object, saveTo: string, holdAt = Infinity): HeldTransfer<DownloadEnd> {
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

async function receive(gatewayUrl: string, spec: object, saveTo: string, onBytes: (bytes: number) => Promise<void>): Promise<DownloadEnd> {
  const res = await undiciFetch(`${gatewayUrl}/v3/download`, { headers: { 'x-aspera-spec': specHeader(spec) } });
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
