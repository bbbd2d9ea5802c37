import { request } from 'node:http';

/** What a browser's HTTP Gateway v3 client sends (docs/http-gateway.md §3.1, §4.1), for tests. */
export async function gatewayUpload(gatewayUrl: string, spec: Record<string, unknown>, files: Array<{ path: string; data: Buffer | string }>): Promise<Response> {
  const form = new FormData();
  form.append('x-aspera-spec', JSON.stringify({ ...spec, paths: files.map((f) => ({ source: f.path, destination: f.path })) }));
  for (const file of files) {
    const bytes = typeof file.data === 'string' ? Buffer.from(file.data) : file.data;
    form.append('Content-Length', String(bytes.length));
    form.append('file', new Blob([new Uint8Array(bytes)]), file.path);
  }
  return fetch(`${gatewayUrl}/v3/upload`, { method: 'POST', body: form });
}

export async function gatewayDownload(gatewayUrl: string, spec: Record<string, unknown>): Promise<Response> {
  return fetch(`${gatewayUrl}/v3/download`, { headers: { 'x-aspera-spec': Buffer.from(JSON.stringify(spec), 'utf8').toString('base64') } });
}

/**
 * An upload of one file that sends its first `sentBytes` and then holds the request open, so a
 * test can act on a transfer the node is running; `finish()` sends the rest. `response` settles when
 * the node answers.
 */
export function heldUpload(gatewayUrl: string, spec: Record<string, unknown>, file: { path: string; size: number }, sentBytes: number) {
  const boundary = `----CourierHeld${Math.random().toString(16).slice(2)}`;
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="x-aspera-spec"\r\n\r\n${JSON.stringify({ ...spec, paths: [{ source: file.path, destination: file.path }] })}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="Content-Length"\r\n\r\n${file.size}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.path}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const url = new URL(`${gatewayUrl}/v3/upload`);
  const req = request({
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': Buffer.byteLength(head) + file.size + tail.length },
  });
  const response = new Promise<{ status: number | 'reset' }>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('error', () => resolve({ status: 'reset' }));
  });
  req.write(head);
  req.write(Buffer.alloc(sentBytes, 1));
  return {
    response,
    finish: () => req.end(Buffer.concat([Buffer.alloc(file.size - sentBytes, 1), Buffer.from(tail)])),
    abort: () => req.destroy(),
  };
}
