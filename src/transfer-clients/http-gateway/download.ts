import { codeForHttpStatus } from '../transfer-error';
import { gatewayHttpError, gatewayNetworkError } from './gateway-error';
import { gatewayEndpoint } from './gateway-url';
import { encodeSpecHeader, expectedSize, savedFileName } from './download-spec';
import type { GatewayUpdate } from './upload';

type Spec = Record<string, unknown>;

export interface DownloadEnvironment {
  fetch: typeof fetch;
  /** Hands a finished Blob to the browser's save (an `<a download>` click). */
  saveBlob: (blob: Blob, fileName: string) => void;
  /** Lets the browser's download manager fetch a URL (hidden iframe navigation). */
  openDownloadUrl: (url: string) => void;
  now: () => number;
}

// At most ~10 progress events a second: chunks arrive every few ms and every event re-renders a row.
const PROGRESS_INTERVAL_MS = 100;

/**
 * `GET {base}/v3/download` with the spec in `X-Aspera-Spec` (docs/http-gateway.md §4), progress from the
 * body stream. Chunks are kept as a list and joined into a Blob only at the end (no copy into one
 * big buffer); this path is only taken under the in-browser limit, larger downloads are presigned.
 */
export async function runStreamedDownload(
  base: string,
  spec: Spec,
  signal: AbortSignal,
  env: DownloadEnvironment,
  report: (u: GatewayUpdate, bytesTotal: number | null) => void,
): Promise<void> {
  let bytesDone = 0;
  let total = expectedSize(spec);
  report({ status: 'running', bytesDone }, total);
  try {
    const response = await env.fetch(gatewayEndpoint(base, '/v3/download'), {
      method: 'GET',
      headers: { 'X-Aspera-Spec': encodeSpecHeader(spec) },
      credentials: 'omit',
      // One URL for every download, told apart by a header only: never from the browser's cache,
      // which could hand back the previous download's bytes (a gateway without Cache-Control).
      cache: 'no-store',
      signal,
    });
    if (!response.ok) {
      // Unlike the SDK (docs/aspera-sdk.md §12.3) we read the error body: it says what went wrong.
      report(
        { status: 'failed', bytesDone, error: gatewayHttpError(response.status, await response.text().catch(() => ''), 'download') },
        total,
      );
      return;
    }
    const length = Number(response.headers.get('Content-Length'));
    if (response.headers.has('Content-Length') && Number.isFinite(length)) total = length;
    const chunks: Uint8Array[] = [];
    const reader = response.body?.getReader();
    let lastReport = env.now();
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytesDone += value.byteLength;
      if (env.now() - lastReport >= PROGRESS_INTERVAL_MS) {
        lastReport = env.now();
        report({ status: 'running', bytesDone }, total);
      }
    }
    if (total !== null && bytesDone !== total) {
      const error = { code: 'TRANSFER_FAILED' as const, message: `The download ended after ${bytesDone} of ${total} bytes: try again.` };
      report({ status: 'failed', bytesDone, error }, total);
      return;
    }
    const fileName = savedFileName(spec, response.headers.get('Content-Disposition'), response.headers.get('Content-Type'));
    env.saveBlob(new Blob(chunks as BlobPart[], { type: response.headers.get('Content-Type') ?? 'application/octet-stream' }), fileName);
    report({ status: 'completed', bytesDone }, bytesDone);
  } catch {
    if (signal.aborted) report({ status: 'cancelled', bytesDone }, total);
    else report({ status: 'failed', bytesDone, error: gatewayNetworkError('download') }, total);
  }
}

/**
 * Large downloads: `POST {base}/v3/presign` (§5) and the signed URL to the browser's own download
 * manager, which streams to disk and can resume. From here the portal's server-side transfer
 * events carry the progress; this client reports `running` + `handedToBrowser` and nothing more.
 */
export async function runPresignedDownload(
  base: string,
  spec: Spec,
  signal: AbortSignal,
  env: DownloadEnvironment,
  report: (u: GatewayUpdate, bytesTotal: number | null) => void,
): Promise<void> {
  const total = expectedSize(spec);
  report({ status: 'starting', bytesDone: 0 }, total);
  const target = new URL(gatewayEndpoint(base, '/v3/presign'));
  let response: Response;
  try {
    response = await env.fetch(target.href, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      credentials: 'omit',
      body: JSON.stringify({
        transfer_spec: spec,
        method: 'GET',
        protocol: target.protocol.replace(':', ''),
        headers: { host: target.host },
      }),
      signal,
    });
  } catch {
    if (signal.aborted) report({ status: 'cancelled', bytesDone: 0 }, total);
    else report({ status: 'failed', bytesDone: 0, error: gatewayNetworkError('download') }, total);
    return;
  }
  const text = await response.text().catch(() => '');
  // Cancelled while the link was being made: the browser must not be handed it.
  if (signal.aborted) {
    report({ status: 'cancelled', bytesDone: 0 }, total);
    return;
  }
  if (!response.ok) {
    report({ status: 'failed', bytesDone: 0, error: gatewayHttpError(response.status, text, 'download') }, total);
    return;
  }
  let signedUrl: unknown;
  try {
    signedUrl = (JSON.parse(text) as { signed_url?: unknown }).signed_url;
  } catch {
    signedUrl = undefined;
  }
  if (typeof signedUrl !== 'string' || !/^https?:\/\//.test(signedUrl)) {
    const error = {
      code: codeForHttpStatus(502),
      message: 'The HTTP Gateway did not return a download link: try again, or ask an administrator.',
    };
    report({ status: 'failed', bytesDone: 0, error }, total);
    return;
  }
  env.openDownloadUrl(signedUrl);
  report({ status: 'running', bytesDone: 0, handedToBrowser: true }, total);
}
