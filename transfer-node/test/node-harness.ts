/** Starts a real node on port 0 in fresh temp folders, with helpers that speak HTTP to it. */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayUpload } from '../../test-kit/gateway-upload';
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
      headers: {
        authorization: auth,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.headers as Record<string, string>),
      },
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
      const res = await apiJson('/files/upload_setup', {
        transfer_requests: [{ transfer_request: { paths: [{ destination }], ...extra } }],
      });
      return res.transfer_specs[0].transfer_spec;
    },
    async downloadSpec(sources, extra = {}) {
      const res = await apiJson('/files/download_setup', {
        transfer_requests: [{ transfer_request: { paths: sources.map((source) => ({ source })), ...extra } }],
      });
      return res.transfer_specs[0].transfer_spec;
    },
    async close() {
      await node.close();
      if (!dir) await rm(base, { recursive: true, force: true });
    },
  };
}

/** A v3 upload of whole files to this node's gateway, as the SDK sends it. */
export function upload(
  t: TestNode,
  spec: Record<string, unknown>,
  files: Array<{ name: string; data: Blob }>,
  headers: Record<string, string> = {},
) {
  return gatewayUpload(
    t.node.gatewayUrl,
    spec,
    files.map((f) => ({ path: f.name, data: f.data })),
    headers,
  );
}

export function sha256(data: Buffer | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
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
