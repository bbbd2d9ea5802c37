/** Starts a real node on port 0 in fresh temp folders, with helpers that speak HTTP to it. */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { startTransferNode, type TransferNode, type TransferNodeOptions } from '../index';

// Test responses are checked field by field with expect(); typing them would restate the OAS.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export const PORTAL_ORIGIN = 'http://localhost:8080';

export interface TestNode {
  node: TransferNode;
  dir: string;
  docroot: string;
  stateDir: string;
  auth: string;
  api(path: string, body?: unknown, init?: RequestInit): Promise<Response>;
  apiJson<T = Json>(path: string, body?: unknown): Promise<T>;
  uploadSpec(destination: string, extra?: Record<string, unknown>): Promise<Record<string, Json>>;
  downloadSpec(sources: string[], extra?: Record<string, unknown>): Promise<Record<string, Json>>;
  close(): Promise<void>;
}

export async function startTestNode(options: Partial<TransferNodeOptions> = {}, dir?: string): Promise<TestNode> {
  const base = dir ?? (await mkdtemp(join(tmpdir(), 'courier-node-')));
  const docroot = options.docroot ?? join(base, 'docroot');
  const stateDir = options.stateDir ?? join(base, 'state');
  const node = await startTransferNode({ port: 0, corsOrigins: [PORTAL_ORIGIN], ...options, docroot, stateDir });
  const auth = 'Basic ' + Buffer.from(`${node.credentials.username}:${node.credentials.password}`).toString('base64');
  const api = (path: string, body?: unknown, init: RequestInit = {}) =>
    fetch(node.url + path, {
      method: body === undefined ? 'GET' : 'POST',
      ...init,
      headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(init.headers as Record<string, string>) },
      body: body === undefined ? init.body : JSON.stringify(body),
    });
  const apiJson = async (path: string, body?: unknown) => {
    const res = await api(path, body);
    if (res.status !== 200) throw new Error(`${path} → ${res.status} ${await res.text()}`);
    return res.json();
  };
  return {
    node,
    dir: base,
    docroot,
    stateDir,
    auth,
    api,
    apiJson,
    async uploadSpec(destination, extra = {}) {
      const res = await apiJson('/files/upload_setup', { transfer_requests: [{ transfer_request: { paths: [{ destination }], ...extra } }] });
      return res.transfer_specs[0].transfer_spec;
    },
    async downloadSpec(sources, extra = {}) {
      const res = await apiJson('/files/download_setup', { transfer_requests: [{ transfer_request: { paths: sources.map((source) => ({ source })), ...extra } }] });
      return res.transfer_specs[0].transfer_spec;
    },
    async close() {
      await node.close();
      if (!dir) await rm(base, { recursive: true, force: true });
    },
  };
}

export interface UploadFile {
  name: string;
  data: Blob;
}

/** A v3 upload body exactly as the SDK builds it (docs/http-gateway.md §3.1). */
export function uploadForm(spec: Record<string, unknown>, files: UploadFile[]): FormData {
  const form = new FormData();
  form.append('x-aspera-spec', JSON.stringify({ ...spec, paths: files.map((f) => ({ source: f.name })) }));
  for (const file of files) {
    form.append('Content-Length', String(file.data.size));
    form.append('file', file.data, file.name);
  }
  return form;
}

export async function upload(t: TestNode, spec: Record<string, unknown>, files: UploadFile[], headers: Record<string, string> = {}) {
  return fetch(t.node.gatewayUrl + '/v3/upload', { method: 'POST', body: uploadForm(spec, files), headers });
}

export function specHeader(spec: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(spec), 'utf8').toString('base64');
}

export function sha256(data: Buffer | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Starts an upload over a raw socket and sends only `sentBytes` of a `size`-byte file, so a test can
 * look at the node mid-transfer, then abort (client disconnect) or finish it.
 */
export function partialUpload(gatewayUrl: string, spec: Record<string, unknown>, name: string, size: number, sentBytes: number) {
  const boundary = '----CourierTestBoundary' + Math.random().toString(16).slice(2);
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="x-aspera-spec"\r\n\r\n${JSON.stringify({ ...spec, paths: [{ source: name }] })}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="Content-Length"\r\n\r\n${size}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const url = new URL(gatewayUrl + '/v3/upload');
  const req = request({
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': Buffer.byteLength(head) + size + tail.length },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
  response.catch(() => undefined);
  req.write(head);
  req.write(Buffer.alloc(sentBytes, 1));
  return {
    response,
    finish() {
      req.end(Buffer.concat([Buffer.alloc(size - sentBytes, 1), Buffer.from(tail)]));
    },
    abort() {
      req.destroy();
    },
  };
}

export async function waitFor<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error('waitFor timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
